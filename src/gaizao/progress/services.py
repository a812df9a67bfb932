"""Writes of targets, responsibility agreements and milestones: the command office's, each leaving its event."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gaizao.core.feedback import plain
from gaizao.core.models import Evidence
from gaizao.org.access import can_change, is_command_office, unit_roots, visible_unit_ids
from gaizao.org.models import Official, Unit, UnitKind
from gaizao.progress.actuals import FormulaError, check_formula
from gaizao.progress.models import Indicator, Milestone, ProgressEvent, ResponsibilityAgreement, Target
from gaizao.progress.schedule import ScheduleError, Spec, order
from gaizao.projects.models import Project
from gaizao.projects.selectors import project_visible


def record_event(*, by, kind: str, subject: str, unit=None, project=None, changes=None, note="", evidence=None) -> None:
    ProgressEvent.objects.create(
        kind=kind,
        by=by,
        unit=unit,
        project=project,
        subject=subject[:100],
        changes=changes or {},
        note=note,
        evidence=evidence,
    )


def require_office(by, unit: Unit) -> None:
    ids = visible_unit_ids(by)
    if not is_command_office(by) or ids is None or unit.id not in ids:
        raise PermissionDenied("只有指挥部办公室可为其管辖单位下达目标、起草责任书、编排时间节点")


def require_project(by, project: Project) -> None:
    if not is_command_office(by) or not project_visible(fetched_by=by, project_id=project.pk):
        raise PermissionDenied("只有指挥部办公室可编排本区项目的时间节点")


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{field}“{value}”不是数字") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{field}应为不小于零的数")
    return amount.quantize(Decimal("0.01"))


# ---- indicators --------------------------------------------------------------------------------------
@transaction.atomic
def indicator_create(
    *, by, district: Unit, code: str, name: str, unit_label: str, formula: str, places: int = 0
) -> Indicator:
    require_office(by, district)
    if district.kind != UnitKind.DISTRICT:
        raise ValidationError(f"“{district}”不是区县：自定义指标属于一个区县")
    try:
        check_formula(formula)
    except FormulaError as error:
        raise ValidationError(str(error)) from error
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError(f"指标编号“{code}”已存在")
    if places not in (0, 1, 2):
        raise ValidationError("小数位只能是 0、1 或 2")
    indicator = Indicator.objects.create(
        code=code, name=name, unit_label=unit_label, formula=formula, places=places, district=district
    )
    record_event(by=by, kind="indicator", subject=name, unit=district, changes={"formula": [None, formula]})
    return indicator


# ---- targets -----------------------------------------------------------------------------------------
def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(f"完成时限 {end} 早于开始日期 {start}")


@transaction.atomic
def target_set(
    *,
    by,
    indicator: Indicator,
    unit: Unit,
    start: date,
    end: date,
    value,
    project: Project | None = None,
    yellow_gap=Decimal(10),
    note: str = "",
) -> Target:
    """Sets a unit's target for a period (a second call for the same key changes it, and says so)."""
    require_office(by, unit)
    _check_period(start, end)
    value = _amount(value, "目标值")
    yellow_gap = _amount(yellow_gap, "黄灯阈值")
    if indicator.district_id and not unit.path.startswith(indicator.district.path):
        raise ValidationError(f"指标“{indicator.name}”是{indicator.district}的自定义指标，不能下达给“{unit}”")
    if project is not None:
        require_project(by, project)
    target, created = Target.objects.select_for_update().get_or_create(
        indicator=indicator,
        unit=unit,
        project=project,
        start=start,
        end=end,
        defaults={"value": value, "yellow_gap": yellow_gap, "note": note, "set_by": by},
    )
    if not created:
        changes = {"value": [plain(target.value), plain(value)]} if target.value != value else {}
        target.value, target.yellow_gap, target.note = value, yellow_gap, note
        target.save(update_fields=["value", "yellow_gap", "note"])
    else:
        changes = {"value": [None, plain(value)]}
    record_event(
        by=by, kind="target", subject=f"{indicator.name} {start}～{end}", unit=unit, project=project, changes=changes
    )
    return target


