"""Petitions end to end: sent from the portal (web form, a household's own file), entered by the office, assigned,
answered, extended once, followed and rated by the petitioner; who sees the petitioner; overdue ones on the ladder;
each project's stability risk."""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from gaizao.petitions import selectors, services
from gaizao.petitions.models import Petition
from gaizao.portal import access
from gaizao.projects.services import project_create
from gaizao.supervision.models import Escalation
from tests.portal.support import messages_of, received

from .conftest import NAME, PHONE, post_petition

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
OWNER_ID = "11010519491231002X"  # 张三明, owner of A001 (tests/conftest.py)


def today():
    return timezone.localdate()


def detail(client: Client, petition: Petition):
    return client.get(f"/petitions/{petition.pk}/")


def act(client: Client, petition: Petition, action: str, **data):
    """POST an office action; the page it lands on (the redirect followed), or the refusal itself."""
    response = client.post(f"/petitions/{petition.pk}/{action}/", data)
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def follow(client: Client, code: str, follow_code: str) -> str:
    response = client.post("/portal/petition/follow/", {"code": code, "follow": follow_code})
    assert response.status_code == 200
    return response.content.decode()


def assigned(world, petition: Petition, unit=None) -> Petition:
    services.petition_assign(by=world.olivia.user, petition=petition, unit=unit or world.street_a)
    petition.refresh_from_db()
    return petition


def web(world, content: str = "评估价格明显低于周边二手房成交价，要求重新评估。", **more) -> tuple[Petition, str]:
    petition, follow_code, new = services.petition_submit(
        channel="web",
        project=world.project,
        theme=more.pop("theme", "compensation"),
        content=content,
        reporter_name=more.pop("reporter_name", NAME),
        reporter_phone=more.pop("reporter_phone", PHONE),
        **more,
    )
    assert new
    return petition, follow_code


# --- the web form --------------------------------------------------------------------------------------------------


def test_a_web_petition_is_received_with_a_code_and_a_follow_code_and_its_petitioner_kept_encrypted(public):
    code, follow_code = received(post_petition(public))
    assert re.fullmatch(r"XF\d{3,}-\d{4}-\d{5}", code)
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", follow_code)
    petition = Petition.objects.get()
    assert (petition.code, petition.channel, petition.status, petition.project) == (
        code,
        "web",
        "received",
        public.project,
    )
    assert (petition.district, petition.theme, petition.reporter_name, petition.reporter_phone) == (
        public.district,
        "compensation",
        NAME,
        PHONE,
    )
    assert petition.received_on == today() and petition.due_on == today() + timedelta(days=60)
    assert petition.follow_hash and follow_code not in petition.follow_hash  # only its digest is kept
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone FROM petitions_petition")
        raw_name, raw_phone = cursor.fetchone()
    assert NAME not in raw_name and PHONE not in raw_phone


def test_the_same_words_posted_twice_make_one_petition_and_the_second_answer_says_so(public):
    code, follow_code = received(post_petition(public))
    again = post_petition(public, content="  评估价格明显低于周边二手房成交价，\n要求重新 评估。 ")
    assert "相同内容已" in again and "受理" in again and code in again
    assert follow_code not in again  # the follow code is shown once only
    assert not re.search(r'<b class="big">', again)
    assert Petition.objects.count() == 1


def test_script_in_a_petition_is_shown_as_text_on_the_office_page_and_the_follow_page(public):
    code, follow_code = received(post_petition(public, content=f"街道干部说{SCRIPT}不给钱"))
    petition = Petition.objects.get()
    assert petition.content == f"街道干部说{SCRIPT}不给钱"  # kept as written
    office = detail(public.client(public.olivia), petition).content.decode()
    followed = follow(Client(), code, follow_code)
    for page in (office, followed):
        assert f"街道干部说{ESCAPED}不给钱" in page
        assert SCRIPT not in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"content": "   \n "}, "反映内容："),
        ({"content": "很长" * 2501}, "反映内容："),
        ({"reporter_phone": "12345"}, "联系电话："),
        ({"reporter_phone": "电话号码"}, "联系电话："),
        ({"reporter_phone": ""}, "联系电话："),
        ({"theme": "bribery"}, "类别："),
        ({"theme": ""}, "类别："),
        ({"reporter_name": "  "}, "信访人："),
        ({"project": ""}, "项目："),
    ],
)
def test_a_refused_petition_names_the_field_and_writes_nothing(public, overrides, field):
    html = post_petition(public, **overrides)
    assert field in messages_of(html), messages_of(html)
    assert '<b class="big">' not in html  # no code, no follow code
    assert not Petition.objects.exists()


