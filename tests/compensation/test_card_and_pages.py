"""The household's compensation card and the standard pages, as the officials see them."""

from pathlib import Path

import pytest
from django.urls import reverse

SHANTYTOWN = Path(__file__).resolve().parents[2] / "src/gaizao/compensation/examples/shantytown-state-land.toml"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def published(shantytown):
    return shantytown


def card(world, official, house, **query) -> str:
    url = reverse("compensation:household_card", args=[house.pk])
    return world.client(official).get(url, query).content.decode()


def test_the_card_explains_every_line_with_its_formula_and_rule(world, published):
    page = card(world, world.alice, world.house_a)
    assert "被征收房屋价值补偿" in page and "600000.00" in page  # 100 ㎡ × 6000
    assert "appraised_value" in page and "条例第十九条" in page
    # 600000 + relocation 100 × 15 = 1500 + six months 100 × 12 × 6 = 7200 + day-1 reward 30000
    assert "638700.00" in page and "陆拾叁万捌仟柒佰元整" in page
    assert "2026-1" in page


def test_a_what_if_choice_and_flat_change_the_lines(world, published):
    page = card(world, world.alice, world.house_a, choice="swap", flat_area="120", flat_price="5000")
    assert "安置房等面积部分房款" in page and "-500000.00" in page  # min(120, 100) × 5000
    assert "扩大面积成本价部分" in page and "-42000.00" in page  # 10 ㎡ × 4200


def test_bad_what_if_values_are_named_and_left_out(world, published):
    page = card(world, world.alice, world.house_a, signed_on="2026-13-01", flat_area="-5")
    assert "签约日期“2026-13-01”不是日期" in page and "安置房面积不能为负数" in page


def test_a_household_out_of_scope_has_no_card(world, published):
    url = reverse("compensation:household_card", args=[world.house_a.pk])
    assert world.client(world.bob).get(url).status_code == 404


def test_without_a_published_standard_the_card_says_so(world):
    assert "尚未公布补偿方案" in card(world, world.alice, world.house_a)


def test_the_standard_page_lists_lines_tiers_and_the_text(world, published):
    page = world.client(world.alice).get(reverse("compensation:standard_detail", args=[published.pk])).content.decode()
    assert "按期签约奖励" in page and "signing_day" in page and "1–15" in page
    assert "[standard]" in page


def test_another_districts_official_cannot_open_the_standard(world, published):
    url = reverse("compensation:standard_detail", args=[published.pk])
    assert world.client(world.pat).get(url).status_code == 404
    assert "北站片区" not in world.client(world.pat).get(reverse("compensation:standard_list")).content.decode()


def test_the_standard_page_works_an_example_through_every_option(world, published):
    page = world.client(world.alice).get(reverse("compensation:standard_detail", args=[published.pk])).content.decode()
    assert "算例" in page and "货币补偿" in page and "产权调换" in page and "房票" in page
    # the example home: 80 ㎡ × 8000 = 640000 in every option
    assert page.count("640000.00") >= 3


def test_the_api_gives_the_card_the_agreements_and_the_standards_in_scope(world, published):
    client = world.client(world.alice)
    card = client.get(reverse("api:compensation", args=[world.house_a.pk]), {"choice": "money"}).json()
    assert card["total"] == "638700.00" and card["lines"][0]["name"] == "house_value"
    assert client.get(reverse("api:agreements", args=[world.house_a.pk])).json() == []
    assert [s["version"] for s in client.get(reverse("api:standards")).json()["results"]] == ["2026-1"]
    assert world.client(world.bob).get(reverse("api:compensation", args=[world.house_a.pk])).status_code == 404
    assert world.client(world.pat).get(reverse("api:standards")).json()["results"] == []
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/households/{id}/compensation/" in schema
