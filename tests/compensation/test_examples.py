"""Households worked through by hand against the two example standards, every figure written out.

Shantytown (state land): signing period 2026-08-01 … 2026-12-31 (day 1 … 153).
Village (collective land): signing period 2026-06-01 … 2026-09-30 (day 1 … 122).
"""

from __future__ import annotations

import pytest

from gaizao.compensation.engine.compute import ComputeError, Result
from tests.compensation.support import (
    CJK,
    SHANTYTOWN,
    VILLAGE,
    D,
    amounts,
    house,
    household,
    in_total_sum,
    run,
    when,
)

S, V = SHANTYTOWN, VILLAGE
ABSENT = None


def check(result: Result, total: str, **lines: str | None) -> None:
    """The total is the sum of the in-total lines; each named line has exactly the amount given (or is absent)."""
    shown = amounts(result)
    assert result.total == in_total_sum(result)
    for name, amount in lines.items():
        if amount is ABSENT:
            assert name not in shown, f"{name} should not appear"
        else:
            assert name in shown, f"{name} should appear"
            assert str(shown[name]) == amount, f"{name}: {shown[name]} ≠ {amount}"
    assert str(result.total) == total


def names(result: Result) -> set[str]:
    return {line.name for line in result.lines}


def note(result: Result, name: str) -> str:
    return next(line.note for line in result.lines if line.name == name)


# ==== shantytown, state land ===================================================================

# A plain household: one home, 80 ㎡ certified at 8000 元/㎡, decoration 30000, attachments 5000, 3 persons;
# signs on day 10 and vacates 10 days later.
PLAIN = household(house(80, 8000, decoration=30000, attachments=5000), persons=3)


def test_shantytown_plain_household_money():
    result = run(S, PLAIN, when(S, "money", day=10, vacate_after=10))
    check(
        result,
        "719960.00",
        house_value="640000.00",  # 80 ㎡ × 8000 = 640000.00
        decoration_value="30000.00",
        attachments_value="5000.00",
        guarantee=ABSENT,  # 3 persons × 15 = 45 ㎡ < 80 ㎡: not crowded
        relocation="1200.00",  # 80 × 15 × 1 = 1200 ≥ 1000
        temporary_resettlement="5760.00",  # 80 × 12 × 6 months = 5760 ≥ 800 × 6 = 4800
        business_loss=ABSENT,
        signing_reward="30000.00",  # day 10 is in 1–15
        early_move_reward="8000.00",  # vacated within 30 days: 80 × 100 = 8000 ≥ 5000
        special_groups=ABSENT,
        money_subtotal=ABSENT,
        voucher_bonus=ABSENT,
    )
    # 640000 + 30000 + 5000 + 1200 + 5760 + 30000 + 8000 = 719960.00
    assert names(result) == {
        "house_value",
        "decoration_value",
        "attachments_value",
        "relocation",
        "temporary_resettlement",
        "signing_reward",
        "early_move_reward",
    }


def test_shantytown_plain_household_swap_within_the_cost_band():
    # flat 90 ㎡ at 6000 元/㎡, 18 months' transition
    result = run(
        S, PLAIN, when(S, "swap", day=10, vacate_after=10, flat_area=90, flat_price=6000, transition_months=18)
    )
    check(
        result,
        "210680.00",
        house_value="640000.00",  # 80 × 8000
        swap_flat_same_area="-480000.00",  # −min(90, 80) × 6000
        swap_guarantee_area=ABSENT,  # not crowded
        swap_extra_cost="-42000.00",  # entitlement max(80, 3 × 15) = 80; −min(90 − 80, 10) × 4200 = −42000
        swap_extra_market="0.00",  # −max(90 − 80 − 10, 0) × 8800 = 0
        relocation="2400.00",  # 80 × 15 × 2 moves = 2400 ≥ 2000
        temporary_resettlement="17280.00",  # 80 × 12 × 18 = 17280 ≥ 800 × 18 = 14400
        guarantee=ABSENT,
        signing_reward="30000.00",
        early_move_reward="8000.00",
    )
    # 640000 + 30000 + 5000 − 480000 − 42000 + 0 + 2400 + 17280 + 30000 + 8000 = 210680.00


