"""Reads of compensation: the standards a user may see, and a household's card under the standard in force."""

from dataclasses import dataclass

from django.db.models import QuerySet

from gaizao.compensation.engine.compute import ComputeError, Result, compute
from gaizao.compensation.engine.standard import StandardError, load
from gaizao.compensation.ledger_facts import facts_for
from gaizao.compensation.models import Agreement, Decision, Standard
from gaizao.compensation.services import standard_in_force
from gaizao.compensation.whatif import WhatIf
from gaizao.ledger.models import Household
from gaizao.org.access import get_for_user_or_404, scope_households, scope_projects
from gaizao.projects.models import Project


def standard_list(*, fetched_by) -> QuerySet[Standard]:
    projects = scope_projects(Project.objects.all(), fetched_by)
    return Standard.objects.filter(project__in=projects).select_related("project")


def standard_get(*, fetched_by, pk: int) -> Standard:
    return get_for_user_or_404(
        Standard.objects.select_related("project"),
        fetched_by,
        scope=lambda qs, user: qs.filter(project__in=scope_projects(Project.objects.all(), user)),
        pk=pk,
    )


@dataclass(frozen=True)
class Card:
    standard: Standard | None
    result: Result | None
    error: str = ""


def household_card(*, household: Household, what_if: WhatIf) -> Card:
    """The household's compensation under the standard in force, for its choice or a what-if."""
    standard = standard_in_force(household.project)
    if standard is None:
        return Card(None, None, "本项目尚未公布补偿方案")
    try:
        parsed = load(standard.source)
        circumstances = what_if.circumstances(household.project, household.choice)
        return Card(standard, compute(parsed, facts_for(household), circumstances))
    except (StandardError, ComputeError, ValueError) as error:
        return Card(standard, None, str(error))


def agreement_get(*, fetched_by, pk: int) -> Agreement:
    qs = Agreement.objects.select_related("household", "project", "standard", "drafted_by", "signed_by")
    return get_for_user_or_404(qs, fetched_by, scope=lambda q, u: scope_households(q, u, prefix="household__"), pk=pk)


def household_agreements(*, household: Household) -> QuerySet[Agreement]:
    return household.agreements.select_related("standard").order_by("-id")


def decision_get(*, fetched_by, pk: int) -> Decision:
    qs = Decision.objects.select_related("household")
    return get_for_user_or_404(qs, fetched_by, scope=lambda q, u: scope_households(q, u, prefix="household__"), pk=pk)
