"""`gaizao tick`: each day, every overdue subject climbs the ladder of its district, by itself.

The triggers seed 000 names are built in: work not done by its deadline (milestones such as 应拆尽拆, 拆后清理,
预验收申报; supervision items; the weekly meeting's action items), rectifications not done on time, and
progress lagging behind the calendar by more than the ladder's threshold. Running it twice on a day changes
nothing the second time: a rung is climbed once per subject (a unique constraint says so too)."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from gaizao.audit import trail
from gaizao.core.bulk import insert_rows
from gaizao.enforcement.selectors import overdue_cases
from gaizao.monitors.selectors import late_reports
from gaizao.org.models import Official, Unit
from gaizao.petitions.selectors import overdue_petitions
from gaizao.progress.actuals import standings as target_standings
from gaizao.progress.models import ActionItem, ActionStatus, Target
from gaizao.progress.schedule import ScheduleError, plan
from gaizao.projects.models import Project
from gaizao.supervision.ladder import DEFAULT_RUNGS, Climb, Rung, Standing, Subject, climbs, resolved, rungs_of
from gaizao.supervision.models import (
    Escalation,
    Exemption,
    ItemStatus,
    Ladder,
    PreAcceptance,
    Rectification,
    RectificationStatus,
    SupervisionItem,
    TickRun,
)

KIND_LABELS = {
    "item": "督办事项",
    "rectification": "整改",
    "action": "调度事项",
    "milestone": "时间节点",
    "lagging": "进度滞后",
    "preacceptance": "预验收不合格",
    "illegal_new": "新增违建",
    "illegal_late": "违建逾期未拆除",
    "petition_late": "信访逾期未答复",
    "monitor_late": "监督问题逾期未整改",
}
DEFAULT_LAG_POINTS = 20


@dataclass
class TickReport:
    day: date
    subjects: int = 0
    climbed: list[Climb] = field(default_factory=list)
    resolved: int = 0
    exempt: list[str] = field(default_factory=list)


def _day_after(day: date) -> date:
    return day + timedelta(days=1)


def overdue_subjects(today: date, lag_points: dict[int, int]) -> list[Subject]:
    """Everything overdue on the day, each with its responsible unit and the day it fell overdue."""
    subjects = [
        Subject("item", pk, title, unit, _day_after(deadline))
        for pk, title, unit, deadline in SupervisionItem.objects.filter(
            status=ItemStatus.OPEN, deadline__lt=today
        ).values_list("pk", "title", "unit_id", "deadline")
    ]
    rectifications = Rectification.objects.filter(
        status__in=(RectificationStatus.OPEN, RectificationStatus.RETURNED), deadline__lt=today
    ).values_list("pk", "problem", "unit_id", "deadline")
    subjects += [Subject("rectification", pk, text[:100], unit, _day_after(d)) for pk, text, unit, d in rectifications]
    actions = ActionItem.objects.filter(status=ActionStatus.OPEN, deadline__lt=today).values_list(
        "pk", "text", "owner_id", "deadline"
    )
    subjects += [Subject("action", pk, text[:100], unit, _day_after(d)) for pk, text, unit, d in actions]
    subjects += failed_preacceptances(today)
    subjects += late_milestones(today)
    subjects += lagging_targets(today, lag_points)
    subjects += overdue_cases(today)
    subjects += overdue_petitions(today)
    subjects += late_reports(today)
    return subjects


def failed_preacceptances(today: date) -> list[Subject]:
    """A unit whose latest pre-acceptance against a checklist failed, until one passes. The subject is the pair's
    first run, so a fail after a fail climbs on (and a fail after a pass goes on from where it stood)."""
    first: dict[tuple[int, int], int] = {}
    latest: dict[tuple[int, int], tuple] = {}
    rows = PreAcceptance.objects.filter(held_on__lt=today).order_by("held_on", "pk")
    for pk, checklist, name, unit, held_on, passed in rows.values_list(
        "pk", "checklist_id", "checklist__name", "unit_id", "held_on", "passed"
    ):
        first.setdefault((checklist, unit), pk)
        latest[(checklist, unit)] = (name, held_on, passed)
    return [
        Subject("preacceptance", first[key], f"{name}预验收不合格", key[1], _day_after(held_on))
        for key, (name, held_on, passed) in latest.items()
        if not passed
    ]


def late_milestones(today: date) -> list[Subject]:
    found = []
    projects = Project.objects.filter(milestones__done_on__isnull=True, milestones__unit__isnull=False).distinct()
    for project in projects.prefetch_related("milestones__depends_on"):
        milestones = {m.pk: m for m in project.milestones.all()}
        try:
            rows = plan([m.spec() for m in milestones.values()], today)
        except ScheduleError:
            continue
        for row in rows:
            unit = milestones[row.key].unit_id
            if row.status == "late" and unit:
                found.append(
                    Subject("milestone", row.key, f"{project.name} · {row.name}", unit, _day_after(row.latest_finish))
                )
    return found


def lagging_targets(today: date, lag_points: dict[int, int]) -> list[Subject]:
    """Targets handed down to a unit and behind the calendar by more than its district's threshold."""
    shares = list(
        Target.objects.filter(parent__isnull=False, start__lte=today, end__gte=today).select_related(
            "indicator", "unit"
        )
    )
    found = []
    for s in target_standings(shares, today):
        district = s.target.unit.district_id or s.target.unit_id
        if s.gap >= lag_points.get(district, DEFAULT_LAG_POINTS):
            label = (
                f"{s.target.unit.name} {s.target.indicator.name}完成率 {s.completion}%，落后时序进度 {s.gap} 个百分点"
            )
            found.append(Subject("lagging", s.target.pk, label, s.target.unit_id, today))
    return found


