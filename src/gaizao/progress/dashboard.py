"""The dashboard's and the big screen's figures, all read from the daily tallies within what the user sees.

Each function returns plain JSON-ready values: the page draws them with ECharts."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from gaizao.core.masking import mask_name
from gaizao.ledger.models import EventKind, HouseholdEvent, Tally
from gaizao.ledger.stages import Stage
from gaizao.ledger.tally import Measure
from gaizao.org.access import ALL, scope_households, scope_projects, visible_unit_ids
from gaizao.progress import funding
from gaizao.progress.actuals import Standing, standings
from gaizao.progress.selectors import target_list
from gaizao.projects.models import PipelineStage, Project

TREND = (Measure.SIGNED, Measure.VACATED, Measure.DEMOLISHED)
STAGES = (Measure.SURVEYED, Measure.SIGNED, Measure.DECIDED, Measure.VACATED, Measure.DEMOLISHED)
FEED = 30


def tallies(user):
    """The tally rows a user sees: their districts, streets and holding units."""
    ids = visible_unit_ids(user)
    if ids is ALL:
        return Tally.objects.all()
    return Tally.objects.filter(Q(district_id__in=ids) | Q(street_id__in=ids) | Q(holder__in=ids))


def _value(hundredths) -> float:
    return float(Decimal(hundredths or 0) / 100)


def in_force(user, on: date) -> list[Standing]:
    """The targets the user sees that have started by the day, as they stand: read once for the whole page."""
    return standings([t for t in target_list(fetched_by=user, on=on) if t.start <= on], on)


def targets(rows: list[Standing]) -> list[dict]:
    """Every target in force: set, done, the rates and the light; `top` marks those not split from another."""
    return [
        {
            "unit": s.target.unit.name,
            "indicator": s.target.indicator.name,
            "unit_label": s.target.indicator.unit_label,
            "target": float(s.target.value),
            "actual": float(s.actual),
            "completion": float(s.completion),
            "calendar": float(s.calendar),
            "colour": s.colour,
            "top": s.target.parent_id is None,
        }
        for s in rows
    ]


def trend(user, on: date) -> dict:
    """Cumulative households signed, vacated and demolished, day by day through the year."""
    start = date(on.year, 1, 1)
    before = dict(
        tallies(user)
        .filter(measure__in=TREND, day__lt=start)
        .values("measure")
        .annotate(n=Sum("hundredths"))
        .values_list("measure", "n")
    )
    daily = (
        tallies(user)
        .filter(measure__in=TREND, day__gte=start, day__lte=on)
        .values("day", "measure")
        .annotate(n=Sum("hundredths"))
        .values_list("day", "measure", "n")
    )
    by_day: dict[date, dict[str, int]] = defaultdict(dict)
    for day, measure, n in daily:
        by_day[day][measure] = n
    days, series = [], {m: [] for m in TREND}
    running = {m: before.get(m, 0) for m in TREND}
    day = start
    while day <= on:
        for m in TREND:
            running[m] += by_day.get(day, {}).get(m, 0)
            series[m].append(_value(running[m]))
        days.append(day.isoformat())
        day += timedelta(days=1)
    return {"days": days, "series": [{"name": Measure(m).label, "data": series[m]} for m in TREND]}


def projects(user) -> list[dict]:
    """Each project in view with its households by stage reached (from the tallies): the drill-down's first level."""
    reached: dict[int, dict[str, float]] = defaultdict(dict)
    rows = (
        tallies(user)
        .filter(measure__in=STAGES)
        .values("project_id", "measure")
        .annotate(n=Sum("hundredths"))
        .values_list("project_id", "measure", "n")
    )
    for project_id, measure, n in rows:
        reached[project_id][measure] = _value(n)
    out = []
    for project in scope_projects(Project.objects.filter(pk__in=list(reached)), user).order_by("code"):
        counts = reached[project.pk]
        out.append(
            {
                "code": project.code,
                "name": project.name,
                "stage": project.get_stage_display(),
                "counts": [counts.get(m, 0) for m in STAGES],
                "id": project.pk,
            }
        )
    return out


def streets(rows: list[Standing]) -> list[dict]:
    """Street ranking: completion of each share of the households-signed target, best first."""
    rows = [s for s in rows if s.target.parent_id and s.target.indicator.code == "households-signed"]
    rows.sort(key=lambda s: (-s.completion, s.target.unit.name))
    return [
        {"name": s.target.unit.name, "completion": float(s.completion), "colour": s.colour, "unit": s.target.unit_id}
        for s in rows
    ]


def money(user) -> dict:
    years = funding.funding_of(list(scope_projects(Project.objects.all(), user))).years
    return {
        "years": [str(y.year) for y in years],
        "planned": [float(y.planned / 10000) for y in years],
        "actual": [float(y.actual / 10000) for y in years],
    }


def signings_today(user, on: date) -> list[dict]:
    """Today's signings, newest first, names masked: the big screen's scrolling list."""
    start = timezone.make_aware(datetime.combine(on, time.min))
    events = scope_households(
        HouseholdEvent.objects.filter(kind=EventKind.STAGE, at__gte=start, at__lt=start + timedelta(days=1)),
        user,
        prefix="household__",
        own_district=True,
    )
    rows = events.select_related("household", "project").order_by("-at")[: FEED * 4]
    feed = []
    for event in rows:
        if event.changes.get("stage", [None, None])[1] != Stage.SIGNED:
            continue
        feed.append(
            {
                "at": timezone.localtime(event.at).strftime("%H:%M"),
                "project": event.project.name,
                "household": f"{event.household.number} {mask_name(event.household.owner_name)}",
            }
        )
        if len(feed) == FEED:
            break
    return feed


def countdown(user, on: date) -> dict | None:
    """The nearest end of a signing period still running: the signing reward ends with it."""
    project = (
        scope_projects(Project.objects.filter(stage=PipelineStage.SIGNING, signing_end__gte=on), user)
        .order_by("signing_end")
        .first()
    )
    if project is None:
        return None
    return {"project": project.name, "ends": project.signing_end.isoformat(), "days": (project.signing_end - on).days}


def dashboard(user, on: date) -> dict:
    rows = in_force(user, on)
    return {
        "on": on.isoformat(),
        "targets": targets(rows),
        "trend": trend(user, on),
        "projects": projects(user),
        "stages": [Measure(m).label for m in STAGES],
        "streets": streets(rows),
        "money": money(user),
    }


def screen(user, on: date) -> dict:
    return dashboard(user, on) | {"signings": signings_today(user, on), "countdown": countdown(user, on)}


def project_streets(user, project: Project) -> list[dict]:
    """The drill-down's second level: a project's households by stage reached, street by street."""
    rows = (
        tallies(user)
        .filter(project=project, measure__in=STAGES)
        .values("street_id", "street__name", "measure")
        .annotate(n=Sum("hundredths"))
        .order_by("street__path")
    )
    streets: dict[int, dict] = {}
    for row in rows:
        entry = streets.setdefault(
            row["street_id"], {"id": row["street_id"], "name": row["street__name"], "counts": {}}
        )
        entry["counts"][row["measure"]] = _value(row["n"])
    return [{**s, "counts": [s["counts"].get(m, 0) for m in STAGES]} for s in streets.values()]
