"""每周一调度: the agenda is what is red; decisions are tracked until their owner closes them with evidence."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.progress import meetings, services
from gaizao.progress.models import ActionItem, ActionStatus, Meeting
from tests.progress.conftest import proof, upload


@pytest.fixture
def lagging(world, set_target):
    """Street A far behind its share of the district's target (nothing signed, 10% of the period gone)."""
    district = set_target(world.district, 100)
    services.target_split(by=world.olivia.user, target=district, shares={world.street_a: 60, world.street_b: 40})


@pytest.fixture
def meeting(world, lagging, today):
    return meetings.meeting_create(by=world.olivia.user, unit=world.olivia.unit, held_on=today)


def test_the_agenda_names_the_red_targets_and_the_missing_reports(world, meeting):
    texts = [item["text"] for item in meeting.agenda]
    assert any(text.startswith(f"{world.street_a.name} 签约：完成率 0.0%") for text in texts)
    assert any(f"{world.street_b.name} 近7天缺报日报" in text for text in texts)
    assert meeting.title.endswith("调度会")


def test_only_the_office_calls_the_meeting(world, lagging, today):
    with pytest.raises(PermissionDenied):
        meetings.meeting_create(by=world.alice.user, unit=world.street_a, held_on=today)
    assert not Meeting.objects.exists()


def add(world, meeting, today, days=7):
    return meetings.action_add(
        by=world.olivia.user,
        meeting=meeting,
        text="逐户制定攻坚方案",
        owner=world.street_a,
        deadline=today + timedelta(days=days),
    )


def test_an_action_due_before_the_meeting_is_refused(world, meeting, today):
    with pytest.raises(ValidationError, match="早于会议日期"):
        add(world, meeting, today, days=-1)
    assert not ActionItem.objects.exists()


def test_the_owner_closes_an_action_with_its_outcome_and_evidence(world, meeting, today):
    item = add(world, meeting, today)
    with pytest.raises(ValidationError, match="佐证"):
        meetings.action_close(by=world.alice.user, item=item, outcome="已完成", evidence=None)
    with pytest.raises(PermissionDenied):
        meetings.action_close(by=world.bob.user, item=item, outcome="已完成", evidence=proof(world.bob))
    done = meetings.action_close(by=world.alice.user, item=item, outcome="方案已制定", evidence=proof(world.alice))
    assert done.status == ActionStatus.DONE and done.closed_on == today
    with pytest.raises(ValidationError, match="已于"):
        meetings.action_close(by=world.alice.user, item=item, outcome="再次", evidence=proof(world.alice))


def test_an_open_action_past_its_deadline_is_overdue_and_on_the_next_agenda(world, meeting, today):
    item = add(world, meeting, today, days=1)
    assert list(meetings.overdue(today + timedelta(days=2))) == [item]
    assert not meetings.overdue(today).exists()
    later = meetings.meeting_create(by=world.olivia.user, unit=world.olivia.unit, held_on=today + timedelta(days=7))
    assert any(entry["text"].startswith("逾期未办结：逐户制定攻坚方案") for entry in later.agenda)


def test_the_meeting_page_records_decisions_and_the_owner_closes_them(world, meeting, today):
    office = world.client(world.olivia)
    url = reverse("progress:meeting", args=[meeting.pk])
    office.post(url, {"minutes": "逐一点评滞后街道"})
    office.post(
        url, {"text": "一周内完成拆除", "owner": world.street_a.pk, "deadline": (today + timedelta(days=7)).isoformat()}
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "逐一点评滞后街道"
    item = ActionItem.objects.get()
    street = world.client(world.alice)
    unit_page = street.get(reverse("progress:unit", args=[world.street_a.pk])).content.decode()
    assert "一周内完成拆除" in unit_page
    street.post(reverse("progress:action_close", args=[item.pk]), {"outcome": "已拆除", "evidence": upload("现场.pdf")})
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.evidence is not None


def test_out_of_scope_users_do_not_see_the_meeting(world, meeting):
    for persona in (world.pat, world.alice):
        assert world.client(persona).get(reverse("progress:meeting", args=[meeting.pk])).status_code == 404