def ladders() -> tuple[dict[int, list[Rung]], dict[int, int]]:
    """Each district's rungs and lag threshold (a headquarters' ladder serves the district it oversees)."""
    rungs, lag = {}, {}
    for ladder in Ladder.objects.select_related("unit", "unit__jurisdiction"):
        unit = ladder.unit.jurisdiction or ladder.unit
        district = unit.district_id or unit.pk  # a district is its own district; a city has none
        rungs[district] = rungs_of(ladder.rungs)
        lag[district] = ladder.lag_points
    return rungs, lag


def summoned_names() -> dict[int, str]:
    names: dict[int, list[str]] = defaultdict(list)
    for unit, name, title in Official.objects.order_by("pk").values_list("unit_id", "name", "title"):
        names[unit].append(f"{name}（{title}）" if title else name)
    return {unit: "、".join(people[:3]) for unit, people in names.items()}


def _trail_entries(climbed, done, today: date) -> Iterator[trail.Entry]:
    for c in climbed:
        key = f"{c.subject.kind}:{c.subject.id}:{c.rung.code}"
        data = {"subject": c.subject.label[:200], "unit_id": c.subject.unit, "rung": c.rung.code, "opened_on": today}
        yield trail.Entry("create", "supervision.escalation", key, data)
    for kind, pk in sorted(done):
        yield trail.Entry("update", "supervision.escalation", f"{kind}:{pk}", {"resolved_on": today})


def run(today: date | None = None, dry_run: bool = False) -> TickReport:
    today = today or timezone.localdate()
    with transaction.atomic():
        return _run(today, dry_run)


def _run(today: date, dry_run: bool) -> TickReport:
    rungs_by_district, lag = ladders()
    default = rungs_of(DEFAULT_RUNGS)
    subjects = overdue_subjects(today, lag)
    report = TickReport(today, subjects=len(subjects))
    district_of = {pk: district or pk for pk, district in Unit.objects.values_list("pk", "district_id")}
    exempt_rows = Exemption.objects.filter(until__gte=today).select_related("unit")
    exempt = frozenset(e.unit_id for e in exempt_rows)
    report.exempt = sorted({f"{e.unit.name}（{e.reason}，至 {e.until}）" for e in exempt_rows})
    standing: dict[tuple[str, int], Standing] = {}
    open_keys: set[tuple[str, int]] = set()
    # every rung ever climbed counts, the last one climbed standing: a subject overdue again after it was
    # resolved goes on from where it stood
    rows = Escalation.objects.order_by("opened_on", "pk").values_list(
        "subject_kind", "subject_id", "rung", "opened_on", "resolved_on"
    )
    for kind, pk, rung, opened_on, resolved_on in rows.iterator(chunk_size=10_000):
        key = (kind, pk)
        if resolved_on is None:
            open_keys.add(key)
        standing[key] = Standing(rung, opened_on)
    by_district: dict[int, list[Subject]] = defaultdict(list)
    for subject in subjects:
        by_district[district_of[subject.unit]].append(subject)
    for district, group in by_district.items():
        report.climbed += climbs(group, standing, rungs_by_district.get(district, default), exempt, today)
    done = resolved(open_keys, subjects)
    report.resolved = len(done)
    if dry_run:
        return report
    run_row = TickRun.objects.create(day=today, started_at=timezone.now())
    names = summoned_names()
    insert_rows(
        Escalation,
        [
            "subject_kind",
            "subject_id",
            "subject",
            "unit_id",
            "rung",
            "rung_name",
            "opened_on",
            "overdue_since",
            "summoned",
            "outcome",
        ],
        (
            (
                c.subject.kind,
                c.subject.id,
                c.subject.label[:200],
                c.subject.unit,
                c.rung.code,
                c.rung.name,
                today,
                c.subject.overdue_since,
                names.get(c.subject.unit, "")[:200],
                "",
            )
            for c in report.climbed
        ),
    )
    for kind in {k for k, _ in done}:
        ids = [pk for k, pk in done if k == kind]
        for start in range(0, len(ids), 900):
            Escalation.objects.filter(
                subject_kind=kind, subject_id__in=ids[start : start + 900], resolved_on__isnull=True
            ).update(resolved_on=today)
    trail.append(_trail_entries(report.climbed, done, today))
    run_row.finished_at, run_row.opened, run_row.resolved = timezone.now(), len(report.climbed), report.resolved
    run_row.save(update_fields=["finished_at", "opened", "resolved"])
    return report
