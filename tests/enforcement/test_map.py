"""The cases on a map: the cases the user sees, as compact rows (points, and outlines in degrees), coloured by
status and filtered by kind and status; the cases with no position counted and listed below."""

import json
import re

from django.urls import reverse

from gaizao.enforcement import selectors, services

from .test_cases import new_case, take_down

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[117.27, 31.88], [117.2702, 31.88], [117.2702, 31.8802], [117.27, 31.8802], [117.27, 31.88]]],
}
METRES = {
    "type": "Polygon",
    "coordinates": [[[500000, 3500000], [500010, 3500000], [500010, 3500010], [500000, 3500000]]],
}


def test_located_cases_are_points_with_their_outlines_and_the_others_are_listed(world):
    here = new_case(world, longitude="117.2701", latitude="31.8801", outline=SQUARE)
    derived = new_case(world, kind="stock", outline=SQUARE)  # placed inside its outline
    nowhere = new_case(world, location="人民路无坐标处")
    in_metres = new_case(world, outline=METRES, location="米制轮廓")
    data = selectors.case_map(fetched_by=world.alice.user)
    found, stock, new = (
        data["statuses"].index("已发现"),
        data["kinds"].index("存量违建"),
        data["kinds"].index("新增违建"),
    )
    assert sorted(row[2:] for row in data["points"]) == sorted(
        [[here.pk, found, new, here.code], [derived.pk, found, stock, derived.code]]
    )
    assert [117.2701, 31.8801] in [row[:2] for row in data["points"]]
    assert {row[0] for row in data["outlines"]} == {here.pk, derived.pk}
    assert data["outlines"][0][3] == [SQUARE["coordinates"][0]]
    assert data["unlocated_count"] == 2 and {c["code"] for c in data["unlocated"]} == {nowhere.code, in_metres.code}
    assert data["unlocated"][0]["status"] == "已发现" and data["unlocated"][0]["unit_name"] == "城关街道"


def test_the_map_filters_by_kind_and_status(world):
    stock = new_case(world, kind="stock", longitude="117.27", latitude="31.88")
    new = new_case(world, longitude="117.28", latitude="31.89")
    take_down(world, new)
    by_kind = selectors.case_map(fetched_by=world.alice.user, kind="stock")
    assert [row[2] for row in by_kind["points"]] == [stock.pk]
    by_status = selectors.case_map(fetched_by=world.alice.user, status="demolished")
    assert [row[2] for row in by_status["points"]] == [new.pk]


def test_the_map_page_shows_only_the_cases_in_scope(world):
    ours = new_case(world, longitude="117.27", latitude="31.88")
    theirs = new_case(world, by=world.bob, unit=world.street_b, longitude="117.3", latitude="31.9")
    unplaced = new_case(world, location="人民路无坐标处")
    page = world.client(world.alice).get(reverse("enforcement:map")).content.decode()
    rows = json.loads(re.search(r'<script id="case-map-data" type="application/json">(.*?)</script>', page).group(1))
    assert [row[2] for row in rows["points"]] == [ours.pk]
    assert theirs.code not in page and "1 件未标注位置" in page and unplaced.code in page
    assert "vendor/echarts-5.6.0.min.js" in page and 'id="case-map"' in page
    office = world.client(world.olivia).get(reverse("enforcement:map")).content.decode()
    assert ours.code in office and theirs.code in office
    other_district = world.client(world.pat).get(reverse("enforcement:map")).content.decode()
    assert ours.code not in other_district and "0 件未标注位置" in other_district
    assert reverse("enforcement:map") in world.client(world.alice).get(reverse("enforcement:cases")).content.decode()


def test_the_map_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(3):
        new_case(world, longitude=f"117.2{n}", latitude="31.88", outline=SQUARE)
        new_case(world, location=f"无坐标{n}")
    client = world.client(world.olivia)
    client.get(reverse("enforcement:map"))
    with django_assert_max_num_queries(12):
        client.get(reverse("enforcement:map"))
    for n in range(10):
        new_case(world, longitude=f"117.3{n}", latitude="31.88", outline=SQUARE)
        new_case(world, location=f"又无坐标{n}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("enforcement:map")).status_code == 200


def test_a_survey_find_is_placed_on_the_map_by_its_outline(world):
    case = services.case_create(
        by=world.alice.user,
        unit=world.street_a,
        source="survey",
        kind="new",
        location="比对发现",
        footprint_area=1,
        area=1,
        outline=SQUARE,
    )
    assert case.status == "candidate" and case.longitude is not None
    data = selectors.case_map(fetched_by=world.alice.user)
    assert [row[2] for row in data["points"]] == [case.pk] and data["statuses"][data["points"][0][3]] == "待核实"
