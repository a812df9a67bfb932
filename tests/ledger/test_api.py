"""The REST API beside the pages: its schema, its answers, its refusals."""

import base64

import pytest
import yaml
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_schema_describes_every_endpoint(world):
    response = world.client(world.alice).get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/households/", "/api/households/{id}/", "/api/households/{id}/stage/", "/api/imports/"} <= set(
        schema["paths"]
    )
    assert "post" in schema["paths"]["/api/households/{id}/stage/"]


def test_the_list_filters_like_the_page(world):
    client = world.client(world.olivia)
    rows = client.get(reverse("api:households"), {"street": world.street_b.id}).json()["results"]
    assert {r["number"] for r in rows} == {"B001", "B002"}
    rows = client.get(reverse("api:households"), {"q": "002X"}).json()["results"]
    assert [r["number"] for r in rows] == ["A001"]


def test_the_detail_masks_personal_data_and_lists_properties(world):
    data = world.client(world.alice).get(reverse("api:household", args=[world.house_a.pk])).json()
    assert data["id_number"] == "1101**********002X"
    assert data["phone"] == "138****5678"
    assert data["properties"][0]["location"] == "人民路1号"
    assert data["stage_label"] == "已调查"


def test_an_illegal_stage_change_is_refused_in_chinese_and_changes_nothing(world):
    client = world.client(world.alice)
    response = client.post(reverse("api:household_stage", args=[world.house_a.pk]), {"stage": "vacated"})
    assert response.status_code == 400
    assert "不能从“已调查”直接变为“已腾空”" in response.json()["stage"][0]
    response = client.post(reverse("api:household_stage", args=[world.house_a.pk]), {"stage": "signed"})
    assert response.status_code == 400 and "签约须通过“补偿协议”办理" in response.json()["stage"][0]
    world.house_a.refresh_from_db()
    assert world.house_a.stage == "surveyed"


def test_basic_authentication_works_and_no_credentials_get_401(world):
    client = world.client(None)
    assert client.get(reverse("api:households")).status_code == 401
    token = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    response = client.get(reverse("api:households"), HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200
    assert [r["number"] for r in response.json()["results"]] == ["A001"]
