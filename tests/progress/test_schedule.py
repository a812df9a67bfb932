"""倒排工期 (progress/schedule.py) on plain values: latest dates backwards from the deadlines, expected dates
forwards from today, slack, the critical path, the statuses, and the plans it refuses, by name."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaizao.progress.schedule import ScheduleError, Spec, order, plan

TODAY = date(2026, 6, 1)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def planned(*specs: Spec, today: date = TODAY) -> dict[str, object]:
    return {row.name: row for row in plan(list(specs), today)}


def refusal(*specs: Spec) -> str:
    with pytest.raises(ScheduleError) as caught:
        plan(list(specs), TODAY)
    return str(caught.value)


# ---- backwards from the deadline ----------------------------------------------------------------------


def test_a_chain_is_scheduled_backwards_from_its_final_deadline_counting_days_inclusively():
    rows = planned(
        Spec(1, "入户调查", 10),
        Spec(2, "评估", 5, depends=(1,)),
        Spec(3, "签约", 3, depends=(2,), deadline=date(2026, 12, 31)),
    )
    dates = {name: (row.latest_start, row.latest_finish) for name, row in rows.items()}
    assert dates == {
        "签约": (date(2026, 12, 29), date(2026, 12, 31)),
        "评估": (date(2026, 12, 24), date(2026, 12, 28)),
        "入户调查": (date(2026, 12, 14), date(2026, 12, 23)),  # 10 days finishing on the 23rd start on the 14th
    }
    assert list(rows) == ["入户调查", "评估", "签约"]  # predecessors first


def test_a_zero_day_milestone_is_a_point_in_time():
    row = planned(Spec(1, "公告", 0, deadline=day(5)))["公告"]
    assert row.latest_start == row.latest_finish == day(5)


def test_a_step_with_two_followers_must_finish_before_the_earlier_of_them():
    rows = planned(
        Spec(1, "腾空", 4),
        Spec(2, "拆除", 1, depends=(1,), deadline=date(2026, 12, 31)),
        Spec(3, "移交土地", 1, depends=(1,), deadline=date(2026, 12, 10)),
    )
    assert rows["腾空"].latest_finish == date(2026, 12, 9)
    assert rows["腾空"].latest_start == date(2026, 12, 6)


def test_its_own_deadline_binds_when_earlier_than_its_followers():
    rows = planned(Spec(1, "评估", 5, deadline=day(10)), Spec(2, "签约", 5, depends=(1,), deadline=day(60)))
    assert rows["评估"].latest_finish == day(10)


# ---- forwards from today: slack and the critical path -------------------------------------------------


def test_expected_dates_run_forwards_from_today_the_predecessors_and_the_earliest_start():
    rows = planned(
        Spec(1, "入户调查", 10, deadline=day(60), done_on=day(-1)),
        Spec(2, "评估", 5, depends=(1,), deadline=day(60)),
        Spec(3, "签约", 10, depends=(2,), deadline=day(60), not_before=day(20)),
        Spec(4, "方案公示", 10, deadline=day(60), started_on=day(-30)),
    )
    expected = {name: (row.expected_start, row.expected_finish) for name, row in rows.items()}
    assert expected == {
        "入户调查": (day(-10), day(-1)),
        "评估": (day(0), day(4)),
        "签约": (day(20), day(29)),  # not before its earliest start
        "方案公示": (day(-30), day(0)),  # under way and past its length: expected to finish today at the earliest
    }


def test_slack_is_latest_minus_expected_finish_and_the_least_among_open_steps_is_critical():
    rows = planned(
        Spec(1, "入户调查", 10, done_on=day(-1), deadline=day(-5)),  # done late: not open, not critical
        Spec(2, "评估", 10, deadline=day(15)),
        Spec(3, "签约", 20, depends=(2,), deadline=day(40)),
        Spec(4, "公告", 5, deadline=day(30)),
    )
    assert {name: row.slack for name, row in rows.items()} == {"入户调查": -4, "评估": 6, "签约": 11, "公告": 26}
    # 评估 may finish on day 15 at the latest (its own deadline binds before 签约's day 20), is expected on day 9
    assert rows["评估"].latest_finish == day(15) and rows["评估"].expected_finish == day(9)
    assert [name for name, row in rows.items() if row.critical] == ["评估"]


def test_every_step_on_the_tightest_chain_is_critical():
    rows = planned(
        Spec(1, "评估", 10),
        Spec(2, "签约", 10, depends=(1,), deadline=day(24)),
        Spec(3, "公告", 1, deadline=day(30)),
    )
    assert {name for name, row in rows.items() if row.critical} == {"评估", "签约"}


def test_nothing_is_critical_once_everything_is_done():
    rows = planned(Spec(1, "评估", 3, deadline=day(5), done_on=day(-1)))
    assert not rows["评估"].critical


# ---- statuses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, status, red",
    [
        (Spec(1, "x", 5, deadline=day(10), done_on=day(-1)), "done", False),
        (Spec(1, "x", 5, deadline=day(-1), done_on=day(-1)), "done", False),  # done on its last day
        (Spec(1, "x", 5, deadline=day(-2), done_on=day(-1)), "done_late", True),
        (Spec(1, "x", 5, deadline=day(-1)), "late", True),
        (Spec(1, "x", 10, deadline=day(8)), "no_slack", True),  # expected day 9: one day short
        (Spec(1, "x", 10, deadline=day(9)), "tight", False),  # slack 0
        (Spec(1, "x", 10, deadline=day(15)), "tight", False),  # slack 6
        (Spec(1, "x", 10, deadline=day(16)), "on_track", False),  # slack 7
    ],
    ids=["done", "done-on-the-last-day", "done-late", "late", "no-slack", "slack-0", "slack-6", "slack-7"],
)
def test_statuses(spec, status, red):
    row = planned(spec)["x"]
    assert (row.status, row.red) == (status, red)


# ---- refusals, by name --------------------------------------------------------------------------------


def test_a_milestone_depending_on_itself_is_refused():
    assert refusal(Spec(1, "签约", 3, depends=(1,), deadline=day(9))) == "节点“签约”不能依赖自身"


def test_a_cycle_is_refused_with_its_loop():
    message = refusal(
        Spec(1, "评估", 3, depends=(3,)),
        Spec(2, "签约", 3, depends=(1,)),
        Spec(3, "腾空", 3, depends=(2,), deadline=day(30)),
    )
    assert message == "节点之间循环依赖：评估 → 腾空 → 签约 → 评估"


def test_an_unknown_predecessor_is_refused():
    assert refusal(Spec(1, "签约", 3, depends=(99,), deadline=day(9))) == "节点“签约”的前置节点不存在"


def test_a_negative_duration_is_refused():
    assert refusal(Spec(1, "签约", -1, deadline=day(9))) == "节点“签约”的工期不能为负数"


def test_a_deadline_before_the_earliest_start_plus_the_duration_is_refused():
    message = refusal(Spec(1, "签约", 10, not_before=date(2026, 6, 1), deadline=date(2026, 6, 9)))
    assert message == "节点“签约”的完成时限 2026-06-09 早于最早开工 2026-06-01 加工期 10 天"
    assert planned(Spec(1, "签约", 10, not_before=date(2026, 6, 1), deadline=date(2026, 6, 10)))  # exactly fits


def test_a_last_step_without_a_deadline_cannot_be_scheduled_backwards():
    message = refusal(Spec(1, "评估", 3), Spec(2, "签约", 3, depends=(1,)))
    assert message == "节点“签约”既没有完成时限，也没有后续节点，无法倒排"


def test_order_accepts_any_input_order_and_puts_predecessors_first():
    specs = [Spec(3, "腾空", 1, depends=(2,)), Spec(1, "评估", 1), Spec(2, "签约", 1, depends=(1,))]
    assert [spec.name for spec in order(specs)] == ["评估", "签约", "腾空"]


# ---- a property over random plans ---------------------------------------------------------------------


@st.composite
def plans(draw) -> list[Spec]:
    """A random DAG: step i depends only on steps before it; every sink, and some others, have a deadline."""
    size = draw(st.integers(1, 12))
    depends = [tuple(sorted(draw(st.sets(st.integers(0, i - 1), max_size=3)))) if i else () for i in range(size)]
    sinks = set(range(size)) - {d for deps in depends for d in deps}
    specs = []
    for i in range(size):
        has_deadline = i in sinks or draw(st.booleans())
        specs.append(
            Spec(
                key=i,
                name=f"节点{i}",
                duration=draw(st.integers(0, 40)),
                depends=depends[i],
                deadline=day(draw(st.integers(-60, 200))) if has_deadline else None,
            )
        )
    return draw(st.permutations(specs))


@given(plans())
def test_each_step_finishes_by_its_deadline_and_the_day_before_each_follower_starts(specs):
    rows = {row.key: row for row in plan(specs, TODAY)}
    for spec in specs:
        row = rows[spec.key]
        bounds = [spec.deadline] if spec.deadline else []
        for follower in (s for s in specs if spec.key in s.depends):
            bounds.append(rows[follower.key].latest_start - timedelta(days=1))
            assert row.latest_finish <= rows[follower.key].latest_start - timedelta(days=1)
        if spec.deadline:
            assert row.latest_finish <= spec.deadline
        assert row.latest_finish == min(bounds)  # as late as allowed, no later
        assert (row.latest_finish - row.latest_start).days == max(spec.duration - 1, 0)
