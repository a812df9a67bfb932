"""The monitors themselves: a resident applies on the portal, the command office of the district approves (a sign-in
code shown once) or refuses with a reason, registers one itself, resets a lost code or retires a monitor; nobody
else can. A monitor signs in with phone and code: the same answer whichever was wrong, locked after five tries of
one phone, and a code that is reset or retired ends the session it opened."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client

from gaizao.audit.models import TrailEntry
from gaizao.core.codes import LOCKED
from gaizao.monitors import services
from gaizao.monitors.models import Monitor
from gaizao.org.models import Role, UnitKind
from gaizao.org.services import official_create, unit_create
from gaizao.projects.services import project_create
from tests.conftest import PASSWORD
from tests.portal.support import messages_of, without_csrf

from .conftest import CODE_SHOWN, NAME, OTHER_PHONE, PHONE, register, sign_in, signed_in

WRONG = "手机号或登录码不正确"


def application(world, **overrides) -> dict:
    return {
        "project": world.project.pk,
        "name": NAME,
        "phone": PHONE,
        "introduction": "被征收户，退休建筑工程师",
    } | overrides


def apply(world, **overrides) -> str:
    """POST the portal's application form; the page the applicant lands on."""
    response = Client().post("/portal/monitor/apply/", application(world, **overrides), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def applied(world, phone: str = PHONE) -> Monitor:
    return services.monitor_apply(project=world.project, name=NAME, phone=phone, introduction="居民代表")


def office_action(client: Client, monitor: Monitor, action: str, **data):
    return client.post(f"/monitors/people/{monitor.pk}/{action}/", data)


def state(monitor: Monitor) -> tuple:
    monitor.refresh_from_db()
    return monitor.status, monitor.code_hash, monitor.code_issued_at, monitor.note, monitor.decided_by_id


def shown_code(response) -> str:
    assert response.status_code == 200, response.status_code
    found = CODE_SHOWN.search(response.content.decode())
    assert found, messages_of(response.content.decode())
    return found.group(1)


@pytest.fixture
def otto(world):
    """The command office of 江南区: an office, but of another district."""
    other = world.pat.unit.parent
    hq = unit_create(name="江南指挥部", kind=UnitKind.HEADQUARTERS, parent=other, jurisdiction=other)
    return official_create(username="otto", password=PASSWORD, name="奥托", unit=hq, role=Role.OFFICE)


# --- applying ------------------------------------------------------------------------------------------------------


def test_a_resident_applies_and_waits_for_the_office(public):
    page = apply(public, phone="138-0000-2222")
    assert "申请已提交" in messages_of(page)
    monitor = Monitor.objects.get()
    assert (monitor.project, monitor.district, monitor.status, monitor.name, monitor.phone) == (
        public.project,
        public.district,
        "applied",
        NAME,
        PHONE,
    )
    assert monitor.code_hash == "" and monitor.code_issued_at is None
    people = public.client(public.olivia).get("/monitors/people/").content.decode()
    assert NAME in people and "待审核" in people and "退休建筑工程师" in people
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, phone_hash FROM monitors_monitor")
        raw_name, raw_phone, phone_hash = cursor.fetchone()
    assert NAME not in raw_name and PHONE not in raw_phone and PHONE not in phone_hash  # kept encrypted


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "姓名："),
        ({"name": "名" * 51}, "姓名："),
        ({"phone": ""}, "联系电话："),
        ({"phone": "12345"}, "联系电话："),
        ({"phone": "电话号码"}, "联系电话："),
        ({"introduction": " \n "}, "简介："),
        ({"introduction": "长" * 2001}, "简介："),
        ({"project": ""}, "项目："),
        ({"project": "abc"}, "项目："),
    ],
)
def test_an_incomplete_application_is_refused_naming_the_field_and_nothing_is_kept(public, overrides, field):
    page = apply(public, **overrides)
    assert field in messages_of(page), messages_of(page)
    assert "申请已提交" not in page
    assert not Monitor.objects.exists()


def test_a_project_not_on_the_portal_cannot_be_applied_for(public):
    hidden = project_create(
        code="nanzhan",
        name="南站片区",
        kind="shantytown",
        district=public.district,
        freeze_date=public.project.freeze_date,
    )
    page = apply(public, project=hidden.pk)
    assert "项目：" in messages_of(page) and not Monitor.objects.exists()


