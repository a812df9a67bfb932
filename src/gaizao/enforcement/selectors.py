"""Reads of illegal-building control, each through the scoping layer: a unit sees the cases of its own places."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from gaizao.core.money import area
from gaizao.enforcement import procedure
from gaizao.enforcement.models import (
    PROCEDURE_STEPS,
    Case,
    CaseKind,
    CaseStatus,
    CaseStep,
    Creation,
    LandReuse,
    StepKind,
    SurveyComparison,
    TipOff,
)
from gaizao.enforcement.outlines import polygonal
from gaizao.org.access import get_for_user_or_404, scope_units
from gaizao.org.models import Unit, UnitKind
from gaizao.supervision.ladder import Subject
from gaizao.supervision.models import PreAcceptance

ZERO = Decimal(0)
# Measures the targets can count (progress/actuals.py): only evidenced removals count (a removal needs its photos).
MEASURES = {
    "illegal_removed_area": "拆除违建面积（㎡）",
    "illegal_removed": "拆除违建宗数",
    "illegal_new": "新增违建宗数",
}


def _scoped(qs: QuerySet, user) -> QuerySet:
    return scope_units(qs, user, "unit_id")


def case_list(*, fetched_by, status: str = "", kind: str = "", unit: int | None = None, q: str = "") -> QuerySet:
    cases = _scoped(Case.objects.select_related("unit", "village"), fetched_by)
    if status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind=kind)
    if unit:
        cases = cases.filter(Q(unit_id=unit) | Q(village_id=unit))
    if q:
        cases = cases.filter(Q(code__icontains=q) | Q(location__icontains=q) | Q(owner_name__icontains=q))
    return cases


MAP_UNLOCATED_LISTED = 200


def case_map(*, fetched_by, status: str = "", kind: str = "") -> dict:
    """The cases on the map, as compact rows (not GeoJSON features): a point per located case
    [longitude, latitude, id, status index, kind index, code] and its outline, when it has one in degrees, as
    [id, status index, kind index, [exterior ring, …]]; and the cases with no position, counted and the first listed.
    Statuses and kinds are indexes into `statuses` and `kinds`."""
    cases = case_list(fetched_by=fetched_by, status=status, kind=kind).order_by()
    statuses = {value: n for n, value in enumerate(CaseStatus.values)}
    kinds = {value: n for n, value in enumerate(CaseKind.values)}
    located = cases.filter(longitude__isnull=False, latitude__isnull=False)
    points = [
        [float(lng), float(lat), pk, statuses[s], kinds[k], code]
        for pk, code, s, k, lng, lat in located.values_list("id", "code", "status", "kind", "longitude", "latitude")
    ]
    outlines = []
    for pk, s, k, outline in located.filter(outline__isnull=False).values_list("id", "status", "kind", "outline"):
        rings = _exterior_rings(outline)
        if rings:
            outlines.append([pk, statuses[s], kinds[k], rings])
    unlocated = cases.filter(Q(longitude__isnull=True) | Q(latitude__isnull=True)).order_by("-found_on", "-id")
    return {
        "statuses": CaseStatus.labels,
        "kinds": CaseKind.labels,
        "points": points,
        "outlines": outlines,
        "unlocated_count": unlocated.count(),
        "unlocated": [
            row | {"status": CaseStatus(row["status"]).label}
            for row in unlocated.values("id", "code", "location", "status", unit_name=F("unit__name"))[
                :MAP_UNLOCATED_LISTED
            ]
        ],
    }


def _exterior_rings(outline) -> list:
    """The outer rings of a Polygon or MultiPolygon (or a Feature holding one) in degrees, to six places. An outline
    is in degrees or in metres throughout (checked when it was entered): its first point tells which."""
    geometry = polygonal(outline)
    if geometry is None:
        return []
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    try:
        rings = [[[round(p[0], 6), round(p[1], 6)] for p in polygon[0]] for polygon in polygons if polygon]
        x, y = rings[0][0]
    except (TypeError, ValueError, IndexError):
        return []
    return rings if -180 <= x <= 180 and -90 <= y <= 90 else []


def case_get(*, fetched_by, pk: int) -> Case:
    qs = Case.objects.select_related("unit", "village", "district", "created_by")
    return get_for_user_or_404(qs, fetched_by, scope=_scoped, pk=pk)


def villages_of(case: Case) -> QuerySet:
    """The villages (communities) of the case's street: where it may be placed."""
    return Unit.objects.filter(parent_id=case.unit_id, kind__in=(UnitKind.VILLAGE, UnitKind.COMMUNITY))


def steps_of(case: Case) -> list[CaseStep]:
    return list(case.steps.select_related("by__official", "evidence", "after_evidence"))