def test_a_refused_petition_keeps_what_was_written_and_escapes_it(public):
    html = post_petition(public, reporter_phone=SCRIPT, content=f"内容{SCRIPT}")
    assert "联系电话：" in messages_of(html)
    assert SCRIPT not in html and f"内容{ESCAPED}" in html  # the textarea keeps it, as text
    assert not Petition.objects.exists()


def test_a_project_not_on_the_portal_cannot_be_written_about_from_the_web(public):
    hidden = project_create(
        code="nanzhan", name="南站片区", kind="shantytown", district=public.district, freeze_date=date(2026, 6, 1)
    )
    html = post_petition(public, project=hidden.pk)
    assert "项目：" in messages_of(html) and not Petition.objects.exists()


def test_the_public_cannot_pose_as_a_letter_or_a_visit(db):
    with pytest.raises(PermissionDenied):
        services.petition_submit(
            channel="letter", project=None, theme="other", content="来信", reporter_name="某", reporter_phone=PHONE
        )
    assert not Petition.objects.exists()


# --- repeats -------------------------------------------------------------------------------------------------------


def test_a_second_petition_by_the_same_phone_on_the_same_project_repeats_the_first(public):
    received(post_petition(public))
    received(post_petition(public, content="过渡费三个月没有发放", theme="resettlement"))
    received(post_petition(public, content="拆迁队夜间施工扰民", reporter_phone="139-0000-1111"))  # same number
    received(post_petition(public, content="评估价格偏低", reporter_phone="13700002222", reporter_name="周敏"))
    first, second, third, other = Petition.objects.order_by("pk")
    assert first.repeat_of is None
    assert second.repeat_of == first and third.repeat_of == first  # all point at the first, not a chain
    assert other.repeat_of is None
    olivia = public.client(public.olivia)
    first_page = detail(olivia, first).content.decode()
    assert "此后重复信访" in first_page and second.code in first_page and third.code in first_page
    assert other.code not in first_page
    second_page = detail(olivia, second).content.decode()
    assert "重复信访" in second_page and "首次信访" in second_page and first.code in second_page


# --- who sees what -------------------------------------------------------------------------------------------------


def test_only_the_office_sees_the_petitioner_and_the_street_it_is_assigned_to_sees_the_petition_without_them(public):
    received(post_petition(public))
    petition = Petition.objects.get()
    alice, bob, olivia = public.client(public.alice), public.client(public.bob), public.client(public.olivia)
    assert detail(alice, petition).status_code == 404  # not yet hers

    office = detail(olivia, petition).content.decode()
    assert NAME in office and PHONE in office and "信访人信息已隐去" not in office

    landed = act(olivia, petition, "assign", unit=public.street_a.pk).content.decode()
    assert "已保存" in messages_of(landed)
    petition.refresh_from_db()
    assert (petition.status, petition.assigned_to, petition.about) == ("assigned", public.street_a, public.street_a)

    page = detail(alice, petition)
    assert page.status_code == 200
    street = page.content.decode()
    assert petition.content in street and "信访人信息已隐去" in street
    assert NAME not in street and PHONE not in street
    listed = alice.get("/petitions/").content.decode()
    assert petition.code in listed and NAME not in listed and PHONE not in listed

    assert detail(bob, petition).status_code == 404
    assert petition.code not in bob.get("/petitions/").content.decode()
    pat = public.client(public.pat)
    assert detail(pat, petition).status_code == 404
    assert petition.code not in pat.get("/petitions/").content.decode()
    assert pat.post(f"/petitions/{petition.pk}/answer/", {"answer": "已核实"}).status_code == 404
    assert bob.post(f"/petitions/{petition.pk}/answer/", {"answer": "已核实"}).status_code == 404