def test_shantytown_swap_for_a_flat_beyond_the_cost_band():
    # flat 105 ㎡ at 6000, 12 months: 25 ㎡ over the 80 ㎡ entitlement, 10 at cost price and 15 at market price
    result = run(
        S, PLAIN, when(S, "swap", day=10, vacate_after=10, flat_area=105, flat_price=6000, transition_months=12)
    )
    check(
        result,
        "72920.00",
        swap_flat_same_area="-480000.00",  # −80 × 6000
        swap_extra_cost="-42000.00",  # −10 × 4200
        swap_extra_market="-132000.00",  # −(105 − 80 − 10) × 8800 = −15 × 8800
        relocation="2400.00",
        temporary_resettlement="11520.00",  # 80 × 12 × 12 = 11520 ≥ 9600
    )
    # 640000 + 35000 − 480000 − 42000 − 132000 + 2400 + 11520 + 30000 + 8000 = 72920.00


def test_shantytown_swap_for_a_flat_smaller_than_the_house():
    # flat 70 ㎡ at 6000: the household pays for 70 ㎡ only, nothing extra
    result = run(S, PLAIN, when(S, "swap", day=10, flat_area=70, flat_price=6000, transition_months=12))
    check(
        result,
        "298920.00",
        swap_flat_same_area="-420000.00",  # −min(70, 80) × 6000
        swap_extra_cost="0.00",  # −min(max(70 − 80, 0), 10) × 4200
        swap_extra_market="0.00",
        early_move_reward=ABSENT,  # not vacated
    )
    # 640000 + 30000 + 5000 − 420000 + 2400 + 11520 + 30000 = 298920.00


def test_shantytown_plain_household_voucher():
    result = run(S, PLAIN, when(S, "voucher", day=10, vacate_after=10))
    check(
        result,
        "773960.00",
        money_subtotal="675000.00",  # 640000 + 30000 + 5000 + guarantee 0, not in the total
        voucher_bonus="54000.00",  # 675000 × 0.08
        relocation="1200.00",
        temporary_resettlement="5760.00",  # vouchers get the 6 months like money
        swap_flat_same_area=ABSENT,
    )
    # 640000 + 30000 + 5000 + 54000 + 1200 + 5760 + 30000 + 8000 = 773960.00
    subtotal = next(line for line in result.lines if line.name == "money_subtotal")
    assert subtotal.in_total is False


# A crowded household: 5 persons in 40.50 ㎡ at 7500 元/㎡; signs on day 20, has not vacated.
CROWDED = household(house("40.50", 7500), persons=5)


def test_shantytown_crowded_household_money_gets_the_guarantee_and_the_minimums():
    result = run(S, CROWDED, when(S, "money", day=20))
    check(
        result,
        "475800.00",
        house_value="303750.00",  # 40.5 × 7500
        decoration_value="0.00",
        attachments_value="0.00",
        guarantee="146250.00",  # floor 5 persons × 15 ㎡ × 6000 = 450000 > 303750: 450000 − 303750
        relocation="1000.00",  # 40.5 × 15 = 607.50 < 1000: the minimum
        temporary_resettlement="4800.00",  # 40.5 × 12 × 6 = 2916 < 800 × 6 = 4800: the minimum
        signing_reward="20000.00",  # day 20 is in 16–30
        early_move_reward=ABSENT,
    )
    # 303750 + 146250 + 1000 + 4800 + 20000 = 475800.00
    assert "最低" in note(result, "relocation")
    assert "最低" in note(result, "temporary_resettlement")
    assert note(result, "house_value") == ""