def firsts(steps: list[CaseStep]) -> dict[str, datetime]:
    """When each of the four firsts happened: the first step of each kind."""
    found: dict[str, datetime] = {}
    for step in steps:
        found.setdefault(step.kind, step.at)
    return found


def _clocks(at: dict[str, datetime]) -> procedure.Clocks | None:
    if StepKind.FOUND not in at:
        return None
    return procedure.clocks(
        at[StepKind.FOUND], at.get(StepKind.STOPPED), at.get(StepKind.DEMOLISHED), at.get(StepKind.ACCOUNTABILITY)
    )


def case_clocks(steps: list[CaseStep]) -> procedure.Clocks | None:
    return _clocks(firsts(steps))


def served(steps: Iterable[CaseStep]) -> dict[str, procedure.Served]:
    """The procedure's documents on record (steps in time order: a document served again counts from the last)."""
    return {s.kind: procedure.Served(timezone.localdate(s.at), s.deadline) for s in steps if s.kind in PROCEDURE_STEPS}


def case_checklist(case: Case, steps: list[CaseStep]) -> list[procedure.ChecklistLine]:
    return procedure.checklist(served(steps), case.removed_on if case.removal_method == "forced" else None)


def evidence_of(*, fetched_by, evidence_id: int):
    """A photo or document of a case, for whoever may see the case."""
    tipoff = TipOff.objects.filter(evidence_id=evidence_id).select_related("evidence")
    if tipoff.exists():  # the reporter's photo
        return get_for_user_or_404(tipoff, fetched_by, scope=lambda qs, u: scope_units(qs, u, "case__unit_id")).evidence
    steps = CaseStep.objects.filter(Q(evidence_id=evidence_id) | Q(after_evidence_id=evidence_id))
    step = get_for_user_or_404(
        steps.select_related("evidence", "after_evidence"), fetched_by, scope=lambda qs, u: _scoped_steps(qs, u)
    )
    return step.evidence if step.evidence_id == evidence_id else step.after_evidence


def _scoped_steps(qs: QuerySet, user) -> QuerySet:
    return scope_units(qs, user, "case__unit_id")


def unit_clocks(*, fetched_by, start: date, end: date, kind: str = CaseKind.NEW) -> list[procedure.UnitClocks]:
    """Each place's clocks over the cases found in the period, fastest first."""
    cases = case_list(fetched_by=fetched_by, kind=kind).filter(found_on__gte=start, found_on__lte=end)
    units = dict(cases.values_list("id", "unit__name"))
    at: dict[int, dict[str, datetime]] = defaultdict(dict)
    rows = CaseStep.objects.filter(case_id__in=cases.values("id")).order_by("at", "pk")
    for case_id, step, moment in rows.values_list("case_id", "kind", "at"):
        at[case_id].setdefault(step, moment)
    now = timezone.now()
    by_unit: dict[str, list[procedure.Clocks]] = defaultdict(list)
    waiting: dict[str, list[float]] = defaultdict(list)
    for case_id, unit in units.items():
        times = at.get(case_id, {})
        c = _clocks(times)
        if c is None:
            continue
        by_unit[unit].append(c)
        if c.to_removal is None:
            waiting[unit].append(round((now - times[StepKind.FOUND]).total_seconds() / 3600, 1))
    return procedure.ranked([procedure.unit_clocks(u, rows, waiting[u]) for u, rows in by_unit.items()])


def standing(*, fetched_by, year: int) -> dict:
    """The stock and the year's figures: cases by status and kind, area found and removed."""
    cases = case_list(fetched_by=fetched_by)
    by_status = dict(cases.values("status").annotate(n=Count("id")).values_list("status", "n"))
    year_cases = cases.filter(found_on__year=year)
    removed = cases.filter(removed_on__year=year, status=CaseStatus.DEMOLISHED)
    return {
        "by_status": {label: by_status.get(value, 0) for value, label in CaseStatus.choices},
        "open_stock": cases.filter(kind=CaseKind.STOCK, status__in=(CaseStatus.FOUND, CaseStatus.STOPPED)).count(),
        "new_this_year": year_cases.filter(kind=CaseKind.NEW).exclude(status=CaseStatus.DISMISSED).count(),
        "removed_this_year": removed.count(),
        "removed_area_this_year": area(removed.aggregate(s=Sum("removed_area"))["s"] or ZERO),
        "candidates": by_status.get(CaseStatus.CANDIDATE, 0),
    }


