"""一天一汇报、三天一总结: daily reports with the ledger's figures, and the three-day summary built from them."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from gaizao.ledger.models import Tally
from gaizao.ledger.tally import Measure
from gaizao.org.access import can_change, official_of, unit_roots
from gaizao.org.models import Unit
from gaizao.progress.actuals import scope_of
from gaizao.progress.models import DailyReport, Summary, Target
from gaizao.progress.services import record_event, require_office

SUMMARY_DAYS = 3


def units_due(day: date, within: frozenset[int] | None = None) -> list[Unit]:
    """The units that owe a report for the day: those holding a target handed down to them and in force."""
    targets = Target.objects.filter(parent__isnull=False, start__lte=day, end__gte=day)
    if within is not None:
        targets = targets.filter(unit_id__in=within)
    return list(Unit.objects.filter(pk__in=targets.values("unit_id")).order_by("path"))


def day_figures(unit: Unit, day: date) -> dict[str, str]:
    """The day's ledger figures for the unit (what happened that day), measure by measure."""
    scope = scope_of(unit)
    if not scope.ids:
        return {}
    rows = (
        Tally.objects.filter(**{f"{scope.column}__in": scope.ids}, day=day)
        .values("measure")
        .annotate(total=Sum("hundredths"))
        .values_list("measure", "total")
    )
    found = {measure: total for measure, total in rows if total}
    return {m: str(Decimal(found[m]) / 100) for m in Measure.values if m in found}


def deadline(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, settings.DAILY_REPORT_CUTOFF))


@transaction.atomic
def report_file(
    *, by, unit: Unit, day: date, problems: str = "", help_needed: str = "", plan_tomorrow: str = "", now=None
) -> DailyReport:
    """Files the unit's report for a day: once, on the day (late after the cut-off) or the day after."""
    official = official_of(by)
    if official is None or official.unit_id != unit.id or not can_change(by):
        raise PermissionDenied("日报由本单位工作人员报送")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if day > today:
        raise ValidationError(f"不能提前报送 {day} 的日报")
    if today > day + timedelta(days=1):
        raise ValidationError(f"{day} 的日报报送期已于 {day + timedelta(days=1)} 结束，不能再报送")
    existing = DailyReport.objects.filter(unit=unit, day=day).first()
    if existing:
        at = timezone.localtime(existing.filed_at)
        raise ValidationError(f"{unit.name} {day} 的日报已于 {at:%m-%d %H:%M} 报送，不能重复报送")
    try:
        with transaction.atomic():
            return DailyReport.objects.create(
                unit=unit,
                day=day,
                figures=day_figures(unit, day),
                problems=problems.strip(),
                help_needed=help_needed.strip(),
                plan_tomorrow=plan_tomorrow.strip(),
                filed_by=by,
                filed_at=now,
                late=now > deadline(day),
            )
    except IntegrityError:
        raise ValidationError(f"{unit.name} {day} 的日报已报送，不能重复报送") from None


def roll_call(day: date, within: frozenset[int] | None = None) -> list[tuple[Unit, DailyReport | None]]:
    """Every unit that owes the day's report, with its report or None (missing)."""
    reports = {r.unit_id: r for r in DailyReport.objects.filter(day=day)}
    return [(unit, reports.get(unit.id)) for unit in units_due(day, within)]


def units_under(unit: Unit) -> frozenset[int]:
    ids: set[int] = set()
    for root in unit_roots(unit):
        ids.update(Unit.objects.filter(path__startswith=root.path).values_list("id", flat=True))
    return frozenset(ids)


def _label(measure: str) -> str:
    return Measure(measure).label


def summary_text(unit: Unit, start: date, end: date) -> str:
    """The three days in plain text: the figures added up, who reported late or not at all, what they asked for."""
    lines = [f"{unit.name} {start:%m月%d日}至{end:%m月%d日}工作总结", "", "一、进展情况"]
    totals: dict[str, Decimal] = {}
    day = start
    absent: list[str] = []
    late: list[str] = []
    asks: list[str] = []
    problems: list[str] = []
    within = units_under(unit)
    while day <= end:
        for measure, value in day_figures(unit, day).items():
            totals[measure] = totals.get(measure, Decimal(0)) + Decimal(value)
        for due, report in roll_call(day, within):
            if report is None:
                absent.append(f"{due.name}（{day:%m-%d}）")
                continue
            if report.late:
                late.append(f"{due.name}（{day:%m-%d}）")
            if report.help_needed:
                asks.append(f"{due.name}：{report.help_needed}")
            if report.problems:
                problems.append(f"{due.name}：{report.problems}")
        day += timedelta(days=1)
    lines += [f"{_label(m)}：{v.normalize():f}" for m, v in sorted(totals.items())] or ["三日内台账无新增进展。"]
    lines += ["", "二、存在问题", *(problems or ["无"]), "", "三、需协调事项", *(asks or ["无"])]
    lines += ["", "四、日报报送情况", f"未报：{'、'.join(absent) or '无'}", f"迟报：{'、'.join(late) or '无'}"]
    return "\n".join(lines)


@transaction.atomic
def summary_draft(*, by, unit: Unit, end: date) -> Summary:
    """Puts the three days ending on `end` together; a second call for the same days rewrites an unpublished draft."""
    require_office(by, unit)
    start = end - timedelta(days=SUMMARY_DAYS - 1)
    existing = Summary.objects.select_for_update().filter(unit=unit, end=end).first()
    if existing and existing.published_at:
        raise ValidationError(f"{start}至{end}的总结已发布，不能重新生成")
    body = summary_text(unit, start, end)
    if existing:
        existing.body = body
        existing.save(update_fields=["body"])
        return existing
    return Summary.objects.create(unit=unit, start=start, end=end, body=body)


@transaction.atomic
def summary_publish(*, by, summary: Summary, body: str) -> Summary:
    summary = Summary.objects.select_for_update().select_related("unit").get(pk=summary.pk)
    require_office(by, summary.unit)
    if summary.published_at:
        raise ValidationError("该总结已发布")
    if not body.strip():
        raise ValidationError("总结正文不能为空")
    summary.body, summary.published_at, summary.published_by = body.strip(), timezone.now(), by
    summary.save(update_fields=["body", "published_at", "published_by"])
    record_event(by=by, kind="summary_publish", subject=str(summary), unit=summary.unit)
    return summary