def test_shantytown_crowded_household_voucher_counts_the_guarantee_in_the_voucher():
    result = run(S, CROWDED, when(S, "voucher", day=20))
    check(
        result,
        "511800.00",
        guarantee="146250.00",
        money_subtotal="450000.00",  # 303750 + 0 + 0 + 146250
        voucher_bonus="36000.00",  # 450000 × 0.08
    )
    # 303750 + 146250 + 36000 + 1000 + 4800 + 20000 = 511800.00


def test_shantytown_crowded_household_swap_gets_the_guarantee_area_free():
    # flat 80 ㎡ at 6000, 24 months; entitlement max(40.5, 75) = 75 ㎡
    result = run(S, CROWDED, when(S, "swap", day=20, flat_area=80, flat_price=6000, transition_months=24))
    check(
        result,
        "80950.00",
        guarantee=ABSENT,  # money and voucher only
        swap_flat_same_area="-243000.00",  # −min(80, 40.5) × 6000
        swap_guarantee_area="0.00",  # 40.5 → 75 ㎡ free of charge
        swap_extra_cost="-21000.00",  # −min(80 − 75, 10) × 4200 = −5 × 4200
        swap_extra_market="0.00",
        relocation="2000.00",  # 40.5 × 15 × 2 = 1215 < 1000 × 2
        temporary_resettlement="19200.00",  # 40.5 × 12 × 24 = 11664 < 800 × 24 = 19200
    )
    # 303750 − 243000 − 21000 + 2000 + 19200 + 20000 = 80950.00


def test_shantytown_crowded_household_swap_into_the_market_band_pays_more_than_it_gets():
    # flat 95 ㎡ at 6000: 20 ㎡ over the 75 ㎡ entitlement
    result = run(S, CROWDED, when(S, "swap", day=20, flat_area=95, flat_price=6000, transition_months=24))
    check(
        result,
        "-28050.00",
        swap_flat_same_area="-243000.00",
        swap_extra_cost="-42000.00",  # −10 × 4200
        swap_extra_market="-88000.00",  # −(95 − 75 − 10) × 8800
    )
    # 303750 − 243000 − 42000 − 88000 + 2000 + 19200 + 20000 = −28050.00: the household pays


# A household with a shop: home 60 ㎡ and shop (经营) 20 ㎡, both 8000 元/㎡; 2 persons; signs on day 40.
BUSINESS = household(house(60, 8000), house(20, 8000, use="经营"), persons=2)


def test_shantytown_business_property_money():
    result = run(S, BUSINESS, when(S, "money", day=40))
    check(
        result,
        "664960.00",
        house_value="640000.00",  # 60 × 8000 + 20 × 8000
        business_loss="8000.00",  # 20 ㎡ × 8000 × 5% = 8000
        relocation="1200.00",  # 80 × 15
        temporary_resettlement="5760.00",  # 80 × 12 × 6
        signing_reward="10000.00",  # day 40 is in 31–153
        guarantee=ABSENT,
    )
    # 640000 + 8000 + 1200 + 5760 + 10000 = 664960.00


def test_shantytown_business_property_swap():
    result = run(S, BUSINESS, when(S, "swap", day=40, flat_area=80, flat_price=6000, transition_months=12))
    check(
        result,
        "191920.00",
        swap_flat_same_area="-480000.00",  # −80 × 6000
        swap_extra_cost="0.00",
        business_loss="8000.00",
        relocation="2400.00",  # 80 × 15 × 2
        temporary_resettlement="11520.00",  # 80 × 12 × 12
    )
    # 640000 − 480000 + 8000 + 2400 + 11520 + 10000 = 191920.00


def test_shantytown_business_property_voucher():
    result = run(S, BUSINESS, when(S, "voucher", day=40))
    check(result, "716160.00", money_subtotal="640000.00", voucher_bonus="51200.00", business_loss="8000.00")
    # 640000 × 0.08 = 51200; 640000 + 51200 + 8000 + 1200 + 5760 + 10000 = 716160.00


