"""Petitions' set-up on the shared world: the project made public (its standard published), so the portal's web
form offers it, and helpers to post a petition and read what the pages answer."""

import pytest
from django.test import Client

PHONE = "13900001111"
NAME = "陈大伟"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def public(world, shantytown):
    """The world's project with the shantytown standard published: it is on the portal, so the public may write
    about it."""
    return world


def fields(world, **overrides) -> dict:
    return {
        "project": world.project.pk,
        "theme": "compensation",
        "content": "评估价格明显低于周边二手房成交价，要求重新评估。",
        "reporter_name": NAME,
        "reporter_phone": PHONE,
    } | overrides


def post_petition(world, client: Client | None = None, **overrides) -> str:
    """POST the portal's web form; the page it answers."""
    response = (client or Client()).post("/portal/petition/", fields(world, **overrides))
    assert response.status_code == 200, response.status_code
    return response.content.decode()
