"""Computing households of a project under a standard: the command line's compute and diff, the bench."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gaizao.compensation.engine.compute import ComputeError, Result, compute
from gaizao.compensation.engine.facts import Circumstances, HouseholdFacts, choice_code
from gaizao.compensation.engine.standard import Standard
from gaizao.compensation.ledger_facts import facts_for_households
from gaizao.ledger.models import Household
from gaizao.projects.models import Project


@dataclass(frozen=True)
class WhatIf:
    """Choice, dates and flat for households without an agreement; None: the household's own choice."""

    choice: str | None = None
    signed_on: date | None = None
    vacated_on: date | None = None
    flat_area: Decimal = Decimal(0)
    flat_price: Decimal = Decimal(0)
    transition_months: int = 24

    def circumstances(self, project: Project, household_choice: str) -> Circumstances:
        return Circumstances(
            choice=choice_code(self.choice or household_choice or "money"),
            signed_on=self.signed_on or project.signing_start,
            vacated_on=self.vacated_on,
            signing_start=project.signing_start,
            signing_end=project.signing_end,
            flat_area=self.flat_area,
            flat_price=self.flat_price,
            transition_months=self.transition_months,
        )


@dataclass(frozen=True)
class Outcome:
    number: str
    result: Result | None
    error: str = ""

    @property
    def total(self) -> Decimal | None:
        return self.result.total if self.result else None


def compute_households(standard: Standard, project: Project, households, what_if: WhatIf) -> list[Outcome]:
    return [compute_one(standard, project, row, facts, what_if) for row, facts in facts_for_households(households)]


def compare(
    old: Standard | None, new: Standard, project: Project, households, what_if: WhatIf
) -> list[tuple[Outcome | None, Outcome]]:
    """Each household under the standard in force and under a new version, its facts read once."""
    return [
        (
            compute_one(old, project, row, facts, what_if) if old else None,
            compute_one(new, project, row, facts, what_if),
        )
        for row, facts in facts_for_households(households)
    ]


def compute_one(standard: Standard, project: Project, row: dict, facts: HouseholdFacts, what_if: WhatIf) -> Outcome:
    try:
        circumstances = what_if.circumstances(project, row["choice"])
        return Outcome(row["number"], compute(standard, facts, circumstances))
    except (ComputeError, ValueError) as error:
        return Outcome(row["number"], None, str(error))


def project_households(project: Project, number: str | None = None):
    households = Household.objects.filter(project=project)
    return households.filter(number=number) if number else households


def differences(old: Result | None, new: Result | None) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Line label → (old amount, new amount), for the lines whose amount changed, appeared or went."""
    before = {line.label: line.amount for line in old.lines} if old else {}
    after = {line.label: line.amount for line in new.lines} if new else {}
    return {
        label: (before.get(label), after.get(label))
        for label in dict.fromkeys([*before, *after])
        if before.get(label) != after.get(label)
    }
