"""阳光征收 on a phone in a real Chromium: a household reads its own file, tries the simulator and objects to its
survey figures; a wrong code is refused and then locked; a web petition is followed to its end; a tip-off with a
photo is followed. Every page is screenshotted (GAIZAO_SCREENSHOTS, else the test's tmp_path) and must not scroll
sideways at 390 px."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from gaizao.core.idcard import make_id_number
from gaizao.petitions import services as petitions
from gaizao.petitions.models import Petition
from gaizao.portal import access
from gaizao.portal.publication import publish
from tests.browser.conftest import PHONE, jpeg
from tests.portal.conftest import signed, standard  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

OWNER_ID = "11010519491231002X"  # 张三明, owner of A001 (tests/conftest.py)


# ---- a phone ---------------------------------------------------------------------------------------------------


def look(page, shots: Path, name: str) -> None:
    """The page fits the phone's width (no sideways scrolling), and a full-page screenshot of it."""
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " fits: document.documentElement.scrollWidth <= window.innerWidth + 1})"
    )
    page.screenshot(path=shots / f"portal-{name}.png", full_page=True)
    shown = page.locator("body").inner_text()
    assert not re.search(r"\{%|%\}|\{\{|\}\}|</?(div|span|table|tr|td|b|a)\b", shown), (name, "raw markup on the page")
    assert widths["fits"] and widths["inner"] == PHONE["width"], (name, page.url, widths)