def test_the_inspector_reads_a_petition_but_cannot_assign_answer_or_extend_it(public):
    petition, _ = web(public)
    petition = assigned(public, petition)
    ivy = public.client(public.ivy)
    page = detail(ivy, petition)
    assert page.status_code == 200 and petition.content in page.content.decode()
    assert ivy.post(f"/petitions/{petition.pk}/answer/", {"answer": "已核实"}).status_code == 403
    assert ivy.post(f"/petitions/{petition.pk}/assign/", {"unit": public.street_b.pk}).status_code == 403
    assert ivy.post(f"/petitions/{petition.pk}/extend/", {"reason": "情况复杂"}).status_code == 403
    petition.refresh_from_db()
    assert (petition.status, petition.answer, petition.assigned_to, petition.extended) == (
        "assigned",
        "",
        public.street_a,
        False,
    )


def test_a_street_cannot_assign_or_extend(public):
    petition = assigned(public, web(public)[0])
    alice = public.client(public.alice)
    assert alice.post(f"/petitions/{petition.pk}/assign/", {"unit": public.street_b.pk}).status_code == 403
    assert alice.post(f"/petitions/{petition.pk}/extend/", {"reason": "情况复杂"}).status_code == 403
    petition.refresh_from_db()
    assert petition.assigned_to == public.street_a and not petition.extended


def test_a_petition_cannot_be_assigned_outside_its_district(public):
    petition, _ = web(public)
    landed = act(public.client(public.olivia), petition, "assign", unit=public.pat.unit.pk).content.decode()
    assert "不在江北区" in messages_of(landed)
    petition.refresh_from_db()
    assert petition.assigned_to is None and petition.status == "received"


# --- answer and extension ------------------------------------------------------------------------------------------


def test_the_street_it_is_assigned_to_answers_it(public):
    petition = assigned(public, web(public)[0])
    alice = public.client(public.alice)
    refused = act(alice, petition, "answer", answer="   ")
    assert "答复意见：" in messages_of(refused.content.decode())
    petition.refresh_from_db()
    assert petition.status == "assigned" and petition.answer == ""

    landed = act(alice, petition, "answer", answer="经核实，评估价格依据2026年7月市场比较法确定，符合规定。")
    assert "已保存" in messages_of(landed.content.decode())
    petition.refresh_from_db()
    assert (petition.status, petition.answered_by, petition.answered_on) == ("answered", public.alice.user, today())
    assert "市场比较法" in petition.answer
    again = act(alice, petition, "answer", answer="再答复一次")
    assert "不能答复" in messages_of(again.content.decode())
    petition.refresh_from_db()
    assert "再答复一次" not in petition.answer


def test_a_petition_not_yet_assigned_cannot_be_answered(public):
    petition, _ = web(public)
    landed = act(public.client(public.olivia), petition, "answer", answer="已核实")
    assert "不能答复" in messages_of(landed.content.decode())
    petition.refresh_from_db()
    assert petition.status == "received" and not petition.answer


def test_the_office_extends_once_with_a_reason_by_thirty_days(public):
    petition, _ = web(public)
    due = petition.due_on
    olivia = public.client(public.olivia)
    without = act(olivia, petition, "extend", reason="  ")
    assert "延期理由：" in messages_of(without.content.decode())
    petition.refresh_from_db()
    assert petition.due_on == due and not petition.extended

    landed = act(olivia, petition, "extend", reason="涉及多个部门，需联合调查").content.decode()
    assert "已保存" in messages_of(landed)
    petition.refresh_from_db()
    assert petition.extended and petition.due_on == due + timedelta(days=30)
    assert petition.extension_reason == "涉及多个部门，需联合调查" and "涉及多个部门" in landed

    twice = act(olivia, petition, "extend", reason="还需要时间").content.decode()
    assert "已延期一次" in messages_of(twice)
    petition.refresh_from_db()
    assert petition.due_on == due + timedelta(days=30) and petition.extension_reason == "涉及多个部门，需联合调查"


