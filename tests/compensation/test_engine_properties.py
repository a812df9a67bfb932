"""Properties of the engine over random households, against both example standards."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from hypothesis import example as hypothesis_example
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.compensation.engine.compute import compute
from gaizao.compensation.engine.facts import SPECIAL_GROUPS, Circumstances, HouseholdFacts, PropertyFacts
from gaizao.compensation.engine.standard import load
from tests.compensation.support import (
    PERIODS,
    SHANTYTOWN,
    VILLAGE,
    D,
    example,
    in_total_sum,
    source,
    with_certified_area,
)

FAST = settings(max_examples=150, deadline=None)


def hundredths(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals low … high with exactly two places, e.g. 0.00 … 300.00 ㎡."""
    return st.integers(low * 100, high * 100).map(lambda n: Decimal(n).scaleb(-2))


areas = hundredths(0, 300)
prices = hundredths(500, 30000)


@st.composite
def properties(draw) -> PropertyFacts:
    certified = draw(areas)
    recognised = draw(hundredths(0, 50))
    use = draw(st.sampled_from(["住宅", "住宅", "非住宅", "经营"]))
    return PropertyFacts(
        certified_area=certified,
        recognised_area=recognised,
        unregistered_area=recognised + draw(hundredths(0, 30)),
        land_area=draw(areas),
        unit_price=draw(prices),
        decoration=draw(hundredths(0, 200000)),
        attachments=draw(hundredths(0, 50000)),
        use=use,
        structure=draw(st.sampled_from(["框架", "砖混", "砖木", "简易", ""])),
        shop_area=draw(st.integers(0, int(certified * 100)).map(lambda n: Decimal(n).scaleb(-2)))
        if use == "住宅" and draw(st.booleans())
        else Decimal("0.00"),
    )


@st.composite
def households(draw) -> HouseholdFacts:
    persons = draw(st.integers(1, 8))
    groups = {code: draw(st.integers(0, persons)) for code in draw(st.sets(st.sampled_from(sorted(SPECIAL_GROUPS))))}
    return HouseholdFacts(
        persons=persons, properties=tuple(draw(st.lists(properties(), min_size=1, max_size=3))), groups=groups
    )


@st.composite
def circumstances(draw, name: str, choice: str | None = None) -> Circumstances:
    start, end = PERIODS[name]
    signed = start + timedelta(days=draw(st.integers(0, (end - start).days)))  # within the signing period
    after = draw(st.none() | st.integers(-5, 60))
    return Circumstances(
        choice=choice or draw(st.sampled_from(sorted(example(name).options))),
        signed_on=signed,
        vacated_on=signed + timedelta(days=after) if after is not None else None,
        signing_start=start,
        signing_end=end,
        flat_area=draw(areas),
        flat_price=draw(hundredths(1000, 20000)),
        transition_months=draw(st.integers(0, 36)),
    )


@st.composite
def cases(draw, choice: str | None = None):
    name = draw(st.sampled_from([SHANTYTOWN, VILLAGE]))
    return name, draw(households()), draw(circumstances(name, choice))


@FAST
@given(cases())
def test_the_total_is_the_sum_of_the_lines_in_the_total(case):
    name, facts, when = case
    result = compute(example(name), facts, when)
    assert result.total == in_total_sum(result)
    assert result.total == sum(line.amount for line in result.lines if line.in_total)


@FAST
@given(cases())
def test_every_amount_has_exactly_two_places(case):
    name, facts, when = case
    result = compute(example(name), facts, when)
    for line in result.lines:
        assert line.amount.as_tuple().exponent == -2, (line.name, line.amount)
        assert isinstance(line.amount, Decimal)
    assert result.total.as_tuple().exponent == -2


def shantytown_swap(flat_price: str) -> Circumstances:
    start, end = PERIODS[SHANTYTOWN]
    return Circumstances("swap", start, None, start, end, D(80), D(flat_price), 12)


@settings(max_examples=150, deadline=None)
@given(cases(), hundredths(0, 20000))
@hypothesis_example(
    (
        SHANTYTOWN,
        HouseholdFacts(persons=2, properties=(PropertyFacts(D(80), unit_price=D(8000)),)),
        shantytown_swap("6000"),
    ),
    Decimal("0.00"),  # a swap what-if before the flat's price is known
)
def test_no_amount_is_minus_zero(case, flat_price):
    name, facts, when = case
    result = compute(example(name), facts, replace(when, flat_price=flat_price))
    for line in result.lines:
        assert not (line.amount == 0 and line.amount.is_signed()), f"{line.name} shows {line.amount}"


@FAST
@given(cases(), hundredths(0, 100).filter(lambda d: d > 0))
def test_a_bigger_certified_area_never_lowers_the_house_value(case, more):
    name, facts, when = case
    first, *others = facts.properties
    bigger = replace(facts, properties=(with_certified_area(first, first.certified_area + more), *others))
    before, after = compute(example(name), facts, when), compute(example(name), bigger, when)
    assert after.amount("house_value") >= before.amount("house_value")


CROWDED_CHEAP = HouseholdFacts(persons=5, properties=(PropertyFacts(certified_area=D(40), unit_price=D(2000)),))


@settings(max_examples=200, deadline=None)
@given(households(), circumstances(SHANTYTOWN, "money"), hundredths(0, 100).filter(lambda d: d > 0))
@hypothesis_example(
    # 5 persons in 40 ㎡ at 2000 元/㎡: 40 → 50 ㎡ adds 10 × 2000 = 20000 of house value but takes
    # 10 × 3000 = 30000 of guarantee away (relocation and resettlement stay at their minimums)
    CROWDED_CHEAP,
    Circumstances("money", PERIODS[SHANTYTOWN][0], None, *PERIODS[SHANTYTOWN]),
    D(10),
)
def test_a_bigger_certified_area_never_lowers_the_shantytown_money_total(facts, when, more):
    first, *others = facts.properties
    bigger = replace(facts, properties=(with_certified_area(first, first.certified_area + more), *others))
    standard = example(SHANTYTOWN)
    before, after = compute(standard, facts, when), compute(standard, bigger, when)
    assert after.total >= before.total, (before.total, after.total)


@FAST
@given(cases())
def test_same_inputs_same_output(case):
    name, facts, when = case
    first = compute(example(name), facts, when)
    assert compute(example(name), facts, when) == first
    assert compute(load(source(name)), facts, when) == first  # a fresh load of the same text too


@FAST
@given(cases())
def test_lines_appear_only_for_the_options_they_apply_to(case):
    name, facts, when = case
    standard = example(name)
    result = compute(standard, facts, when)
    assert result.choice == when.choice
    shown = {line.name for line in result.lines}
    for line in standard.lines:
        if when.choice not in line.options:
            assert line.name not in shown, f"{line.name} is not for {when.choice}"
        elif line.when is None:
            assert line.name in shown, f"{line.name} applies to {when.choice} unconditionally"
    swap_only = {"swap_flat_same_area", "swap_guarantee_area", "swap_extra_cost", "swap_extra_market"}
    swap_only |= {"flat_within_entitlement", "flat_beyond_entitlement"}
    if when.choice != "swap":
        assert not shown & swap_only
    if when.choice != "voucher":
        assert not shown & {"money_subtotal", "voucher_bonus"}
    if when.choice != "money":
        assert not shown & {"homestead", "money_resettlement_subsidy"}
    if when.choice == "swap":
        assert "guarantee" not in shown