def test_shantytown_business_loss_is_five_percent_of_the_business_house_value():
    # The rule: "经营用房按房屋价值的5%补偿". Home 60 ㎡ at 8000, shop 20 ㎡ at 15000:
    # the shop's value is 20 × 15000 = 300000, 5% of it 15000.00 — not 5% of 20 ㎡ at the average price
    # (60 × 8000 + 20 × 15000) / 80 = 9750, which would give 9750.00.
    facts = household(house(60, 8000), house(20, 15000, use="经营"), persons=2)
    result = run(S, facts, when(S, "money", day=40))
    assert str(result.amount("house_value")) == "780000.00"  # 480000 + 300000
    assert str(result.amount("business_loss")) == "15000.00"


# 住改商: a home of 100 ㎡ at 9000 of which 30 ㎡ is used as a shop; 3 persons; signs on day 1.
SHOP = household(house(100, 9000, shop_area=30), persons=3)


def test_shantytown_home_used_as_a_shop_money():
    result = run(S, SHOP, when(S, "money", day=1))
    check(
        result,
        "942750.00",
        house_value="900000.00",  # 100 × 9000
        business_loss="4050.00",  # (0 + 30 × 0.3) × 9000 × 5% = 9 × 450
        relocation="1500.00",  # 100 × 15
        temporary_resettlement="7200.00",  # 100 × 12 × 6
        signing_reward="30000.00",
    )
    # 900000 + 4050 + 1500 + 7200 + 30000 = 942750.00


def test_shantytown_home_used_as_a_shop_swap():
    result = run(S, SHOP, when(S, "swap", day=1, flat_area=100, flat_price=7000, transition_months=6))
    check(
        result,
        "244250.00",
        swap_flat_same_area="-700000.00",  # −100 × 7000
        business_loss="4050.00",
        relocation="3000.00",  # 100 × 15 × 2
        temporary_resettlement="7200.00",  # 100 × 12 × 6
    )
    # 900000 − 700000 + 4050 + 3000 + 7200 + 30000 = 244250.00


def test_shantytown_home_used_as_a_shop_voucher():
    result = run(S, SHOP, when(S, "voucher", day=1))
    check(result, "1014750.00", money_subtotal="900000.00", voucher_bonus="72000.00", business_loss="4050.00")
    # 900000 × 0.08 = 72000; 900000 + 72000 + 4050 + 1500 + 7200 + 30000 = 1014750.00


# Special groups: 4 persons of whom 2 on 低保, and a 失独 family; 70 ㎡ at 6000; signs on day 16.
SPECIAL = household(house(70, 6000), persons=4, dibao=2, lost_only_child=1)


def test_shantytown_special_groups_money():
    result = run(S, SPECIAL, when(S, "money", day=16))
    check(
        result,
        "476090.00",
        house_value="420000.00",  # 70 × 6000
        guarantee=ABSENT,  # 4 × 15 = 60 < 70
        special_groups="30000.00",  # 2 × 5000 + 20000 (失独)
        relocation="1050.00",  # 70 × 15
        temporary_resettlement="5040.00",  # 70 × 12 × 6
        signing_reward="20000.00",  # day 16
    )
    # 420000 + 30000 + 1050 + 5040 + 20000 = 476090.00


def test_shantytown_special_groups_swap():
    result = run(S, SPECIAL, when(S, "swap", day=16, flat_area=70, flat_price=6000, transition_months=10))
    check(
        result,
        "60500.00",
        swap_flat_same_area="-420000.00",  # −70 × 6000
        special_groups="30000.00",
        relocation="2100.00",  # 70 × 15 × 2
        temporary_resettlement="8400.00",  # 70 × 12 × 10 = 8400 ≥ 800 × 10 = 8000
    )
    # 420000 − 420000 + 30000 + 2100 + 8400 + 20000 = 60500.00


def test_shantytown_special_groups_voucher():
    result = run(S, SPECIAL, when(S, "voucher", day=16))
    check(result, "509690.00", special_groups="30000.00", money_subtotal="420000.00", voucher_bonus="33600.00")
    # 420000 × 0.08 = 33600; 420000 + 33600 + 30000 + 1050 + 5040 + 20000 = 509690.00


