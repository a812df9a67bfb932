"""A problem not fixed by its deadline is the assigned unit's failure on the supervision ladder, climbing it day by
day until it is fixed; and every step of a report, by the office or by the monitor on the portal, is in the audit
trail under the name of whoever took it."""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gaizao.audit import trail
from gaizao.audit.models import TrailEntry
from gaizao.monitors import services
from gaizao.monitors.models import Monitor, Report
from gaizao.supervision.models import Escalation
from gaizao.supervision.tick import overdue_subjects
from tests.portal.support import messages_of

from .conftest import CODE_SHOWN, PHONE, jpeg, post_report, signed_in, submit


def today():
    return timezone.localdate()


def tick(day) -> str:
    out = StringIO()
    call_command("tick", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def late_ones(day) -> dict:
    return {s.id: s for s in overdue_subjects(day, {}) if s.kind == "monitor_late"}


def assigned_long_ago(world, monitor, days_ago: int = 20, days: int = 10, **more) -> Report:
    report = submit(monitor, **more)
    return services.report_assign(
        by=world.olivia.user, report=report, unit=world.street_a, days=days, today=today() - timedelta(days=days_ago)
    )


# --- the ladder ----------------------------------------------------------------------------------------------------


def test_a_report_past_its_deadline_is_the_assigned_units_failure_from_the_day_after(world, watched):
    monitor, _ = watched
    report = assigned_long_ago(world, monitor)
    due = today() - timedelta(days=10)
    assert report.due_on == due
    assert late_ones(due) == {}  # the last day is still in time
    late = late_ones(today())
    assert set(late) == {report.pk}
    subject = late[report.pk]
    assert (subject.kind, subject.unit, subject.overdue_since) == (
        "monitor_late",
        world.street_a.pk,
        due + timedelta(1),
    )
    assert subject.label == f"监督问题 {report.code} 逾期未整改"


def test_reports_not_assigned_in_time_or_not_late_are_not_on_the_ladder(world, watched):
    monitor, _ = watched
    waiting = submit(monitor, place="1号楼")  # not yet assigned
    in_time = services.report_assign(by=world.olivia.user, report=submit(monitor, place="2号楼"), unit=world.street_a)
    closed = assigned_long_ago(world, monitor, place="3号楼")
    closed = services.report_fix(by=world.alice.user, report=closed, note="已修", photos=[jpeg()])
    waiting_check = assigned_long_ago(world, monitor, place="4号楼")
    waiting_check = services.report_fix(by=world.alice.user, report=waiting_check, note="已修", photos=[jpeg()])
    services.report_verify(report=closed, passed=True, note="", by=world.olivia.user)
    declined = submit(monitor, place="5号楼")
    services.report_dismiss(by=world.olivia.user, report=declined, reason="不属于工程问题")
    later = today() + timedelta(days=100)
    late = late_ones(later)
    assert in_time.pk in late  # a hundred days on it is late too ...
    assert not {waiting.pk, closed.pk, waiting_check.pk, declined.pk} & set(late)  # ... these never are


def test_a_late_report_climbs_the_ladder_in_tick_and_its_fix_resolves_it(public, watched):
    monitor, _ = watched
    report = assigned_long_ago(public, monitor)
    since = report.due_on + timedelta(days=1)
    out = tick(today())
    assert f"挂牌督办：[监督问题逾期未整改] 监督问题 {report.code} 逾期未整改（逾期自 {since}）" in out
    listed = Escalation.objects.get(subject_kind="monitor_late")
    assert (
        listed.subject_id,
        listed.unit,
        listed.rung,
        listed.opened_on,
        listed.overdue_since,
        listed.resolved_on,
    ) == (
        report.pk,
        public.street_a,
        "listed",
        today(),
        since,
        None,
    )
    assert "艾丽" in listed.summoned
    assert tick(today()).count("监督问题") == 0  # once a day: nothing climbs twice
    assert "约谈：[监督问题逾期未整改]" in tick(today() + timedelta(days=7))
    assert Escalation.objects.filter(subject_kind="monitor_late", subject_id=report.pk).count() == 2
    # it shows as late on the office's pages and on the public figures
    olivia = public.client(public.olivia)
    assert "逾期未整改" in olivia.get(f"/monitors/{report.pk}/").content.decode()
    assert report.code in olivia.get("/monitors/", {"status": "late"}).content.decode()
    assert "其中逾期 1" in Client().get(f"/portal/monitor/p/{public.project.code}/").content.decode()

    services.report_fix(by=public.alice.user, report=report, note="已修", photos=[jpeg()])
    out = tick(today() + timedelta(days=8))
    assert "[监督问题逾期未整改]" not in out and "解除 1 项" in out
    assert set(Escalation.objects.filter(subject_kind="monitor_late").values_list("resolved_on", flat=True)) == {
        today() + timedelta(days=8)
    }
    assert report.code not in olivia.get("/monitors/", {"status": "late"}).content.decode()


def test_a_returned_fix_is_not_late_again_for_a_week(world, watched):
    monitor, _ = watched
    report = assigned_long_ago(world, monitor)
    report = services.report_fix(by=world.alice.user, report=report, note="已修", photos=[jpeg()])
    report = services.report_verify(report=report, passed=False, note="没修好", by=world.olivia.user)
    assert report.status == "assigned" and report.pk not in late_ones(today())
    assert report.pk not in late_ones(today() + timedelta(days=7))
    assert report.pk in late_ones(today() + timedelta(days=8))


# --- the audit trail -----------------------------------------------------------------------------------------------


def entries(object_type: str, object_id) -> list[TrailEntry]:
    return list(TrailEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("seq"))


def test_every_step_is_in_the_trail_and_the_monitors_own_under_their_portal_name(public):
    resident = Client()
    resident.post(
        "/portal/monitor/apply/",
        {"project": public.project.pk, "name": "王建国", "phone": PHONE, "introduction": "被征收户"},
    )
    monitor = Monitor.objects.get()
    olivia = public.client(public.olivia)
    code = CODE_SHOWN.search(olivia.post(f"/monitors/people/{monitor.pk}/approve/").content.decode()).group(1)
    applied_entry, approved_entry = entries("monitors.monitor", monitor.pk)
    assert (applied_entry.action, applied_entry.actor_id) == ("create", None)  # a resident, no official
    assert (approved_entry.action, approved_entry.actor, approved_entry.actor_id) == (
        "update",
        "olivia",
        public.olivia.user.pk,
    )
    assert json.loads(approved_entry.data)["status"] == "active"
    assert approved_entry.district_id == public.district.pk

    client = signed_in(PHONE, code)
    name = f"监督员 {public.project.code}/{monitor.pk}"
    assert "已报告" in messages_of(client.get(post_report(client)["Location"]).content.decode())
    report = Report.objects.get()
    alice = public.client(public.alice)
    olivia.post(f"/monitors/{report.pk}/assign/", {"unit": public.street_a.pk, "days": "10"})
    alice.post(f"/monitors/{report.pk}/fix/", {"note": "已抹灰", "photos": [jpeg("修后.jpg")]})
    client.post(f"/portal/monitor/report/{report.pk}/verify/", {"passed": "no", "note": "仍有裂缝"})
    alice.post(f"/monitors/{report.pk}/fix/", {"note": "挂网重抹", "photos": [jpeg("再修.jpg")]})
    client.post(f"/portal/monitor/report/{report.pk}/verify/", {"passed": "yes", "note": "修好了"})
    report.refresh_from_db()
    assert report.status == "closed"

    changes = [(e.action, e.actor, json.loads(e.data)["status"]) for e in entries("monitors.report", report.pk)]
    assert changes == [
        ("create", name, "submitted"),
        ("update", "olivia", "assigned"),
        ("update", "alice", "fixed"),
        ("update", name, "assigned"),
        ("update", "alice", "fixed"),
        ("update", name, "closed"),
    ]
    assert {e.district_id for e in entries("monitors.report", report.pk)} == {public.district.pk}
    steps = [
        (e.action, e.actor, json.loads(e.data)["kind"])
        for step in report.steps.all()
        for e in entries("monitors.step", step.pk)
    ]
    assert steps == [
        ("create", name, "submitted"),
        ("create", "olivia", "assigned"),
        ("create", "alice", "fixed"),
        ("create", name, "returned"),
        ("create", "alice", "fixed"),
        ("create", name, "closed"),
    ]
    photos = [p.pk for step in report.steps.all() for p in step.photos.all()]
    assert [entries("core.evidence", pk)[0].actor for pk in photos] == [name, "alice", "alice"]
    # the code and the phone are nowhere in the trail, and the chain holds
    assert not TrailEntry.objects.filter(data__contains=code).exists()
    assert not TrailEntry.objects.filter(data__contains=PHONE).exists()
    assert trail.verify().ok


def test_a_refused_office_action_is_recorded_as_denied(public, watched):
    monitor, _ = watched
    report = services.report_assign(by=public.olivia.user, report=submit(monitor), unit=public.street_a)
    alice = public.client(public.alice)
    assert alice.post(f"/monitors/{report.pk}/dismiss/", {"reason": "不是问题"}).status_code == 403
    denied = TrailEntry.objects.filter(action="denied").order_by("-seq").first()
    assert denied is not None and denied.actor == "alice"
    assert json.loads(denied.data)["path"] == f"/monitors/{report.pk}/dismiss/"