def test_a_refused_application_keeps_what_was_written_and_escapes_it(public):
    page = apply(public, phone="<script>alert(1)</script>", introduction="<script>alert(2)</script>")
    assert "联系电话：" in messages_of(page)
    assert "<script>alert" not in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page


@pytest.mark.parametrize("status", ["applied", "active"])
def test_the_same_phone_cannot_apply_twice_to_a_project_while_pending_or_active(public, status):
    first = applied(public)
    if status == "active":
        services.monitor_decide(by=public.olivia.user, monitor=first, approve=True)
    page = apply(public, phone="138 0000 2222", name="王建国二")  # the same number, written otherwise
    assert "联系电话：" in messages_of(page) and "申请已提交" not in page
    assert Monitor.objects.count() == 1
    with pytest.raises(ValidationError, match="联系电话"):
        register(public)  # nor can the office register it again
    assert Monitor.objects.count() == 1


def test_a_refused_or_retired_applicant_may_apply_again_and_another_project_is_another_application(public):
    first = applied(public)
    services.monitor_decide(by=public.olivia.user, monitor=first, approve=False, note="材料不全")
    assert "申请已提交" in messages_of(apply(public))
    second = Monitor.objects.get(status="applied")
    services.monitor_decide(by=public.olivia.user, monitor=second, approve=True)
    services.monitor_retire(by=public.olivia.user, monitor=second, note="搬离本片区")
    assert "申请已提交" in messages_of(apply(public))
    assert sorted(Monitor.objects.values_list("status", flat=True)) == ["applied", "refused", "retired"]
    other = project_create(
        code="nanzhan",
        name="南站片区",
        kind="shantytown",
        district=public.district,
        freeze_date=public.project.freeze_date,
    )
    services.monitor_apply(project=other, name=NAME, phone=PHONE, introduction="也住南站")
    assert Monitor.objects.filter(status="applied").count() == 2


# --- the office decides --------------------------------------------------------------------------------------------


def test_approving_shows_the_code_once_and_keeps_only_its_digest(public):
    monitor = applied(public)
    olivia = public.client(public.olivia)
    code = shown_code(office_action(olivia, monitor, "approve"))
    monitor.refresh_from_db()
    assert (monitor.status, monitor.decided_by, monitor.code_issued_at is not None) == (
        "active",
        public.olivia.user,
        True,
    )
    assert code not in monitor.code_hash and monitor.code_hash
    people = olivia.get("/monitors/people/").content.decode()
    assert "在任" in people and code not in people
    assert not TrailEntry.objects.filter(data__contains=code).exists()
    assert not TrailEntry.objects.filter(data__contains=PHONE).exists()  # the phone is masked in the trail
    # it signs in, typed as people type
    assert signed_in("138-0000-2222", f" {code.lower()} ")
    # approving again is refused, and no other code is shown
    again = olivia.post(f"/monitors/people/{monitor.pk}/approve/", follow=True).content.decode()
    assert "不能再审核" in messages_of(again) and not CODE_SHOWN.search(again)


def test_refusing_needs_a_reason_and_a_refused_applicant_cannot_sign_in(public):
    monitor = applied(public)
    olivia = public.client(public.olivia)
    before = state(monitor)
    page = olivia.post(f"/monitors/people/{monitor.pk}/refuse/", {"note": "  "}, follow=True).content.decode()
    assert "不通过的理由：请填写" in messages_of(page)
    assert state(monitor) == before
    page = olivia.post(f"/monitors/people/{monitor.pk}/refuse/", {"note": "非本项目居民"}, follow=True)
    assert "已保存" in messages_of(page.content.decode())
    monitor.refresh_from_db()
    assert (monitor.status, monitor.note, monitor.code_hash) == ("refused", "非本项目居民", "")
    assert "非本项目居民" in page.content.decode()


