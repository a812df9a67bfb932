"""Reads of the ledger. Every one takes the user and starts from the scoping layer."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gaizao.core.crypto import keyed_hash
from gaizao.ledger.models import Household, HouseholdEvent
from gaizao.org.access import get_for_user_or_404, scope_households

SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "owner": ("owner_name", "number"),
    "stage": ("stage", "number"),
    "updated": ("-updated_at", "number"),
}


@dataclass(frozen=True)
class LedgerFilters:
    project: int | None = None
    street: int | None = None
    stage: str = ""
    wish: str = ""
    hard_case: str = ""
    holder: int | None = None
    q: str = ""
    sort: str = "number"


def household_list(*, fetched_by, filters: LedgerFilters) -> QuerySet[Household]:
    qs = scope_households(Household.objects.all(), fetched_by, street=filters.street)
    if filters.project:
        qs = qs.filter(project_id=filters.project)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.wish:
        qs = qs.filter(wish="" if filters.wish == "none" else filters.wish)
    if filters.hard_case == "any":
        qs = qs.exclude(hard_case="")
    elif filters.hard_case:
        qs = qs.filter(hard_case=filters.hard_case)
    if filters.holder:
        qs = qs.filter(holder_unit_id=filters.holder)
    q = filters.q.strip()
    if q:
        digits = q[:-1].isdigit() and (q[-1].isdigit() or q[-1] in "xX")
        # ID numbers by their last four digits or whole: longer tails would let a masked number be guessed.
        if digits and len(q) in (15, 18):
            # A whole number is found by its keyed hash: the number itself never reaches the database or its log.
            condition = Q(id_hash=keyed_hash(q))
        elif digits:
            # A name never is digits: leaving it out keeps a digit search on the indexes.
            condition = Q(number=q) | Q(id_tail=q.upper()) if len(q) == 4 else Q(number=q)
        else:
            condition = Q(number=q) | Q(owner_name__startswith=q)
        qs = qs.filter(condition)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["number"]))


def household_get(*, fetched_by, pk: int) -> Household:
    qs = Household.objects.select_related("project", "street", "holder_unit", "district", "reviewed_by", "locked_by")
    return get_for_user_or_404(qs, fetched_by, pk=pk)


def household_events(*, household: Household) -> QuerySet[HouseholdEvent]:
    return household.events.select_related("by", "evidence", "batch").order_by("-at", "-id")


def evidence_event(*, fetched_by, evidence_id: int) -> HouseholdEvent:
    """An evidence file is readable by whoever may see a household it was filed for."""
    qs = HouseholdEvent.objects.select_related("evidence").filter(evidence_id=evidence_id)
    return get_for_user_or_404(qs, fetched_by, scope=lambda q, u: scope_households(q, u, prefix="household__"))