def totals(column: str, ids: frozenset[int], start: date, until: date) -> dict[str, Decimal]:
    """The measures over cases of the units in `ids` (by district or by street), for the targets' standings."""
    field = {"district_id": "district_id", "street_id": "unit_id"}.get(column)
    if field is None or not ids:
        return {}
    cases = Case.objects.filter(**{f"{field}__in": ids})
    removed = cases.filter(status=CaseStatus.DEMOLISHED, removed_on__gte=start, removed_on__lte=until).aggregate(
        n=Count("id"), area=Sum("removed_area")
    )
    new = cases.filter(kind=CaseKind.NEW, found_on__gte=start, found_on__lte=until).exclude(
        status__in=(CaseStatus.CANDIDATE, CaseStatus.DISMISSED)
    )
    return {
        "illegal_removed_area": removed["area"] or ZERO,
        "illegal_removed": Decimal(removed["n"]),
        "illegal_new": Decimal(new.count()),
    }


def overdue_cases(today: date) -> list[Subject]:
    """For the ladder (supervision/tick.py): a new illegal building is its place's failure from the day it was
    found until it is down; a case of the stock, from the day after its removal deadline."""
    open_cases = Case.objects.filter(status__in=(CaseStatus.FOUND, CaseStatus.STOPPED))
    subjects = [
        Subject("illegal_new", pk, f"新增违建 {code} {location}"[:200], unit, found_on)
        for pk, code, location, unit, found_on in open_cases.filter(kind=CaseKind.NEW, found_on__lte=today).values_list(
            "pk", "code", "location", "unit_id", "found_on"
        )
    ]
    late = open_cases.filter(kind=CaseKind.STOCK, deadline__lt=today)
    subjects += [
        Subject("illegal_late", pk, f"违建 {code} {location} 逾期未拆除"[:200], unit, deadline + timedelta(days=1))
        for pk, code, location, unit, deadline in late.values_list("pk", "code", "location", "unit_id", "deadline")
    ]
    return subjects


def survey_list(*, fetched_by) -> QuerySet:
    return _scoped(SurveyComparison.objects.select_related("unit", "by__official"), fetched_by)


def survey_get(*, fetched_by, pk: int) -> SurveyComparison:
    qs = SurveyComparison.objects.select_related("unit", "by__official")
    return get_for_user_or_404(qs, fetched_by, scope=_scoped, pk=pk)


def survey_cases(comparison: SurveyComparison) -> QuerySet:
    """The cases a comparison registered (待核实 until someone has looked), in the order of the later layer."""
    return Case.objects.filter(survey=comparison).order_by("code")


def reuse_list(*, fetched_by) -> QuerySet:
    return scope_units(LandReuse.objects.select_related("case", "unit"), fetched_by, "unit_id")


def unplanned_land(*, fetched_by) -> QuerySet:
    """Land freed by a removal with no use planned yet (拆后土地待规划)."""
    return case_list(fetched_by=fetched_by, status=CaseStatus.DEMOLISHED).filter(reuse__isnull=True)


@dataclass(frozen=True)
class CreationFigures:
    """What a "no illegal building" checklist needs, computed from the unit's cases, and what still stands in
    the way of applying for pre-acceptance."""

    open_stock: int
    new_this_year: int
    new_standing: int
    candidates: int
    removed_this_year: int
    removed_area_this_year: Decimal
    unplanned_land: int
    missing: list[str]

    @property
    def ready(self) -> bool:
        return not self.missing


def _cases_of(unit: Unit) -> QuerySet:
    if unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
        return Case.objects.filter(village=unit)
    if unit.kind == UnitKind.DISTRICT:
        return Case.objects.filter(district=unit)
    return Case.objects.filter(unit=unit)


def creation_figures(creation) -> CreationFigures:
    cases = _cases_of(creation.unit)
    standing_cases = cases.filter(status__in=(CaseStatus.FOUND, CaseStatus.STOPPED))
    year = cases.filter(found_on__year=creation.year).exclude(status__in=(CaseStatus.CANDIDATE, CaseStatus.DISMISSED))
    removed = cases.filter(status=CaseStatus.DEMOLISHED, removed_on__year=creation.year)
    figures = {
        "open_stock": standing_cases.filter(kind=CaseKind.STOCK).count(),
        "new_this_year": year.filter(kind=CaseKind.NEW).count(),
        "new_standing": standing_cases.filter(kind=CaseKind.NEW).count(),
        "candidates": cases.filter(status=CaseStatus.CANDIDATE).count(),
        "removed_this_year": removed.count(),
        "removed_area_this_year": area(removed.aggregate(s=Sum("removed_area"))["s"] or ZERO),
        "unplanned_land": cases.filter(status=CaseStatus.DEMOLISHED, reuse__isnull=True).count(),
    }
    missing = [
        message.format(n=figures[name])
        for name, message in (
            ("open_stock", "存量违建尚有 {n} 宗未拆除"),
            ("new_standing", "新增违建尚有 {n} 宗未拆除"),
            ("candidates", "图斑比对尚有 {n} 处待核实"),
            ("unplanned_land", "拆后土地尚有 {n} 处未规划利用"),
        )
        if figures[name]
    ]
    return CreationFigures(**figures, missing=missing)


