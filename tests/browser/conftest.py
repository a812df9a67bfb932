"""A real Chromium (Debian's) driven by Playwright, for the browser tests."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def browser_tab(monkeypatch, **context_options) -> Iterator:
    """A tab of Debian's Chromium in a new context with these options (viewport, locale, touch…)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium on the CI machine")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(**context_options)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab
        context.close()
        browser.close()


@pytest.fixture
def page(monkeypatch):
    with browser_tab(monkeypatch, locale="zh-CN", viewport={"width": 1280, "height": 900}) as tab:
        yield tab


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(monkeypatch):
    """A page in a phone-sized context: 390x844 at 2x, touch, zh-CN; the page's script errors in `tab.errors`."""
    options = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
    with browser_tab(monkeypatch, **options) as tab:
        tab.errors = []
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))
        yield tab


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: GAIZAO_SCREENSHOTS to look at them, else the test's tmp_path."""
    folder = Path(os.environ["GAIZAO_SCREENSHOTS"]) if os.environ.get("GAIZAO_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def jpeg(path: Path, colour: str = "sienna") -> Path:
    """A real JPEG, as a phone's camera would send (Pillow)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), "lightsteelblue")
    ImageDraw.Draw(image).rectangle((200, 140, 440, 420), fill=colour)
    image.save(path, "JPEG", quality=85)
    return path


def log_in(page, live_server, username: str, password: str) -> None:
    from django.urls import reverse

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
