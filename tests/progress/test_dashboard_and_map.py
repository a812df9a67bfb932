"""The dashboard, the big screen and the battle map: figures from the tallies, within what each user sees."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.progress import battlemap, dashboard
from gaizao.progress.models import Place
from tests.progress.conftest import sign


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def point(number, lon=117.27, lat=31.88):
    return {"type": "Feature", "properties": {"户号": number}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def outline(number):
    ring = [[117.27, 31.88], [117.271, 31.88], [117.271, 31.881], [117.27, 31.881], [117.27, 31.88]]
    return {"type": "Feature", "properties": {"number": number}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_the_dashboard_counts_from_the_tallies_within_the_users_view(world, today):
    sign(world, world.house_a)
    office = dashboard.dashboard(world.olivia.user, today)
    signed = office["trend"]["series"][0]
    assert signed["name"] == "已签约户数" and signed["data"][-1] == 1
    assert office["projects"][0]["counts"][1] == 1  # surveyed, signed, …
    street_b = dashboard.dashboard(world.bob.user, today)
    assert street_b["trend"]["series"][0]["data"][-1] == 0
    assert dashboard.dashboard(world.pat.user, today)["projects"] == []


def test_the_big_screen_lists_todays_signings_with_masked_names(world, today):
    sign(world, world.house_a)
    feed = dashboard.signings_today(world.olivia.user, today)
    owner = world.house_a.owner_name
    assert len(feed) == 1 and owner not in feed[0]["household"] and feed[0]["household"].startswith("A001 " + owner[0])
    assert dashboard.signings_today(world.bob.user, today) == []


def test_the_pages_render_and_the_data_refreshes(world):
    client = world.client(world.olivia)
    assert "chart-trend" in client.get(reverse("progress:dashboard")).content.decode()
    assert "城市更新指挥大屏" in client.get(reverse("progress:screen")).content.decode()
    data = client.get(reverse("progress:dashboard_data")).json()
    assert {"targets", "trend", "streets", "money", "signings", "countdown"} <= set(data)


def test_places_are_imported_as_points_or_outlines_and_sent_compactly(world):
    count = battlemap.places_import(
        by=world.olivia.user, project=world.project, content=geojson(point("A001"), outline("B001"))
    )
    assert count == 2
    assert Place.objects.get(household=world.house_b).outline["type"] == "Polygon"
    data = battlemap.map_data(user=world.alice.user, project=world.project)
    assert data["points"] == [[117.27, 31.88, 1, 0, world.house_a.pk]]  # Alice sees street A only
    assert len(battlemap.map_data(user=world.olivia.user, project=world.project)["points"]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "不是有效的 GeoJSON"),
        (json.dumps({"type": "Point", "coordinates": [1, 2]}).encode(), "要素集合"),
        (geojson(point("A001", lon=500)), "超出经纬度范围"),
        (
            geojson({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}),
            "没有户号",
        ),
        (geojson({"type": "Feature", "properties": {"户号": "A001"}, "geometry": {"type": "LineString"}}), "几何类型"),
        (geojson(point("NOPE")), "不是本项目中您可修改的户"),
        (geojson(point("A001"), point("A001")), "出现了不止一次"),
    ],
    ids=["not json", "not a collection", "off the globe", "no number", "a line", "unknown number", "twice"],
)
def test_a_bad_file_is_refused_whole_with_the_feature_named(world, content, message):
    with pytest.raises(ValidationError, match=message):
        battlemap.places_import(by=world.olivia.user, project=world.project, content=content)
    assert not Place.objects.exists()


def test_a_street_places_only_its_own_households_and_a_leader_none(world):
    with pytest.raises(ValidationError, match="B001"):
        battlemap.places_import(by=world.alice.user, project=world.project, content=geojson(point("B001")))
    with pytest.raises(PermissionDenied):
        battlemap.places_import(by=world.lee.user, project=world.project, content=geojson(point("A001")))


def test_the_map_page_takes_the_upload_and_serves_its_data(world):
    client = world.client(world.olivia)
    url = reverse("progress:map", args=[world.project.code])
    upload = SimpleUploadedFile("places.geojson", geojson(point("A001")), content_type="application/geo+json")
    client.post(url, {"geojson": upload})
    data = client.get(reverse("progress:map_data", args=[world.project.code])).json()
    assert data["boundary"] == world.project.boundary and len(data["points"]) == 1
    assert world.client(world.pat).get(url).status_code == 404
