"""一天一汇报、三天一总结: street A owes a report once its target is split down to it."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gaizao.progress import rhythm, services
from gaizao.progress.models import DailyReport, Summary
from tests.progress.conftest import sign


@pytest.fixture
def due(world, set_target):
    """The district's target split between streets A and B: both owe a daily report."""
    district = set_target(world.district, 10)
    services.target_split(by=world.olivia.user, target=district, shares={world.street_a: 6, world.street_b: 4})


def at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def file(world, day, now, **words):
    return rhythm.report_file(by=world.alice.user, unit=world.street_a, day=day, now=now, **words)


def test_a_report_carries_the_days_figures_from_the_ledger(world, due, today):
    sign(world, world.house_a)
    report = file(world, today, at(today, 9), problems="一户对评估价有异议")
    assert report.figures["signed"] == "1" and not report.late
    assert report.problems == "一户对评估价有异议"


def test_after_the_cutoff_it_is_late_and_the_next_day_it_is_still_taken(world, due, today, settings):
    settings.DAILY_REPORT_CUTOFF = time(18, 0)
    yesterday = today - timedelta(days=1)
    assert file(world, yesterday, at(today, 8)).late
    assert file(world, today, at(today, 18, 1)).late


@pytest.mark.parametrize(
    ("back", "message"), [(2, "报送期已于"), (-1, "不能提前报送")], ids=["period closed", "a future day"]
)
def test_a_closed_or_future_day_is_refused(world, due, today, back, message):
    with pytest.raises(ValidationError, match=message):
        file(world, today - timedelta(days=back), at(today, 9))
    assert not DailyReport.objects.exists()


def test_a_day_is_reported_once(world, due, today):
    file(world, today, at(today, 9))
    with pytest.raises(ValidationError, match="不能重复报送"):
        file(world, today, at(today, 10))
    assert DailyReport.objects.count() == 1


def test_only_the_units_own_staff_file_its_report(world, due, today):
    with pytest.raises(PermissionDenied):
        rhythm.report_file(by=world.bob.user, unit=world.street_a, day=today, now=at(today, 9))


def test_the_roll_call_lists_the_missing(world, due, today):
    file(world, today, at(today, 9))
    calls = {unit.name: report for unit, report in rhythm.roll_call(today)}
    assert calls[world.street_a.name] is not None and calls[world.street_b.name] is None


def test_the_summary_adds_up_three_days_and_names_who_did_not_report(world, due, today):
    sign(world, world.house_a)
    file(world, today, at(today, 9), help_needed="请自然资源局协调安置地块")
    summary = rhythm.summary_draft(by=world.olivia.user, unit=world.olivia.unit, end=today)
    assert "已签约户数：1" in summary.body
    assert f"{world.street_b.name}（{today:%m-%d}）" in summary.body.split("未报：")[1]
    assert "请自然资源局协调安置地块" in summary.body
    rhythm.summary_publish(by=world.olivia.user, summary=summary, body=summary.body + "\n（已审核）")
    with pytest.raises(ValidationError, match="已发布"):
        rhythm.summary_draft(by=world.olivia.user, unit=world.olivia.unit, end=today)


def test_only_the_office_puts_summaries_together(world, due, today):
    with pytest.raises(PermissionDenied):
        rhythm.summary_draft(by=world.alice.user, unit=world.street_a, end=today)


def test_filing_through_the_page(world, due, today):
    client = world.client(world.alice)
    page = client.get(reverse("progress:reports")).content.decode()
    assert "报送本单位日报" in page and "未报" in page
    client.post(reverse("progress:reports"), {"day": today.isoformat(), "plan_tomorrow": "继续攻坚"})
    assert DailyReport.objects.get(unit=world.street_a).plan_tomorrow == "继续攻坚"
    again = client.post(reverse("progress:reports"), {"day": today.isoformat()}, follow=True).content.decode()
    assert "不能重复报送" in again


def test_the_office_publishes_a_summary_through_the_page(world, due, today):
    client = world.client(world.olivia)
    client.post(reverse("progress:summaries"))
    summary = Summary.objects.get()
    client.post(reverse("progress:summary", args=[summary.pk]), {"body": "三日总结（定稿）"})
    summary.refresh_from_db()
    assert summary.published_at and summary.body == "三日总结（定稿）"
    assert world.client(world.pat).get(reverse("progress:summary", args=[summary.pk])).status_code == 404
