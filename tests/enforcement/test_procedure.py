"""The case's rules on plain values: the status table, the procedure a removal by force needs, the clocks."""

from datetime import date, datetime, timedelta

import pytest

from gaizao.enforcement import procedure
from gaizao.enforcement.procedure import Served

NAMES = {"candidate": "待核实", "found": "已发现", "stopped": "已制止", "demolished": "已拆除", "dismissed": "不予立案"}
COMPLETE = {
    "notice": Served(date(2026, 3, 1), deadline=date(2026, 3, 15)),
    "reminder": Served(date(2026, 3, 16)),
    "decision": Served(date(2026, 3, 27)),
    "announcement": Served(date(2026, 3, 28)),
}


@pytest.mark.parametrize(
    "current, wanted, allowed",
    [
        ("candidate", "found", True),
        ("candidate", "demolished", False),
        ("found", "stopped", True),
        ("found", "demolished", True),
        ("stopped", "demolished", True),
        ("stopped", "found", False),
        ("demolished", "stopped", False),
        ("dismissed", "found", False),
    ],
)
def test_the_status_table(current, wanted, allowed):
    if allowed:
        procedure.check_transition(current, wanted, NAMES)
    else:
        with pytest.raises(procedure.ProcedureError, match=f"“{NAMES[current]}”不能转为“{NAMES[wanted]}”"):
            procedure.check_transition(current, wanted, NAMES)


def test_a_complete_procedure_lets_a_removal_by_force_stand_ten_days_after_the_announcement():
    assert procedure.forced_removal_problems(COMPLETE, date(2026, 4, 7)) == []
    assert procedure.forced_removal_problems(COMPLETE, date(2026, 4, 6)) == [
        "强制拆除公告：公告至强制拆除不足10日（2026-03-28 公告，2026-04-06 拆除）"
    ]


def test_each_missing_or_misplaced_step_is_named():
    assert procedure.forced_removal_problems({}, date(2026, 4, 7)) == [
        "限期拆除决定：尚未办理",
        "催告：尚未办理",
        "强制拆除决定：尚未办理",
        "强制拆除公告：尚未办理",
    ]
    early_reminder = COMPLETE | {"reminder": Served(date(2026, 3, 10))}
    assert procedure.forced_removal_problems(early_reminder, date(2026, 4, 7)) == [
        "催告：催告应在限期（2026-03-15）届满之后"
    ]
    no_deadline = COMPLETE | {"notice": Served(date(2026, 3, 1))}
    assert "限期拆除决定：未载明拆除期限" in procedure.forced_removal_problems(no_deadline, date(2026, 4, 7))
    decided_before_reminder = COMPLETE | {"decision": Served(date(2026, 3, 16) - timedelta(days=1))}
    assert procedure.forced_removal_problems(decided_before_reminder, date(2026, 4, 7)) == [
        "强制拆除决定：早于催告（2026-03-16）"
    ]


def test_the_clocks_count_hours_from_discovery_and_rank_the_fastest_place_first():
    found = datetime(2026, 5, 4, 8, 0)
    quick = procedure.clocks(found, found + timedelta(hours=2), found + timedelta(hours=30), found)
    assert quick == procedure.Clocks(to_stop=2.0, to_removal=30.0, to_accountability=0.0)
    slow = procedure.clocks(found, found + timedelta(hours=20), None, found)
    a = procedure.unit_clocks("城关街道", [quick], waiting=[])
    b = procedure.unit_clocks("江滨街道", [slow, quick], waiting=[50.0])
    c = procedure.unit_clocks("江南街道", [slow], waiting=[80.0])
    assert b.median_to_stop == 11.0 and b.median_to_removal == 30.0 and b.open_longest == 50.0
    assert [u.unit for u in procedure.ranked([c, b, a])] == ["城关街道", "江滨街道", "江南街道"]