def test_the_office_registers_a_monitor_who_is_active_at_once_with_a_code(public):
    olivia = public.client(public.olivia)
    response = olivia.post(
        "/monitors/people/register/",
        {"project": public.project.pk, "name": "刘居民", "phone": OTHER_PHONE, "introduction": "居民代表"},
    )
    code = shown_code(response)
    monitor = Monitor.objects.get()
    assert (monitor.status, monitor.name, monitor.phone, monitor.decided_by) == (
        "active",
        "刘居民",
        OTHER_PHONE,
        public.olivia.user,
    )
    assert signed_in(OTHER_PHONE, code)
    twice = olivia.post(
        "/monitors/people/register/",
        {"project": public.project.pk, "name": "刘居民", "phone": OTHER_PHONE},
        follow=True,
    ).content.decode()
    assert "联系电话：" in messages_of(twice) and Monitor.objects.count() == 1
    nameless = olivia.post(
        "/monitors/people/register/", {"project": public.project.pk, "name": "", "phone": "13700004444"}, follow=True
    ).content.decode()
    assert "姓名：" in messages_of(nameless) and Monitor.objects.count() == 1


def test_retiring_needs_a_reason_stops_the_code_and_ends_the_open_session(public, watched):
    monitor, code = watched
    client = signed_in(PHONE, code)
    assert client.get("/portal/monitor/report/").status_code == 200
    olivia = public.client(public.olivia)
    before = state(monitor)
    page = olivia.post(f"/monitors/people/{monitor.pk}/retire/", {"note": ""}, follow=True).content.decode()
    assert "理由" in messages_of(page) and state(monitor) == before
    assert client.get("/portal/monitor/report/").status_code == 200  # still signed in

    olivia.post(f"/monitors/people/{monitor.pk}/retire/", {"note": "多次无故不参加巡查"})
    monitor.refresh_from_db()
    assert (monitor.status, monitor.code_hash, monitor.note) == ("retired", "", "多次无故不参加巡查")
    assert client.get("/portal/monitor/report/").status_code == 403
    home = client.get("/portal/monitor/").content.decode()
    assert 'name="code"' in home and "我报告的问题" not in home  # the sign-in form again
    _, response = sign_in(PHONE, code)
    assert WRONG in messages_of(response.content.decode())
    with pytest.raises(ValidationError, match="不能重置登录码"):
        services.monitor_reset_code(by=public.olivia.user, monitor=monitor)


def test_a_reset_code_ends_the_old_session_and_the_old_code(public, watched):
    monitor, old = watched
    client = signed_in(PHONE, old)
    new = shown_code(public.client(public.olivia).post(f"/monitors/people/{monitor.pk}/reset/"))
    assert new != old
    assert client.get("/portal/monitor/report/").status_code == 403
    assert "我报告的问题" not in client.get("/portal/monitor/").content.decode()
    _, response = sign_in(PHONE, old)
    assert WRONG in messages_of(response.content.decode())
    fresh = signed_in(PHONE, new)
    assert "我报告的问题" in fresh.get("/portal/monitor/").content.decode()


PERSONAS = ["alice", "bob", "tom", "pat", "lee", "ivy", "otto"]