@pytest.mark.parametrize(
    "groups, amount",
    [
        ({"dibao": 2}, "10000.00"),  # 2 × 5000
        ({"lost_only_child": 1}, "20000.00"),
        ({"disabled": 1, "critical": 2}, "21000.00"),  # 5000 + 2 × 8000
        ({"critical": 1, "martyr": 1}, "28000.00"),  # 8000 + 20000
        ({"lost_only_child": 1, "martyr": 1}, "40000.00"),  # 20000 + 20000, each per household
        ({}, ABSENT),
    ],
)
def test_shantytown_special_group_amounts(groups, amount):
    result = run(S, household(house(70, 6000), persons=4, **groups), when(S, "money", day=16))
    check(result, str(result.total), special_groups=amount)


@pytest.mark.parametrize(
    "day, reward",
    [(1, "30000.00"), (15, "30000.00"), (16, "20000.00"), (30, "20000.00"), (31, "10000.00"), (153, "10000.00")],
)
@pytest.mark.parametrize("choice", ["money", "swap", "voucher"])
def test_shantytown_signing_reward_by_day(day, reward, choice):
    result = run(S, PLAIN, when(S, choice, day=day, flat_area=80, flat_price=6000, transition_months=12))
    check(result, str(result.total), signing_reward=reward)


@pytest.mark.parametrize("day", [154, 200, 0, -5])
def test_shantytown_signing_outside_every_tier_is_refused_naming_the_tiers(day):
    with pytest.raises(ComputeError) as caught:
        run(S, PLAIN, when(S, "money", day=day))
    message = str(caught.value)
    assert CJK.search(message)
    for tier in ("1–15", "16–30", "31–153"):
        assert tier in message
    assert str(day) in message
    assert caught.value.line is not None and caught.value.line.name == "signing_reward"


@pytest.mark.parametrize(
    "area, after, reward",
    [
        ("30", 5, "5000.00"),  # 30 × 100 = 3000 < 5000: the minimum
        ("50", 1, "5000.00"),  # 50 × 100 = 5000
        ("80", 30, "8000.00"),  # day 30 still counts
        ("80", 31, ABSENT),  # too late
        ("80", -2, ABSENT),  # a vacating date before signing is not an early move
        ("80", None, ABSENT),  # not vacated
    ],
)
def test_shantytown_early_vacating(area, after, reward):
    result = run(S, household(house(area, 8000), persons=2), when(S, "money", day=10, vacate_after=after))
    check(result, str(result.total), early_move_reward=reward)
    if area == "30":
        assert "最低" in note(result, "early_move_reward")


def test_shantytown_vacating_on_the_day_of_signing_is_within_30_days():
    # "签约后30日内腾空交房的" — vacating the same day as signing is within the 30 days: 80 × 100 = 8000
    result = run(S, household(house(80, 8000), persons=2), when(S, "money", day=10, vacate_after=0))
    check(result, str(result.total), early_move_reward="8000.00")


def test_shantytown_relocation_and_resettlement_minimums_for_a_tiny_home():
    # 10 ㎡ at 8000, one person, money: 10 × 15 = 150 → 1000; 10 × 12 × 6 = 720 → 4800;
    # value 80000 < floor 1 × 15 × 6000 = 90000 → the guarantee tops it up
    result = run(S, household(house(10, 8000), persons=1), when(S, "money", day=31))
    check(
        result,
        "105800.00",
        house_value="80000.00",  # 10 × 8000
        guarantee="10000.00",  # 90000 − 80000
        relocation="1000.00",
        temporary_resettlement="4800.00",
        signing_reward="10000.00",
    )
    # 80000 + 10000 + 1000 + 4800 + 10000 = 105800.00


def test_shantytown_swap_without_transition_has_no_resettlement_to_pay():
    # moving straight into the flat: 0 months, 80 × 12 × 0 = 0, minimum 800 × 0 = 0
    result = run(S, PLAIN, when(S, "swap", day=10, flat_area=80, flat_price=6000, transition_months=0))
    check(result, str(result.total), temporary_resettlement="0.00")


