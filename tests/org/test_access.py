"""The scoping layer as a matrix: each persona × each way in (page, export, API), out of scope is 404."""

import pytest
from django.urls import reverse

from gaizao.ledger.models import Household
from gaizao.org.access import scope_households, visible_unit_ids

# who sees which household: (persona, house_a, house_b, house_held)
SEES = [
    ("alice", True, False, False),
    ("bob", False, True, True),
    ("olivia", True, True, True),
    ("lee", True, True, True),
    ("ivy", True, True, True),
    ("tom", False, False, True),
    ("pat", False, False, False),
]
CHANGES = {"alice", "bob", "olivia", "tom"}


def visible_numbers(world, persona) -> set[str]:
    user = getattr(world, persona).user
    return set(scope_households(Household.objects.all(), user).values_list("number", flat=True))


@pytest.mark.parametrize("persona, a, b, held", SEES)
def test_scope_decides_which_households_a_persona_sees(world, persona, a, b, held):
    expected = {n for n, seen in (("A001", a), ("B001", b), ("B002", held)) if seen}
    assert visible_numbers(world, persona) == expected


@pytest.mark.parametrize("persona, a, b, held", SEES)
def test_household_page_answers_404_outside_scope(world, persona, a, b, held):
    client = world.client(getattr(world, persona))
    for house, seen in ((world.house_a, a), (world.house_b, b), (world.house_held, held)):
        response = client.get(reverse("ledger:household_detail", args=[house.pk]))
        assert response.status_code == (200 if seen else 404), (persona, house.number)


@pytest.mark.parametrize("persona, a, b, held", SEES)
def test_api_detail_answers_404_outside_scope(world, persona, a, b, held):
    client = world.client(getattr(world, persona))
    for house, seen in ((world.house_a, a), (world.house_b, b), (world.house_held, held)):
        response = client.get(reverse("api:household", args=[house.pk]))
        assert response.status_code == (200 if seen else 404), (persona, house.number)


@pytest.mark.parametrize("persona, a, b, held", SEES)
def test_list_and_api_list_show_only_the_scope(world, persona, a, b, held):
    client = world.client(getattr(world, persona))
    expected = {n for n, seen in (("A001", a), ("B001", b), ("B002", held)) if seen}
    api = client.get(reverse("api:households")).json()
    assert {row["number"] for row in api["results"]} == expected
    page = client.get(reverse("ledger:household_list")).content.decode()
    for number in ("A001", "B001", "B002"):
        assert (f">{number}</a>" in page) == (number in expected), (persona, number)


@pytest.mark.parametrize("persona, a, b, held", SEES)
def test_export_holds_only_the_scope(world, persona, a, b, held, tmp_path):
    from python_calamine import CalamineWorkbook

    client = world.client(getattr(world, persona))
    response = client.get(reverse("ledger:export"))
    assert response.status_code == 200
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    book = CalamineWorkbook.from_path(str(path))
    numbers = {row[0] for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()[1:]}
    expected = {n for n, seen in (("A001", a), ("B001", b), ("B002", held)) if seen}
    assert numbers == expected


@pytest.mark.parametrize("persona, a, b, held", SEES)
def test_stage_change_needs_scope_and_the_right_to_change(world, persona, a, b, held):
    client = world.client(getattr(world, persona))
    for house, seen in ((world.house_a, a), (world.house_b, b), (world.house_held, held)):
        response = client.post(reverse("ledger:household_review", args=[house.pk]))
        house.refresh_from_db()
        if not seen:
            assert response.status_code == 404
        assert (house.reviewed_at is not None) == (seen and persona in CHANGES), (persona, house.number)


@pytest.mark.parametrize("persona, a, b, held", SEES)
def test_api_stage_change_is_scoped_the_same_way(world, persona, a, b, held):
    client = world.client(getattr(world, persona))
    for house, seen in ((world.house_a, a), (world.house_b, b), (world.house_held, held)):
        house.reviewed_at = house.updated_at
        house.save()
        response = client.post(reverse("api:household_stage", args=[house.pk]), {"stage": "appraised"})
        expected = 404 if not seen else 200 if persona in CHANGES else 403
        assert response.status_code == expected, (persona, house.number, response.content)


def test_anonymous_gets_login_page_and_api_401(world):
    client = world.client(None)
    response = client.get(reverse("ledger:household_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("api:households")).status_code == 401


def test_headquarters_jurisdiction_covers_the_district(world):
    ids = visible_unit_ids(world.olivia.user)
    assert {world.street_a.id, world.street_b.id, world.support.id} <= ids


def test_read_everywhere_roles_change_nothing(world):
    client = world.client(world.ivy)
    response = client.post(reverse("ledger:household_review", args=[world.house_a.pk]))
    assert response.status_code == 403
    world.house_a.refresh_from_db()
    assert world.house_a.reviewed_at is None
