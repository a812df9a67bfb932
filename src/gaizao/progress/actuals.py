"""Each target's actual value at a date, from the ledger's daily tallies, and how it stands against the calendar."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db.models import Count, Sum

from gaizao.compensation.engine.expression import ExpressionError, evaluate, names, parse
from gaizao.enforcement import selectors as enforcement
from gaizao.ledger.models import Tally
from gaizao.ledger.tally import Measure
from gaizao.org.models import Unit, UnitKind
from gaizao.progress.models import Indicator, Target
from gaizao.projects.models import PipelineStage, ProjectStageChange

HUNDRED = Decimal(100)


class FormulaError(ValueError):
    pass


@cache
def _parsed(formula: str):
    return parse(formula)


# Counted from the projects' pipeline (ProjectStageChange), for a district or a city: projects reaching a stage.
PROJECT_MEASURES = {
    "projects_started": (PipelineStage.STARTED, "开工项目数"),
    "projects_topped_out": (PipelineStage.TOPPED_OUT, "封顶项目数"),
    "projects_completed": (PipelineStage.COMPLETED, "竣工项目数"),
    "projects_returned": (PipelineStage.RETURNED, "回迁项目数"),
}
NAMES = {
    **dict(Measure.choices),
    **{name: label for name, (_, label) in PROJECT_MEASURES.items()},
    **enforcement.MEASURES,  # counted from the illegal-building cases
}


def check_formula(formula: str) -> None:
    try:
        node = _parsed(formula)
    except ExpressionError as error:
        raise FormulaError(f"公式第 {error.column} 个字符处：{error.message}") from error
    unknown = sorted({n.name for n in names(node)} - set(NAMES))
    if unknown:
        allowed = "、".join(f"{m}（{label}）" for m, label in NAMES.items())
        raise FormulaError(f"公式中的“{'、'.join(unknown)}”不是台账统计项，可用：{allowed}")


def value_of(indicator: Indicator, totals: dict[str, Decimal]) -> Decimal:
    env = {measure: totals.get(measure, Decimal(0)) for measure in NAMES}
    try:
        result = evaluate(_parsed(indicator.formula), env)
    except ExpressionError:
        return Decimal(0)  # a ratio over nothing yet (a divisor of zero) is nothing done yet
    return Decimal(result).quantize(Decimal(1).scaleb(-indicator.places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Scope:
    """Where a unit's households are counted: by district, by street, or by holding unit (包户单位)."""

    column: str  # district_id, street_id, holder
    ids: frozenset[int]


def scope_of(unit: Unit) -> Scope:
    if unit.kind in (UnitKind.HEADQUARTERS, UnitKind.SUB_HEADQUARTERS):
        return scope_of(unit.jurisdiction) if unit.jurisdiction_id else Scope("street_id", frozenset())
    if unit.kind == UnitKind.DISTRICT:
        return Scope("district_id", frozenset({unit.id}))
    if unit.kind == UnitKind.CITY:
        below = Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.DISTRICT)
        return Scope("district_id", frozenset(below.values_list("id", flat=True)))
    if unit.kind in (UnitKind.STREET, UnitKind.TOWNSHIP):
        return Scope("street_id", frozenset({unit.id}))
    if unit.kind in (UnitKind.DEPARTMENT, UnitKind.TASK_FORCE, UnitKind.SUPPORT_UNIT):
        return Scope("holder", frozenset(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True)))
    return Scope("street_id", frozenset())  # communities and villages hold no households in the ledger


def measure_totals(scope: Scope, start: date, until: date, project_id: int | None = None) -> dict[str, Decimal]:
    if not scope.ids or until < start:
        return {}
    rows = Tally.objects.filter(**{f"{scope.column}__in": scope.ids}, day__gte=start, day__lte=until)
    if project_id:
        rows = rows.filter(project_id=project_id)
    totals = rows.values("measure").annotate(total=Sum("hundredths")).values_list("measure", "total")
    found = {measure: Decimal(total) / HUNDRED for measure, total in totals}
    if scope.column == "district_id":
        found |= project_totals(scope.ids, start, until, project_id)
    if project_id is None:
        found |= enforcement.totals(scope.column, scope.ids, start, until)
    return found


def project_totals(districts: frozenset[int], start: date, until: date, project_id: int | None) -> dict[str, Decimal]:
    changes = ProjectStageChange.objects.filter(district_id__in=districts, on__gte=start, on__lte=until)
    if project_id:
        changes = changes.filter(project_id=project_id)
    reached = dict(changes.values("after").annotate(n=Count("project_id", distinct=True)).values_list("after", "n"))
    return {name: Decimal(reached.get(stage, 0)) for name, (stage, _) in PROJECT_MEASURES.items()}


@dataclass(frozen=True)
class Standing:
    target: Target
    actual: Decimal
    completion: Decimal  # % of the target done
    calendar: Decimal  # % of the period gone (时序进度)
    colour: str  # green, yellow, red; grey before the period starts

    @property
    def gap(self) -> Decimal:
        return self.calendar - self.completion


def calendar_rate(start: date, end: date, on: date) -> Decimal:
    if on < start:
        return Decimal(0)
    elapsed = (min(on, end) - start).days + 1
    return _pct(Decimal(elapsed), Decimal((end - start).days + 1))


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    if whole == 0:
        return HUNDRED
    return (part * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def colour(completion: Decimal, calendar: Decimal, yellow_gap: Decimal, started: bool) -> str:
    if not started:
        return "grey"
    if completion >= calendar:
        return "green"
    return "yellow" if calendar - completion < yellow_gap else "red"


def standings(targets: list[Target], on: date) -> list[Standing]:
    """One query per distinct (scope, project, period) among the targets."""
    cached: dict[tuple, dict[str, Decimal]] = {}
    scopes: dict[int, Scope] = {}
    out = []
    for target in targets:
        until = min(on, target.end)
        if target.unit_id not in scopes:
            scopes[target.unit_id] = scope_of(target.unit)
        key = (scopes[target.unit_id], target.project_id, target.start, until)
        if key not in cached:
            cached[key] = measure_totals(key[0], target.start, until, target.project_id)
        actual = value_of(target.indicator, cached[key])
        completion = _pct(actual, target.value)
        calendar = calendar_rate(target.start, target.end, on)
        light = colour(completion, calendar, target.yellow_gap, on >= target.start)
        out.append(Standing(target, actual, completion, calendar, light))
    return out


@dataclass(frozen=True)
class SplitGap:
    target: Target
    shared: Decimal

    @property
    def difference(self) -> Decimal:
        return self.target.value - self.shared


def split_gaps(targets: list[Target]) -> list[SplitGap]:
    """Targets split among units whose shares do not add up to them (after one side was changed)."""
    shares: dict[int, Decimal] = defaultdict(Decimal)
    for share in Target.objects.filter(parent__in=targets).values_list("parent_id", "value"):
        shares[share[0]] += share[1]
    return [SplitGap(t, shares[t.id]) for t in targets if t.id in shares and shares[t.id] != t.value]
