"""Targets: set by the command office alone, split top-down with shares adding up exactly, and read back
against the ledger's daily tallies (the actual value, completion vs the calendar, the light)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.progress.actuals import calendar_rate, colour, split_gaps, standings
from gaizao.progress.models import ProgressEvent, Target
from gaizao.progress.services import indicator_create, target_split
from tests.progress.conftest import indicator, sign


def refused(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return "；".join(caught.value.messages)


def actuals(targets, on) -> list[Decimal]:
    return [standing.actual for standing in standings(targets, on)]


# ---- setting a target --------------------------------------------------------------------------------


def test_the_command_office_sets_a_target_and_the_event_says_so(world, set_target, period):
    target = set_target(world.street_a, 12)
    assert (target.unit, target.value, (target.start, target.end)) == (world.street_a, Decimal(12), period)
    event = ProgressEvent.objects.get(kind="target")
    assert (event.by, event.unit, event.changes) == (world.olivia.user, world.street_a, {"value": [None, "12.00"]})


@pytest.mark.parametrize("who", ["alice", "bob", "lee", "ivy", "tom", "pat"])
def test_only_the_command_office_sets_targets(world, set_target, who):
    with pytest.raises(PermissionDenied):
        set_target(world.street_a, by=getattr(world, who).user)
    assert not Target.objects.exists()


def test_the_office_sets_no_target_outside_its_jurisdiction(world, set_target):
    with pytest.raises(PermissionDenied):
        set_target(world.pat.unit)


def test_a_period_ending_before_it_starts_is_refused_naming_both_dates(world, set_target):
    message = refused(set_target, unit=world.street_a, start=date(2026, 9, 1), end=date(2026, 8, 31))
    assert message == "完成时限 2026-08-31 早于开始日期 2026-09-01"


@pytest.mark.parametrize("value, message", [("-1", "目标值应为不小于零的数"), ("十户", "目标值“十户”不是数字")])
def test_a_negative_or_unreadable_value_is_refused(world, set_target, value, message):
    assert refused(set_target, unit=world.street_a, value=value) == message
    assert not Target.objects.exists()


def test_setting_the_same_target_again_changes_its_value_and_says_from_what(world, set_target):
    first = set_target(world.street_a, 10)
    again = set_target(world.street_a, 15)
    assert again.pk == first.pk and Target.objects.get().value == Decimal(15)
    assert ProgressEvent.objects.filter(kind="target").latest("id").changes == {"value": ["10.00", "15.00"]}


# ---- splitting it ------------------------------------------------------------------------------------


def split(world, target, **values) -> list[Target]:
    """Shares by unit attribute on the world: split(world, t, street_a=6, street_b=4)."""
    shares = {getattr(world, name): value for name, value in values.items()}
    return target_split(by=world.olivia.user, target=target, shares=shares)


def shares_of(target) -> dict[str, Decimal]:
    return dict(target.shares.values_list("unit__name", "value"))


def test_a_split_must_add_up_exactly_and_saves_nothing_otherwise(world, set_target):
    district = set_target(world.district, 10)
    assert refused(split, world=world, target=district, street_a=6, street_b=3) == (
        "分解合计 9.00 与“江北区”的目标 10.00 不一致，少 1.00户"
    )
    assert refused(split, world=world, target=district, street_a=6, street_b="4.5") == (
        "分解合计 10.50 与“江北区”的目标 10.00 不一致，多 0.50户"
    )
    assert shares_of(district) == {} and not ProgressEvent.objects.filter(kind="target_split").exists()

    split(world, district, street_a=6, street_b=4)
    assert shares_of(district) == {"城关街道": 6, "江滨街道": 4}
    assert ProgressEvent.objects.get(kind="target_split").changes == {
        "shares": [None, {"城关街道": "6.00", "江滨街道": "4.00"}]
    }


def test_a_target_is_split_only_among_units_under_its_own(world, set_target):
    street = set_target(world.street_a, 10)
    message = refused(split, world=world, target=street, street_b=10)
    assert message == "“江滨街道”不是“城关街道”的下级单位，不能分解给它"
    assert refused(split, world=world, target=set_target(world.district, 10), district=10).startswith("“江北区”不是")


def test_re_splitting_replaces_the_old_shares(world, set_target):
    district = set_target(world.district, 10)
    split(world, district, street_a=6, street_b=4)
    split(world, district, street_a=10)
    assert shares_of(district) == {"城关街道": 10}


def test_a_headquarters_target_is_split_among_the_units_under_its_jurisdiction(world, set_target):
    hq = set_target(world.olivia.unit, 10)
    split(world, hq, street_a=7, support=3)
    assert shares_of(hq) == {"城关街道": 7, "区教育局": 3}


def test_split_gaps_list_a_parent_changed_after_its_split(world, set_target):
    district = set_target(world.district, 10)
    split(world, district, street_a=6, street_b=4)
    assert split_gaps([district]) == []
    district = set_target(world.district, 12)
    [gap] = split_gaps([district])
    assert (gap.target, gap.shared, gap.difference) == (district, Decimal(10), Decimal(2))


# ---- actual values from the ledger's tallies --------------------------------------------------------


def test_a_signed_household_counts_for_its_street_and_district_from_the_day_it_was_signed(world, set_target, today):
    targets = [set_target(unit) for unit in (world.street_a, world.street_b, world.district, world.olivia.unit)]
    assert actuals(targets, today) == [0, 0, 0, 0]
    sign(world, world.house_a)
    assert actuals(targets, today) == [1, 0, 1, 1]  # the headquarters counts its jurisdiction
    assert actuals(targets, today - timedelta(days=1)) == [0, 0, 0, 0]


def test_a_support_unit_target_counts_the_households_it_holds(world, set_target, today):
    targets = [set_target(world.support), set_target(world.street_b)]
    sign(world, world.house_a)
    assert actuals(targets, today) == [0, 0]
    sign(world, world.house_held)  # B002, on 江滨街道, held by 区教育局
    assert actuals(targets, today) == [1, 1]


def test_a_project_target_counts_only_its_project(world, set_target, today):
    targets = [set_target(world.street_a, project=world.project), set_target(world.street_a)]
    sign(world, world.house_a)
    assert actuals(targets, today) == [1, 1]


def test_completion_the_calendar_and_the_light_of_a_standing(world, set_target, today):
    target = set_target(world.street_a, 1, yellow_gap=20)
    [before] = standings([target], today)  # 10 points behind the calendar, under the 20-point threshold
    assert (before.completion, before.calendar, before.colour) == (0, Decimal("10.0"), "yellow")
    sign(world, world.house_a)
    [after] = standings([target], today)
    assert (after.actual, after.completion, after.colour) == (1, 100, "green")


def test_the_calendar_rate_at_its_boundaries():
    start, end = date(2026, 1, 1), date(2026, 1, 10)
    assert calendar_rate(start, end, date(2025, 12, 31)) == 0
    assert calendar_rate(start, end, start) == Decimal("10.0")  # the first day counts
    assert calendar_rate(start, end, end) == 100  # the last day: all of it
    assert calendar_rate(start, end, date(2026, 3, 1)) == 100
    assert calendar_rate(start, start, start) == 100
    assert calendar_rate(date(2026, 1, 1), date(2026, 1, 3), date(2026, 1, 1)) == Decimal("33.3")


@pytest.mark.parametrize(
    "completion, calendar, started, light",
    [
        (0, 0, False, "grey"),
        (50, 50, True, "green"),  # level with the calendar
        (60, 50, True, "green"),
        ("40.1", 50, True, "yellow"),  # 9.9 points behind with a 10-point threshold
        (40, 50, True, "red"),  # exactly at the threshold
        (10, 50, True, "red"),
    ],
)
def test_the_light_against_the_threshold(completion, calendar, started, light):
    assert colour(Decimal(completion), Decimal(calendar), Decimal(10), started) == light


def test_before_its_start_a_target_is_grey_and_on_its_last_day_the_calendar_is_full(world, set_target, today):
    target = set_target(world.street_a, start=today + timedelta(days=1), end=today + timedelta(days=30))
    [waiting] = standings([target], today)
    assert (waiting.calendar, waiting.colour) == (0, "grey")
    [last_day] = standings([target], target.end)
    assert (last_day.calendar, last_day.colour) == (100, "red")


# ---- custom indicators -------------------------------------------------------------------------------


def custom(world, formula: str, **more):
    fields = {"district": world.district, "code": "settled-area", "name": "结清面积", "unit_label": "㎡"} | more
    return indicator_create(by=world.olivia.user, formula=formula, **fields)


def test_a_custom_indicator_counts_through_its_formula(world, set_target, today):
    settled = custom(world, "signed_area + decided * 0", places=2)
    target = set_target(world.street_a, 500, indicator=settled)
    sign(world, world.house_a)
    assert actuals([target], today) == [Decimal("100.00")]


def test_a_formula_with_an_unknown_name_is_refused_listing_the_allowed_names(world):
    message = refused(custom, world=world, formula="signed + households")
    assert message.startswith("公式中的“households”不是台账统计项，可用：surveyed（已调查户数）、")
    assert "signed_area（已签约面积（㎡））" in message and "paid（已支付补偿款（元））" in message


def test_a_formula_with_a_syntax_error_is_refused_with_its_column(world):
    assert refused(custom, world=world, formula="signed decided") == "公式第 8 个字符处：多余的“decided”"
    assert refused(custom, world=world, formula="signed +").startswith("公式第 9 个字符处：")


def test_only_the_office_creates_indicators_and_only_for_a_district(world):
    with pytest.raises(PermissionDenied):
        indicator_create(
            by=world.alice.user, district=world.district, code="x", name="x", unit_label="户", formula="signed"
        )
    assert refused(custom, world=world, formula="signed", district=world.street_a).startswith("“城关街道”不是区县")


def test_a_ratio_indicator_with_nothing_to_divide_by_does_not_break_the_overview(world, set_target):
    rate = custom(world, "signed / decided", code="sign-ratio", name="签约裁决比", unit_label="")
    set_target(world.street_a, 1, indicator=rate)
    assert world.client(world.olivia).get(reverse("progress:overview")).status_code == 200


def test_builtin_indicators_are_there(db):
    assert indicator("land-expropriated").formula == "land_area * 0.0015"
    assert indicator("compensation-paid").unit_label == "万元"
