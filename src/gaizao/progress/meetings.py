"""每周一调度: the agenda is what is red; decisions become action items tracked to their close.

The supervision ladder (issue 5) escalates the overdue items: `overdue()` is what it reads."""

from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.core.models import Evidence
from gaizao.org.access import can_change, is_command_office, official_of, scope_projects, visible_unit_ids
from gaizao.org.models import Unit
from gaizao.progress.actuals import standings
from gaizao.progress.models import ActionItem, ActionStatus, Meeting
from gaizao.progress.rhythm import roll_call, units_under
from gaizao.progress.schedule import STATUS_LABELS, ScheduleError, plan
from gaizao.progress.selectors import target_list
from gaizao.progress.services import record_event, require_office
from gaizao.projects.models import Project

REPORT_DAYS = 7


def agenda(*, by, unit: Unit, on: date) -> list[dict[str, str]]:
    """What the meeting must look at: red targets, red milestones, missing reports, overdue actions."""
    items = []
    for s in standings([t for t in target_list(fetched_by=by, on=on) if t.start <= on], on):
        if s.colour == "red":
            items.append(
                {
                    "kind": "target",
                    "text": f"{s.target.unit.name} {s.target.indicator.name}：完成率 {s.completion}%，"
                    f"落后时序进度 {s.gap} 个百分点",
                }
            )
    for project in scope_projects(Project.objects.all(), by).prefetch_related("milestones__depends_on"):
        try:
            rows = plan([m.spec() for m in project.milestones.all()], on)
        except ScheduleError:
            continue
        for row in rows:
            if row.status in ("late", "no_slack"):
                items.append(
                    {
                        "kind": "milestone",
                        "text": f"{project.name} · {row.name}：{STATUS_LABELS[row.status]}"
                        f"（最迟完成 {row.latest_finish}）",
                    }
                )
    missing: Counter[str] = Counter()
    within = units_under(unit)
    for back in range(1, REPORT_DAYS + 1):
        for due, report in roll_call(on - timedelta(days=back), within):
            if report is None:
                missing[due.name] += 1
    items += [{"kind": "report", "text": f"{name} 近{REPORT_DAYS}天缺报日报 {n} 次"} for name, n in missing.items()]
    for item in overdue(on).filter(meeting__unit=unit).select_related("owner"):
        items.append({"kind": "action", "text": f"逾期未办结：{item.text}（{item.owner.name}，时限 {item.deadline}）"})
    return items


@transaction.atomic
def meeting_create(*, by, unit: Unit, held_on: date, title: str = "") -> Meeting:
    require_office(by, unit)
    title = title.strip() or f"{held_on:%Y年%m月%d日}调度会"
    meeting = Meeting.objects.create(
        unit=unit, held_on=held_on, title=title, agenda=agenda(by=by, unit=unit, on=held_on), created_by=by
    )
    record_event(by=by, kind="meeting", subject=title, unit=unit, changes={"agenda": [None, len(meeting.agenda)]})
    return meeting


@transaction.atomic
def meeting_minutes(*, by, meeting: Meeting, minutes: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    require_office(by, meeting.unit)
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    record_event(by=by, kind="meeting_minutes", subject=meeting.title, unit=meeting.unit)
    return meeting


@transaction.atomic
def action_add(*, by, meeting: Meeting, text: str, owner: Unit, deadline: date, owner_name: str = "") -> ActionItem:
    require_office(by, meeting.unit)
    require_office(by, owner)
    if not text.strip():
        raise ValidationError("须写明事项内容")
    if deadline < meeting.held_on:
        raise ValidationError(f"办结时限 {deadline} 早于会议日期 {meeting.held_on}")
    item = ActionItem.objects.create(
        meeting=meeting, text=text.strip(), owner=owner, owner_name=owner_name.strip(), deadline=deadline
    )
    record_event(by=by, kind="action", subject=item.text, unit=owner, changes={"deadline": [None, str(deadline)]})
    return item


def require_owner(by, item: ActionItem) -> None:
    """The owner unit's staff, or the office that called the meeting, report the item done."""
    official = official_of(by)
    ids = visible_unit_ids(by) or frozenset()
    own = official is not None and official.unit_id == item.owner_id
    if not can_change(by) or not (own or (is_command_office(by) and item.meeting.unit_id in ids)):
        raise PermissionDenied("只有责任单位或召集调度会的指挥部办公室可办结该事项")


@transaction.atomic
def action_close(*, by, item: ActionItem, outcome: str, evidence: Evidence | None, closed_on: date | None = None):
    item = ActionItem.objects.select_for_update().select_related("meeting", "owner").get(pk=item.pk)
    require_owner(by, item)
    closed_on = closed_on or timezone.localdate()
    if item.status == ActionStatus.DONE:
        raise ValidationError(f"该事项已于 {item.closed_on} 办结")
    if not outcome.strip():
        raise ValidationError("须写明办理结果")
    if evidence is None:
        raise ValidationError("办结须上传佐证材料")
    if closed_on > timezone.localdate() or closed_on < item.meeting.held_on:
        raise ValidationError(f"办结日期应在会议日期 {item.meeting.held_on} 与今天之间")
    item.status, item.closed_on, item.outcome = ActionStatus.DONE, closed_on, outcome.strip()
    item.evidence, item.closed_by = evidence, by
    item.save(update_fields=["status", "closed_on", "outcome", "evidence", "closed_by"])
    record_event(by=by, kind="action_done", subject=item.text, unit=item.owner, evidence=evidence)
    return item


def overdue(on: date):
    """Open items past their deadline on the day."""
    return ActionItem.objects.filter(status=ActionStatus.OPEN, deadline__lt=on)
