"""`gaizao tick`: overdue work climbs the ladder by itself, once a day, nobody skipped, exemptions on record."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from gaizao.supervision import services, tick
from gaizao.supervision.models import Escalation, Rectification, TickRun
from tests.supervision.conftest import proof


def today():
    return timezone.localdate()


@pytest.fixture
def item(world):
    return services.item_create(by=world.olivia.user, unit=world.street_a, title="拆后清理", deadline=today())


def run(day):
    return tick.run(day)


def test_an_overdue_item_is_listed_the_day_after_its_deadline_and_a_second_run_adds_nothing(world, item):
    assert run(today()).climbed == []
    tomorrow = today() + timedelta(days=1)
    assert [c.rung.name for c in run(tomorrow).climbed] == ["挂牌督办"]
    assert run(tomorrow).climbed == []
    listed = Escalation.objects.get()
    assert (listed.unit, listed.overdue_since, listed.opened_on) == (world.street_a, tomorrow, tomorrow)
    assert "艾丽" in listed.summoned
    assert TickRun.objects.count() == 3  # every run is on record


def test_the_interview_follows_a_week_later_and_the_referral_a_week_after(world, item):
    start = today() + timedelta(days=1)
    for offset in range(0, 16):
        run(start + timedelta(days=offset))
    assert list(Escalation.objects.order_by("opened_on").values_list("rung_name", "opened_on")) == [
        ("挂牌督办", start),
        ("约谈", start + timedelta(days=7)),
        ("移送问责", start + timedelta(days=14)),
    ]


def test_work_done_resolves_the_escalation_and_overdue_again_goes_on_from_there(world, item):
    start = today() + timedelta(days=1)
    run(start)
    services.item_feedback(by=world.alice.user, item=item, text="已清理完毕", evidence=proof(world.alice), done=True)
    assert run(start + timedelta(days=1)).resolved == 1
    assert Escalation.objects.get().resolved_on == start + timedelta(days=1)
    services.item_review(by=world.olivia.user, item=item, accept=False, note="现场仍有建筑垃圾")
    later = start + timedelta(days=8)
    assert [c.rung.name for c in run(later).climbed] == ["约谈"]


def test_an_exempted_unit_is_skipped_and_the_exemption_is_shown(world, item):
    with pytest.raises(ValidationError, match="理由"):
        services.exemption_grant(
            by=world.olivia.user, unit=world.street_a, reason="", until=today() + timedelta(days=30)
        )
    services.exemption_grant(
        by=world.olivia.user, unit=world.street_a, reason="汛期抢险，暂停拆除作业", until=today() + timedelta(days=30)
    )
    report = run(today() + timedelta(days=1))
    assert report.climbed == [] and "汛期抢险" in report.exempt[0]


def test_a_rectification_not_answered_in_time_climbs_and_one_answered_does_not(world):
    notice = services.notice_publish(
        by=world.olivia.user,
        title="第3期督查通报",
        published_on=today(),
        problems=[(world.street_a, "拆后场地未清理", today()), (world.street_b, "台账不全", today())],
    )
    a, b = Rectification.objects.filter(notice=notice).order_by("unit__name")
    answered = b if b.unit == world.street_b else a
    services.rectification_answer(by=world.bob.user, rectification=answered, answer="已补全", evidence=proof(world.bob))
    climbed = run(today() + timedelta(days=1)).climbed
    assert [(c.subject.kind, c.subject.unit) for c in climbed] == [("rectification", world.street_a.pk)]


def test_the_command_dry_run_writes_nothing_and_a_bad_date_is_refused(world, item):
    out = StringIO()
    call_command("tick", "--today", (today() + timedelta(days=1)).isoformat(), "--dry-run", stdout=out)
    assert "挂牌督办：[督办事项] 拆后清理" in out.getvalue() and "试运行" in out.getvalue()
    assert not Escalation.objects.exists() and not TickRun.objects.exists()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("tick", "--today", "明天")


def test_a_ladder_with_a_loop_is_refused_and_a_custom_one_is_used(world, item):
    loop = [
        {"code": "a", "name": "挂牌", "after_days": 0, "from": None},
        {"code": "b", "name": "约谈", "after_days": 3, "from": "c"},
        {"code": "c", "name": "问责", "after_days": 3, "from": "b"},
    ]
    with pytest.raises(ValidationError, match="循环"):
        services.ladder_set(by=world.olivia.user, unit=world.district, rungs=loop)
    quick = [
        {"code": "warn", "name": "提醒", "after_days": 2, "from": None},
        {"code": "listed", "name": "挂牌督办", "after_days": 1, "from": "warn"},
    ]
    services.ladder_set(by=world.olivia.user, unit=world.district, rungs=quick)
    assert run(today() + timedelta(days=2)).climbed == []  # overdue since tomorrow: one day, the first rung needs two
    assert [c.rung.name for c in run(today() + timedelta(days=3)).climbed] == ["提醒"]
    with pytest.raises(PermissionDenied):
        services.ladder_set(by=world.alice.user, unit=world.street_a, rungs=quick)


def test_the_server_ticks_once_a_day_by_itself(world, item, monkeypatch):
    from gaizao.supervision import daily

    assert daily.tick_if_due() is True
    assert daily.tick_if_due() is False  # today's run is on record
    monkeypatch.setenv("GAIZAO_DAILY_TICK", "false")
    assert daily.start() is None
