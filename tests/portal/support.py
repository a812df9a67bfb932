"""Helpers for the portal tests: a resident's sign-in through the login page, and reading what a page says."""

import re
from datetime import date

from django.test import Client

from gaizao.core.idcard import make_id_number

ALICE_ID = "11010519491231002X"  # 张三明, owner of A001 (tests/conftest.py)
ALICE_PHONE = "13812345678"
OTHER_ID = make_id_number("110105", date(1962, 3, 8), 21, True)  # 钱六, owner of 南站's N001
NOBODY_ID = make_id_number("110105", date(1980, 1, 1), 1, True)  # a valid number no household has
CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b")
BIG = re.compile(r'<b class="big">([^<]+)</b>')  # the number and follow code on a "received" page


def sign_in(id_number: str, code: str, client: Client | None = None, **extra):
    """POST the login form; the client (new unless given) and the response, not followed."""
    client = client or Client()
    response = client.post("/portal/login/", {"id_number": id_number, "code": code, **extra})
    return client, response


def signed_in(id_number: str, code: str) -> Client:
    client, response = sign_in(id_number, code)
    assert response.status_code == 302, messages_of(response.content.decode())
    return client


def messages_of(html: str) -> str:
    """The page's message list, as the bytes the server wrote ("" when there is none)."""
    found = re.search(r'<ul class="messages">.*?</ul>', html, re.S)
    return found.group(0) if found else ""


def received(html: str) -> tuple[str, str]:
    """(number, follow code) from the page that says a petition or a tip-off was received."""
    found = BIG.findall(html)
    assert len(found) == 2, messages_of(html) or html[-2000:]
    return found[0], found[1]


def without_csrf(html: str) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def cards(html: str) -> list[str]:
    """The page cut at each <div class="card...">: one piece per card (the last runs to the page's end)."""
    return re.split(r'<div class="card[^"]*">', html)[1:]


def page(client: Client, url: str, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()