@dataclass(frozen=True)
class Prefill:
    """A checklist item's score computed from the cases (由案件数据计算), and the figure it comes from."""

    score: Decimal
    figure: str


# A checklist item the cases answer, known by the words of its name (the first rule that matches): the figure, and
# how it reads. The four figures that must be zero give the item's full weight at zero and nothing otherwise; the
# removals give the share of the year's buildings that are down (removed this year, of those and the ones standing).
PREFILL_RULES = (
    (("图斑",), "candidates", "图斑比对待核实 {f.candidates} 处"),
    (("拆后", "腾出"), "unplanned_land", "拆后土地未规划利用 {f.unplanned_land} 处"),
    (("新增",), "new_standing", "今年新增违建 {f.new_this_year} 宗，新增违建未拆除 {f.new_standing} 宗"),
    (("存量",), "open_stock", "存量违建未拆除 {f.open_stock} 宗"),
    (
        ("拆除", "拆违"),
        "removed_this_year",
        "今年拆除违建 {f.removed_this_year} 宗 {f.removed_area_this_year}㎡，"
        "尚有 {standing} 宗未拆除（拆除率 {rate}%）",
    ),
)
TENTH = Decimal("0.1")


def checklist_prefill(*, checklist, unit: Unit, year: int) -> dict[str, Prefill]:
    """The scores the cases give a "no illegal building" creation's checklist items (its latest creation up to
    `year` with this checklist), by item name; empty when the unit creates nothing with it."""
    creations = Creation.objects.filter(checklist=checklist, unit=unit, year__lte=year).select_related("unit")
    creation = creations.order_by("-year").first()
    if creation is None:
        return {}
    figures = creation_figures(creation)
    found = {}
    for item in checklist.items:
        rule = next((rule for rule in PREFILL_RULES if any(word in item["name"] for word in rule[0])), None)
        if rule is not None:
            found[item["name"]] = _prefill(rule, Decimal(item["weight"]), figures)
    return found


def _prefill(rule: tuple, weight: Decimal, figures: CreationFigures) -> Prefill:
    _, name, text = rule
    standing = figures.open_stock + figures.new_standing
    if name == "removed_this_year":
        due = figures.removed_this_year + standing
        share = Decimal(figures.removed_this_year) / due if due else Decimal(1)
    else:
        share = Decimal(getattr(figures, name) == 0)
    rate = (share * 100).quantize(Decimal(1), ROUND_HALF_UP)
    figure = text.format(f=figures, standing=standing, rate=rate)
    return Prefill((weight * share).quantize(TENTH, ROUND_HALF_UP), figure)


def creation_list(*, fetched_by, year: int) -> list[tuple]:
    """Each creation of the year with its figures and where its pre-acceptance stands."""
    creations = scope_units(
        Creation.objects.filter(year=year).select_related("unit", "checklist"), fetched_by, "unit_id"
    )
    latest: dict[tuple[int, int], object] = {}
    runs = PreAcceptance.objects.filter(unit_id__in=[c.unit_id for c in creations]).order_by("held_on", "pk")
    for run in runs:
        latest[(run.checklist_id, run.unit_id)] = run
    return [(c, creation_figures(c), latest.get((c.checklist_id, c.unit_id))) for c in creations]


def creation_get(*, fetched_by, pk: int):
    return get_for_user_or_404(Creation.objects.select_related("unit"), fetched_by, scope=scope_units, pk=pk)


def monthly(*, fetched_by, year: int, today: date) -> dict:
    """For the chart: each month of the year so far, the buildings standing at its end (stock and new), the new
    ones found in it and those removed in it."""
    last = today.month if year == today.year else 12
    months = [date(year, m, 1) for m in range(1, last + 1)]
    ends = [(date(year, m + 1, 1) if m < 12 else date(year + 1, 1, 1)) - timedelta(days=1) for m in range(1, last + 1)]
    rows = case_list(fetched_by=fetched_by).exclude(status__in=(CaseStatus.CANDIDATE, CaseStatus.DISMISSED))
    rows = list(rows.values_list("kind", "found_on", "removed_on"))
    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "standing": [sum(1 for _, f, r in rows if f <= end and (r is None or r > end)) for end in ends],
        "new": [
            sum(1 for k, f, _ in rows if k == CaseKind.NEW and (f.year, f.month) == (m.year, m.month)) for m in months
        ],
        "removed": [sum(1 for _, _, r in rows if r and (r.year, r.month) == (m.year, m.month)) for m in months],
    }
