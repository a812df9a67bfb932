"""Writes of supervision: items and their feedback, notices and rectifications, the ladder, exemptions."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.audit import recording, trail
from gaizao.core.models import Evidence
from gaizao.enforcement.selectors import checklist_prefill
from gaizao.org.access import can_change, official_of
from gaizao.org.models import Official, Unit
from gaizao.progress.services import record_event, require_office
from gaizao.supervision.ladder import LadderError, rungs_of
from gaizao.supervision.models import (
    Adjustment,
    AdjustmentKind,
    Checklist,
    Escalation,
    Exemption,
    Feedback,
    ItemSource,
    ItemStatus,
    Ladder,
    Notice,
    PreAcceptance,
    Rectification,
    RectificationStatus,
    Speech,
    SupervisionItem,
)


def _issuer(by) -> Unit:
    official = official_of(by)
    if official is None:
        raise PermissionDenied("只有指挥部办公室可交办、通报")
    return official.unit


def require_unit_staff(by, unit: Unit) -> None:
    """The responsible unit's own staff answer for it."""
    official = official_of(by)
    if (
        official is None
        or not can_change(by)
        or not (official.unit_id == unit.id or unit.path.startswith(official.unit.path))
    ):
        raise PermissionDenied(f"只有{unit.name}的工作人员可以报送")


def _future(deadline: date, what: str, since: date | None = None) -> None:
    """A deadline not already past when it is set (`since`: the day it was set, for what is entered afterwards)."""
    today = timezone.localdate()
    if since is not None and since > today:
        raise ValidationError(f"交办日期 {since} 不能晚于今天")
    if deadline < (since or today):
        raise ValidationError(f"{what} {deadline} 已经过去，请定一个今天或以后的日期")


# ---- supervision items -------------------------------------------------------------------------------
@transaction.atomic
def item_create(
    *,
    by,
    unit: Unit,
    title: str,
    deadline: date,
    source: str = ItemSource.LEADER,
    detail: str = "",
    official: Official | None = None,
    report_every: int = 0,
    issued_on: date | None = None,
    speech: Speech | None = None,
) -> SupervisionItem:
    """An item; `issued_on` is for an instruction entered after the day it was given."""
    require_office(by, unit)
    if not title.strip():
        raise ValidationError("须写明督办事项")
    if source not in ItemSource.values:
        raise ValidationError(f"来源“{source}”无效")
    _future(deadline, "办结时限", issued_on)
    if official is not None and official.unit_id != unit.id:
        raise ValidationError(f"{official.name}不是{unit.name}的工作人员")
    item = SupervisionItem.objects.create(
        issuing_unit=_issuer(by),
        source=source,
        title=title.strip(),
        detail=detail.strip(),
        unit=unit,
        official=official,
        deadline=deadline,
        report_every=report_every,
        issued_by=by,
        speech=speech,
    )
    record_event(
        by=by, kind="supervision_item", subject=item.title, unit=unit, changes={"deadline": [None, str(deadline)]}
    )
    return item


@transaction.atomic
def item_feedback(*, by, item: SupervisionItem, text: str, evidence: Evidence | None, done: bool = False) -> Feedback:
    """The unit reports progress; `done` asks the issuing office to accept the item as finished."""
    item = SupervisionItem.objects.select_for_update().select_related("unit").get(pk=item.pk)
    require_unit_staff(by, item.unit)
    if item.status == ItemStatus.CLOSED:
        raise ValidationError("该事项已办结")
    if not text.strip():
        raise ValidationError("须写明进展情况")
    if done and evidence is None:
        raise ValidationError("申请办结须上传佐证材料")
    feedback = Feedback.objects.create(item=item, text=text.strip(), evidence=evidence, done=done, by=by)
    if done:
        item.status = ItemStatus.SUBMITTED
        item.save(update_fields=["status"])
    record_event(by=by, kind="item_feedback", subject=item.title, unit=item.unit, evidence=evidence)
    return feedback


