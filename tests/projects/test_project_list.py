"""The projects page: each project in scope with its households counted by stage."""

import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_office_sees_every_household_of_the_project_counted(world):
    page = world.client(world.olivia).get(reverse("project_list")).content.decode()
    assert "北站片区棚户区改造" in page and "棚户区改造" in page
    assert "<b>3</b>" in page


def test_a_street_counts_only_its_own_households(world):
    page = world.client(world.alice).get(reverse("project_list")).content.decode()
    assert "北站片区棚户区改造" in page and "<b>1</b>" in page


def test_another_districts_official_sees_no_project(world):
    page = world.client(world.pat).get(reverse("project_list")).content.decode()
    assert "北站片区棚户区改造" not in page and "暂无项目" in page


def test_the_page_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = world.client(world.olivia)
    client.get(reverse("project_list"))  # the session's first request reads the login policy and notes it
    with django_assert_max_num_queries(8):
        client.get(reverse("project_list"))
