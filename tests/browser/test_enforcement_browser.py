"""A street official's illegal building in a real Chromium, from the patrol to the map: registered with a photo,
stopped, removed with photos before and after and the measured area; the case shows 已拆除, the area counts, and
the map shows the point and opens the case from it. Every page is screenshotted (GAIZAO_SCREENSHOTS, else the
test's tmp_path)."""

import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from gaizao.enforcement import services
from gaizao.enforcement.models import Case
from tests.browser.conftest import jpeg, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# a shed on the river bank north-east of the roof extension, 12 m × 10 m
SHED = {
    "type": "Polygon",
    "coordinates": [
        [[117.2735, 31.8826], [117.27363, 31.8826], [117.27363, 31.88269], [117.2735, 31.88269], [117.2735, 31.8826]]
    ],
}


def look(page, shots: Path, name: str, full_page: bool = True) -> None:
    page.wait_for_load_state("load")
    if page.locator("canvas").count():
        page.wait_for_timeout(1500)  # the charts' opening animation
    page.screenshot(path=shots / f"enforcement-{name}.png", full_page=full_page)
    shown = page.locator("body").inner_text()
    assert not re.search(r"\{%|%\}|\{\{|\}\}", shown), (name, "raw template markup on the page")


def test_a_patrol_registers_stops_and_removes_a_building_and_finds_it_on_the_map(
    world, live_server, page, tmp_path, shots
):
    from playwright.sync_api import expect

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "alice", PASSWORD)

    # register: a new building found on patrol this morning, with a photo of the site
    page.goto(live_server.url + reverse("enforcement:cases"))
    page.get_by_role("link", name="登记违建").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("登记违建")
    form = page.locator("form.card")
    form.get_by_label("属地街道（乡镇）").select_option(label="城关街道")
    form.get_by_label("类别").select_option("new")
    form.get_by_label("位置").fill("人民路12号屋顶加盖彩钢房")
    form.get_by_label("当事人").fill("孙七")
    form.get_by_label("占地面积（㎡）").fill("40")
    form.get_by_label("建筑面积（㎡）").fill("40")
    form.get_by_label("经度").fill("117.271")
    form.get_by_label("纬度").fill("31.881")
    found_at = timezone.localtime() - timedelta(hours=3)
    form.get_by_label("发现时间").fill(found_at.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("现场照片").set_input_files(jpeg(tmp_path / "现场.jpg", "sienna"))
    look(page, shots, "1-register")
    form.get_by_role("button", name="登记").click()
    expect(page.locator("h1 .pill")).to_have_text("已发现")
    case = Case.objects.get()
    expect(page.locator("ul.timeline")).to_contain_text("启动问责")
    look(page, shots, "2-found")

    # stopped the same morning, with the served order's photo
    stop = page.locator(f"form[action='{reverse('enforcement:case_act', args=[case.pk, 'stop'])}']")
    stop.get_by_label("责令停止通知书编号").fill("城关停字〔2026〕1号")
    stop.get_by_label("通知书或现场照片").set_input_files(jpeg(tmp_path / "通知书.jpg", "white"))
    stop.get_by_role("button", name="提交").click()
    expect(page.locator("h1 .pill")).to_have_text("已制止")
    expect(page.locator("ul.timeline")).to_contain_text("城关停字〔2026〕1号")

    # removed by the party itself, photos before and after, the area measured on site
    page.locator("summary", has_text="拆除").first.click()
    remove = page.locator(f"form[action='{reverse('enforcement:case_act', args=[case.pk, 'demolish'])}']")
    remove.get_by_label("拆除方式").select_option("self")
    remove.get_by_label("拆除面积（㎡）").fill("38.5")
    remove.get_by_label("拆除前照片").set_input_files(jpeg(tmp_path / "拆前.jpg", "sienna"))
    remove.get_by_label("拆除后照片").set_input_files(jpeg(tmp_path / "拆后.jpg", "olivedrab"))
    look(page, shots, "3-removing", full_page=False)  # a full-page shot here leaves the next click unheard
    remove.get_by_role("button", name="提交").click()
    expect(page.locator("h1 .pill")).to_have_text("已拆除")
    expect(page.locator(".card").first).to_contain_text("38.50㎡")
    expect(page.get_by_role("link", name="拆除后照片")).to_be_visible()
    expect(page.locator("table.clocks td").first).to_contain_text("小时")
    expect(page.locator("table.clocks td").nth(1)).to_contain_text("3.")
    look(page, shots, "4-removed")

    # after the removal only the description may be corrected; the change is kept in the case's steps
    page.locator("summary", has_text="修改案件信息").click()
    edit = page.locator(f"form[action='{reverse('enforcement:case_edit', args=[case.pk])}']")
    expect(edit.get_by_label("位置")).to_have_count(0)
    edit.get_by_label("情况").fill("拆除后复查：彩钢房已全部拆除，无残留")
    edit.get_by_role("button", name="保存修改").click()
    expect(page.locator("ul.timeline")).to_contain_text("修改案件信息 情况：（空） → 拆除后复查")
    look(page, shots, "4b-edited")

    # the area counts: the year's removals on the cases page
    page.goto(live_server.url + reverse("enforcement:cases"))
    expect(page.locator(".figures div", has_text="今年拆除面积（㎡）")).to_contain_text("38.50")
    expect(page.locator(".figures div", has_text="今年已拆除（宗）")).to_contain_text("1")
    expect(page.locator("#chart-cases canvas")).to_have_count(1)
    look(page, shots, "5-cases")

    # the map: the point, green for removed, beside the street's other cases; a click on it opens the case
    others = {
        "by": world.alice.user,
        "unit": world.street_a,
        "source": "patrol",
        "evidence": case.steps.first().evidence,
    }
    services.case_create(
        **others, kind="stock", location="河道管理范围内棚房", footprint_area=120, area=120, outline=SHED
    )
    services.case_create(**others, kind="new", location="沿街店面后院", footprint_area=30, area=30)
    page.get_by_role("link", name="在地图上查看").click()
    expect(page.locator("#case-map canvas")).to_have_count(1)
    expect(page.locator("#unlocated")).to_have_text("1 件未标注位置")
    expect(page.locator("table.unlocated")).to_contain_text("沿街店面后院")
    look(page, shots, "6-map")
    x, y = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('case-map')).convertToPixel({geoIndex: 0}, "
        "[117.271, 31.881])"
    )
    page.locator("#case-map canvas").click(position={"x": x, "y": y})
    expect(page).to_have_url(re.compile(rf"/enforcement/{case.pk}/$"))
    assert errors == []