@transaction.atomic
def item_review(*, by, item: SupervisionItem, accept: bool, note: str = "") -> SupervisionItem:
    """The issuing office accepts the item as done, or sends it back."""
    item = SupervisionItem.objects.select_for_update().select_related("issuing_unit", "unit").get(pk=item.pk)
    require_office(by, item.issuing_unit)
    if item.status != ItemStatus.SUBMITTED:
        raise ValidationError("该事项没有申请办结")
    if not accept and not note.strip():
        raise ValidationError("退回须写明理由")
    item.status = ItemStatus.CLOSED if accept else ItemStatus.OPEN
    item.acceptance = note.strip()
    if accept:
        item.closed_on, item.closed_by = timezone.localdate(), by
    item.save(update_fields=["status", "acceptance", "closed_on", "closed_by"])
    record_event(by=by, kind="item_accepted" if accept else "item_returned", subject=item.title, unit=item.unit)
    return item


# ---- notices and rectifications ------------------------------------------------------------------------
@transaction.atomic
def notice_publish(
    *, by, title: str, published_on: date, problems: list[tuple[Unit, str, date]], number: str = "", body: str = ""
) -> Notice:
    """A notice naming units and their problems; each problem becomes a rectification with its deadline."""
    issuer = _issuer(by)
    if not title.strip():
        raise ValidationError("须写明通报标题")
    if not problems:
        raise ValidationError("通报须列出至少一个单位的问题")
    for n, (unit, problem, deadline) in enumerate(problems, start=1):
        require_office(by, unit)
        if not problem.strip():
            raise ValidationError(f"第 {n} 个问题（{unit.name}）没有写明内容")
        if deadline < published_on:
            raise ValidationError(f"第 {n} 个问题（{unit.name}）的整改时限 {deadline} 早于通报日期 {published_on}")
    notice = Notice.objects.create(
        issuing_unit=issuer,
        number=number.strip(),
        title=title.strip(),
        body=body.strip(),
        published_on=published_on,
        published_by=by,
    )
    rectifications = Rectification.objects.bulk_create(
        Rectification(notice=notice, unit=unit, problem=problem.strip(), deadline=deadline)
        for unit, problem, deadline in problems
    )
    trail.append(recording.entry("create", r) for r in rectifications)
    record_event(by=by, kind="notice", subject=notice.title, unit=issuer, changes={"problems": [None, len(problems)]})
    return notice


@transaction.atomic
def rectification_answer(*, by, rectification: Rectification, answer: str, evidence: Evidence | None) -> Rectification:
    rectification = Rectification.objects.select_for_update().select_related("unit").get(pk=rectification.pk)
    require_unit_staff(by, rectification.unit)
    if rectification.status in (RectificationStatus.ANSWERED, RectificationStatus.ACCEPTED):
        raise ValidationError(f"该问题{rectification.get_status_display()}，不能再次报送")
    if not answer.strip():
        raise ValidationError("须写明整改情况")
    if evidence is None:
        raise ValidationError("整改报送须附佐证材料（照片、文件等）")
    rectification.status, rectification.answer, rectification.evidence = (
        RectificationStatus.ANSWERED,
        answer.strip(),
        evidence,
    )
    rectification.answered_on, rectification.answered_by = timezone.localdate(), by
    rectification.save()
    record_event(
        by=by,
        kind="rectification_answer",
        subject=rectification.problem[:100],
        unit=rectification.unit,
        evidence=evidence,
    )
    return rectification


@transaction.atomic
def rectification_review(*, by, rectification: Rectification, accept: bool, note: str = "") -> Rectification:
    rectification = (
        Rectification.objects.select_for_update()
        .select_related("notice__issuing_unit", "unit")
        .get(pk=rectification.pk)
    )
    require_office(by, rectification.unit)
    if rectification.status != RectificationStatus.ANSWERED:
        raise ValidationError("该问题没有待审核的整改报送")
    if not accept and not note.strip():
        raise ValidationError("退回重改须写明理由")
    rectification.status = RectificationStatus.ACCEPTED if accept else RectificationStatus.RETURNED
    rectification.review, rectification.reviewed_by, rectification.reviewed_on = note.strip(), by, timezone.localdate()
    rectification.save(update_fields=["status", "review", "reviewed_by", "reviewed_on"])
    record_event(
        by=by,
        kind="rectification_accepted" if accept else "rectification_returned",
        subject=rectification.problem[:100],
        unit=rectification.unit,
    )
    return rectification


