"""Family members and their special groups (困难群体): recorded on the household page, every change an event,
and read by the compensation standards."""

import pytest
from django.urls import reverse

from gaizao.ledger.models import HouseholdEvent, Member
from gaizao.ledger.services import household_lock, household_review, member_create


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_member_is_added_with_groups_from_the_page(world):
    client = world.client(world.alice)
    url = reverse("ledger:member_add", args=[world.house_a.pk])
    client.post(url, {"name": "张小明", "relation": "子", "id_number": "11010520100101074x", "groups": ["disabled"]})
    member = Member.objects.get(household=world.house_a)
    assert member.id_number == "11010520100101074X" and member.special_groups == ["disabled"]
    assert HouseholdEvent.objects.filter(household=world.house_a, note__contains="增加家庭成员 张小明").exists()


def test_changing_groups_leaves_an_event(world):
    member = member_create(by=world.alice.user, household=world.house_a, name="张小明", relation="子")
    client = world.client(world.alice)
    client.post(reverse("ledger:member_groups", args=[world.house_a.pk, member.pk]), {"groups": ["dibao", "critical"]})
    member.refresh_from_db()
    assert member.special_groups == ["critical", "dibao"]
    assert HouseholdEvent.objects.filter(note__contains="困难群体：无 → 重症、低保").exists()


def test_bad_member_input_is_refused_in_chinese(world):
    client = world.client(world.alice)
    url = reverse("ledger:member_add", args=[world.house_a.pk])
    page = client.post(url, {"name": "李四", "id_number": "110105201001010011"}, follow=True).content.decode()
    assert "家庭成员身份证号" in page and "校验位错误" in page
    page = client.post(url, {"name": "李四", "groups": ["rich"]}, follow=True).content.decode()
    assert "困难群体“rich”无效" in page
    assert not Member.objects.exists()


def test_no_member_is_added_to_locked_facts(world):
    household_review(by=world.olivia.user, household=world.house_a)
    household_lock(by=world.olivia.user, household=world.house_a)
    page = (
        world.client(world.alice)
        .post(reverse("ledger:member_add", args=[world.house_a.pk]), {"name": "王五"}, follow=True)
        .content.decode()
    )
    assert "调查数据已锁定" in page and not Member.objects.exists()


def test_out_of_scope_officials_cannot_touch_members(world):
    member = member_create(by=world.alice.user, household=world.house_a, name="张小明")
    response = world.client(world.bob).post(
        reverse("ledger:member_groups", args=[world.house_a.pk, member.pk]), {"groups": ["dibao"]}
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.special_groups == []
