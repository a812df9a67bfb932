"""The household's side of the portal: a case code issued by the office, sign-in with the owner's ID number and the
code (one answer for every wrong pair, a lock after five failures), the household's own file and simulator, the
per-household lists of its own project, and objections to its survey figures, answered by its street."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gaizao.compensation.services import standard_publish, standard_save
from gaizao.core.crypto import keyed_hash
from gaizao.core.idcard import make_id_number
from gaizao.ledger.services import household_create
from gaizao.portal import access, selectors
from gaizao.portal.access import LOCKED, WRONG, SignInRefused
from gaizao.portal.models import CaseCode, Objection, ObjectionStatus
from gaizao.portal.objections import objection_answer, objection_raise
from gaizao.portal.publication import publish
from tests.conftest import SHANTYTOWN
from tests.portal.support import (
    ALICE_ID,
    ALICE_PHONE,
    CODE,
    NOBODY_ID,
    OTHER_ID,
    messages_of,
    page,
    sign_in,
    signed_in,
    without_csrf,
)

NEIGHBOUR_ID = make_id_number("110105", date(1975, 6, 30), 33, False)  # 孙七, A002 when a test adds it


def list_url(world, kind: str = "survey", number: int = 1) -> str:
    return f"/portal/p/{world.project.code}/{kind}/{number}/"


def a_wrong_code(code: str) -> str:
    """The same shape as a real code, one character off."""
    last = "2" if code[-1] != "2" else "3"
    return code[:-1] + last


# ---- the case code -----------------------------------------------------------------------------------------------


def test_the_office_shows_a_new_code_once_and_keeps_only_its_hash(world):
    url = f"/portal/office/household/{world.house_a.pk}/code/"
    response = world.client(world.alice).post(url)
    assert response.status_code == 200
    html = response.content.decode()
    code = CODE.search(html).group(0)
    assert "A001 张三明" in html and "只显示这一次" in html
    stored = CaseCode.objects.get(household=world.house_a)
    assert stored.code_hash == keyed_hash(code.replace("-", "")) and code.replace("-", "") not in stored.code_hash
    assert stored.issued_by == world.alice.user
    assert world.client(world.alice).get(url).status_code == 405


def test_another_street_cannot_issue_a_code(world):
    response = world.client(world.bob).post(f"/portal/office/household/{world.house_a.pk}/code/")
    assert response.status_code == 404 and not CaseCode.objects.exists()


def test_a_household_without_an_id_number_gets_no_code(world):
    with pytest.raises(ValidationError, match="没有户主身份证号"):
        access.issue_code(by=world.bob.user, household=world.house_b)
    assert not CaseCode.objects.exists()


# ---- sign-in -----------------------------------------------------------------------------------------------------


def test_a_household_signs_in_and_reads_its_own_file(world, code_a):
    client, response = sign_in(ALICE_ID, code_a)
    assert response.status_code == 302 and response.url == "/portal/me/"
    html = page(client, "/portal/me/")
    assert "<h1>张三明 · A001</h1>" in html
    assert "城关街道" in html and "身份证号 1101**********002X" in html
    assert '阶段 <span class="pill">已调查</span>' in html
    assert "下一步" in html and '<li class="done">入户调查登记</li>' in html and "评估报告送达" in html
    assert "尚未签订补偿协议" in html and "人民路1号" in html
    assert ALICE_ID not in html and ALICE_PHONE not in html
    assert "李四" not in html and "B001" not in html


def test_the_code_may_be_typed_in_lower_case_and_without_its_dash(world, code_a):
    _, response = sign_in(ALICE_ID.lower(), code_a.replace("-", "").lower())
    assert response.status_code == 302


def test_the_sign_in_goes_back_to_the_page_asked_for(world, survey, code_a):
    client = Client()
    response = client.get(list_url(world))
    assert response.status_code == 302 and response.url == f"/portal/login/?next={list_url(world)}"
    assert "分户公示仅向本项目的被征收户公开" in messages_of(page(client, response.url))
    _, response = sign_in(ALICE_ID, code_a, client, next=list_url(world))
    assert response.url == list_url(world)
    _, response = sign_in(ALICE_ID, code_a, Client(), next="https://evil.example/")
    assert response.url == "/portal/me/"


def test_a_wrong_id_number_and_a_wrong_code_get_the_same_page(world, code_a, other):
    answers = []
    for id_number, code in [
        (ALICE_ID, a_wrong_code(code_a)),  # the right number, a wrong code
        (NOBODY_ID, code_a),  # a number no household has, the right code
        (OTHER_ID, code_a),  # another household's number, this household's code
        ("not a number", code_a),
    ]:
        client, response = sign_in(id_number, code)
        assert response.status_code == 200
        assert access.SESSION_KEY not in client.session
        answers.append(without_csrf(response.content.decode()))
    assert f'<li class="error">{WRONG}</li>' in messages_of(answers[0])
    assert all(answer == answers[0] for answer in answers)
    with pytest.raises(SignInRefused) as refusal:
        access.sign_in(id_number=NOBODY_ID, code="ABCD-EFGH", ip="10.0.0.1")
    assert str(refusal.value) == WRONG


def test_five_failures_lock_the_id_number_even_for_the_right_code(world, code_a):
    client = Client()
    said = []
    for _ in range(5):
        _, response = sign_in(ALICE_ID, a_wrong_code(code_a), client)
        said.append(messages_of(response.content.decode()))
    assert all(WRONG in m for m in said[:4]) and LOCKED in said[4]
    _, response = sign_in(ALICE_ID, code_a, client)
    assert response.status_code == 200 and LOCKED in messages_of(response.content.decode())
    assert access.SESSION_KEY not in client.session
    assert client.get("/portal/me/").url == "/portal/login/"
    # the lock is the number's, not the browser's
    _, response = sign_in(ALICE_ID, code_a)
    assert LOCKED in messages_of(response.content.decode())
    # a new code from the street opens it again
    new = access.issue_code(by=world.alice.user, household=world.house_a)
    assert sign_in(ALICE_ID, new)[1].status_code == 302


def test_a_lock_says_the_same_for_an_id_number_no_household_has(world, code_a):
    def lock(id_number: str) -> str:
        for _ in range(5):
            sign_in(id_number, "ABCD-EFGH")
        _, response = sign_in(id_number, code_a)
        return without_csrf(response.content.decode())

    locked_real, locked_nobody = lock(ALICE_ID), lock(NOBODY_ID)
    assert LOCKED in messages_of(locked_nobody)
    assert locked_nobody == locked_real
    with pytest.raises(SignInRefused, match=LOCKED):
        access.sign_in(id_number=NOBODY_ID, code=code_a, ip="10.0.0.9")


def test_another_number_is_not_locked_by_the_first(world, code_a, other):
    for _ in range(5):
        sign_in(ALICE_ID, "ABCD-EFGH")
    assert sign_in(OTHER_ID, other.code)[1].status_code == 302


def test_a_reissued_code_replaces_the_old_one(world, code_a):
    new = access.issue_code(by=world.olivia.user, household=world.house_a)
    assert new != code_a and CaseCode.objects.filter(household=world.house_a).count() == 1
    _, response = sign_in(ALICE_ID, code_a)
    assert response.status_code == 200 and WRONG in messages_of(response.content.decode())
    assert sign_in(ALICE_ID, new)[1].status_code == 302


def test_a_reissued_code_also_ends_the_sessions_opened_with_the_old_one(world, code_a):
    finder = signed_in(ALICE_ID, code_a)  # whoever found the notice
    assert finder.get("/portal/me/").status_code == 200
    access.issue_code(by=world.alice.user, household=world.house_a)  # the owner has the code reset
    response = finder.get("/portal/me/")
    assert response.status_code == 302 and response.url == "/portal/login/"


def test_sign_out_ends_the_households_session(world, code_a):
    client = signed_in(ALICE_ID, code_a)
    assert client.post("/portal/logout/").url == "/portal/"
    assert client.get("/portal/me/").url == "/portal/login/"


# ---- the per-household lists -------------------------------------------------------------------------------------


def test_the_lists_are_for_the_projects_households_only(world, survey, code_a, other):
    anonymous = world.client(None).get(list_url(world))
    assert anonymous.status_code == 302 and anonymous.url.startswith("/portal/login/")
    neighbour = signed_in(OTHER_ID, other.code)  # 南站's household
    response = neighbour.get(list_url(world))
    assert response.status_code == 302 and response.url.startswith("/portal/login/")
    assert "查看分户明细" not in page(neighbour, f"/portal/p/{world.project.code}/")
    own = signed_in(ALICE_ID, code_a)
    assert own.get(list_url(world)).status_code == 200
    assert "查看分户明细" in page(own, f"/portal/p/{world.project.code}/")
    assert own.get(list_url(world, "survey", 9)).status_code == 404


def _shown_numbers(html: str) -> list[str]:
    return re.findall(r"<b>([A-Z]\d{3})</b>", html)


def _own_row_style(html: str) -> str:
    """The household id the page's style marks as the reader's own row."""
    return re.search(r"<style>#row-(\d+) \{", html).group(1)


def _row_of(html: str, number: str) -> str:
    """The household id of the row showing this household number."""
    return re.search(rf'<div class="card" id="row-(\d+)">\s*<b>{number}</b>', html).group(1)


def test_the_list_marks_the_households_own_row_and_pages(world, survey, code_a, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    client = signed_in(ALICE_ID, code_a)
    first = page(client, list_url(world))
    assert _shown_numbers(first) == ["A001", "B001"] and '<span class="muted">1 / 2</span>' in first
    assert _own_row_style(first) == _row_of(first, "A001") == str(world.house_a.pk)
    assert _row_of(first, "B001") == str(world.house_b.pk)
    assert 'href="?page=2"' in first and "?page=0" not in first
    second = page(client, list_url(world), page="2")
    assert _shown_numbers(second) == ["B002"] and '<span class="muted">2 / 2</span>' in second
    assert 'href="?page=1"' in second and "?page=3" not in second
    assert _shown_numbers(page(client, list_url(world), page="999")) == ["B002"]
    for odd in ("abc", "0", "-3", "", "1.5"):
        shown = page(client, list_url(world), page=odd)
        assert _shown_numbers(shown) == ["A001", "B001"] and "1 / 2" in shown, odd


def test_every_reader_gets_the_same_rows_and_only_the_style_marks_its_own(world, today, code_a):
    neighbour = household_create(
        by=None,
        project=world.project,
        street=world.street_a,
        number="A002",
        owner_name="孙七",
        id_number=NEIGHBOUR_ID,
        properties=[{"location": "人民路3号", "certified_area": Decimal("60.00"), "use": "residential"}],
    )
    publish(by=world.olivia.user, project=world.project, kind="survey", on=today)
    mine = page(signed_in(ALICE_ID, code_a), list_url(world))
    theirs = page(signed_in(NEIGHBOUR_ID, access.issue_code(by=world.alice.user, household=neighbour)), list_url(world))
    assert _own_row_style(mine) == str(world.house_a.pk) and _own_row_style(theirs) == str(neighbour.pk)

    def rows(html: str) -> str:
        return html[html.index('<div class="card" id="row-') : html.index('<div class="pager">')]

    assert rows(mine) == rows(theirs)
    assert _shown_numbers(mine) == ["A001", "A002", "B001", "B002"] and "孙*" in mine and "孙七" not in mine


def test_the_rows_speak_the_readers_language(world, survey, code_a, settings):
    english = signed_in(ALICE_ID, code_a)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(english, list_url(world))
    assert "Certified 100.00㎡" in html and "证载 100.00" not in html


def test_the_rows_of_a_page_first_read_in_english_are_chinese_for_a_chinese_reader(world, survey, code_a, settings):
    english = signed_in(ALICE_ID, code_a)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Certified 100.00㎡" in page(english, list_url(world))
    chinese = page(signed_in(ALICE_ID, code_a), list_url(world))
    assert "证载 100.00㎡" in chinese and "Certified" not in chinese


def test_the_pages_of_a_publication_are_read_by_sequence(world, survey, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    assert [r.number for r in selectors.page_rows(survey, 1)] == ["A001", "B001"]
    assert [r.number for r in selectors.page_rows(survey, 2)] == ["B002"]
    last = selectors.page_number(survey, 5)
    assert (last.number, last.pages, last.previous, last.next) == (2, 2, 1, None)
    first = selectors.page_number(survey, -1)
    assert (first.number, first.previous, first.next) == (1, None, 2)


def test_the_list_finds_a_household_by_its_number(world, survey, code_a):
    client = signed_in(ALICE_ID, code_a)
    found = page(client, list_url(world), q=" B001 ")
    assert _shown_numbers(found) == ["B001"] and "李*" in found and "江滨路8号" in found and "张*明" not in found
    assert '<div class="pager">' not in found
    missing = page(client, list_url(world), q="<i>Z9</i>")
    assert _shown_numbers(missing) == [] and "没有找到记录" in missing
    assert 'value="&lt;i&gt;Z9&lt;/i&gt;"' in missing and "<i>Z9</i>" not in missing


# ---- forged ids --------------------------------------------------------------------------------------------------


def test_an_objection_to_another_projects_publication_is_not_found(world, survey, code_a, other):
    client = signed_in(ALICE_ID, code_a)
    forged = client.post("/portal/p/nanzhan/survey/1/object/", {"figure": "certified_area", "claim": "应为90㎡"})
    assert forged.status_code == 404
    missing = client.post(list_url(world, "survey", 7) + "object/", {"figure": "certified_area", "claim": "x"})
    assert missing.status_code == 404
    assert not Objection.objects.exists()


def test_an_objection_needs_a_signed_in_household(world, survey):
    response = world.client(None).post(list_url(world) + "object/", {"figure": "certified_area", "claim": "应为90㎡"})
    assert response.status_code == 403 and not Objection.objects.exists()


def test_a_standard_of_another_project_is_not_found_under_this_one(world, standard, other):
    source = SHANTYTOWN.read_text(encoding="utf-8").replace('"beizhan-shantytown"', '"nanzhan"')
    theirs = standard_publish(
        by=world.olivia.user,
        standard=standard_save(by=world.olivia.user, project=other.project, source=source),
        on=standard.published_on,
    )
    public = world.client(None)
    assert "补偿方案" in page(public, f"/portal/p/{world.project.code}/standard/{standard.pk}/")
    assert public.get(f"/portal/p/{world.project.code}/standard/{theirs.pk}/").status_code == 404
    assert public.get(f"/portal/p/nanzhan/standard/{theirs.pk}/").status_code == 200


# ---- the simulator and the own file once signed ------------------------------------------------------------------


def test_the_simulator_works_out_the_households_lines(world, standard, code_a):
    client = signed_in(ALICE_ID, code_a)
    html = page(client, "/portal/me/card/", choice="money")
    assert "被征收房屋价值补偿" in html and "600000.00" in html and "搬迁费" in html and "1500.00" in html
    assert f"/portal/p/{world.project.code}/standard/{standard.pk}/" in html
    swap = page(client, "/portal/me/card/", choice="swap", flat_area="120", flat_price="5000")
    assert "安置房等面积部分房款" in swap and "-500000.00" in swap
    partial = client.get("/portal/me/card/", {"choice": "money"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content and "600000.00" in partial.content.decode()
    assert world.client(None).get("/portal/me/card/").status_code == 403


def test_the_own_file_of_a_signed_household_shows_its_agreement_and_dates(world, signed, today):
    file = selectors.own_file(world.house_a, today)
    assert file.masked_id == "1101**********002X" and file.agreement == signed
    assert file.owed == signed.total and file.paid == 0
    steps = {step.text: (step.on, step.done) for step in file.steps}
    assert steps["签约期 2026-08-01 至 2026-12-31"] == (signed.signed_on, True)
    assert steps["补偿款支付（已付 0.00 元，应付 628700.00 元）"] == (signed.signed_on + timedelta(days=30), False)
    assert steps["搬迁腾空"] == (signed.moving_deadline, False)
    assert list(steps)[0] == "入户调查登记" and list(steps)[-1] == "房屋拆除"

    html = page(signed_in(ALICE_ID, access.issue_code(by=world.alice.user, household=world.house_a)), "/portal/me/")
    assert '阶段 <span class="pill">已签约</span>' in html and "628700.00" in html and "应付 <b>628700.00</b>" in html


# ---- objections --------------------------------------------------------------------------------------------------


def object_to(client, world, figure="certified_area", claim="证载面积应为105㎡，见产权证", number=1):
    return client.post(list_url(world, "survey", number) + "object/", {"figure": figure, "claim": claim}, follow=True)


def test_an_objection_within_the_period_is_recorded_once(world, survey, code_a):
    client = signed_in(ALICE_ID, code_a)
    response = object_to(client, world)
    assert response.redirect_chain == [("/portal/me/", 302)]
    assert "异议已提交" in messages_of(response.content.decode())
    objection = Objection.objects.get()
    assert (objection.household, objection.publication, objection.figure, objection.status) == (
        world.house_a,
        survey,
        "certified_area",
        ObjectionStatus.OPEN,
    )
    assert "证载面积应为105㎡，见产权证" in response.content.decode() and "待答复" in response.content.decode()

    again = object_to(client, world, claim="再说一遍")
    assert "您对“证载面积”的异议已提交，正在等待答复" in messages_of(again.content.decode())
    assert Objection.objects.count() == 1
    object_to(client, world, figure="use", claim="应为商业用房")
    assert Objection.objects.count() == 2


@pytest.mark.parametrize(
    ("figure", "claim", "refusal"),
    [
        ("area", "应为105㎡", "异议的项目：“area”不在可选项中"),
        ("certified_area", "   ", "异议内容：请写明哪里不对、应当是多少"),
        ("certified_area", "长" * 2001, "异议内容：最多 2000 字，写了 2001 字"),
    ],
)
def test_a_malformed_objection_is_refused(world, survey, code_a, figure, claim, refusal):
    response = object_to(signed_in(ALICE_ID, code_a), world, figure=figure, claim=claim)
    assert refusal in messages_of(response.content.decode()) and not Objection.objects.exists()


def test_an_objection_after_the_period_is_refused(world, today, code_a):
    old = publish(
        by=world.olivia.user, project=world.project, kind="survey", on=today - timedelta(days=20), objection_days=7
    )
    client = signed_in(ALICE_ID, code_a)
    assert "提交异议" not in page(client, list_url(world))
    response = object_to(client, world)
    assert f"公示期为 {old.published_on} 至 {old.objection_until}，已不能提出异议" in messages_of(
        response.content.decode()
    )
    assert not Objection.objects.exists()


def test_the_period_runs_from_the_publication_day_to_its_last_day(world, survey):
    def attempt(day, figure):
        return objection_raise(household=world.house_a, publication=survey, figure=figure, claim="应为105㎡", today=day)

    assert attempt(survey.objection_until, "certified_area").pk
    with pytest.raises(ValidationError, match="已不能提出异议"):
        attempt(survey.objection_until + timedelta(days=1), "use")
    with pytest.raises(ValidationError, match="已不能提出异议"):
        attempt(survey.published_on - timedelta(days=1), "use")


def test_only_the_survey_results_take_objections(world, signed, today, code_a):
    results = publish(by=world.olivia.user, project=world.project, kind="results", on=today)
    with pytest.raises(ValidationError, match="只能对调查结果公示提出异议"):
        objection_raise(household=world.house_a, publication=results, figure="other", claim="少算了", today=today)
    response = signed_in(ALICE_ID, code_a).post(
        list_url(world, "results", 1) + "object/", {"figure": "other", "claim": "少算了"}, follow=True
    )
    assert "只能对调查结果公示提出异议" in messages_of(response.content.decode())
    assert not Objection.objects.exists()


def test_a_household_not_in_the_publication_cannot_object_to_it(world, other, today):
    publication = other.project.publications.get()
    with pytest.raises(ValidationError, match="本次公示中没有您家的记录"):
        objection_raise(household=world.house_a, publication=publication, figure="other", claim="x", today=today)


def test_the_street_answers_an_objection_and_the_household_reads_it(world, survey, code_a):
    resident = signed_in(ALICE_ID, code_a)
    object_to(resident, world)
    objection = Objection.objects.get()
    url = f"/portal/office/objection/{objection.pk}/"

    assert world.client(world.bob).post(url, {"answer": "维持", "upheld": ""}).status_code == 404
    assert "证载面积应为105㎡" not in page(world.client(world.bob), f"/portal/office/{world.project.code}/")
    assert world.client(world.pat).post(url, {"answer": "维持"}).status_code == 404
    assert world.client(world.lee).post(url, {"answer": "维持"}).status_code == 403
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN and objection.answer == ""

    alice = world.client(world.alice)
    assert "证载面积应为105㎡" in page(alice, f"/portal/office/{world.project.code}/")
    response = alice.post(url, {"answer": "经核产权证，证载面积为105㎡，更正后重新公示", "upheld": "1"})
    assert response.status_code == 302 and response.url == f"/portal/office/{world.project.code}/"
    objection.refresh_from_db()
    assert (objection.status, objection.answered_by) == (ObjectionStatus.UPHELD, world.alice.user)
    html = page(resident, "/portal/me/")
    assert "已更正" in html and "答复：经核产权证，证载面积为105㎡，更正后重新公示" in html

    with pytest.raises(ValidationError, match="该异议已答复"):
        objection_answer(by=world.olivia.user, objection=objection, upheld=False, answer="改为维持")


def test_an_answer_needs_words(world, survey):
    objection = objection_raise(
        household=world.house_a, publication=survey, figure="use", claim="应为商业用房", today=survey.published_on
    )
    with pytest.raises(ValidationError, match="请写明核查结果和依据"):
        objection_answer(by=world.alice.user, objection=objection, upheld=False, answer="  ")
    objection_answer(by=world.olivia.user, objection=objection, upheld=False, answer="经核，登记用途为住宅")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED


def test_script_in_an_objection_is_shown_as_text(world, survey, code_a):
    resident = signed_in(ALICE_ID, code_a)
    object_to(resident, world, figure="other", claim="<script>alert('x')</script>面积不对")
    assert Objection.objects.get().claim == "<script>alert('x')</script>面积不对"
    for html in (
        page(world.client(world.olivia), f"/portal/office/{world.project.code}/"),
        page(resident, "/portal/me/"),
    ):
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;面积不对" in html
        assert "<script>alert(" not in html
