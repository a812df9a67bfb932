"""复核 then 锁定: reviewed facts are locked, and only a second official, with a reason, unlocks them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gaizao.core.crypto import decrypt
from gaizao.ledger.models import EventKind, HouseholdEvent, Wish
from gaizao.ledger.services import (
    household_lock,
    household_review,
    household_unlock,
    household_update,
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def refused(func, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        func(**kwargs)
    return "；".join(caught.value.messages)


def locked_by_alice(world):
    house = world.house_a
    household_review(by=world.alice.user, household=house)
    household_lock(by=world.alice.user, household=house)
    house.refresh_from_db()
    return house


def events(house, kind) -> list[HouseholdEvent]:
    return list(HouseholdEvent.objects.filter(household=house, kind=kind).order_by("id"))


def test_a_household_cannot_be_locked_before_it_is_reviewed(world):
    house = world.house_a
    assert refused(household_lock, by=world.alice.user, household=house) == "调查数据须先复核，才能锁定"
    house.refresh_from_db()
    assert not house.locked
    assert events(house, EventKind.LOCKED) == []


def test_review_then_lock_records_who_and_when_as_events(world):
    house = world.house_a
    reviewed = household_review(by=world.alice.user, household=house, note="入户核对无误")
    locked = household_lock(by=world.alice.user, household=house)

    house.refresh_from_db()
    assert house.reviewed_by == world.alice.user and house.reviewed_at is not None
    assert house.locked and house.locked_by == world.alice.user
    assert (reviewed.kind, reviewed.note) == (EventKind.REVIEWED, "入户核对无误")
    assert (locked.kind, locked.by) == (EventKind.LOCKED, world.alice.user)
    assert events(house, EventKind.LOCKED) == [locked]


def test_a_locked_household_cannot_be_locked_or_reviewed_again(world):
    house = locked_by_alice(world)
    assert refused(household_lock, by=world.alice.user, household=house) == "该户已经锁定"
    assert refused(household_review, by=world.alice.user, household=house) == "该户已锁定，无需复核"


@pytest.mark.parametrize(
    "field, value, label",
    [("owner_name", "张三", "户主姓名"), ("id_number", "110105194912310029", "身份证号"), ("persons", 5, "家庭人口")],
)
def test_locked_survey_facts_cannot_be_changed(world, field, value, label):
    house = locked_by_alice(world)
    before = getattr(house, field)

    message = refused(household_update, by=world.olivia.user, household=house, changes={field: value})

    assert "已锁定" in message and label in message and "解锁" in message
    house.refresh_from_db()
    assert getattr(house, field) == before
    assert events(house, EventKind.UPDATED) == []


def test_wish_and_phone_stay_editable_after_the_lock(world):
    house = locked_by_alice(world)

    event = household_update(
        by=world.alice.user, household=house, changes={"wish": Wish.AGREE, "phone": "13900001111"}, note="电话回访"
    )

    house.refresh_from_db()
    assert (house.wish, house.phone) == (Wish.AGREE, "13900001111")
    assert event.changes["wish"] == ["", "agree"]
    assert [decrypt(v) for v in event.changes["phone"]] == ["13812345678", "13900001111"]  # kept encrypted
    assert house.locked


def test_a_locked_fact_set_to_its_own_value_is_no_change(world):
    house = locked_by_alice(world)
    assert household_update(by=world.alice.user, household=house, changes={"owner_name": "张三明"}) is None


def test_unlock_needs_a_reason(world):
    house = locked_by_alice(world)
    for reason in ("", "   \n"):
        assert refused(household_unlock, by=world.olivia.user, household=house, reason=reason) == "解锁须写明理由"
    house.refresh_from_db()
    assert house.locked


def test_the_official_who_locked_cannot_unlock(world):
    house = locked_by_alice(world)
    message = refused(household_unlock, by=world.alice.user, household=house, reason="身份证号录错")
    assert message == "解锁须由锁定人以外的第二人办理"
    house.refresh_from_db()
    assert house.locked
    assert events(house, EventKind.UNLOCKED) == []


def test_a_second_official_unlocks_with_a_reason_and_the_facts_can_change_again(world):
    house = locked_by_alice(world)

    event = household_unlock(by=world.olivia.user, household=house, reason="  户主身份证号录错一位  ")

    house.refresh_from_db()
    assert not house.locked and house.locked_by is None
    assert house.reviewed_at is None, "an unlocked household must be reviewed again"
    assert (event.kind, event.by, event.note) == (EventKind.UNLOCKED, world.olivia.user, "户主身份证号录错一位")
    household_update(by=world.alice.user, household=house, changes={"owner_name": "张三民"})
    house.refresh_from_db()
    assert house.owner_name == "张三民"
    assert refused(household_lock, by=world.alice.user, household=house) == "调查数据须先复核，才能锁定"


def test_unlocking_a_household_that_is_not_locked_is_refused(world):
    assert refused(household_unlock, by=world.olivia.user, household=world.house_a, reason="误操作") == "该户没有锁定"


def test_lock_and_unlock_appear_in_the_history_in_order(world):
    house = locked_by_alice(world)
    household_unlock(by=world.olivia.user, household=house, reason="更正姓名")
    kinds = list(HouseholdEvent.objects.filter(household=house).order_by("at", "id").values_list("kind", "by", "note"))
    assert kinds == [
        (EventKind.CREATED, None, "手工建档"),
        (EventKind.REVIEWED, world.alice.user.pk, ""),
        (EventKind.LOCKED, world.alice.user.pk, ""),
        (EventKind.UNLOCKED, world.olivia.user.pk, "更正姓名"),
    ]


# ---- the same through the buttons ---------------------------------------------------------------


def post(client, name, house, data=None) -> str:
    response = client.post(reverse(f"ledger:{name}", args=[house.pk]), data or {}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("ledger:household_detail", args=[house.pk])
    return response.content.decode()


def test_the_lock_button_before_review_shows_the_refusal(world):
    page = post(world.client(world.alice), "household_lock", world.house_a)
    assert "调查数据须先复核，才能锁定" in page
    world.house_a.refresh_from_db()
    assert not world.house_a.locked


def test_review_lock_and_unlock_through_the_buttons(world):
    alice, olivia, house = world.client(world.alice), world.client(world.olivia), world.house_a

    page = post(alice, "household_review", house)
    assert "已保存" in page and "已复核" in page and "锁定调查数据" in page

    page = post(alice, "household_lock", house)
    assert "已保存" in page and "已锁定" in page and "解锁理由" in page
    house.refresh_from_db()
    assert house.locked_by == world.alice.user

    page = post(alice, "household_unlock", house, {"reason": "姓名有误"})
    assert "解锁须由锁定人以外的第二人办理" in page
    house.refresh_from_db()
    assert house.locked

    page = post(olivia, "household_unlock", house, {"reason": ""})
    assert "解锁须写明理由" in page
    house.refresh_from_db()
    assert house.locked

    page = post(olivia, "household_unlock", house, {"reason": "姓名有误"})
    assert "已保存" in page and "复核通过" in page
    house.refresh_from_db()
    assert not house.locked
    assert [e.note for e in events(house, EventKind.UNLOCKED)] == ["姓名有误"]
    assert "解锁" in page and "姓名有误" in page  # the unlock and its reason are in the timeline


def test_the_edit_form_keeps_wish_and_phone_editable_on_a_locked_household(world):
    house = locked_by_alice(world)
    page = post(world.client(world.alice), "household_edit", house, {"phone": "13900001111", "wish": "agree"})
    assert "已保存" in page
    house.refresh_from_db()
    assert (house.phone, house.wish) == ("13900001111", "agree")


def test_a_read_only_official_gets_no_lock(world):
    response = world.client(world.ivy).post(reverse("ledger:household_review", args=[world.house_a.pk]))
    assert response.status_code == 403
    assert "您的角色只能查看，不能修改" in response.content.decode()
    world.house_a.refresh_from_db()
    assert world.house_a.reviewed_at is None