def test_an_answered_petition_is_not_extended(public):
    petition = assigned(public, web(public)[0])
    services.petition_answer(by=public.alice.user, petition=petition, answer="已核实处理")
    landed = act(public.client(public.olivia), petition, "extend", reason="情况复杂").content.decode()
    assert "不需延期" in messages_of(landed)
    petition.refresh_from_db()
    assert not petition.extended


# --- follow and rate -----------------------------------------------------------------------------------------------


def test_the_petitioner_follows_it_and_sees_the_answer_without_any_official_named(public):
    code, follow_code = received(post_petition(public))
    client = Client()
    page = follow(client, code.lower(), f" {follow_code.lower()} ")  # typed in small letters, with spaces
    assert code in page and "已受理" in page and "评估价格明显低于周边" in page
    petition = assigned(public, Petition.objects.get())
    services.petition_answer(by=public.alice.user, petition=petition, answer="经核实，将重新委托评估。")
    page = follow(client, code, follow_code)
    assert "已答复" in page and "经核实，将重新委托评估。" in page
    for hidden in ("艾丽", "alice", public.street_a.name, "欧丽"):
        assert hidden not in page


def test_a_wrong_code_and_a_wrong_follow_code_get_the_same_answer_and_five_failures_lock_the_petition(public):
    code, follow_code = received(post_petition(public))
    wrong_code = follow(Client(), "XF999-2026-00001", follow_code)
    wrong_follow = follow(Client(), code, "AAAAAAAA")
    empty_follow = follow(Client(), code, "")
    assert "信访编号或查询码不正确" in messages_of(wrong_code)
    assert messages_of(wrong_code) == messages_of(wrong_follow) == messages_of(empty_follow)
    for page in (wrong_code, wrong_follow, empty_follow):
        assert "评估价格明显低于周边" not in page
    for _ in range(3):
        follow(Client(), code, "BBBBBBBB")
    # five failures for this petition: even the right follow code is now refused
    locked = follow(Client(), code, follow_code)
    assert "尝试次数过多" in messages_of(locked) and "评估价格明显低于周边" not in locked


def test_rating_after_the_answer_closes_the_petition(public):
    code, follow_code = received(post_petition(public))
    petition = Petition.objects.get()
    client = Client()
    follow(client, code, follow_code)
    early = client.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "satisfied"}, follow=True)
    assert "答复之后才能评价" in messages_of(early.content.decode())
    petition = assigned(public, petition)
    services.petition_answer(by=public.alice.user, petition=petition, answer="已重新评估")
    page = follow(client, code, follow_code)
    assert f'action="/portal/petition/{petition.pk}/rate/"' in page
    bad = client.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "great"}, follow=True)
    assert "评价：" in messages_of(bad.content.decode())
    petition.refresh_from_db()
    assert petition.status == "answered"

    rated = client.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "basic"}, follow=True)
    assert "感谢您的评价" in messages_of(rated.content.decode())
    petition.refresh_from_db()
    assert (petition.status, petition.satisfaction) == ("closed", "basic")
    again = client.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "unsatisfied"}, follow=True)
    assert "答复之后才能评价" in messages_of(again.content.decode())
    petition.refresh_from_db()
    assert petition.satisfaction == "basic"
    assert "基本满意" in detail(public.client(public.olivia), petition).content.decode()


