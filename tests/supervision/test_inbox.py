"""Each official's inbox, and the daily e-mail when SMTP is configured."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gaizao.supervision import inbox, services
from tests.supervision.conftest import proof


def today():
    return timezone.localdate()


def test_the_street_sees_its_items_and_rectifications_and_the_office_what_awaits_review(world):
    item = services.item_create(by=world.olivia.user, unit=world.street_a, title="拆后清理", deadline=today())
    services.notice_publish(
        by=world.olivia.user,
        title="通报",
        published_on=today(),
        problems=[(world.street_a, "围挡缺失", today() + timedelta(days=3))],
    )
    street = inbox.entries(world.alice.user)
    assert [(e.kind, e.title) for e in street] == [("督办事项", "拆后清理"), ("整改", "围挡缺失")]
    assert inbox.entries(world.bob.user) == []
    services.item_feedback(by=world.alice.user, item=item, text="已清理", evidence=proof(world.alice), done=True)
    assert [e.kind for e in inbox.entries(world.olivia.user)] == ["待验收"]
    page = world.client(world.alice).get(reverse("supervision:inbox")).content.decode()
    assert "围挡缺失" in page and "拆后清理" not in page


def test_the_daily_mail_goes_only_when_smtp_is_set(world, settings):
    world.alice.user.email = "alice@example.org"
    world.alice.user.save()
    services.item_create(by=world.olivia.user, unit=world.street_a, title="拆后清理", deadline=today())
    settings.EMAIL_HOST = ""
    assert inbox.send_digests(today()) == 0
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert inbox.send_digests(today() + timedelta(days=1)) == 1
    assert mail.outbox[0].to == ["alice@example.org"] and "【逾期】督办事项：拆后清理" in mail.outbox[0].body


def test_an_item_reported_on_weekly_is_due_for_feedback_a_week_after_the_last(world):
    item = services.item_create(
        by=world.olivia.user,
        unit=world.street_a,
        title="周报进展",
        deadline=today() + timedelta(days=30),
        report_every=7,
    )
    due = [e for e in inbox.entries(world.alice.user) if e.kind == "反馈到期"]
    assert [e.deadline for e in due] == [today() + timedelta(days=7)]
    services.item_feedback(by=world.alice.user, item=item, text="本周入户5户", evidence=None)
    assert [e.deadline for e in inbox.entries(world.alice.user) if e.kind == "反馈到期"] == [
        today() + timedelta(days=7)
    ]
    assert not [e for e in inbox.entries(world.alice.user) if e.kind == "反馈到期" and e.overdue(today())]
