"""Daily tallies of the ledger: households reaching each stage each day, their areas, the money paid.

Progress is read from here, never typed. A household's contribution is a pure function of its facts (the
stages it reached and when, with or without evidence; its areas; its payments). Every service that changes
those facts recounts the household: the contribution before the change is taken back and the one after is
added, in the same transaction. `rebuild()` recomputes everything from the events and must agree.

Values are kept in hundredths as integers, so sums are exact on SQLite too (counts ×100, m² ×100, yuan ×100).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Sum
from django.utils import timezone

from gaizao.ledger.models import EventKind, Household, HouseholdEvent, Property, Tally
from gaizao.ledger.stages import EVIDENCE_REQUIRED, Stage

CHUNK = 900  # under SQLite's 999 parameters per IN list


class Measure(models.TextChoices):
    SURVEYED = "surveyed", "已调查户数"
    APPRAISED = "appraised", "已评估户数"
    SIGNED = "signed", "已签约户数"
    DECIDED = "decided", "已裁决户数"
    VACATED = "vacated", "已腾空户数"
    DEMOLISHED = "demolished", "已拆除户数"
    SURVEYED_AREA = "surveyed_area", "已调查房屋面积（㎡）"
    SIGNED_AREA = "signed_area", "已签约面积（㎡）"
    DEMOLISHED_AREA = "demolished_area", "已拆除面积（㎡）"
    LAND_AREA = "land_area", "已征收土地面积（㎡）"
    PAID = "paid", "已支付补偿款（元）"


RANK = {
    Stage.UNSURVEYED: 0,
    Stage.SURVEYED: 1,
    Stage.APPRAISED: 2,
    Stage.SIGNED: 3,
    Stage.DECIDED: 3,
    Stage.VACATED: 4,
    Stage.DEMOLISHED: 5,
}
# Reaching a stage without going through it step by step (a household entered at a later stage) reaches
# the stages on the common path only: whether it was signed or decided is not known.
PATH = (Stage.SURVEYED, Stage.APPRAISED, Stage.VACATED, Stage.DEMOLISHED)


@dataclass
class Step:
    day: date
    before: str
    after: str
    evidenced: bool


@dataclass
class Facts:
    """What a household's contribution depends on."""

    project: int
    district: int
    street: int
    holder: int  # 0: not held by a unit
    first_stage: str
    created: date
    steps: list[Step] = field(default_factory=list)
    building_area: Decimal = Decimal(0)  # certified + unregistered: what is pulled down
    compensated_area: Decimal = Decimal(0)  # certified + recognised: what is signed for
    land_area: Decimal = Decimal(0)
    payments: list[tuple[date, Decimal]] = field(default_factory=list)


Key = tuple[int, int, int, int, date, str]  # project, district, street, holder, day, measure


def reached(facts: Facts) -> dict[str, date]:
    """The day each stage was reached and still holds (a voided signing takes its stage back)."""
    days: dict[str, date] = {}
    if RANK[facts.first_stage] >= RANK[Stage.SURVEYED]:
        for stage in PATH:
            if RANK[stage] < RANK[facts.first_stage]:
                days[stage] = facts.created
        days[facts.first_stage] = facts.created
    for step in facts.steps:
        if RANK[step.after] <= RANK[step.before]:
            days = {stage: day for stage, day in days.items() if RANK[stage] <= RANK[step.after]}
        elif step.evidenced or step.after not in EVIDENCE_REQUIRED:
            days[step.after] = step.day
        # else: quality, not just quantity: a step without its evidence does not count
    return days


def contribution(facts: Facts) -> dict[Key, int]:
    days = reached(facts)
    out: dict[Key, int] = defaultdict(int)
    base = (facts.project, facts.district, facts.street, facts.holder)

    def add(stage: str, measure: str, value: Decimal) -> None:
        if stage in days and value:
            out[(*base, days[stage], measure)] += int(value * 100)

    for stage in (Stage.SURVEYED, Stage.APPRAISED, Stage.SIGNED, Stage.DECIDED, Stage.VACATED, Stage.DEMOLISHED):
        add(stage, stage, Decimal(1))
    add(Stage.SURVEYED, Measure.SURVEYED_AREA, facts.building_area)
    add(Stage.SIGNED, Measure.SIGNED_AREA, facts.compensated_area)
    add(Stage.DEMOLISHED, Measure.DEMOLISHED_AREA, facts.building_area)
    add(Stage.SIGNED, Measure.LAND_AREA, facts.land_area)
    add(Stage.DECIDED, Measure.LAND_AREA, facts.land_area)
    for day, amount in facts.payments:
        out[(*base, day, Measure.PAID)] += int(amount * 100)
    return {key: value for key, value in out.items() if value}


# ---- reading the facts ------------------------------------------------------------------------------
def _day(moment) -> date:
    return timezone.localdate(moment)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def facts_of(household_ids: Iterable[int]) -> dict[int, Facts]:
    ids = sorted(set(household_ids))
    found: dict[int, Facts] = {}
    for chunk in _chunks(ids):
        found.update(_facts(chunk))
    return found