def test_rating_without_having_followed_it_in_this_session_is_refused(public):
    code, follow_code = received(post_petition(public))
    petition = assigned(public, Petition.objects.get())
    services.petition_answer(by=public.alice.user, petition=petition, answer="已重新评估")
    stranger = Client()
    response = stranger.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "unsatisfied"}, follow=True)
    assert "请先用信访编号和查询码查询" in messages_of(response.content.decode())
    wrong = Client()
    follow(wrong, code, "AAAAAAAA")  # a failed follow is no follow
    wrong.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "unsatisfied"})
    # following another petition does not open this one
    other_code, other_follow = received(post_petition(public, content="另一件事", reporter_phone="13700002222"))
    other = Client()
    follow(other, other_code, other_follow)
    other.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "unsatisfied"})
    petition.refresh_from_db()
    assert (petition.status, petition.satisfaction) == ("answered", "")


# --- the office's own entries and overdue petitions ---------------------------------------------------------------


def test_the_office_enters_a_letter_received_earlier_and_it_is_overdue_already(public):
    olivia = public.client(public.olivia)
    received_on = today() - timedelta(days=61)
    response = olivia.post(
        "/petitions/new/",
        {
            "channel": "letter",
            "project": public.project.pk,
            "theme": "demolition",
            "content": "来信反映夜间强拆",
            "reporter_name": "吴芳",
            "reporter_phone": "0571-8888 6666",
            "received_on": received_on.isoformat(),
        },
    )
    letter = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/petitions/{letter.pk}/"
    assert (letter.channel, letter.received_on, letter.due_on, letter.received_by) == (
        "letter",
        received_on,
        received_on + timedelta(days=60),
        public.olivia.user,
    )
    assert letter.reporter_phone == "057188886666" and letter.follow_hash == ""
    assert "逾期未答复" in detail(olivia, letter).content.decode()
    overdue_list = olivia.get("/petitions/", {"status": "overdue"}).content.decode()
    assert letter.code in overdue_list
    fresh, _ = web(public)
    assert fresh.code not in olivia.get("/petitions/", {"status": "overdue"}).content.decode()
    late = olivia.post(f"/petitions/{letter.pk}/extend/", {"reason": "情况复杂"}, follow=True).content.decode()
    assert "已过" in messages_of(late)  # too late to extend
    # no follow code was given: an empty one finds nothing
    assert "信访编号或查询码不正确" in messages_of(follow(Client(), letter.code, ""))


def test_a_future_receipt_date_is_refused(public):
    olivia = public.client(public.olivia)
    landed = olivia.post(
        "/petitions/new/",
        {
            "channel": "visit",
            "project": public.project.pk,
            "theme": "other",
            "content": "来访",
            "reporter_name": "吴芳",
            "reporter_phone": "13600001234",
            "received_on": (today() + timedelta(days=1)).isoformat(),
        },
        follow=True,
    ).content.decode()
    assert "晚于今天" in messages_of(landed) and not Petition.objects.exists()


def test_overdue_petitions_are_the_ones_open_past_their_time(public):
    answered_one = assigned(public, web(public, content="一")[0])
    services.petition_answer(by=public.alice.user, petition=answered_one, answer="已答复")
    at_street = assigned(public, web(public, content="二", reporter_phone="13700002222")[0])
    waiting, _ = web(public, content="三", reporter_phone="13700003333")
    extended, _ = web(public, content="四", reporter_phone="13700004444")
    services.petition_extend(by=public.olivia.user, petition=extended, reason="联合调查")
    due = today() + timedelta(days=60)
    assert selectors.overdue_petitions(due) == []  # the last day is still in time
    late = {s.id: s for s in selectors.overdue_petitions(due + timedelta(days=1))}
    assert set(late) == {at_street.pk, waiting.pk}
    assert late[at_street.pk].kind == "petition_late" and late[at_street.pk].unit == public.street_a.pk
    assert late[at_street.pk].label == f"信访件 {at_street.code} 逾期未答复"
    assert late[at_street.pk].overdue_since == due + timedelta(days=1)
    assert late[waiting.pk].unit == public.district.pk  # not yet assigned: the district answers for it
    later = {s.id for s in selectors.overdue_petitions(due + timedelta(days=31))}
    assert later == {at_street.pk, waiting.pk, extended.pk}