def test_no_line_shows_minus_zero():
    # a swap what-if before the flat's price is known: −80 × 0 must read 0.00, not −0.00
    result = run(S, PLAIN, when(S, "swap", day=10, flat_area=80, flat_price=0, transition_months=12))
    for line in result.lines:
        assert not str(line.amount).startswith("-0.00"), f"{line.name} shows {line.amount}"


def test_the_lines_show_their_formula_inputs_and_rule():
    result = run(S, CROWDED, when(S, "money", day=20))
    guarantee = next(line for line in result.lines if line.name == "guarantee")
    assert guarantee.formula == "persons * guarantee_per_person * guarantee_price - house_value"
    assert guarantee.inputs == {
        "persons": D(5),
        "guarantee_per_person": D(15),
        "guarantee_price": D(6000),
        "house_value": D("303750.00"),
    }
    assert "15㎡" in guarantee.rule
    reward = next(line for line in result.lines if line.name == "signing_reward")
    assert reward.formula == "20000"
    assert reward.inputs == {"signing_day": 20}


# ==== village, collective land =================================================================

# A plain village household: 120 ㎡ at a replacement price of 3500, homestead 200 ㎡, decoration 20000,
# attachments 8000; 4 persons; signs on day 5.
VILLAGE_PLAIN = household(house(120, 3500, land_area=200, decoration=20000, attachments=8000), persons=4)


def test_village_plain_household_money():
    result = run(V, VILLAGE_PLAIN, when(V, "money", day=5))
    check(
        result,
        "1111739.96",
        house_value="420000.00",  # 120 × 3500
        decoration_value="20000.00",
        attachments_value="8000.00",
        homestead="180000.00",  # 200 ㎡ × 900
        land_compensation="8639.96",  # 200 ÷ 666.67 = 0.29999850… 亩 × 96000 × 0.3 = 8639.9568…
        money_resettlement_subsidy="320000.00",  # 4 × 40 × 2000
        flat_within_entitlement=ABSENT,
        flat_beyond_entitlement=ABSENT,
        social_security_fee="120000.00",  # 4 × 30000
        relocation="1500.00",  # 120 × 12 = 1440 < 1500
        temporary_resettlement="9600.00",  # 4 × 400 × 6 = 9600 ≥ 1200 × 6 = 7200
        signing_reward="24000.00",  # day 5 is in 1–20: 120 × 200 = 24000 ≤ 40000
        special_groups=ABSENT,
    )
    # 420000 + 20000 + 8000 + 180000 + 8639.96 + 320000 + 120000 + 1500 + 9600 + 24000 = 1111739.96


def test_village_plain_household_swap_beyond_the_entitlement():
    # flat 180 ㎡; entitlement 4 × 40 = 160 ㎡; 24 months' transition
    result = run(V, VILLAGE_PLAIN, when(V, "swap", day=5, flat_area=180, flat_price=5000, transition_months=24))
    check(
        result,
        "70039.96",
        homestead=ABSENT,  # the homestead goes with the flat
        money_resettlement_subsidy=ABSENT,
        land_compensation="8639.96",
        flat_within_entitlement="-416000.00",  # −min(180, 160) × 2600
        flat_beyond_entitlement="-156000.00",  # −(180 − 160) × 7800
        relocation="3000.00",  # 120 × 12 × 2 = 2880 < 1500 × 2
        temporary_resettlement="38400.00",  # 4 × 400 × 24 = 38400 ≥ 1200 × 24 = 28800
    )
    # 420000 + 20000 + 8000 + 8639.96 − 416000 − 156000 + 120000 + 3000 + 38400 + 24000 = 70039.96


def test_village_swap_within_the_entitlement():
    result = run(V, VILLAGE_PLAIN, when(V, "swap", day=5, flat_area=120, flat_price=5000, transition_months=24))
    check(
        result,
        "330039.96",
        flat_within_entitlement="-312000.00",  # −min(120, 160) × 2600
        flat_beyond_entitlement="0.00",  # −max(120 − 160, 0) × 7800
    )
    # 420000 + 20000 + 8000 + 8639.96 − 312000 + 120000 + 3000 + 38400 + 24000 = 330039.96