def _facts(ids: list[int]) -> dict[int, Facts]:
    rows = Household.objects.filter(pk__in=ids).values_list(
        "id", "project_id", "district_id", "street_id", "holder_unit_id", "stage", "created_at"
    )
    found = {
        pk: Facts(project, district, street, holder or 0, stage, _day(created))
        for pk, project, district, street, holder, stage, created in rows
    }
    if not found:
        return found
    in_ids = {"household_id__in": ids}
    events = (
        HouseholdEvent.objects.filter(**in_ids, kind__in=(EventKind.STAGE, EventKind.AGREEMENT))
        .order_by("at", "id")
        .values_list("household_id", "at", "changes", "evidence_id")
    )
    for pk, at, changes, evidence in events.iterator(chunk_size=5000):
        if "stage" in changes and pk in found:
            before, after = changes["stage"]
            found[pk].steps.append(Step(_day(at), before, after, evidence is not None))
    for facts in found.values():
        if facts.steps:
            facts.first_stage = facts.steps[0].before
    areas = (
        Property.objects.filter(**in_ids)
        .values("household_id")
        .annotate(
            certified=Sum("certified_area"),
            unregistered=Sum("unregistered_area"),
            recognised=Sum("recognised_area"),
            land=Sum("land_area"),
        )
    )
    for row in areas.iterator(chunk_size=5000):
        facts = found.get(row["household_id"])
        if facts is None:
            continue
        certified = _decimal(row["certified"])
        facts.building_area = certified + _decimal(row["unregistered"])
        facts.compensated_area = certified + _decimal(row["recognised"])
        facts.land_area = _decimal(row["land"])
    payment = apps.get_model("compensation", "Payment")
    for pk, day, amount in payment.objects.filter(**in_ids).values_list("household_id", "paid_on", "amount"):
        if pk in found:
            found[pk].payments.append((day, amount))
    return found


def _decimal(value) -> Decimal:
    # SQLite sums decimals as floats: back to two places
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else Decimal(0)


def contributions(facts: Iterable[Facts]) -> dict[Key, int]:
    total: dict[Key, int] = defaultdict(int)
    for one in facts:
        for key, value in contribution(one).items():
            total[key] += value
    return total


# ---- writing -----------------------------------------------------------------------------------------
def apply(delta: dict[Key, int]) -> None:
    rows = [(*key, value) for key, value in delta.items() if value]
    if not rows:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    sql = (
        f"INSERT INTO {table} (project_id, district_id, street_id, holder, day, measure, hundredths) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (project_id, street_id, holder, day, measure) "
        f"DO UPDATE SET hundredths = {table}.hundredths + excluded.hundredths"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def difference(after: dict[Key, int], before: dict[Key, int]) -> dict[Key, int]:
    delta = dict(after)
    for key, value in before.items():
        delta[key] = delta.get(key, 0) - value
    return {key: value for key, value in delta.items() if value}


@contextmanager
def recounted(household_ids: Iterable[int]):
    """Wrap a change to these households: their tallies follow it in the same transaction."""
    ids = list(household_ids)
    with transaction.atomic():
        before = contributions(facts_of(ids).values())
        yield
        apply(difference(contributions(facts_of(ids).values()), before))


def count_new(household_ids: Iterable[int]) -> None:
    """Households just created: nothing to take back."""
    apply(contributions(facts_of(household_ids).values()))


def count_surveyed(*, project: int, district: int, day: date, households: Iterable[tuple[int, int, Decimal]]) -> None:
    """Households just entered surveyed, from the values in hand: (street, holder or 0, building area) each.

    What `contribution()` gives such a household (a count and its area, on the day), added up without
    reading 100,000 households back; the import's tests check it against a recount."""
    delta: dict[Key, int] = defaultdict(int)
    for street, holder, area in households:
        base = (project, district, street, holder, day)
        delta[(*base, Measure.SURVEYED.value)] += 100
        delta[(*base, Measure.SURVEYED_AREA.value)] += int(area * 100)
    apply(delta)


def recount(project_ids: Iterable[int] | None = None) -> dict[Key, int]:
    """The tallies as the events say they should be (all projects, or some)."""
    households = Household.objects.order_by("pk")
    if project_ids is not None:
        households = households.filter(project_id__in=list(project_ids))
    total: dict[Key, int] = defaultdict(int)
    for chunk in _chunks(list(households.values_list("pk", flat=True))):
        for key, value in contributions(facts_of(chunk).values()).items():
            total[key] += value
    return total


def stored(project_ids: Iterable[int] | None = None) -> dict[Key, int]:
    tallies = Tally.objects.exclude(hundredths=0)
    if project_ids is not None:
        tallies = tallies.filter(project_id__in=list(project_ids))
    rows = tallies.values_list("project_id", "district_id", "street_id", "holder", "day", "measure", "hundredths")
    return {tuple(row[:6]): row[6] for row in rows}


def drift(project_ids: Iterable[int] | None = None) -> dict[Key, int]:
    """What the stored tallies lack against a recount from the events (empty when they agree)."""
    return difference(recount(project_ids), stored(project_ids))


@transaction.atomic
def rebuild(project_ids: Iterable[int] | None = None) -> int:
    """Replace the stored tallies by a recount; returns the rows written."""
    ids = None if project_ids is None else list(project_ids)
    expected = recount(ids)
    (Tally.objects.all() if ids is None else Tally.objects.filter(project_id__in=ids)).delete()
    apply(expected)
    return len(expected)
