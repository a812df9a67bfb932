"""Citizen supervisors' set-up on the shared world: the project made public (so residents may apply and its reports
be published), monitors registered by the office, photos as a phone sends them, and helpers to sign in and report
through the portal's pages."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from gaizao.monitors import services
from gaizao.monitors.models import Monitor, Report

PHONE = "13800002222"
NAME = "王建国"
OTHER_PHONE = "13900003333"
PLACE = "安置小区3号楼2单元5层"
DESCRIPTION = "楼梯间墙面裂缝约1米"
CODE_SHOWN = re.compile(r'letter-spacing:2px">([2-9A-HJKMNP-Z]{8})<')
REPORT_CODE = re.compile(r"JD\d+-\d{4}-\d{5}")


def jpeg_bytes(size=(40, 30)) -> bytes:
    """A real JPEG, as a phone's camera would send (Pillow can open it)."""
    buffer = BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


PHOTO = jpeg_bytes()


def jpeg(name: str = "裂缝.jpg", data: bytes = PHOTO) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def fake_jpeg(name: str = "裂缝.jpg") -> SimpleUploadedFile:
    """Says it is a JPEG (name and content type); is an HTML page."""
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", content_type="image/jpeg")


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def public(world, shantytown):
    """The world's project with the shantytown standard published: on the portal, so residents may apply to watch
    it and its closed reports are published."""
    return world


def register(world, phone: str = PHONE, name: str = NAME, project=None) -> tuple[Monitor, str]:
    """A monitor the office registered (active), and the sign-in code it was given."""
    return services.monitor_register(
        by=world.olivia.user, project=project or world.project, name=name, phone=phone, introduction="居民代表"
    )


def sign_in(phone: str, code: str, client: Client | None = None):
    """POST the monitor's sign-in form; (client, response), not followed."""
    client = client or Client()
    return client, client.post("/portal/monitor/", {"phone": phone, "code": code})


def signed_in(phone: str, code: str) -> Client:
    client, response = sign_in(phone, code)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return client


def submit(monitor: Monitor, **overrides) -> Report:
    """A report made through the service; it must be a new one."""
    values = {"category": "quality", "place": PLACE, "description": DESCRIPTION, "photos": [jpeg()]} | overrides
    report, new = services.report_submit(monitor=monitor, **values)
    assert new
    return report


def post_report(client: Client, **overrides):
    """POST the portal's report form; the response, not followed."""
    data = {"category": "quality", "place": PLACE, "description": DESCRIPTION, "photos": [jpeg()]} | overrides
    return client.post("/portal/monitor/report/", {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def watched(world):
    """An active monitor of the world's project: (monitor, code)."""
    return register(world)
