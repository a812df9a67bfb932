"""A street official's morning in a real Chromium: log in, filter the ledger, find a household, read its 四清."""

import re

import pytest

from gaizao.ledger.services import household_create
from gaizao.ledger.stages import Stage
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def rows(page) -> list[str]:
    return page.locator("#ledger-table tbody tr td:first-child a").all_inner_texts()


def test_a_street_official_finds_a_household_and_reads_its_four_clears(world, live_server, page, tmp_path):
    from playwright.sync_api import expect

    for number, owner, stage in (("A002", "张小红", Stage.UNSURVEYED), ("A003", "陈大文", Stage.APPRAISED)):
        household_create(
            by=None, project=world.project, street=world.street_a, number=number, owner_name=owner, stage=stage
        )

    log_in(page, live_server, "alice", PASSWORD)

    # the ledger: her street's households, nobody else's
    expect(page.get_by_role("heading", name="被征收户台账")).to_be_visible()
    expect(page.locator("header .who")).to_contain_text("艾丽 · 城关街道")
    assert rows(page) == ["A001", "A002", "A003"]

    # filter by stage: htmx swaps the table and pushes the URL
    with page.expect_response(lambda r: "stage=unsurveyed" in r.url and r.request.headers.get("hx-request")):
        page.locator("select[name=stage]").select_option("unsurveyed")
    expect(page.locator("#ledger-table tbody tr")).to_have_count(1)
    expect(page.locator("#ledger-table")).to_contain_text("张小红")
    expect(page.locator("#ledger-table")).to_contain_text("共 1 户")
    expect(page).to_have_url(re.compile(r"stage=unsurveyed"))
    assert rows(page) == ["A002"]

    # back to every stage, then search by household number
    with page.expect_response(lambda r: "stage=&" in r.url or r.url.endswith("stage=")):
        page.locator("select[name=stage]").select_option("")
    expect(page.locator("#ledger-table tbody tr")).to_have_count(3)
    page.get_by_placeholder("户号 / 姓名 / 身份证尾号").fill("A001")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#ledger-table tbody tr")).to_have_count(1)
    assert rows(page) == ["A001"]

    # open the household: the four clears, masked ID number
    page.get_by_role("link", name="A001").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("张三明")
    clears = page.get_by_label("四清")
    expect(clears).to_contain_text("房产状况")
    expect(clears).to_contain_text("1处房屋，0本产权证")
    expect(clears).to_contain_text("动迁面积100.00 ㎡")
    expect(clears).to_contain_text("补偿数量600000.00 元")
    expect(clears).to_contain_text("群众意愿未填报")
    expect(page.locator("body")).to_contain_text("1101**********002X")
    expect(page.locator("body")).not_to_contain_text("11010519491231002X")

    shot = tmp_path / "household.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
