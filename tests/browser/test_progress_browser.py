"""The command office's screens in a real Chromium: the dashboard's charts, the big screen, the battle map."""

import json

import pytest
from django.urls import reverse

from gaizao.progress import battlemap
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.progress.conftest import sign

pytestmark = pytest.mark.browser


def test_the_office_reads_the_dashboard_the_big_screen_and_the_map(world, live_server, page, tmp_path):
    from playwright.sync_api import expect

    sign(world, world.house_a)
    features = [
        {
            "type": "Feature",
            "properties": {"户号": h.number},
            "geometry": {"type": "Point", "coordinates": [lon, 31.88]},
        }
        for h, lon in ((world.house_a, 117.27), (world.house_b, 117.271))
    ]
    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    battlemap.places_import(by=world.olivia.user, project=world.project, content=content)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "olivia", PASSWORD)

    page.goto(live_server.url + reverse("progress:dashboard"))
    for chart in ("chart-targets", "chart-streets", "chart-trend", "chart-money"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    expect(page.locator("table.drill")).to_contain_text(world.project.name)
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)

    page.goto(live_server.url + reverse("progress:screen"))
    expect(page.locator("#signings li")).to_contain_text("A001")
    expect(page.locator("#chart-trend canvas")).to_have_count(1)

    with page.expect_response(lambda r: r.url.endswith("/map/data/")) as answer:
        page.goto(live_server.url + reverse("progress:map", args=[world.project.code]))
    assert len(answer.value.json()["points"]) == 2
    expect(page.locator("#battle-map canvas")).to_have_count(1)
    assert errors == []
