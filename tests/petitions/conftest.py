"""Petitions' set-up on the shared world: the project made public (its standard published), so the portal's web
form offers it, and helpers to post a petition and read what the pages answer."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from gaizao.compensation.services import standard_publish, standard_save

SHANTYTOWN = Path(__file__).resolve().parents[2] / "src/gaizao/compensation/examples/shantytown-state-land.toml"
PHONE = "13900001111"
NAME = "陈大伟"
BIG = re.compile(r'<b class="big">([^<]+)</b>')


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def public(world):
    """The world's project with the shantytown standard published: it is on the portal, so the public may write
    about it."""
    project = world.project
    project.code = "beizhan-shantytown"
    project.signing_start, project.signing_end = date(2026, 8, 1), date(2026, 12, 31)
    project.save()
    draft = standard_save(by=world.olivia.user, project=project, source=SHANTYTOWN.read_text(encoding="utf-8"))
    standard_publish(by=world.olivia.user, standard=draft, on=date(2026, 7, 20))
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


def received(html: str) -> tuple[str, str]:
    """(petition code, follow code) from the page that says the petition was received."""
    found = BIG.findall(html)
    assert len(found) == 2, messages_of(html) or html[-2000:]
    return found[0], found[1]


def messages_of(html: str) -> str:
    found = re.search(r'<ul class="messages">.*?</ul>', html, re.S)
    return found.group(0) if found else ""