def persona(world, otto, name):
    return otto if name == "otto" else getattr(world, name)


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_command_office_of_the_district_decides_about_monitors_on_the_pages(public, otto, who):
    person = persona(public, otto, who)
    client = public.client(person)
    waiting = applied(public)
    active, code = register(public, phone=OTHER_PHONE, name="刘居民")
    before = {m.pk: state(m) for m in (waiting, active)}
    answers = [
        office_action(client, waiting, "approve"),
        office_action(client, waiting, "refuse", note="不同意"),
        office_action(client, active, "reset"),
        office_action(client, active, "retire", note="解聘"),
    ]
    for response in answers:
        assert response.status_code in (403, 404), response.status_code
        assert not CODE_SHOWN.search(response.content.decode())
    assert {m.pk: state(m) for m in (waiting, active)} == before
    registered = client.post(
        "/monitors/people/register/",
        {"project": public.project.pk, "name": "赵冒名", "phone": "13700005555"},
        follow=True,
    )
    assert registered.status_code == 403 or "项目：" in messages_of(registered.content.decode())
    assert not CODE_SHOWN.search(registered.content.decode())
    assert Monitor.objects.count() == 2
    assert signed_in(OTHER_PHONE, code)  # the code still works


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_command_office_of_the_district_decides_about_monitors_in_the_services(world, otto, who):
    person = persona(world, otto, who).user
    waiting = applied(world)
    active, _ = register(world, phone=OTHER_PHONE, name="刘居民")
    before = {m.pk: state(m) for m in (waiting, active)}
    calls = [
        lambda: services.monitor_decide(by=person, monitor=waiting, approve=True),
        lambda: services.monitor_decide(by=person, monitor=waiting, approve=False, note="不同意"),
        lambda: services.monitor_reset_code(by=person, monitor=active),
        lambda: services.monitor_retire(by=person, monitor=active, note="解聘"),
        lambda: services.monitor_register(by=person, project=world.project, name="赵冒名", phone="13700005555"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="指挥部办公室"):
            call()
    assert {m.pk: state(m) for m in (waiting, active)} == before
    assert Monitor.objects.count() == 2


def test_the_people_page_is_the_districts_and_its_buttons_the_offices(public, otto):
    applied(public)
    olivia = public.client(public.olivia).get("/monitors/people/").content.decode()
    assert NAME in olivia and "/approve/" in olivia and "登记并发放登录码" in olivia
    for person in (public.alice, public.bob, public.tom, public.pat, otto):
        page = public.client(person).get("/monitors/people/").content.decode()
        assert NAME not in page and PHONE not in page and "/approve/" not in page
    lee = public.client(public.lee).get("/monitors/people/").content.decode()
    assert "/approve/" not in lee and "登记并发放登录码" not in lee


# --- signing in ----------------------------------------------------------------------------------------------------


def test_a_wrong_phone_and_a_wrong_code_get_byte_identical_answers(public, watched):
    _, code = watched
    answers = [
        sign_in("13700009999", code)[1],  # no monitor has this phone
        sign_in(PHONE, "AAAAAAAA")[1],  # the right phone, a wrong code
        sign_in(PHONE, "")[1],
        sign_in("不是电话", code)[1],
    ]
    pages = [r.content.decode() for r in answers]
    assert all(r.status_code == 200 for r in answers)
    assert WRONG in messages_of(pages[0])
    assert len({messages_of(p) for p in pages}) == 1
    assert len({without_csrf(p) for p in pages}) == 1  # nothing else on the page tells them apart
    for page in pages:
        assert NAME not in page and "我报告的问题" not in page


def test_five_failures_lock_the_phone_even_for_the_right_code_and_the_lock_is_per_phone(public, watched):
    _, code = watched
    other, other_code = register(public, phone=OTHER_PHONE, name="刘居民")
    for _ in range(5):
        _, response = sign_in(PHONE, "AAAAAAAA")
        assert WRONG in messages_of(response.content.decode())
    client, response = sign_in(PHONE, code)
    page = response.content.decode()
    assert response.status_code == 200 and LOCKED in messages_of(page) and "我报告的问题" not in page
    assert client.get("/portal/monitor/report/").status_code == 403
    # another monitor, from the same address, is not locked out
    assert "我报告的问题" in signed_in(OTHER_PHONE, other_code).get("/portal/monitor/").content.decode()


def test_an_unknown_phone_locks_the_same_way_so_the_lock_tells_nothing(public, watched):
    answers = [messages_of(sign_in("13700009999", "AAAAAAAA")[1].content.decode()) for _ in range(6)]
    known = [messages_of(sign_in(PHONE, "AAAAAAAA")[1].content.decode()) for _ in range(6)]
    assert answers == known
    assert LOCKED in answers[-1] and WRONG in answers[0]


def test_a_new_code_from_the_office_lifts_the_lock(public, watched):
    monitor, _ = watched
    for _ in range(5):
        sign_in(PHONE, "AAAAAAAA")
    code = services.monitor_reset_code(by=public.olivia.user, monitor=monitor)
    assert signed_in(PHONE, code)


def test_an_applicant_not_yet_approved_cannot_sign_in(public):
    applied(public)
    _, response = sign_in(PHONE, "AAAAAAAA")
    assert WRONG in messages_of(response.content.decode())


def test_signing_out_ends_the_session(public, watched):
    _, code = watched
    client = signed_in(PHONE, code)
    client.post("/portal/monitor/logout/")
    assert client.get("/portal/monitor/report/").status_code == 403


def test_the_monitors_pages_need_a_signed_in_monitor(public, watched):
    anyone = Client()
    assert anyone.get("/portal/monitor/report/").status_code == 403
    assert anyone.post("/portal/monitor/report/", {"place": "x"}).status_code == 403
    home = anyone.get("/portal/monitor/").content.decode()
    assert 'name="phone"' in home and 'name="code"' in home
    # an official's session is not a monitor's
    assert public.client(public.olivia).get("/portal/monitor/report/").status_code == 403
    assert Client().get("/monitors/").status_code == 302  # and the office's pages need an official's login