def test_an_overdue_petition_climbs_the_ladder_in_tick_and_its_answer_resolves_it(public):
    petition = assigned(public, web(public)[0])
    day = petition.due_on + timedelta(days=1)
    out = StringIO()
    call_command("tick", "--today", day.isoformat(), stdout=out)
    assert f"挂牌督办：[信访逾期未答复] 信访件 {petition.code} 逾期未答复（逾期自 {day}）" in out.getvalue()
    listed = Escalation.objects.get(subject_kind="petition_late")
    assert (listed.subject_id, listed.unit, listed.rung_name, listed.resolved_on) == (
        petition.pk,
        public.street_a,
        "挂牌督办",
        None,
    )
    assert "艾丽" in listed.summoned
    services.petition_answer(by=public.alice.user, petition=petition, answer="已答复")
    out = StringIO()
    call_command("tick", "--today", (day + timedelta(days=1)).isoformat(), stdout=out)
    listed.refresh_from_db()
    assert listed.resolved_on == day + timedelta(days=1)
    assert "信访逾期未答复" not in out.getvalue()


# --- stability risk ------------------------------------------------------------------------------------------------


def test_three_repeats_make_a_project_high_risk(public):
    web(public, content="第一次")
    web(public, content="第二次")
    web(public, content="第三次")
    risks = selectors.project_risks(fetched_by=public.olivia.user, today=today())
    assert [(r.project, r.risk.level, r.counts.repeats) for r in risks] == [(public.project, "medium", 2)]
    web(public, content="第四次")
    (risk,) = selectors.project_risks(fetched_by=public.olivia.user, today=today())
    assert (risk.risk.level, risk.counts.petitions, risk.counts.repeats) == ("high", 4, 3)
    assert "重复信访 3 件" in risk.risk.reasons
    assert selectors.project_risks(fetched_by=public.pat.user, today=today()) == []
    page = public.client(public.olivia).get("/petitions/").content.decode()
    assert 'class="pill hard">高</span>' in page and "重复信访 3 件" in page
    # 91 days on they are old, but still unanswered: they count, overdue
    later = selectors.project_risks(fetched_by=public.olivia.user, today=today() + timedelta(days=91))
    assert [(r.risk.level, r.counts.overdue) for r in later] == [("high", 4)]


# --- a household's "this is wrong" ---------------------------------------------------------------------------------


@pytest.fixture
def resident(world) -> Client:
    """A001's owner signed in on the portal with the case code Alice issued."""
    code = access.issue_code(by=world.alice.user, household=world.house_a)
    client = Client()
    response = client.post("/portal/login/", {"id_number": OWNER_ID, "code": code})
    assert response.status_code == 302, messages_of(response.content.decode())
    return client


def test_a_household_says_this_is_wrong_and_reads_the_answer_in_its_own_file(world, resident):
    response = resident.post("/portal/me/petition/", {"theme": "survey", "content": "我家阁楼12平方米没有计入认定面积"})
    assert response.status_code == 302 and response["Location"] == "/portal/me/"
    petition = Petition.objects.get()
    assert (petition.channel, petition.household, petition.project, petition.about, petition.district) == (
        "household",
        world.house_a,
        world.project,
        world.street_a,
        world.district,
    )
    assert petition.reporter_name == "张三明" and petition.theme == "survey"
    me = resident.get("/portal/me/").content.decode()
    assert "已受理，编号" in messages_of(me) and petition.code in me and "阁楼12平方米" in me

    again = resident.post("/portal/me/petition/", {"theme": "survey", "content": "我家阁楼12平方米没有计入认定面积"})
    assert "相同内容已于 " in messages_of(resident.get(again["Location"]).content.decode())
    assert Petition.objects.count() == 1

    petition = assigned(world, petition)
    services.petition_answer(by=world.alice.user, petition=petition, answer="已安排复测，阁楼面积将按实计入。")
    me = resident.get("/portal/me/").content.decode()
    assert "已安排复测，阁楼面积将按实计入。" in me and "已答复" in me
    assert f'action="/portal/petition/{petition.pk}/rate/"' in me
    rated = resident.post(f"/portal/petition/{petition.pk}/rate/", {"satisfaction": "satisfied"})
    assert rated["Location"] == "/portal/me/"
    petition.refresh_from_db()
    assert (petition.status, petition.satisfaction) == ("closed", "satisfied")


