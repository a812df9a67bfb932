"""Supervision items and notices: issued by the office, answered with evidence by the unit, accepted or sent back."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaizao.supervision import services
from gaizao.supervision.models import ItemStatus, Notice, RectificationStatus, SupervisionItem
from tests.supervision.conftest import proof


def today():
    return timezone.localdate()


def test_an_item_with_a_deadline_in_the_past_is_refused(world):
    with pytest.raises(ValidationError, match="已经过去"):
        services.item_create(by=world.olivia.user, unit=world.street_a, title="x", deadline=today() - timedelta(days=1))
    assert not SupervisionItem.objects.exists()


def test_only_the_office_issues_items(world):
    with pytest.raises(PermissionDenied):
        services.item_create(by=world.alice.user, unit=world.street_a, title="x", deadline=today())


def test_the_unit_reports_back_and_the_office_accepts(world):
    item = services.item_create(by=world.olivia.user, unit=world.street_a, title="约谈钉子户", deadline=today())
    services.item_feedback(by=world.alice.user, item=item, text="已入户两次", evidence=None)
    with pytest.raises(ValidationError, match="佐证"):
        services.item_feedback(by=world.alice.user, item=item, text="已签约", evidence=None, done=True)
    with pytest.raises(PermissionDenied):
        services.item_feedback(by=world.bob.user, item=item, text="代报", evidence=None)
    services.item_feedback(by=world.alice.user, item=item, text="已签约", evidence=proof(world.alice), done=True)
    with pytest.raises(ValidationError, match="理由"):
        services.item_review(by=world.olivia.user, item=item, accept=False)
    closed = services.item_review(by=world.olivia.user, item=item, accept=True, note="核实无误")
    assert closed.status == ItemStatus.CLOSED and closed.closed_on == today()


def test_a_notice_becomes_rectifications_answered_with_evidence_and_reviewed(world):
    with pytest.raises(ValidationError, match="早于通报日期"):
        services.notice_publish(
            by=world.olivia.user,
            title="通报",
            published_on=today(),
            problems=[(world.street_a, "问题", today() - timedelta(days=1))],
        )
    assert not Notice.objects.exists()
    notice = services.notice_publish(
        by=world.olivia.user,
        title="第3期督查通报",
        published_on=today(),
        problems=[(world.street_a, "拆后场地未清理", today() + timedelta(days=7))],
    )
    rectification = notice.rectifications.get()
    with pytest.raises(ValidationError, match="佐证"):
        services.rectification_answer(by=world.alice.user, rectification=rectification, answer="已清理", evidence=None)
    services.rectification_answer(
        by=world.alice.user, rectification=rectification, answer="已清理", evidence=proof(world.alice)
    )
    returned = services.rectification_review(
        by=world.olivia.user, rectification=rectification, accept=False, note="照片不清"
    )
    assert returned.status == RectificationStatus.RETURNED
    services.rectification_answer(
        by=world.alice.user, rectification=rectification, answer="补拍", evidence=proof(world.alice)
    )
    accepted = services.rectification_review(by=world.olivia.user, rectification=rectification, accept=True)
    assert accepted.status == RectificationStatus.ACCEPTED