# ---- the ladder -----------------------------------------------------------------------------------------
@transaction.atomic
def ladder_set(*, by, unit: Unit, rungs, lag_points: int = 20) -> Ladder:
    require_office(by, unit)
    try:
        rungs_of(rungs)
    except LadderError as error:
        raise ValidationError(str(error)) from error
    if not 1 <= lag_points <= 100:
        raise ValidationError("进度滞后阈值应在 1 到 100 个百分点之间")
    ladder, _ = Ladder.objects.update_or_create(
        unit=unit, defaults={"rungs": rungs, "lag_points": lag_points, "updated_by": by}
    )
    record_event(by=by, kind="ladder", subject=f"{unit.name}问责阶梯", unit=unit, changes={"rungs": [None, rungs]})
    return ladder


@transaction.atomic
def exemption_grant(*, by, unit: Unit, reason: str, until: date) -> Exemption:
    """Leaving a unit out of the ladder: with a reason, for a while, on record for the inspectors."""
    require_office(by, unit)
    if len(reason.strip()) < 5:
        raise ValidationError("暂缓问责须写明理由（至少5个字）")
    _future(until, "暂缓截止日期")
    exemption = Exemption.objects.create(unit=unit, reason=reason.strip(), until=until, by=by)
    record_event(by=by, kind="exemption", subject=f"{unit.name}暂缓问责", unit=unit, note=reason.strip())
    return exemption


@transaction.atomic
def escalation_outcome(*, by, escalation: Escalation, outcome: str) -> Escalation:
    """Who came, what was said, what was decided: recorded by the office."""
    escalation = Escalation.objects.select_for_update().select_related("unit").get(pk=escalation.pk)
    require_office(by, escalation.unit)
    if not outcome.strip():
        raise ValidationError("须写明结果")
    escalation.outcome, escalation.outcome_by, escalation.outcome_on = outcome.strip(), by, timezone.localdate()
    escalation.save(update_fields=["outcome", "outcome_by", "outcome_on"])
    record_event(by=by, kind="escalation_outcome", subject=str(escalation)[:100], unit=escalation.unit)
    return escalation


# ---- meetings into tasks ---------------------------------------------------------------------------------
MAX_SPEECH = 200_000


@transaction.atomic
def speech_save(*, by, title: str, held_on: date, text: str) -> Speech:
    unit = _issuer(by)
    require_office(by, unit)
    if not text.strip():
        raise ValidationError("请粘贴讲话或会议纪要全文")
    if len(text) > MAX_SPEECH:
        raise ValidationError(f"全文超过 {MAX_SPEECH} 字，请分篇录入")
    if held_on > timezone.localdate():
        raise ValidationError("会议日期不能晚于今天")
    speech = Speech.objects.create(
        unit=unit, title=title.strip() or f"{held_on}会议", held_on=held_on, text=text, by=by
    )
    record_event(by=by, kind="speech", subject=speech.title, unit=unit)
    return speech


@transaction.atomic
def speech_confirm(*, by, speech: Speech, tasks: list[dict]) -> list[SupervisionItem]:
    """The office's edited proposals become supervision items, all or none; a bad row is named by its number."""
    if not tasks:
        raise ValidationError("请至少勾选一条任务")
    items = []
    for n, task in enumerate(tasks, start=1):
        try:
            if task.get("unit") is None:
                raise ValidationError("请选择责任单位")
            if task.get("deadline") is None:
                raise ValidationError("请填写办结时限")
            items.append(
                item_create(
                    by=by,
                    unit=task["unit"],
                    title=task["title"][:200],
                    deadline=task["deadline"],
                    source=ItemSource.SPEECH,
                    detail=task.get("detail", ""),
                    speech=speech,
                )
            )
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise ValidationError(f"第 {n} 条任务：{'；'.join(messages)}") from error
    return items


