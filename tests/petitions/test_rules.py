"""The petition rules on plain values: the legal answer time and its one extension, the same petition however
spaced, and a project's stability risk, which more repeats, overdue or unsatisfied petitions never lower."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.petitions import rules
from gaizao.petitions.rules import Counts, content_hash, due_on, extended_due, risk

LEVEL = {"low": 0, "medium": 1, "high": 2}


def test_the_answer_is_due_sixty_days_after_receipt_and_an_extension_adds_thirty():
    assert due_on(date(2026, 1, 1)) == date(2026, 3, 2)
    assert due_on(date(2026, 12, 15)) == date(2027, 2, 13)  # across the year
    assert due_on(date(2028, 1, 1)) == date(2028, 3, 1)  # 2028 is a leap year: February has 29 days
    assert extended_due(date(2026, 3, 2)) == date(2026, 4, 1)
    assert extended_due(due_on(date(2026, 1, 1))) - date(2026, 1, 1) == timedelta(days=90)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_due_dates_are_always_sixty_then_ninety_days_on(received):
    assert (due_on(received) - received).days == rules.ANSWER_DAYS == 60
    assert (extended_due(due_on(received)) - received).days == 90
    assert due_on(received) > received


def test_the_same_words_spaced_differently_are_the_same_petition_and_other_words_are_not():
    one = content_hash(7, "13800001111", "补偿标准太低，\n要求重新评估")
    assert content_hash(7, "13800001111", "  补偿 标准\t太低，要求 重新\u3000评估  ") == one
    assert content_hash(7, "13800001111", "补偿标准太低，要求重新评估!") != one
    assert content_hash(8, "13800001111", "补偿标准太低，要求重新评估") != one  # another project
    assert content_hash(7, "13800002222", "补偿标准太低，要求重新评估") != one  # another petitioner
    assert content_hash(None, "13800001111", "补偿标准太低，要求重新评估") != one
    assert len(one) == 64 and int(one, 16) >= 0


WHITESPACE = st.sampled_from([" ", "\t", "\n", "\r\n", "\u3000", "\xa0", "  "])


@settings(max_examples=200, deadline=None)
@given(
    # what a browser can send (no lone surrogates), none of it whitespace
    words=st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)).filter(lambda c: not c.isspace()), min_size=1), min_size=1
    ),
    gaps=st.lists(st.lists(WHITESPACE, max_size=3), min_size=1),
    project=st.one_of(st.none(), st.integers(min_value=1, max_value=10**6)),
    reporter=st.text(alphabet="0123456789", min_size=7, max_size=12),
)
def test_content_hash_ignores_whitespace_anywhere(words, gaps, project, reporter):
    plain = "".join(words)
    spaced = "".join(w + "".join(gaps[i % len(gaps)]) for i, w in enumerate(words))
    spaced = "".join(gaps[-1]) + spaced
    assert content_hash(project, reporter, spaced) == content_hash(project, reporter, plain)


@pytest.mark.parametrize(
    ("counts", "level", "reason"),
    [
        (Counts(), "low", ""),
        (Counts(petitions=2), "low", ""),
        (Counts(petitions=3), "medium", "近90天信访 3 件"),
        (Counts(petitions=1, unsatisfied=1), "medium", "不满意 1 件"),
        (Counts(petitions=2, repeats=1), "medium", "重复信访 1 件"),
        (Counts(petitions=3, repeats=2), "medium", "重复信访 2 件"),
        (Counts(petitions=4, repeats=3), "high", "重复信访 3 件"),
        (Counts(petitions=1, overdue=1), "high", "逾期未答复 1 件"),
        (Counts(petitions=4, group=4, group_theme="补偿标准与金额"), "medium", "近90天信访 4 件"),
        (Counts(petitions=5, group=5, group_theme="补偿标准与金额"), "high", "同一问题（补偿标准与金额）5 件"),
    ],
)
def test_the_risk_levels_at_their_thresholds(counts, level, reason):
    found = risk(counts)
    assert found.level == level
    assert found.label == {"low": "低", "medium": "中", "high": "高"}[level]
    if reason:
        assert reason in found.reasons
    else:
        assert found.reasons == ()


def test_a_high_risk_names_every_reason():
    found = risk(Counts(petitions=9, repeats=4, overdue=2, group=6, group_theme="拆迁行为"))
    assert found.reasons == ("重复信访 4 件", "逾期未答复 2 件", "同一问题（拆迁行为）6 件")


COUNTS = st.builds(
    Counts,
    petitions=st.integers(0, 30),
    repeats=st.integers(0, 30),
    overdue=st.integers(0, 30),
    unsatisfied=st.integers(0, 30),
    group=st.integers(0, 30),
    group_theme=st.sampled_from(["", "补偿标准与金额", "其他"]),
)


@settings(max_examples=300, deadline=None)
@given(
    counts=COUNTS,
    field=st.sampled_from(["petitions", "repeats", "overdue", "unsatisfied", "group"]),
    more=st.integers(1, 10),
)
def test_more_repeats_overdue_or_complaints_never_lower_the_risk(counts, field, more):
    worse = replace(counts, **{field: getattr(counts, field) + more})
    assert LEVEL[risk(worse).level] >= LEVEL[risk(counts).level]


@settings(max_examples=200, deadline=None)
@given(counts=COUNTS)
def test_any_overdue_or_three_repeats_is_high_whatever_else(counts):
    assert risk(replace(counts, overdue=counts.overdue + 1)).level == "high"
    assert risk(replace(counts, repeats=max(counts.repeats, 3))).level == "high"
    if risk(counts).level == "low":
        assert risk(counts).reasons == ()
    else:
        assert risk(counts).reasons
