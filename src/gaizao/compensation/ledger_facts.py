"""The ledger's households as the engine's facts, read in bulk (a project at a time) or one by one."""

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from gaizao.compensation.engine.facts import SPECIAL_GROUPS, HouseholdFacts, PropertyFacts
from gaizao.ledger.models import Household, Member, Property, Structure, Use

USE_LABELS = dict(Use.choices)
STRUCTURE_LABELS = dict(Structure.choices)
ZERO = Decimal(0)
NO_GROUPS: dict[str, int] = {}
PROPERTY_COLUMNS = (
    "household_id",
    "certified_area",
    "recognised_area",
    "unregistered_area",
    "land_area",
    "appraised_unit_price",
    "decoration_value",
    "attachments_value",
    "use",
    "structure",
    "shop_area",
)


def _property(row: tuple) -> PropertyFacts:
    _, certified, recognised, unregistered, land, price, decoration, attachments, use, structure, shop = row
    return PropertyFacts(
        certified_area=certified or ZERO,
        recognised_area=recognised or ZERO,
        unregistered_area=unregistered or ZERO,
        land_area=land or ZERO,
        unit_price=price or ZERO,
        decoration=decoration or ZERO,
        attachments=attachments or ZERO,
        use=USE_LABELS.get(use, "住宅"),
        structure=STRUCTURE_LABELS.get(structure, ""),
        shop_area=shop or ZERO,
    )


def _groups(lists) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for groups in lists:
        for code in groups or ():
            if code in SPECIAL_GROUPS:
                counts[code] += 1
    return dict(counts)


def facts_for_households(households) -> Iterator[tuple[dict, HouseholdFacts]]:
    """(household row: id, number, persons, choice, stage; its facts) for every household of the queryset.

    Properties and members are read through the households' query as a subquery, not a list of ids."""
    rows = list(households.order_by("number").values("id", "number", "persons", "choice", "stage"))
    properties: dict[int, list[PropertyFacts]] = defaultdict(list)
    in_order = Property.objects.filter(household__in=households.values("id")).order_by("household_id", "seq")
    for row in in_order.values_list(*PROPERTY_COLUMNS):
        properties[row[0]].append(_property(row))
    groups: dict[int, list] = defaultdict(list)
    members = Member.objects.filter(household__in=households.values("id")).exclude(special_groups=[])
    for household_id, special in members.values_list("household_id", "special_groups"):
        groups[household_id].append(special)
    for row in rows:
        pk = row["id"]
        yield (
            row,
            HouseholdFacts(
                persons=row["persons"] or 1,
                properties=tuple(properties[pk]) if pk in properties else (),
                groups=_groups(groups[pk]) if pk in groups else NO_GROUPS,
            ),
        )


def facts_for(household: Household) -> HouseholdFacts:
    return next(facts_for_households(Household.objects.filter(pk=household.pk)))[1]
