"""CSRF on every change: a forged POST to any URL of gaizao, from a logged-in official's browser, changes nothing.

The walk covers every URL pattern there is (pages, the API, the admin, and any added later), so a new view
is covered the day it is written. A cross-site form carries the victim's cookies, session and CSRF cookie
alike, but not the token: that is what each POST here looks like. Pages answer Django's CSRF failure
(403); the API under /api/ is DRF, whose SessionAuthentication refuses a session-authenticated unsafe
request without the token, also with 403.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

# No URL is exempt. Were one ever to be (a webhook signed by its sender, say), it is named here with why.
EXEMPT: dict[str, str] = {}

# Tables a refused request may still write to: the session of the login itself, and the audit trail,
# which records denials (issue 6).
UNWATCHED_APPS = {"sessions", "audit"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def value_for(name: str, converter: str, world) -> str:
    """A plausible value for a path parameter: a real household's id, the test project's code, a slug."""
    if converter == "int" or name in ("pk", "id") or name.endswith("_id"):
        return str(world.house_a.pk)
    if name == "code":
        return world.project.code
    return "beizhan-1" if converter == "slug" else "x"


def filled(pattern, world) -> str:
    """A pattern's text with its parameters filled; the admin's regex patterns get their first alternative."""
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value_for(m[2], m[1] or "str", world), text)
    first_alternative = lambda m: m[2].split("|")[0] if "|" in m[2] else value_for(m[1], "str", world)  # noqa: E731
    return re.sub(r"\(\?P<(\w+)>([^)]*)\)", first_alternative, text).lstrip("^").rstrip("$")


def every_url(world, resolver=None, prefix: str = "/"):
    """(path, the pattern it must resolve to) for every URL pattern, through every include()."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from every_url(world, entry, prefix + filled(entry.pattern, world))
        else:
            yield prefix + filled(entry.pattern, world), entry


def everything() -> dict[str, list]:
    """Every row of every table the application writes, to compare before and after."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label not in UNWATCHED_APPS and model._meta.managed
    }


def browser_of(official) -> Client:
    """An official's browser, logged in, holding the CSRF cookie from a page it has shown."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(official.user)
    assert client.get("/ledger/").status_code == 200
    assert client.cookies[settings.CSRF_COOKIE_NAME].value
    return client


def is_csrf_failure(response) -> bool:
    return response.status_code == 403 and b"CSRF" in response.content


def test_the_walk_reaches_pages_api_and_admin(world):
    paths = [path for path, _ in every_url(world)]
    assert len(paths) > 150
    for expected in (
        f"/ledger/households/{world.house_a.pk}/stage/",
        f"/projects/{world.project.code}/advance/",
        f"/api/households/{world.house_a.pk}/stage/",
        "/api/imports/",
        "/accounts/logout/",
        "/admin/auth/user/add/",
    ):
        assert expected in paths


def test_every_url_refuses_a_post_without_the_csrf_token_and_nothing_changes(world):
    client = browser_of(world.olivia)
    before = everything()
    unprotected, unfilled = [], []

    for path, pattern in every_url(world):
        if resolve(path).func is not pattern.callback:
            unfilled.append(path)  # the filled path reaches another view: value_for needs a better value
            continue
        if path in EXEMPT:
            continue
        response = client.post(path, {"note": "伪造", "reason": "伪造", "stage": "surveyed", "amount": "1"})
        if not is_csrf_failure(response):
            unprotected.append(f"{path} → {response.status_code}")

    assert unfilled == []
    assert unprotected == []
    assert everything() == before


def test_the_api_refuses_with_drfs_csrf_message(world):
    response = browser_of(world.olivia).post(f"/api/households/{world.house_a.pk}/stage/", {"stage": "surveyed"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_the_same_post_with_the_token_goes_through(world):
    """The control: the refusals above are the missing token's, not the official's lack of a right."""
    client = browser_of(world.olivia)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    before = everything()

    response = client.post(f"/ledger/households/{world.house_a.pk}/review/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert everything() != before
    world.house_a.refresh_from_db()
    assert world.house_a.reviewed_at is not None


def test_a_wrong_token_is_refused_too(world):
    client = browser_of(world.olivia)
    response = client.post(f"/ledger/households/{world.house_a.pk}/review/", {"csrfmiddlewaretoken": "x" * 64})
    assert is_csrf_failure(response)
    world.house_a.refresh_from_db()
    assert world.house_a.reviewed_at is None