def text_of(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


# ---- 1. a household's own file ----------------------------------------------------------------------------------


def test_a_household_reads_its_file_tries_the_simulator_and_objects_to_its_survey(
    world, signed, live_server, phone, shots
):
    from playwright.sync_api import expect

    page = phone
    survey = publish(by=world.olivia.user, project=world.project, kind="survey", on=timezone.localdate())
    code = access.issue_code(by=world.alice.user, household=world.house_a)

    page.goto(live_server.url + "/portal/")
    expect(page.get_by_role("heading", name="阳光征收", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text(world.project.name)
    look(page, shots, "01-index")

    page.locator("main").get_by_role("link", name="查看本户档案").click()
    expect(page.get_by_role("heading", name="查看本户档案")).to_be_visible()
    page.get_by_label("户主身份证号").fill(OWNER_ID)
    page.get_by_label("案件码").fill(code.lower().replace("-", ""))  # typed on a phone: lower case, no dash
    look(page, shots, "02-login")
    page.get_by_role("button", name="登录").click()

    # 我的档案: own name, next steps, the agreement's lines
    expect(page).to_have_url(re.compile(r"/portal/me/$"))
    expect(page.locator("h1")).to_have_text("张三明 · A001")
    expect(page.locator("main > p.muted").first).to_contain_text("1101**********002X")
    steps = page.locator("ul.steps li")
    expect(steps.first).to_contain_text("入户调查登记")
    expect(page.locator("ul.steps")).to_contain_text("签约期 2026-08-01 至 2026-12-31")
    expect(page.locator("ul.steps")).to_contain_text("搬迁腾空")
    expect(page.locator("ul.steps li.done").first).to_contain_text("入户调查登记")
    lines = page.locator("main ul.lines").first
    for line in signed.lines:
        expect(lines).to_contain_text(line["label"])
    expect(page.locator("main .line.total").first).to_contain_text(str(signed.total))
    look(page, shots, "03-me")

    # 补偿测算: money, and a total
    page.get_by_role("link", name="补偿测算").click()
    expect(page.get_by_role("heading", name="补偿测算")).to_be_visible()
    look(page, shots, "04-card")
    page.locator("select[name=choice]").select_option(label="货币补偿")
    page.locator("input[name=signed_on]").fill("2026-08-20")
    page.get_by_role("button", name="测算").click()
    total = page.locator("#compensation-card .line.total b.num")
    expect(total).to_have_text(f"{signed.total} 元")
    expect(page.locator("#compensation-card")).to_contain_text(
        re.compile("[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+元")
    )  # in capitals
    expect(page.locator("#compensation-card ul.lines")).to_contain_text("被征收房屋价值补偿")
    look(page, shots, "05-card-money")

    # the project's survey publication: all three rows, her own highlighted
    page.goto(live_server.url + "/portal/me/")
    page.get_by_role("link", name="项目公示").click()
    expect(page.get_by_role("heading", name=world.project.name)).to_be_visible()
    look(page, shots, "06-project")
    page.get_by_role("link", name="查看分户明细").click()
    expect(page.get_by_role("heading", name="调查结果公示 第 1 次")).to_be_visible()
    rows = page.locator("main div.card").filter(has=page.locator("b", has_text=re.compile(r"^[AB]\d{3}$")))
    expect(rows).to_have_count(3)
    own = page.get_by_text("本户", exact=True).locator("visible=true")
    expect(own).to_have_count(1)  # one row, and only one, says 本户
    mine = rows.filter(has=own)
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("A001")
    expect(mine).to_contain_text("张*明")
    expect(mine).to_contain_text("人民路1号")
    assert "张三明" not in page.locator("main").inner_text()  # masked on the list
    backgrounds = rows.evaluate_all("rows => rows.map(r => getComputedStyle(r).backgroundColor)")
    highlighted = mine.evaluate("e => getComputedStyle(e).backgroundColor")
    assert highlighted != "rgb(255, 255, 255)" and backgrounds.count(highlighted) == 1, (highlighted, backgrounds)
    look(page, shots, "07-survey")

    # an objection within the period, listed as 待答复 on 我的档案
    assert survey.published_on <= timezone.localdate() <= survey.objection_until
    page.locator("select[name=figure]").select_option(label="证载面积")
    page.locator("textarea[name=claim]").fill("证载面积应为 112.5㎡，产权证第二页有加建登记。")
    page.get_by_role("button", name="提交异议").click()
    expect(page).to_have_url(re.compile(r"/portal/me/$"))
    expect(page.locator(".messages .success")).to_contain_text("异议已提交")
    objection = page.locator("main div.card").filter(has_text="证载面积应为 112.5㎡")
    expect(objection).to_contain_text("证载面积")
    expect(objection.locator(".pill.warn")).to_have_text("待答复")
    expect(page.locator("main")).to_contain_text("调查结果公示 第 1 次")
    look(page, shots, "08-me-objection")
    assert page.errors == []


# ---- 2. a wrong ID number or code -------------------------------------------------------------------------------


def test_a_wrong_number_and_a_wrong_code_get_one_answer_then_the_lock(world, standard, live_server, phone, shots):
    from playwright.sync_api import expect

    page = phone
    code = access.issue_code(by=world.alice.user, household=world.house_a)
    stranger = make_id_number("110105", date(1970, 1, 1), 33, True)
    wrong = "2345-6789" if code != "2345-6789" else "3456-789A"

    def attempt(id_number: str, case_code: str) -> str:
        page.goto(live_server.url + "/portal/login/")
        page.get_by_label("户主身份证号").fill(id_number)
        page.get_by_label("案件码").fill(case_code)
        page.get_by_role("button", name="登录").click()
        expect(page.locator(".messages .error")).to_be_visible()
        return text_of(page, ".messages .error")

    by_number = attempt(stranger, code)
    look(page, shots, "11-login-wrong")
    by_code = attempt(OWNER_ID, wrong)
    assert by_number == by_code == access.WRONG
    for _ in range(3):
        assert attempt(OWNER_ID, wrong) == access.WRONG
    assert attempt(OWNER_ID, wrong) == access.LOCKED  # the fifth
    assert attempt(OWNER_ID, code) == access.LOCKED  # even the right code, now
    expect(page).to_have_url(re.compile(r"/portal/login/$"))
    look(page, shots, "12-login-locked")
    assert page.errors == []


# ---- 3. a web petition ------------------------------------------------------------------------------------------


def test_a_web_petition_is_received_answered_rated_and_closed(world, standard, live_server, phone, shots):
    from playwright.sync_api import expect

    page = phone

    def follow(code: str, follow_code: str) -> None:
        page.goto(live_server.url + "/portal/petition/follow/")
        page.get_by_label("信访编号").fill(code)
        page.get_by_label("查询码").fill(follow_code.lower())
        page.get_by_role("button", name="查询").click()
        expect(page.locator("main div.card").first.locator("b").first).to_have_text(code)

    page.goto(live_server.url + "/portal/")
    page.get_by_role("link", name="网上信访").click()
    expect(page.get_by_role("heading", name="网上信访")).to_be_visible()
    page.get_by_label("征收项目").select_option(label=world.project.name)
    page.get_by_label("类别").select_option(label="补偿标准与金额")
    page.get_by_label("反映内容").fill("北站片区A区的装修补偿标准没有在公示栏张贴，请公开装修补偿的评估依据。")
    page.get_by_label("姓名").fill("周七")
    page.get_by_label("联系电话").fill("0551-6288 1234")
    look(page, shots, "21-petition-form")
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_role("heading", name="信访已受理")).to_be_visible()
    code, follow_code = (t.strip() for t in page.locator("main b.big").all_inner_texts())
    assert re.fullmatch(r"XF\d{3,}-\d{4}-\d{5}", code), code
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", follow_code), follow_code
    look(page, shots, "22-petition-received")

    follow(code, follow_code)
    expect(page.locator("main .pill").first).to_have_text("已受理")
    look(page, shots, "23-petition-received-followed")

    petition = Petition.objects.get(code=code)
    petition = petitions.petition_assign(by=world.olivia.user, petition=petition, unit=world.street_a)
    petitions.petition_answer(
        by=world.alice.user,
        petition=petition,
        answer="经核查，装修补偿按《北站片区补偿方案》第五条执行，评估依据已于今日在城关街道公示栏张贴。",
    )

    follow(code, follow_code)
    card = page.locator("main div.card").first
    expect(card.locator(".pill")).to_have_text("已答复")
    expect(card).to_contain_text("评估依据已于今日在城关街道公示栏张贴")
    look(page, shots, "24-petition-answered")
    card.get_by_label("您对答复是否满意").select_option(label="满意")
    card.get_by_role("button", name="评价").click()
    expect(page.locator(".messages .success")).to_contain_text("感谢您的评价")

    follow(code, follow_code)
    card = page.locator("main div.card").first
    expect(card.locator(".pill")).to_have_text("已办结")
    expect(card).to_contain_text("您的评价：满意")
    look(page, shots, "25-petition-closed")
    assert page.errors == []


# ---- 4. a tip-off on an illegal building ------------------------------------------------------------------------


def test_a_tipoff_with_a_photo_is_followed_while_it_waits_for_the_street(world, live_server, phone, shots, tmp_path):
    from playwright.sync_api import expect

    page = phone
    photo = jpeg(tmp_path / "现场.jpg")

    page.goto(live_server.url + "/portal/")
    page.get_by_role("link", name="违建举报").click()
    expect(page.get_by_role("heading", name="违建举报")).to_be_visible()
    page.get_by_label("现场照片").set_input_files(photo)
    page.get_by_label("街道（乡镇）").select_option(label="江北区 城关街道")
    page.get_by_label("位置").fill("城关街道人民路12号院内东侧")
    page.get_by_label("看到的情况").fill("院内正在砌砖加盖二层，已有脚手架。")
    page.get_by_label("估计面积").fill("35")
    look(page, shots, "31-tipoff-form")
    page.get_by_role("button", name="提交举报").click()

    expect(page.get_by_role("heading", name="举报已受理")).to_be_visible()
    code, follow_code = (t.strip() for t in page.locator("main b.big").all_inner_texts())
    assert re.fullmatch(r"WJ\d{3,}-\d{4}-\d{5}", code), code
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", follow_code), follow_code
    look(page, shots, "32-tipoff-received")

    page.get_by_role("link", name="返回首页").click()
    page.get_by_role("link", name="举报查询").click()
    page.get_by_label("举报编号").fill(code)
    page.get_by_label("查询码").fill(follow_code)
    page.get_by_role("button", name="查询").click()
    card = page.locator("main div.card").first
    expect(card.locator("b").first).to_have_text(code)
    expect(card.locator(".pill")).to_have_text("待现场核实")
    expect(card).to_contain_text("城关街道 · 城关街道人民路12号院内东侧")
    look(page, shots, "33-tipoff-followed")
    assert page.errors == []
