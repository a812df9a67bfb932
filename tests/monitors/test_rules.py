"""The rules of a monitor's report on plain values: which step may follow which, the time given to fix it, the time
given again after a refused fix, and lateness."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.monitors import rules
from gaizao.monitors.models import ReportStatus
from gaizao.monitors.rules import StepRefused, due_after_return, due_on, late, next_status

STATUSES = list(rules.STATUS_NAMES)
ACTIONS = list(rules.TRANSITIONS)
# what the issue says a report goes through, written out by hand
ALLOWED = {
    ("submitted", "assign"): "assigned",
    ("submitted", "dismiss"): "dismissed",
    ("assigned", "assign"): "assigned",  # reassigned to another unit or with another deadline
    ("assigned", "fix"): "fixed",
    ("fixed", "pass"): "closed",
    ("fixed", "return"): "assigned",
}
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_the_rules_know_every_status_of_the_model():
    assert set(STATUSES) == set(ReportStatus.values)
    assert {to for _, to in rules.TRANSITIONS.values()} <= set(STATUSES)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_the_listed_steps_are_possible_from_each_status(status, action):
    if (status, action) in ALLOWED:
        assert next_status(status, action) == ALLOWED[(status, action)]
    else:
        with pytest.raises(StepRefused) as refused:
            next_status(status, action)
        # the refusal says where the report stands and what cannot be done
        assert str(refused.value) == f"该问题{rules.STATUS_NAMES[status]}，不能{rules.ACTION_NAMES[action]}"


@pytest.mark.parametrize("status", ["closed", "dismissed"])
def test_a_closed_or_declined_report_takes_no_further_step(status):
    for action in ACTIONS:
        with pytest.raises(StepRefused):
            next_status(status, action)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ACTIONS), max_size=40))
def test_any_sequence_of_actions_keeps_the_status_in_the_allowed_set(actions):
    status, path = "submitted", ["submitted"]
    for action in actions:
        try:
            after = next_status(status, action)
        except StepRefused:
            assert (status, action) not in ALLOWED
            continue
        assert (status, action) in ALLOWED and ALLOWED[(status, action)] == after
        status = after
        path.append(status)
    assert set(path) <= set(STATUSES)
    # once published (closed or declined) it stays so
    if "closed" in path or "dismissed" in path:
        first_final = next(i for i, s in enumerate(path) if s in ("closed", "dismissed"))
        assert set(path[first_final:]) == {path[first_final]} and path[-1] == path[first_final]
    # closed only after a fix, a fix only after an assignment; declined only straight from submitted
    for before, after in zip(path, path[1:], strict=False):
        assert (before, after) in {(s, to) for (s, _), to in ALLOWED.items()}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STATUSES), st.sampled_from(ACTIONS))
def test_a_step_leads_where_the_table_says_or_is_refused_and_nothing_else(status, action):
    starts, leads_to = rules.TRANSITIONS[action]
    try:
        assert next_status(status, action) == leads_to
        assert status in starts
    except StepRefused:
        assert status not in starts


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS)
def test_after_a_refused_fix_the_deadline_is_never_earlier_than_before_nor_than_a_week_on(due, today):
    after = due_after_return(due, today)
    assert after >= due
    assert after >= today + timedelta(days=rules.RETURN_DAYS)
    assert after in (due, today + timedelta(days=rules.RETURN_DAYS))  # and no later than needed


def test_a_refused_fix_keeps_a_later_deadline_and_lifts_an_earlier_one():
    today = date(2026, 9, 1)
    assert due_after_return(date(2026, 9, 30), today) == date(2026, 9, 30)
    assert due_after_return(date(2026, 9, 3), today) == date(2026, 9, 8)
    assert due_after_return(date(2026, 8, 1), today) == date(2026, 9, 8)  # already late: a week again


@settings(max_examples=200, deadline=None)
@given(DAYS, st.integers(min_value=1, max_value=rules.FIX_DAYS_MAX))
def test_one_to_ninety_days_to_fix(today, days):
    assert due_on(today, days) == today + timedelta(days=days)
    assert due_on(today, days) > today


@pytest.mark.parametrize("days", [0, -1, 91, 365])
def test_a_time_to_fix_outside_one_to_ninety_days_is_refused_naming_the_deadline(days):
    with pytest.raises(StepRefused) as refused:
        due_on(date(2026, 9, 1), days)
    assert str(refused.value).startswith("整改期限：") and f"{days} 天" in str(refused.value)
    assert "1 到 90 天" in str(refused.value)


def test_the_default_time_to_fix_is_allowed():
    assert 1 <= rules.FIX_DAYS <= rules.FIX_DAYS_MAX
    assert due_on(date(2026, 9, 1), rules.FIX_DAYS) == date(2026, 9, 16)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STATUSES), st.one_of(st.none(), DAYS), DAYS)
def test_only_an_assigned_report_past_its_deadline_is_late(status, due, today):
    assert late(status, due, today) == (status == "assigned" and due is not None and due < today)


def test_the_last_day_is_still_in_time():
    day = date(2026, 9, 10)
    assert not late("assigned", day, day)
    assert late("assigned", day, day + timedelta(days=1))
    assert not late("fixed", day, day + timedelta(days=30))  # waiting for verification is not the unit's delay