def test_village_voucher_is_not_offered():
    with pytest.raises(ComputeError) as caught:
        run(V, VILLAGE_PLAIN, when(V, "voucher", day=5))
    message = str(caught.value)
    assert "房票" in message
    assert "货币补偿" in message and "产权调换" in message


# A crowded village household: 6 persons in 50 ㎡ at 3000, homestead 120 ㎡; signs on day 25.
VILLAGE_CROWDED = household(house(50, 3000, land_area=120), persons=6)


def test_village_crowded_household_money():
    result = run(V, VILLAGE_CROWDED, when(V, "money", day=25))
    check(
        result,
        "944083.97",
        house_value="150000.00",  # 50 × 3000
        homestead="108000.00",  # 120 × 900
        land_compensation="5183.97",  # 120 ÷ 666.67 = 0.17999910… 亩 × 28800 = 5183.9740…
        money_resettlement_subsidy="480000.00",  # 6 × 40 × 2000
        social_security_fee="180000.00",  # 6 × 30000
        relocation="1500.00",  # 50 × 12 = 600 < 1500
        temporary_resettlement="14400.00",  # 6 × 400 × 6
        signing_reward="5000.00",  # day 25 is in 21–40: 50 × 100
    )
    # 150000 + 108000 + 5183.97 + 480000 + 180000 + 1500 + 14400 + 5000 = 944083.97
    assert "guarantee" not in names(result)  # this standard has no guarantee line: the 40 ㎡ per person is it


def test_village_crowded_household_swap():
    # flat 250 ㎡; entitlement 6 × 40 = 240 ㎡; 12 months
    result = run(V, VILLAGE_CROWDED, when(V, "swap", day=25, flat_area=250, flat_price=5000, transition_months=12))
    check(
        result,
        "-330016.03",
        flat_within_entitlement="-624000.00",  # −min(250, 240) × 2600
        flat_beyond_entitlement="-78000.00",  # −(250 − 240) × 7800
        relocation="3000.00",  # 50 × 12 × 2 = 1200 < 1500 × 2
        temporary_resettlement="28800.00",  # 6 × 400 × 12 = 28800 ≥ 1200 × 12 = 14400
    )
    # 150000 + 5183.97 − 624000 − 78000 + 180000 + 3000 + 28800 + 5000 = −330016.03: the household pays


# A village household with a shop: home 90 ㎡ and shop 30 ㎡ at 3200, homestead 150 ㎡; 3 persons; day 45.
VILLAGE_BUSINESS = household(house(90, 3200, land_area=150), house(30, 3200, use="经营"), persons=3)


def test_village_business_property_money():
    result = run(V, VILLAGE_BUSINESS, when(V, "money", day=45))
    check(
        result,
        "864179.97",
        house_value="384000.00",  # 90 × 3200 + 30 × 3200
        homestead="135000.00",  # 150 × 900
        land_compensation="6479.97",  # 150 ÷ 666.67 × 28800 = 6479.9676…
        money_resettlement_subsidy="240000.00",  # 3 × 40 × 2000
        social_security_fee="90000.00",
        relocation="1500.00",  # 120 × 12 = 1440 < 1500
        temporary_resettlement="7200.00",  # 3 × 400 × 6 = 7200 = the minimum
        signing_reward="0.00",  # day 45 is in 41–122
    )
    # 384000 + 135000 + 6479.97 + 240000 + 90000 + 1500 + 7200 = 864179.97
    assert "business_loss" not in names(result)


