from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gaizao.compensation import selectors
from gaizao.compensation.engine.compute import ComputeError, compute
from gaizao.compensation.engine.facts import CHOICES, Circumstances, HouseholdFacts, PropertyFacts
from gaizao.compensation.engine.standard import StandardError, load
from gaizao.compensation.whatif import WhatIf
from gaizao.core.money import to_capital_rmb
from gaizao.ledger.selectors import household_get

EXAMPLE_HOUSEHOLD = {
    "persons": 3,
    "area": Decimal("80.00"),
    "price": Decimal("8000.00"),
    "decoration": Decimal("30000.00"),
    "attachments": Decimal("5000.00"),
    "land": Decimal("120.00"),
    "flat_area": Decimal("90.00"),
    "flat_price": Decimal("6000.00"),
    "months": 12,
}


def worked_examples(parsed, project) -> list:
    """Every option worked through for one example household, so the office reads the standard in figures."""
    e = EXAMPLE_HOUSEHOLD
    home = PropertyFacts(
        certified_area=e["area"],
        land_area=e["land"],
        unit_price=e["price"],
        decoration=e["decoration"],
        attachments=e["attachments"],
    )
    facts = HouseholdFacts(persons=e["persons"], properties=(home,))
    start = project.signing_start or date.today()
    examples = []
    for option in sorted(parsed.options):
        when = Circumstances(
            choice=option,
            signed_on=start,
            vacated_on=start + timedelta(days=10),
            signing_start=project.signing_start,
            signing_end=project.signing_end,
            flat_area=e["flat_area"],
            flat_price=e["flat_price"],
            transition_months=e["months"],
        )
        try:
            examples.append((CHOICES[option], compute(parsed, facts, when), ""))
        except ComputeError as error:
            examples.append((CHOICES[option], None, str(error)))
    return examples


def what_if_from(request: HttpRequest) -> tuple[WhatIf, list[str]]:
    """A what-if from the query string; what cannot be read is named and left out."""
    get, problems = request.GET, []

    def day(name: str, label: str) -> date | None:
        try:
            return date.fromisoformat(get[name]) if get.get(name) else None
        except ValueError:
            problems.append(f"{label}“{get[name]}”不是日期")
            return None

    def number(name: str, label: str) -> Decimal:
        try:
            value = Decimal(get.get(name) or 0)
        except InvalidOperation:
            problems.append(f"{label}“{get[name]}”不是数值")
            return Decimal(0)
        if value < 0:
            problems.append(f"{label}不能为负数")
            return Decimal(0)
        return value

    choice = get.get("choice") if get.get("choice") in CHOICES else None
    what_if = WhatIf(
        choice=choice,
        signed_on=day("signed_on", "签约日期"),
        vacated_on=day("vacated_on", "腾空日期"),
        flat_area=number("flat_area", "安置房面积"),
        flat_price=number("flat_price", "安置房单价"),
    )
    return what_if, problems


def card_context(request: HttpRequest, household, card_url: str, standard_url=None) -> dict:
    """The compensation card (compensation/_card.html) of a household under the what-if in the query string;
    standard_url(standard) links the standard it was computed by."""
    what_if, problems = what_if_from(request)
    card = selectors.household_card(household=household, what_if=what_if)
    total = card.result.total if card.result else None
    standard_url = standard_url or (lambda s: reverse("compensation:standard_detail", args=[s.pk]))
    return {
        "household": household,
        "card": card,
        "card_url": card_url,
        "standard_url": standard_url(card.standard) if card.standard else "",
        "problems": problems,
        "total": total,
        "capital": to_capital_rmb(total) if total is not None else "",
        "choices": CHOICES.items(),
        "query": request.GET,
    }


def household_card(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(fetched_by=request.user, pk=pk)
    url = reverse("compensation:household_card", args=[household.pk])
    return render(request, "compensation/_card.html", card_context(request, household, url))


def standard_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "compensation/standard_list.html", {"standards": selectors.standard_list(fetched_by=request.user)}
    )


def standard_context(standard) -> dict:
    """What compensation/_standard_body.html shows of a standard: its lines, parameters and worked examples."""
    try:
        parsed, error = load(standard.source), ""
    except StandardError as problem:
        parsed, error = None, str(problem)
    return {
        "standard": standard,
        "parsed": parsed,
        "error": error,
        "choices": CHOICES,
        "examples": worked_examples(parsed, standard.project) if parsed else [],
        "example": EXAMPLE_HOUSEHOLD,
    }


def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(fetched_by=request.user, pk=pk)
    return render(request, "compensation/standard_detail.html", standard_context(standard))
