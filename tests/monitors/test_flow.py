"""A report's way through the office: assigned to a unit with a deadline (or declined with a reason), fixed by that
unit with photos, verified by the monitor who reported it (or the office), sent back with a reason and fixed again,
and published with its outcome. Who may do each step, who sees the report, its photos and its reporter."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from gaizao.core.evidence import evidence_create
from gaizao.monitors import services
from gaizao.monitors.models import Report, Step
from tests.portal.support import messages_of

from .conftest import (
    DESCRIPTION,
    NAME,
    OTHER_PHONE,
    PHONE,
    PHOTO,
    PLACE,
    fake_jpeg,
    jpeg,
    register,
    signed_in,
    stored_files,
    submit,
)


def today():
    return timezone.localdate()


def act(client: Client, report: Report, action: str, **data):
    """POST an office action; the page it lands on (the redirect followed), or the refusal itself."""
    response = client.post(f"/monitors/{report.pk}/{action}/", data)
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def said(response) -> str:
    return messages_of(response.content.decode())


def verify(client: Client, report: Report, passed: bool, note: str = ""):
    response = client.post(
        f"/portal/monitor/report/{report.pk}/verify/", {"passed": "yes" if passed else "no", "note": note}
    )
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def state(report: Report) -> tuple:
    report.refresh_from_db()
    return report.status, report.assigned_to_id, report.due_on, report.returns, report.outcome, report.steps.count()


def published(project) -> str:
    response = Client().get(f"/portal/monitor/p/{project.code}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reported(public, watched):
    """(report, the monitor's signed-in client)."""
    monitor, code = watched
    return submit(monitor), signed_in(PHONE, code)


def assigned(world, report: Report, unit=None, days: int = 10, on=None) -> Report:
    return services.report_assign(by=world.olivia.user, report=report, unit=unit or world.street_a, days=days, today=on)


def fixed(world, report: Report, by=None) -> Report:
    return services.report_fix(
        by=(by or world.alice).user, report=report, note="已凿开重新抹灰", photos=[jpeg("修后.jpg")]
    )


# --- the whole way -------------------------------------------------------------------------------------------------


def test_assigned_fixed_returned_fixed_again_and_passed_then_published_with_its_outcome(public, reported):
    report, monitor = reported
    olivia, alice = public.client(public.olivia), public.client(public.alice)

    page = act(olivia, report, "assign", unit=public.street_a.pk, days="10")
    assert "已保存" in said(page)
    report.refresh_from_db()
    assert (report.status, report.assigned_to, report.due_on) == ("assigned", public.street_a, today() + timedelta(10))
    assert "整改中" in monitor.get("/portal/monitor/").content.decode()

    assert "已保存" in said(act(alice, report, "fix", note="已凿开重新抹灰", photos=[jpeg("修后.jpg")]))
    report.refresh_from_db()
    assert report.status == "fixed"
    own = monitor.get(f"/portal/monitor/report/{report.pk}/").content.decode()
    assert "已凿开重新抹灰" in own and "验证整改" in own and public.street_a.name in own
    assert "整改已完成，请验证" in monitor.get("/portal/monitor/").content.decode()

    refused = verify(monitor, report, passed=False, note="  ")
    assert "复查意见：" in said(refused)
    report.refresh_from_db()
    assert (report.status, report.returns) == ("fixed", 0)

    due = report.due_on
    page = verify(monitor, report, passed=False, note="裂缝仍在，抹灰后又开裂")
    assert "验证意见已提交" in said(page)
    report.refresh_from_db()
    assert (report.status, report.returns) == ("assigned", 1)
    assert report.due_on >= due and report.due_on >= today() + timedelta(days=7)
    assert "裂缝仍在" in alice.get(f"/monitors/{report.pk}/").content.decode()

    act(alice, report, "fix", note="铲除空鼓层，挂网重抹", photos=[jpeg("再修.jpg")])
    report.refresh_from_db()
    assert report.status == "fixed"
    page = verify(monitor, report, passed=True, note="看过了，修好了")
    report.refresh_from_db()
    assert (report.status, report.outcome, report.returns) == ("closed", "看过了，修好了", 1)
    assert report.closed_at is not None
    kinds = list(report.steps.values_list("kind", flat=True))
    assert kinds == ["submitted", "assigned", "fixed", "returned", "fixed", "closed"]
    assert list(report.steps.values_list("by_monitor", flat=True)) == [True, False, False, True, False, True]

    shown = published(public.project)
    assert DESCRIPTION in shown and PLACE in shown and "看过了，修好了" in shown and "已办结" in shown
    assert "铲除空鼓层" in shown and public.street_a.name in shown
    assert NAME not in shown and PHONE not in shown and "138****2222" not in shown
    for official in ("alice", "olivia", "艾丽", "欧丽"):
        assert official not in shown
    # nothing more can be done to it
    assert "不能" in said(verify(monitor, report, passed=False, note="又坏了"))
    assert "不能" in said(act(olivia, report, "assign", unit=public.street_b.pk))
    report.refresh_from_db()
    assert report.status == "closed"


def test_the_office_verifies_a_fix_too_and_its_default_outcome(public, reported):
    report, _ = reported
    report = fixed(public, assigned(public, report))
    olivia = public.client(public.olivia)
    page = act(olivia, report, "verify", passed="yes", note="")
    assert "已保存" in said(page)
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("closed", "整改完成，验证通过")
    step = report.steps.last()
    assert (step.kind, step.by, step.by_monitor) == ("closed", public.olivia.user, False)


def test_a_returned_fix_that_was_already_late_gets_a_week_again(public, reported):
    report, _ = reported
    long_ago = today() - timedelta(days=30)
    report = fixed(public, assigned(public, report, days=10, on=long_ago))
    assert report.due_on == long_ago + timedelta(days=10)
    report = services.report_verify(report=report, passed=False, note="没修好", by=public.olivia.user)
    assert report.due_on == today() + timedelta(days=7) and report.returns == 1
    assert f"（整改期限 {report.due_on}）" in report.steps.last().note


def test_a_declined_report_is_published_with_its_reason(public, reported):
    report, monitor = reported
    olivia = public.client(public.olivia)
    assert "理由：" in said(act(olivia, report, "dismiss", reason=" "))
    assert state(report)[0] == "submitted"
    assert "已保存" in said(act(olivia, report, "dismiss", reason="属物业维修范围，已转物业公司"))
    report.refresh_from_db()
    assert (report.status, report.outcome, report.closed_at is not None) == (
        "dismissed",
        "属物业维修范围，已转物业公司",
        True,
    )
    shown = published(public.project)
    assert "不予受理" in shown and "属物业维修范围，已转物业公司" in shown and DESCRIPTION in shown
    assert NAME not in shown and PHONE not in shown
    assert "属物业维修范围" in monitor.get(f"/portal/monitor/report/{report.pk}/").content.decode()
    # a declined report is not assigned afterwards, nor an assigned one declined
    assert "不能交办" in said(act(olivia, report, "assign", unit=public.street_a.pk))
    other = submit(report.monitor, place="5号楼")
    assigned(public, other)
    assert "不能不予受理" in said(act(olivia, other, "dismiss", reason="重复"))


def test_open_reports_are_not_published_but_counted(public, reported):
    report, _ = reported
    second = assigned(public, submit(report.monitor, place="5号楼", description="外墙瓷砖脱落"))
    third = fixed(public, assigned(public, submit(report.monitor, place="6号楼", description="消防通道堆放建材")))
    shown = published(public.project)
    for open_report in (report, second, third):
        assert open_report.description not in shown and open_report.place not in shown
        assert open_report.code not in shown
    assert "暂无已办结的问题" in shown
    figures = [int(n) for n in re.findall(r'<div class="big">(\d+)</div>', shown)]
    assert figures == [3, 3, 0, 0]  # received, open, closed, declined


def test_the_office_reassigns_with_a_new_deadline_but_not_outside_its_district_nor_beyond_ninety_days(public, reported):
    report, _ = reported
    olivia = public.client(public.olivia)
    before = state(report)
    for days in ("0", "91", "abc"):
        page = act(olivia, report, "assign", unit=public.street_a.pk, days=days)
        assert "整改期限：" in said(page), said(page)
        assert state(report) == before
    page = act(olivia, report, "assign", unit=public.pat.unit.pk)
    assert "不在江北区" in said(page) and state(report) == before
    assigned(public, report)
    report = assigned(public, report, unit=public.street_b, days=20)
    assert (report.assigned_to, report.due_on) == (public.street_b, today() + timedelta(days=20))
    assert list(report.steps.values_list("kind", flat=True)) == ["submitted", "assigned", "assigned"]


# --- who may do what -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "tom", "pat", "lee", "ivy"])
def test_only_the_command_office_assigns_declines_and_verifies(public, reported, who):
    report, _ = reported
    client = public.client(getattr(public, who))
    before = state(report)
    assert client.post(f"/monitors/{report.pk}/assign/", {"unit": public.street_a.pk}).status_code in (403, 404)
    assert client.post(f"/monitors/{report.pk}/dismiss/", {"reason": "不是问题"}).status_code in (403, 404)
    assert state(report) == before
    fixed(public, assigned(public, report))
    before = state(report)
    assert client.post(f"/monitors/{report.pk}/verify/", {"passed": "yes"}).status_code in (403, 404)
    assert client.post(f"/monitors/{report.pk}/verify/", {"passed": "no", "note": "不行"}).status_code in (403, 404)
    assert state(report) == before
    person = getattr(public, who).user
    with pytest.raises(PermissionDenied):
        services.report_verify(report=report, passed=True, note="", by=person)
    assert state(report) == before


@pytest.mark.parametrize("who", ["bob", "tom", "pat", "lee", "ivy"])
def test_only_the_assigned_unit_or_the_office_fixes_it(public, reported, who):
    report, _ = reported
    report = assigned(public, report)
    before = state(report)
    client = public.client(getattr(public, who))
    response = client.post(f"/monitors/{report.pk}/fix/", {"note": "已修好", "photos": [jpeg()]})
    assert response.status_code in (403, 404)
    with pytest.raises(PermissionDenied, match="整改单位"):
        services.report_fix(by=getattr(public, who).user, report=report, note="已修好", photos=[jpeg()])
    assert state(report) == before


def test_the_office_may_report_the_fix_itself(public, reported):
    report, _ = reported
    report = fixed(public, assigned(public, report), by=public.olivia)
    assert report.status == "fixed"
    assert report.steps.last().unit == public.street_a  # done for the unit it was assigned to


def test_a_fix_needs_a_note_and_a_photo_and_an_assigned_report(public, reported):
    report, _ = reported
    alice = public.client(public.alice)
    olivia = public.client(public.olivia)
    before = state(report)
    not_yet = act(olivia, report, "fix", note="已修好", photos=[jpeg()])  # no unit has it yet
    assert not_yet.status_code == 403 or "不能整改" in said(not_yet)
    assert state(report) == before
    report = assigned(public, report)
    before = state(report)
    assert "整改后照片：请至少上传一张" in said(act(alice, report, "fix", note="已修好"))
    assert "整改情况：请填写" in said(act(alice, report, "fix", note=" ", photos=[jpeg()]))
    refused = said(act(alice, report, "fix", note="已修好", photos=[fake_jpeg("修后.jpg")]))
    assert "整改后照片“修后.jpg”的内容不是JPEG 图片" in refused
    assert state(report) == before
    assert not Step.objects.filter(kind="fixed").exists()
    # a fix is reported once: it then waits for verification
    fixed(public, report)
    assert "不能整改" in said(act(alice, report, "fix", note="又修了", photos=[jpeg()]))


def test_only_the_monitor_who_reported_it_verifies_it(public, reported):
    report, monitor = reported
    report = fixed(public, assigned(public, report))
    other, other_code = register(public, phone=OTHER_PHONE, name="刘居民")
    stranger = signed_in(OTHER_PHONE, other_code)
    before = state(report)
    assert stranger.get(f"/portal/monitor/report/{report.pk}/").status_code == 404
    assert stranger.post(f"/portal/monitor/report/{report.pk}/verify/", {"passed": "yes"}).status_code == 404
    assert Client().post(f"/portal/monitor/report/{report.pk}/verify/", {"passed": "yes"}).status_code == 403
    assert state(report) == before
    with pytest.raises(PermissionDenied, match="本人"):
        services.report_verify(report=report, passed=True, note="", monitor=other)
    assert state(report) == before
    assert report.code not in stranger.get("/portal/monitor/").content.decode()


def test_a_report_not_yet_fixed_cannot_be_verified(public, reported):
    report, monitor = reported
    assert "不能验证" in said(verify(monitor, report, passed=True))
    assigned(public, report)
    assert "不能复查退回" in said(verify(monitor, report, passed=False, note="没修"))
    assert state(report)[0] == "assigned"
    with pytest.raises(ValidationError):
        services.report_verify(report=report, passed=True, note="", by=public.olivia.user)


# --- who sees what -------------------------------------------------------------------------------------------------


def test_the_office_sees_the_monitor_and_the_street_does_not(public, reported):
    report, _ = reported
    assert public.client(public.alice).get(f"/monitors/{report.pk}/").status_code == 404  # not yet hers
    olivia = public.client(public.olivia).get(f"/monitors/{report.pk}/").content.decode()
    assert NAME in olivia and PHONE in olivia and "监督员信息已隐去" not in olivia
    report = fixed(public, assigned(public, report))
    page = public.client(public.alice).get(f"/monitors/{report.pk}/")
    assert page.status_code == 200
    street = page.content.decode()
    assert DESCRIPTION in street and "监督员信息已隐去" in street
    assert NAME not in street and PHONE not in street and "138****2222" not in street
    listed = public.client(public.alice).get("/monitors/").content.decode()
    assert report.code in listed and NAME not in listed and PHONE not in listed


def test_each_sees_the_reports_of_its_own_units(public, reported):
    report, _ = reported
    monitor = report.monitor
    at_a = assigned(public, submit(monitor, place="A街道的楼"))
    at_b = assigned(public, submit(monitor, place="B街道的楼"), unit=public.street_b)
    waiting = report  # not yet assigned: the office's alone
    every = {waiting, at_a, at_b}

    def listed(person) -> set:
        page = public.client(person).get("/monitors/").content.decode()
        return {r for r in every if r.code in page}

    def opened(person) -> set:
        client = public.client(person)
        return {r for r in every if client.get(f"/monitors/{r.pk}/").status_code == 200}

    assert listed(public.olivia) == opened(public.olivia) == every
    assert listed(public.lee) == opened(public.lee) == every
    assert listed(public.alice) == opened(public.alice) == {at_a}
    assert listed(public.bob) == opened(public.bob) == {at_b}
    assert listed(public.pat) == opened(public.pat) == set()
    assert listed(public.tom) == opened(public.tom) == set()
    late = public.client(public.olivia).get("/monitors/", {"status": "assigned"}).content.decode()
    assert at_a.code in late and at_b.code in late and waiting.code not in late


# --- photos --------------------------------------------------------------------------------------------------------


def photo_of(report: Report, kind: str = "submitted"):
    return report.steps.get(kind=kind).photos.get()


def served(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "image/jpeg" and response["Content-Security-Policy"] == "sandbox"
    return b"".join(response.streaming_content)


def test_the_public_sees_the_photos_of_published_reports_only(public, reported):
    report, _ = reported
    photo = photo_of(report)
    url = f"/portal/monitor/published-photo/{photo.pk}/"
    assert Client().get(url).status_code == 404  # an open report's photo
    report = fixed(public, assigned(public, report))
    fix_url = f"/portal/monitor/published-photo/{photo_of(report, 'fixed').pk}/"
    assert Client().get(fix_url).status_code == 404
    services.report_verify(report=report, passed=True, note="", by=public.olivia.user)
    assert served(Client().get(url)) == PHOTO
    assert served(Client().get(fix_url)) == PHOTO
    assert url in published(public.project) and fix_url in published(public.project)


def test_an_evidence_file_of_another_kind_is_never_served_by_the_monitors_photo_urls(public, reported):
    report, monitor = reported
    services.report_verify(report=fixed(public, assigned(public, report)), passed=True, note="", by=public.olivia.user)
    other = evidence_create(by=public.olivia.user, upload=jpeg("合同.jpg"))
    for client, url in (
        (Client(), f"/portal/monitor/published-photo/{other.pk}/"),
        (monitor, f"/portal/monitor/photo/{other.pk}/"),
        (public.client(public.olivia), f"/monitors/photo/{other.pk}/"),
    ):
        assert client.get(url).status_code == 404, url


def test_a_monitor_sees_the_photos_of_their_own_reports_only(public, reported):
    report, monitor = reported
    photo = photo_of(report)
    url = f"/portal/monitor/photo/{photo.pk}/"
    assert served(monitor.get(url)) == PHOTO
    fixed(public, assigned(public, report))
    assert served(monitor.get(f"/portal/monitor/photo/{photo_of(report, 'fixed').pk}/")) == PHOTO
    other, other_code = register(public, phone=OTHER_PHONE, name="刘居民")
    assert signed_in(OTHER_PHONE, other_code).get(url).status_code == 404
    assert Client().get(url).status_code == 403


def test_the_office_photo_url_is_scoped_like_the_reports(public, reported):
    report, _ = reported
    url = f"/monitors/photo/{photo_of(report).pk}/"
    assert served(public.client(public.olivia).get(url)) == PHOTO
    assert public.client(public.alice).get(url).status_code == 404  # not yet hers
    assigned(public, report)
    assert served(public.client(public.alice).get(url)) == PHOTO
    for person in (public.bob, public.pat, public.tom):
        assert public.client(person).get(url).status_code == 404
    assert len(stored_files()) == 1




def test_the_photos_of_a_project_not_on_the_portal_are_not_served_to_the_public(world):
    monitor, _ = register(world)  # the office may register monitors for any project of its district
    report = fixed(world, assigned(world, submit(monitor)))
    services.report_verify(report=report, passed=True, note="", by=world.olivia.user)
    assert Client().get(f"/portal/monitor/p/{world.project.code}/").status_code == 404
    assert Client().get(f"/portal/monitor/published-photo/{photo_of(report).pk}/").status_code == 404


def test_a_passing_note_is_held_to_the_same_length_as_every_other_text(public, reported):
    report, monitor = reported
    report = fixed(public, assigned(public, report))
    page = verify(monitor, report, passed=True, note="好" * 2001)
    assert "2000" in said(page)
    report.refresh_from_db()
    assert report.status == "fixed" and report.outcome == ""