def test_village_business_property_swap():
    result = run(V, VILLAGE_BUSINESS, when(V, "swap", day=45, flat_area=120, flat_price=5000, transition_months=6))
    check(
        result,
        "178679.97",
        flat_within_entitlement="-312000.00",  # −min(120, 3 × 40) × 2600
        flat_beyond_entitlement="0.00",
        relocation="3000.00",  # 120 × 12 × 2 = 2880 < 1500 × 2
        temporary_resettlement="7200.00",  # 3 × 400 × 6 = 7200 ≥ 7200
        signing_reward="0.00",
    )
    # 384000 + 6479.97 − 312000 + 90000 + 3000 + 7200 + 0 = 178679.97


def test_village_home_used_as_a_shop_changes_nothing():
    # the village standard has no 停产停业 line: shop_area is read by no line
    with_shop = household(house(120, 3500, land_area=200, shop_area=40), persons=4)
    without = household(house(120, 3500, land_area=200), persons=4)
    for choice in ("money", "swap"):
        circumstances = when(V, choice, day=5, flat_area=160, flat_price=5000, transition_months=12)
        assert run(V, with_shop, circumstances).total == run(V, without, circumstances).total


def test_village_special_groups():
    facts = household(house(120, 3500, land_area=200), persons=4, dibao=2, lost_only_child=1)
    for choice in ("money", "swap"):
        result = run(V, facts, when(V, choice, day=5, flat_area=160, flat_price=5000, transition_months=12))
        check(result, str(result.total), special_groups="42000.00")  # (2 + 0) × 6000 + 30000


@pytest.mark.parametrize(
    "groups, amount",
    [
        ({"dibao": 2}, "12000.00"),  # 2 × 6000
        ({"disabled": 1, "critical": 1}, "16000.00"),  # 6000 + 10000
        ({"lost_only_child": 1, "martyr": 1}, "30000.00"),  # once per household
        ({"martyr": 1}, "30000.00"),
    ],
)
def test_village_special_group_amounts(groups, amount):
    result = run(V, household(house(100, 3000), persons=4, **groups), when(V, "money", day=5))
    check(result, str(result.total), special_groups=amount)


@pytest.mark.parametrize(
    "day, reward",
    [(1, "24000.00"), (20, "24000.00"), (21, "12000.00"), (40, "12000.00"), (41, "0.00"), (122, "0.00")],
)
@pytest.mark.parametrize("choice", ["money", "swap"])
def test_village_signing_reward_by_day(day, reward, choice):
    # 120 ㎡: × 200 on days 1–20, × 100 on days 21–40, nothing after
    result = run(V, VILLAGE_PLAIN, when(V, choice, day=day, flat_area=160, flat_price=5000, transition_months=12))
    check(result, str(result.total), signing_reward=reward)


def test_village_signing_reward_maximum():
    # 250 ㎡ × 200 = 50000 > 40000: the maximum
    result = run(V, household(house(250, 3000), persons=2), when(V, "money", day=3))
    check(result, str(result.total), signing_reward="40000.00")
    assert "最高" in note(result, "signing_reward")


@pytest.mark.parametrize("day", [123, 0])
def test_village_signing_outside_every_tier_is_refused_naming_the_tiers(day):
    with pytest.raises(ComputeError) as caught:
        run(V, VILLAGE_PLAIN, when(V, "money", day=day))
    for tier in ("1–20", "21–40", "41–122"):
        assert tier in str(caught.value)


def test_village_resettlement_minimum():
    # 2 persons: 2 × 400 × 6 = 4800 < 1200 × 6 = 7200; swap, 10 months: 2 × 400 × 10 = 8000 < 12000
    facts = household(house(60, 3000), persons=2)
    money = run(V, facts, when(V, "money", day=5))
    check(money, str(money.total), temporary_resettlement="7200.00", relocation="1500.00")  # 60 × 12 = 720 → 1500
    swap = run(V, facts, when(V, "swap", day=5, flat_area=80, flat_price=5000, transition_months=10))
    check(swap, str(swap.total), temporary_resettlement="12000.00", relocation="3000.00")


def test_an_unknown_choice_is_refused():
    with pytest.raises(ComputeError):
        run(S, PLAIN, when(S, "cash", day=5))
