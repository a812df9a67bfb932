"""Shared helpers for the compensation-engine tests: the example standards, dates, households, TOML positions."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import gaizao.compensation
from gaizao.compensation.engine.compute import Result, compute
from gaizao.compensation.engine.facts import Circumstances, HouseholdFacts, PropertyFacts
from gaizao.compensation.engine.standard import Standard, load

EXAMPLES = Path(gaizao.compensation.__file__).parent / "examples"
SHANTYTOWN = "shantytown-state-land.toml"
VILLAGE = "urban-village-collective-land.toml"

# The shantytown signing period: 2026-08-01 … 2026-12-31, 153 days (its last tier ends on day 153).
SHANTYTOWN_START, SHANTYTOWN_END = date(2026, 8, 1), date(2026, 12, 31)
# The village signing period: 2026-06-01 … 2026-09-30, 122 days (its last tier ends on day 122).
VILLAGE_START, VILLAGE_END = date(2026, 6, 1), date(2026, 9, 30)
PERIODS = {SHANTYTOWN: (SHANTYTOWN_START, SHANTYTOWN_END), VILLAGE: (VILLAGE_START, VILLAGE_END)}

CJK = re.compile(r"[\u4e00-\u9fff]")


def D(text: str | int) -> Decimal:  # noqa: N802 - reads like a literal
    return Decimal(str(text))


def source(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


@cache
def example(name: str) -> Standard:
    return load(source(name))


def signing_day(name: str, day: int) -> date:
    """The date of day `day` of the example's signing period (day 1 is the first)."""
    return PERIODS[name][0] + timedelta(days=day - 1)


def when(
    name: str,
    choice: str = "money",
    day: int = 10,
    vacate_after: int | None = None,
    flat_area: str | int = 0,
    flat_price: str | int = 0,
    transition_months: int = 0,
) -> Circumstances:
    signed = signing_day(name, day)
    start, end = PERIODS[name]
    return Circumstances(
        choice=choice,
        signed_on=signed,
        vacated_on=signed + timedelta(days=vacate_after) if vacate_after is not None else None,
        signing_start=start,
        signing_end=end,
        flat_area=D(flat_area),
        flat_price=D(flat_price),
        transition_months=transition_months,
    )


def house(area: str | int, price: str | int, **more) -> PropertyFacts:
    values = {key: D(value) if key not in ("use", "structure") else value for key, value in more.items()}
    return PropertyFacts(certified_area=D(area), unit_price=D(price), **values)


def household(*properties: PropertyFacts, persons: int = 1, **groups: int) -> HouseholdFacts:
    return HouseholdFacts(persons=persons, properties=tuple(properties), groups=dict(groups))


def with_certified_area(prop: PropertyFacts, area: Decimal) -> PropertyFacts:
    """The same property with another certified area (PropertyFacts may be a dataclass or a NamedTuple)."""
    values = prop._asdict() if hasattr(prop, "_asdict") else {f.name: getattr(prop, f.name) for f in fields(prop)}
    return type(prop)(**{**values, "certified_area": area})


def run(name: str, facts: HouseholdFacts, circumstances: Circumstances) -> Result:
    return compute(example(name), facts, circumstances)


def amounts(result: Result) -> dict[str, Decimal]:
    return {line.name: line.amount for line in result.lines}


def in_total_sum(result: Result) -> Decimal:
    return sum((line.amount for line in result.lines if line.in_total), Decimal("0.00"))


# ---- positions in TOML text --------------------------------------------------------------------


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based number of the line holding the nth occurrence of needle."""
    position = -1
    for _ in range(nth + 1):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def column_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based column, within its line, of the nth occurrence of needle."""
    position = -1
    for _ in range(nth + 1):
        position = text.index(needle, position + 1)
    return position - (text.rfind("\n", 0, position) + 1) + 1
