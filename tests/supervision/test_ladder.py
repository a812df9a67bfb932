"""The ladder as plain values: one rung a day at most, nobody skipped, and a ladder with a loop refused."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.supervision.ladder import DEFAULT_RUNGS, LadderError, Standing, Subject, climbs, resolved, rungs_of

RUNGS = rungs_of(DEFAULT_RUNGS)
DAY = date(2026, 11, 20)


def overdue(days: int, pk: int = 1, unit: int = 7) -> Subject:
    return Subject("item", pk, "拆后清理未按期完成", unit, DAY - timedelta(days=days))


def test_an_overdue_subject_is_listed_then_interviewed_a_week_later_then_referred():
    subject = overdue(1)
    assert [c.rung.code for c in climbs([subject], {}, RUNGS, frozenset(), DAY)] == ["listed"]
    listed = {("item", 1): Standing("listed", DAY)}
    assert climbs([subject], listed, RUNGS, frozenset(), DAY + timedelta(days=6)) == []
    assert [c.rung.name for c in climbs([subject], listed, RUNGS, frozenset(), DAY + timedelta(days=7))] == ["约谈"]
    interviewed = {("item", 1): Standing("interview", DAY + timedelta(days=7))}
    later = DAY + timedelta(days=14)
    assert [c.rung.name for c in climbs([subject], interviewed, RUNGS, frozenset(), later)] == ["移送问责"]
    referred = {("item", 1): Standing("referral", later)}
    assert climbs([subject], referred, RUNGS, frozenset(), later + timedelta(days=30)) == []


def test_an_exempted_unit_climbs_nothing_and_a_subject_done_is_resolved():
    assert climbs([overdue(3)], {}, RUNGS, frozenset({7}), DAY) == []
    assert resolved({("item", 1), ("item", 2)}, [overdue(3, pk=2)]) == {("item", 1)}


@pytest.mark.parametrize(
    ("rungs", "message"),
    [
        ([], "至少要有一级"),
        ([{"code": "a", "name": "挂牌", "after_days": -1, "from": None}], "after_days"),
        (
            [
                {"code": "a", "name": "挂牌", "after_days": 0, "from": None},
                {"code": "b", "name": "约谈", "after_days": 7, "from": "z"},
            ],
            "不存在",
        ),
        (
            [
                {"code": "a", "name": "挂牌", "after_days": 0, "from": None},
                {"code": "b", "name": "约谈", "after_days": 7, "from": "c"},
                {"code": "c", "name": "问责", "after_days": 7, "from": "b"},
            ],
            "循环",
        ),
        (
            [
                {"code": "a", "name": "挂牌", "after_days": 0, "from": None},
                {"code": "b", "name": "约谈", "after_days": 7, "from": "a"},
                {"code": "c", "name": "问责", "after_days": 7, "from": "a"},
            ],
            "多个下一级",
        ),
        ([{"code": "a", "name": "挂牌", "after_days": 0, "from": "a"}], "首级"),
    ],
    ids=["empty", "negative days", "unknown from", "loop", "branch", "no first rung"],
)
def test_a_bad_ladder_is_refused_by_name(rungs, message):
    with pytest.raises(LadderError, match=message):
        rungs_of(rungs)


@settings(max_examples=60, deadline=None)
@given(days=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8), start=st.integers(0, 30))
def test_ticking_every_day_climbs_one_rung_at_a_time_and_twice_a_day_changes_nothing(days, start):
    """Whatever the overdue days, a daily tick climbs each subject's rungs in order, one per run at most."""
    subjects = [overdue(d, pk=n) for n, d in enumerate(days)]
    standing: dict = {}
    history: dict = {}
    for offset in range(start, start + 40):
        today = DAY + timedelta(days=offset)
        for run in range(2):
            climbed = climbs(subjects, standing, RUNGS, frozenset(), today)
            if run == 1:
                assert climbed == []  # the second run of a day finds nothing to do
            for climb in climbed:
                key = (climb.subject.kind, climb.subject.id)
                standing[key] = Standing(climb.rung.code, today)
                history.setdefault(key, []).append((climb.rung.code, today))
    for steps in history.values():
        assert [code for code, _ in steps] == [r.code for r in RUNGS][: len(steps)]  # in order, none skipped
        gaps = [(b - a).days for (_, a), (_, b) in zip(steps, steps[1:], strict=False)]
        assert all(gap >= 7 for gap in gaps)
    assert len(history) == len(subjects)