@transaction.atomic
def target_split(*, by, target: Target, shares: dict[Unit, object]) -> list[Target]:
    """Splits a target among units under its own; the shares must add up to it exactly."""
    target = Target.objects.select_for_update().select_related("unit", "indicator").get(pk=target.pk)
    require_office(by, target.unit)
    if not shares:
        raise ValidationError("分解须至少列出一个单位")
    values = {}
    for unit, value in shares.items():
        if not _below(target.unit, unit):
            raise ValidationError(f"“{unit}”不是“{target.unit}”的下级单位，不能分解给它")
        values[unit] = _amount(value, f"“{unit}”的分解值")
    total = sum(values.values(), Decimal(0))
    if total != target.value:
        raise ValidationError(
            f"分解合计 {plain(total)} 与“{target.unit}”的目标 {plain(target.value)} 不一致，"
            f"{'多' if total > target.value else '少'} {plain(abs(total - target.value))}{target.indicator.unit_label}"
        )
    kept = []
    for unit, value in values.items():
        share, _ = Target.objects.update_or_create(
            indicator=target.indicator,
            unit=unit,
            project=target.project,
            start=target.start,
            end=target.end,
            defaults={"value": value, "parent": target, "yellow_gap": target.yellow_gap, "set_by": by},
        )
        kept.append(share)
    target.shares.exclude(pk__in=[s.pk for s in kept]).delete()
    record_event(
        by=by,
        kind="target_split",
        subject=f"{target.indicator.name} {target.start}～{target.end}",
        unit=target.unit,
        project=target.project,
        changes={"shares": [None, {unit.name: plain(value) for unit, value in values.items()}]},
    )
    return kept


def _below(parent: Unit, unit: Unit) -> bool:
    """Under the unit, or (a headquarters' target) under the unit it has jurisdiction over."""
    return unit.id != parent.id and any(unit.path.startswith(root.path) for root in unit_roots(parent))


# ---- responsibility agreements -----------------------------------------------------------------------
@transaction.atomic
def agreement_draft(
    *,
    by,
    unit: Unit,
    title: str,
    start: date,
    end: date,
    leader: Official | None = None,
    leader_name: str = "",
    duties: str = "",
) -> ResponsibilityAgreement:
    """A responsibility agreement with the unit's targets for the period (those set by then)."""
    require_office(by, unit)
    _check_period(start, end)
    leader_name = (leader.name if leader else leader_name).strip()
    if not leader_name:
        raise ValidationError("须写明责任人")
    if not title.strip():
        raise ValidationError("须写明责任书标题")
    targets = Target.objects.filter(unit=unit, start__lte=end, end__gte=start)
    if not targets.exists():
        raise ValidationError(f"“{unit}”在 {start}～{end} 没有目标任务，请先下达目标")
    agreement = ResponsibilityAgreement.objects.create(
        unit=unit,
        leader=leader,
        leader_name=leader_name,
        title=title.strip(),
        start=start,
        end=end,
        duties=duties.strip(),
        drafted_by=by,
    )
    agreement.targets.set(targets)
    record_event(by=by, kind="agreement_draft", subject=agreement.title, unit=unit)
    return agreement


@transaction.atomic
def agreement_sign(*, by, agreement: ResponsibilityAgreement, signed_on: date, evidence: Evidence | None):
    agreement = ResponsibilityAgreement.objects.select_for_update().get(pk=agreement.pk)
    require_office(by, agreement.unit)
    if agreement.signed_on:
        raise ValidationError(f"该责任书已于 {agreement.signed_on} 签订")
    if evidence is None:
        raise ValidationError("须上传签字盖章的责任书扫描件")
    if signed_on > timezone.localdate():
        raise ValidationError("签订日期不能晚于今天")
    agreement.signed_on, agreement.signed_evidence, agreement.recorded_by = signed_on, evidence, by
    agreement.save(update_fields=["signed_on", "signed_evidence", "recorded_by"])
    record_event(by=by, kind="agreement_sign", subject=agreement.title, unit=agreement.unit, evidence=evidence)
    return agreement


# ---- milestones ----------------------------------------------------------------------------------------
def _check_plan(project: Project, changed: Milestone | None, depends: list[Milestone], **fields) -> None:
    """Would the project's plan still schedule with this milestone as given? Refuse by name if not."""
    specs = {m.pk: m.spec() for m in project.milestones.prefetch_related("depends_on")}
    key = changed.pk if changed else 0
    specs[key] = Spec(
        key=key,
        name=fields["name"],
        duration=fields["duration"],
        depends=tuple(d.pk for d in depends),
        deadline=fields.get("deadline"),
        not_before=fields.get("not_before"),
    )
    try:
        order(list(specs.values()))
    except ScheduleError as error:
        raise ValidationError(str(error)) from error