def test_a_household_petition_needs_a_signed_in_household_and_a_later_one_repeats_the_first(world, resident):
    assert Client().post("/portal/me/petition/", {"theme": "survey", "content": "不对"}).status_code == 403
    assert not Petition.objects.exists()
    empty = resident.post("/portal/me/petition/", {"theme": "survey", "content": " "})
    assert empty.status_code == 200 and "反映内容：" in messages_of(empty.content.decode())
    assert not Petition.objects.exists()
    resident.post("/portal/me/petition/", {"theme": "survey", "content": "阁楼面积没有计入"})
    resident.post("/portal/me/petition/", {"theme": "compensation", "content": "装修补偿偏低"})
    first, second = Petition.objects.order_by("pk")
    assert first.repeat_of is None and second.repeat_of == first
    # another household's file does not show them
    assert not Petition.objects.filter(household=world.house_b).exists()


def test_the_street_written_about_sees_a_household_petition_but_not_who_wrote_it(world, resident):
    resident.post("/portal/me/petition/", {"theme": "integrity", "content": "工作人员索要好处费"})
    petition = Petition.objects.get()
    street = detail(world.client(world.alice), petition).content.decode()
    assert "索要好处费" in street and "信访人信息已隐去" in street
    assert "张三明" not in street and "13812345678" not in street
    office = detail(world.client(world.olivia), petition).content.decode()
    assert "张三明" in office and "13812345678" in office
    assert detail(world.client(world.bob), petition).status_code == 404


# --- bugs found ----------------------------------------------------------------------------------------------------


def test_a_non_numeric_project_on_the_public_form_is_refused_not_a_server_error(public):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/portal/petition/",
        {"project": "abc", "theme": "other", "content": "内容", "reporter_name": NAME, "reporter_phone": PHONE},
    )
    assert response.status_code == 200 and "项目：" in messages_of(response.content.decode())
    assert not Petition.objects.exists()


def test_non_numeric_ids_on_the_office_pages_are_refused_not_server_errors(public):
    petition, _ = web(public)
    olivia = public.client(public.olivia)
    olivia.raise_request_exception = False
    entered = olivia.post(
        "/petitions/new/",
        {"channel": "letter", "project": "abc", "theme": "other", "content": "来信", "reporter_name": "吴芳"},
    )
    assigned_to = olivia.post(f"/petitions/{petition.pk}/assign/", {"unit": "abc"})
    assert (entered.status_code, assigned_to.status_code) in {(302, 302), (302, 404)}


def test_a_petition_left_unanswered_for_long_still_makes_its_project_high_risk(public):
    services.petition_submit(
        channel="letter",
        project=public.project,
        theme="demolition",
        content="来信反映夜间强拆",
        reporter_name="吴芳",
        reporter_phone="13600001234",
        by=public.olivia.user,
        received_on=today() - timedelta(days=70),
    )
    (risk,) = selectors.project_risks(fetched_by=public.olivia.user, today=today())
    assert risk.risk.level == "high" and risk.counts.overdue == 1  # 10 days overdue: high
    later = today() + timedelta(days=30)  # still unanswered, 40 days overdue
    assert [r.risk.level for r in selectors.project_risks(fetched_by=public.olivia.user, today=later)] == ["high"]
    assert selectors.project_risk(public.project, later).level == "high"


def test_the_street_written_about_cannot_tell_which_household_complained(world, resident):
    resident.post("/portal/me/petition/", {"theme": "integrity", "content": "工作人员索要好处费"})
    petition = Petition.objects.get()
    street = detail(world.client(world.alice), petition).content.decode()
    assert "信访人信息已隐去" in street
    assert f"/ledger/households/{world.house_a.pk}/" not in street
