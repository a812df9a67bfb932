"""A monitor's report from application to the published fix, through the pages a user would use."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gaizao.monitors.models import Monitor, Report

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PHONE = "13800002222"


def jpeg(name="裂缝.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


@pytest.fixture
def public(world, shantytown):
    return world


def test_from_application_to_published_fix(public):
    world = public
    resident = Client()
    page = resident.post(
        "/portal/monitor/apply/",
        {"project": world.project.pk, "name": "王建国", "phone": PHONE, "introduction": "被征收户，退休建筑工程师"},
        follow=True,
    )
    assert "申请已提交" in page.content.decode()
    monitor = Monitor.objects.get()
    office = world.client(world.olivia)
    page = office.post(f"/monitors/people/{monitor.pk}/approve/").content.decode()
    code = re.search(r"letter-spacing:2px\">([A-Z0-9]+)<", page).group(1)

    page = resident.post("/portal/monitor/", {"phone": PHONE, "code": code}, follow=True).content.decode()
    assert "我报告的问题" in page
    page = resident.post(
        "/portal/monitor/report/",
        {
            "category": "quality",
            "place": "安置小区3号楼2单元5层",
            "description": "楼梯间墙面裂缝约1米",
            "photos": [jpeg()],
        },
        follow=True,
    ).content.decode()
    report = Report.objects.get()
    assert report.code in page

    street = world.street_a
    office.post(f"/monitors/{report.pk}/assign/", {"unit": street.pk, "days": "10"})
    report.refresh_from_db()
    assert report.status == "assigned" and report.assigned_to == street

    alice = world.client(world.alice)
    alice.post(f"/monitors/{report.pk}/fix/", {"note": "已凿开重新抹灰", "photos": [jpeg("修复后.jpg")]})
    report.refresh_from_db()
    assert report.status == "fixed"

    resident.post(f"/portal/monitor/report/{report.pk}/verify/", {"passed": "yes", "note": "看过了，修好了"})
    report.refresh_from_db()
    assert report.status == "closed"

    page = Client().get(f"/portal/monitor/p/{world.project.code}/").content.decode()
    assert "楼梯间墙面裂缝约1米" in page and "看过了，修好了" in page
    assert "王建国" not in page and PHONE not in page
