"""A citizen supervisor on a phone in a real Chromium: applies, is approved by the office, signs in with the code,
reports a crack with a photo; the street fixes it with a photo; the monitor sends the first fix back and passes the
second; the report is then on the project's public page with its outcome. Every portal page is screenshotted
(GAIZAO_SCREENSHOTS, else the test's tmp_path) and must not scroll sideways at 390 px."""

import re

import pytest
from playwright.sync_api import expect

from gaizao.monitors import services
from gaizao.monitors.models import Monitor, Report
from tests.browser.conftest import jpeg
from tests.browser.test_portal_browser import look

pytestmark = pytest.mark.browser

PHONE_NUMBER = "13800002222"


def test_a_monitor_reports_a_crack_and_follows_it_to_the_published_fix(
    world,
    shantytown,
    live_server,
    phone,
    shots,
    tmp_path,
):
    page = phone
    page.goto(live_server.url + "/portal/")
    page.get_by_role("link", name="百姓监督员").click()
    page.get_by_role("link", name="申请成为百姓监督员").click()
    page.get_by_label("监督的项目").select_option(label=world.project.name)
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("手机号").fill(PHONE_NUMBER)
    page.get_by_label("身份和申请理由").fill("被征收户，退休建筑工程师")
    look(page, shots, "41-monitor-apply")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("申请已提交")

    code = services.monitor_decide(by=world.olivia.user, monitor=Monitor.objects.get(), approve=True)
    page.get_by_label("手机号").fill(PHONE_NUMBER)
    page.get_by_label("登录码").fill(code.lower())
    look(page, shots, "42-monitor-sign-in")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我报告的问题")).to_be_visible()

    page.get_by_role("link", name="报告问题").click()
    page.get_by_label("现场照片").set_input_files(jpeg(tmp_path / "裂缝.jpg"))
    page.get_by_label("类别").select_option(label="工程质量")
    page.get_by_label("部位").fill("安置小区3号楼2单元5层楼梯间")
    page.get_by_label("问题").fill("楼梯间墙面有一条约1米长的斜向裂缝。")
    look(page, shots, "43-monitor-report-form")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已报告，编号")
    report = Report.objects.get()
    assert re.fullmatch(r"JD\d+-\d{4}-\d{5}", report.code)
    expect(page.locator("main img")).to_have_count(1)
    look(page, shots, "44-monitor-report")

    services.report_assign(by=world.olivia.user, report=report, unit=world.street_a, days=10)
    fix = jpeg(tmp_path / "修复.jpg")
    with fix.open("rb") as photo:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("修复.jpg", photo.read(), content_type="image/jpeg")
    services.report_fix(by=world.alice.user, report=report, note="已凿开重新抹灰", photos=[upload])

    page.goto(live_server.url + "/portal/monitor/")
    page.get_by_role("link", name="整改已完成，请验证").click()
    expect(page.locator("main img")).to_have_count(2)
    page.get_by_label("意见").fill("裂缝只是被涂料盖住了，没有处理基层。")
    look(page, shots, "45-monitor-verify")
    page.get_by_role("button", name="没有整改好，退回").click()
    expect(page.locator("h1 .pill")).to_have_text("整改中")
    expect(page.locator("main")).to_contain_text("复查未通过")

    report.refresh_from_db()
    with fix.open("rb") as photo:
        upload = SimpleUploadedFile("修复2.jpg", photo.read(), content_type="image/jpeg")
    services.report_fix(by=world.alice.user, report=report, note="凿除空鼓层，挂网重新抹灰", photos=[upload])
    page.reload()
    page.get_by_role("button", name="已整改好").click()
    expect(page.locator("h1 .pill")).to_have_text("已办结")

    page.goto(live_server.url + f"/portal/p/{world.project.code}/")
    expect(page.locator("main")).to_contain_text("百姓监督员报告问题 1 件，已整改办结 1 件")
    page.get_by_role("link", name="查看已办结的问题").click()
    expect(page.locator("main")).to_contain_text("楼梯间墙面有一条约1米长的斜向裂缝。")
    expect(page.locator("main")).not_to_contain_text("王建国")
    page.locator("details summary").first.click()
    expect(page.locator("main details img")).to_have_count(3)
    look(page, shots, "46-monitor-published")
    assert page.errors == []