def test_the_office_compares_two_surveys_and_watches_the_job_finish(world, live_server, page, tmp_path, shots):
    from playwright.sync_api import expect

    from tests.enforcement.test_surveys import GROWN, HOUSES, layer

    (tmp_path / "2025.geojson").write_bytes(layer(*HOUSES))
    (tmp_path / "2026.geojson").write_bytes(layer(*GROWN))
    log_in(page, live_server, "olivia", PASSWORD)
    page.goto(live_server.url + reverse("enforcement:survey"))
    form = page.locator("form.card")
    form.get_by_label("比对范围（街道、乡镇）").select_option(label="城关街道")
    form.get_by_label("前期图层（GeoJSON）").set_input_files(tmp_path / "2025.geojson")
    form.get_by_label("前期影像日期").fill("2025-06-01")
    form.get_by_label("后期图层（GeoJSON）").set_input_files(tmp_path / "2026.geojson")
    form.get_by_label("后期影像日期").fill("2026-06-01")

    def after_the_job(route) -> None:
        """The job's page is asked for once the job's thread is done: the tests' in-memory SQLite locks a table
        that another connection reads (a file database waits instead), and the page reads while the job writes."""
        for thread in threading.enumerate():
            if thread.name.startswith("gaizao-survey-"):
                thread.join(timeout=30)
        route.continue_()

    page.route(re.compile(r"/enforcement/survey/\d+/$"), after_the_job)
    form.get_by_role("button", name="比对").click()
    expect(page).to_have_url(re.compile(r"/enforcement/survey/\d+/$"))
    job = page.locator("#survey-job")
    expect(job.locator("h2")).to_have_text("完成")  # run by its own thread, started when the upload was saved
    expect(job).to_contain_text("比对完成：前期 5、后期 6 个图斑，疑似新增 1 处")
    expect(job.locator("table.survey-cases")).to_contain_text("B5")
    expect(job).not_to_have_attribute("hx-trigger", "every 2s")
    look(page, shots, "7-survey")


def test_the_pre_acceptance_form_fills_in_what_the_cases_say(world, live_server, page, shots):
    from playwright.sync_api import expect

    from gaizao.supervision import services as supervision

    checklist = supervision.checklist_create(
        by=world.olivia.user, name="无违建街道创建验收", items=[("存量违建清零", 60), ("长效管理", 40)], pass_mark=80
    )
    services.creation_declare(
        by=world.olivia.user, unit=world.street_b, year=timezone.localdate().year, checklist=checklist
    )
    log_in(page, live_server, "olivia", PASSWORD)
    page.goto(live_server.url + reverse("supervision:checklist", args=[checklist.pk]))
    with page.expect_response(lambda r: "unit=" in r.url and r.request.headers.get("hx-request")):
        page.get_by_label("验收对象").select_option(label="江滨街道")
    expect(page.locator("input[name=score-0]")).to_have_value("60.0")
    expect(page.locator("#preacceptance")).to_contain_text("由案件数据计算：存量违建未拆除 0 宗")
    expect(page.locator("input[name=score-1]")).to_have_value("")
    look(page, shots, "8-preacceptance")