MILESTONE_FIELDS = ("name", "duration", "deadline", "not_before", "unit", "leader_name")


@transaction.atomic
def milestone_save(
    *, by, project: Project, milestone: Milestone | None = None, depends: list[Milestone] | None = None, **fields
) -> Milestone:
    """Adds a milestone, or changes one (what is not given stays); a loop or a deadline before the start is refused."""
    require_project(by, project)
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    if milestone is not None:
        fields = {name: fields.get(name, getattr(milestone, name)) for name in MILESTONE_FIELDS}
        if depends is None:
            depends = list(milestone.depends_on.all())
    depends = list(depends or [])
    fields["name"] = str(fields.get("name", "")).strip()
    if not fields["name"]:
        raise ValidationError("须写明节点名称")
    if any(d.project_id != project.pk for d in depends):
        raise ValidationError("前置节点须是本项目的节点")
    if project.milestones.filter(name=fields["name"]).exclude(pk=milestone.pk if milestone else None).exists():
        raise ValidationError(f"本项目已有名为“{fields['name']}”的节点")
    _check_plan(project, milestone, list(depends), **fields)
    before = {} if milestone is None else {n: plain(getattr(milestone, n)) for n in MILESTONE_FIELDS}
    try:
        if milestone is None:
            milestone = Milestone.objects.create(project=project, **fields)
        else:
            for name, value in fields.items():
                setattr(milestone, name, value)
            milestone.save()
    except IntegrityError as error:
        raise ValidationError("节点保存失败：名称重复") from error
    milestone.depends_on.set(depends)
    after = {n: plain(getattr(milestone, n)) for n in MILESTONE_FIELDS}
    changes = {n: [before.get(n), after[n]] for n in MILESTONE_FIELDS if before.get(n) != after[n]}
    record_event(by=by, kind="milestone", subject=milestone.name, project=project, changes=changes)
    return milestone


def require_milestone_change(by, milestone: Milestone) -> None:
    """The office, or the unit responsible for the milestone, reports it started or done."""
    ids = visible_unit_ids(by)
    own = milestone.unit_id is not None and ids is not None and milestone.unit_id in ids
    if not can_change(by) or not (is_command_office(by) or own):
        raise PermissionDenied("只有指挥部办公室或节点责任单位可登记节点进度")
    if not project_visible(fetched_by=by, project_id=milestone.project_id):
        raise PermissionDenied("您无权登记该项目的节点进度")


@transaction.atomic
def milestone_start(*, by, milestone: Milestone, started_on: date) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    require_milestone_change(by, milestone)
    if started_on > timezone.localdate():
        raise ValidationError("开始日期不能晚于今天")
    milestone.started_on = started_on
    milestone.save(update_fields=["started_on"])
    record_event(
        by=by,
        kind="milestone_start",
        subject=milestone.name,
        project=milestone.project,
        changes={"started_on": [None, plain(started_on)]},
    )
    return milestone


@transaction.atomic
def milestone_complete(*, by, milestone: Milestone, done_on: date, evidence: Evidence | None) -> Milestone:
    """Done only with its evidence (photos, the acceptance record): quality, not just quantity."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    require_milestone_change(by, milestone)
    if milestone.done_on:
        raise ValidationError(f"节点“{milestone.name}”已于 {milestone.done_on} 完成")
    if evidence is None:
        raise ValidationError("节点完成须上传佐证材料（照片、验收记录等）")
    if done_on > timezone.localdate():
        raise ValidationError("完成日期不能晚于今天")
    if milestone.started_on and done_on < milestone.started_on:
        raise ValidationError(f"完成日期 {done_on} 早于开始日期 {milestone.started_on}")
    pending = [d.name for d in milestone.depends_on.all() if d.done_on is None]
    if pending:
        raise ValidationError(f"前置节点“{'、'.join(pending)}”尚未完成")
    milestone.done_on, milestone.evidence = done_on, evidence
    milestone.save(update_fields=["done_on", "evidence"])
    record_event(
        by=by,
        kind="milestone_done",
        subject=milestone.name,
        project=milestone.project,
        changes={"done_on": [None, plain(done_on)]},
        evidence=evidence,
    )
    return milestone