# ---- pre-acceptance --------------------------------------------------------------------------------------
@transaction.atomic
def checklist_create(*, by, name: str, items: list[tuple[str, int]], pass_mark) -> Checklist:
    unit = _issuer(by)
    require_office(by, unit)
    if not name.strip():
        raise ValidationError("须写明清单名称")
    if not items:
        raise ValidationError("清单至少要有一个验收项目")
    names = [item_name.strip() for item_name, _ in items]
    if len(set(names)) != len(names) or not all(names):
        raise ValidationError("验收项目的名称不能为空或重复")
    for item_name, weight in items:
        if not isinstance(weight, int) or weight <= 0:
            raise ValidationError(f"“{item_name}”的分值应为正整数")
    full = sum(weight for _, weight in items)
    pass_mark = Decimal(str(pass_mark))
    if not 0 < pass_mark <= full:
        raise ValidationError(f"合格分 {pass_mark} 应大于零、不超过满分 {full}")
    checklist = Checklist.objects.create(
        unit=unit,
        name=name.strip(),
        items=[{"name": n, "weight": w} for n, (_, w) in zip(names, items, strict=True)],
        pass_mark=pass_mark,
        created_by=by,
    )
    record_event(by=by, kind="checklist", subject=checklist.name, unit=unit)
    return checklist


@transaction.atomic
def preacceptance_record(
    *, by, checklist: Checklist, unit: Unit, held_on: date, scores: dict[str, tuple], remarks: str = ""
) -> PreAcceptance:
    """Scores item by item, (score, evidence, note) each; a point given needs its evidence. An item the illegal-
    building cases answer (无违建创建) comes computed from them: kept, the cases are its evidence; changed, the note
    says why. A fail feeds the ladder."""
    require_office(by, unit)
    if held_on > timezone.localdate():
        raise ValidationError("验收日期不能晚于今天")
    computed = checklist_prefill(checklist=checklist, unit=unit, year=held_on.year)
    rows, total = [], Decimal(0)
    for item in checklist.items:
        score, evidence, note = scores.get(item["name"], (Decimal(0), None, ""))
        score = Decimal(str(score))
        prefill = computed.get(item["name"])
        if not 0 <= score <= item["weight"]:
            raise ValidationError(f"“{item['name']}”的得分 {score} 应在 0 到 {item['weight']} 之间")
        if prefill is not None and score != prefill.score and not note.strip():
            raise ValidationError(
                f"“{item['name']}”的得分 {score} 与由案件数据计算的 {prefill.score} 分不同，须在说明中写明理由"
            )
        if score > 0 and evidence is None and (prefill is None or score != prefill.score):
            raise ValidationError(f"“{item['name']}”得分须附佐证材料")
        rows.append(
            {
                "name": item["name"],
                "weight": item["weight"],
                "score": str(score),
                "evidence": evidence.pk if evidence else None,
                "note": note,
                **({"computed": {"score": str(prefill.score), "figure": prefill.figure}} if prefill else {}),
            }
        )
        total += score
    run = PreAcceptance.objects.create(
        checklist=checklist,
        unit=unit,
        held_on=held_on,
        scores=rows,
        total=total,
        passed=total >= checklist.pass_mark,
        remarks=remarks.strip(),
        by=by,
    )
    verdict = "合格" if run.passed else "不合格"
    record_event(
        by=by,
        kind="preacceptance",
        subject=f"{unit.name} {checklist.name} {verdict}",
        unit=unit,
        changes={"total": [None, str(total)]},
    )
    return run


@transaction.atomic
def adjustment_add(
    *, by, unit: Unit, year: int, kind: str, points, reason: str, evidence: Evidence | None = None
) -> Adjustment:
    """A bonus (a highlight project, with its evidence) or a deduction, with its reason, on the year's evaluation."""
    require_office(by, unit)
    if kind not in AdjustmentKind.values:
        raise ValidationError(f"类型“{kind}”无效")
    try:
        points = Decimal(str(points))
    except InvalidOperation:
        raise ValidationError(f"分值“{points}”不是数字") from None
    if not Decimal(0) < points <= Decimal(20):
        raise ValidationError("分值应大于零、不超过20")
    if not reason.strip():
        raise ValidationError("须写明加减分事由")
    if kind == AdjustmentKind.BONUS and evidence is None:
        raise ValidationError("加分须附佐证材料（亮点项目照片、表彰文件等）")
    adjustment = Adjustment.objects.create(
        unit=unit, year=year, kind=kind, points=points, reason=reason.strip(), evidence=evidence, by=by
    )
    record_event(by=by, kind="adjustment", subject=str(adjustment), unit=unit, evidence=evidence)
    return adjustment
