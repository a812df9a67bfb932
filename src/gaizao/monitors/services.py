"""Writes of the citizen supervision: a resident applies (or the office registers them), the office approves and
gives a sign-in code; a monitor reports a problem with photos; the office assigns it to a unit with a deadline or
declines it with a reason; the unit fixes it with photos; the monitor (or the office) verifies the fix or sends it
back. Closed and declined reports are published on the project's public page with their outcome."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.accounts import lockout
from gaizao.core.codes import followed, lock_name, new_code, phone_digits, sent_before, words_digest
from gaizao.core.crypto import keyed_hash
from gaizao.core.evidence import MAX_PUBLIC_PHOTO_BYTES, PHOTO_TYPES, evidence_create
from gaizao.core.feedback import form_degrees
from gaizao.core.numbering import next_code
from gaizao.core.uploads import check_upload
from gaizao.monitors import rules
from gaizao.monitors.models import Category, Monitor, MonitorStatus, Report, Step, StepKind
from gaizao.org.access import can_change, require_district_office, visible_unit_ids
from gaizao.org.models import Unit
from gaizao.projects.models import Project

WRONG = "手机号或登录码不正确"


def _name(value: str) -> str:
    name = value.strip()
    if not name:
        raise ValidationError("姓名：请填写")
    if len(name) > 50:
        raise ValidationError(f"姓名：最多 50 字，写了 {len(name)} 字")
    return name


def _no_twin(project: Project, phone: str) -> None:
    current = Monitor.objects.filter(
        project=project, phone_hash=keyed_hash(phone), status__in=(MonitorStatus.APPLIED, MonitorStatus.ACTIVE)
    ).first()
    if current is not None:
        raise ValidationError(f"联系电话：该号码已{current.get_status_display()}为本项目监督员")


def _new_monitor(project: Project, name: str, phone: str, introduction: str, *, required: bool) -> Monitor:
    """The person checked (name, phone, who they are) and not already applying or serving on the project."""
    name, phone = _name(name), phone_digits(phone, required=True)
    introduction = _text(introduction, "简介", required=required)
    _no_twin(project, phone)
    return Monitor(
        project=project,
        district_id=project.district_id,
        name=name,
        phone=phone,
        introduction=introduction,
        applied_at=timezone.now(),
    )


@transaction.atomic
def monitor_apply(*, project: Project, name: str, phone: str, introduction: str) -> Monitor:
    """A resident's application from the portal; it waits for the office (待审核)."""
    monitor = _new_monitor(project, name, phone, introduction, required=True)
    monitor.save()
    return monitor


def _issue(by, monitor: Monitor, status: str, note: str) -> str:
    """The sign-in code, readable this once; a new code ends the old one."""
    code = new_code()
    monitor.status, monitor.note = status, note
    monitor.code_hash, monitor.code_issued_at = keyed_hash(code), timezone.now()
    monitor.decided_by, monitor.decided_at = by, timezone.now()
    monitor.save()
    lockout.unlock(lock_name("monitor", _phone_key(monitor.phone)))
    return code


@transaction.atomic
def monitor_register(*, by, project: Project, name: str, phone: str, introduction: str = "") -> tuple[Monitor, str]:
    """The office registers a monitor it has chosen (a residents' representative…): active at once, with its code."""
    require_district_office(by, project.district_id, "登记监督员")
    monitor = _new_monitor(project, name, phone, introduction, required=False)
    return monitor, _issue(by, monitor, MonitorStatus.ACTIVE, "指挥部办公室登记")


def _locked_monitor(monitor: Monitor) -> Monitor:
    return Monitor.objects.select_for_update().get(pk=monitor.pk)


@transaction.atomic
def monitor_decide(*, by, monitor: Monitor, approve: bool, note: str = "") -> str:
    """Approves an application (the code is returned, shown once) or refuses it with a reason ("")."""
    require_district_office(by, monitor.district_id, "审核监督员")
    monitor = _locked_monitor(monitor)
    if monitor.status != MonitorStatus.APPLIED:
        raise ValidationError(f"该申请{monitor.get_status_display()}，不能再审核")
    note = _text(note, "审核意见" if approve else "不通过的理由", required=not approve)
    if approve:
        return _issue(by, monitor, MonitorStatus.ACTIVE, note)
    monitor.status, monitor.note, monitor.decided_by, monitor.decided_at = (
        MonitorStatus.REFUSED,
        note,
        by,
        timezone.now(),
    )
    monitor.save()
    return ""


@transaction.atomic
def monitor_reset_code(*, by, monitor: Monitor) -> str:
    require_district_office(by, monitor.district_id, "重置登录码")
    monitor = _locked_monitor(monitor)
    if monitor.status != MonitorStatus.ACTIVE:
        raise ValidationError(f"该监督员{monitor.get_status_display()}，不能重置登录码")
    return _issue(by, monitor, MonitorStatus.ACTIVE, monitor.note)


@transaction.atomic
def monitor_retire(*, by, monitor: Monitor, note: str) -> Monitor:
    """解聘: the code stops working; the reports already made go on."""
    require_district_office(by, monitor.district_id, "解聘监督员")
    monitor = _locked_monitor(monitor)
    if monitor.status != MonitorStatus.ACTIVE:
        raise ValidationError(f"该监督员{monitor.get_status_display()}，不能解聘")
    note = _text(note, "解聘理由")
    monitor.status, monitor.note, monitor.code_hash = MonitorStatus.RETIRED, note, ""
    monitor.decided_by, monitor.decided_at = by, timezone.now()
    monitor.save()
    return monitor


def _phone_key(phone: str) -> str:
    """What the lockout counts a monitor's tries under: the phone's keyed hash, never the phone."""
    return keyed_hash(phone)[:30].upper()


def monitor_sign_in(*, phone: str, code: str, ip: str) -> Monitor:
    """The active monitor with this phone and code; the same answer whichever was wrong, locked after five."""
    try:
        digits = phone_digits(phone, required=True)
    except ValidationError:
        digits = phone.strip()[:20]

    def find(_, code_hash: str) -> Monitor | None:
        found = Monitor.objects.filter(
            phone_hash=keyed_hash(digits), code_hash=code_hash, status=MonitorStatus.ACTIVE
        ).select_related("project")
        return found.first()

    return followed("monitor", _phone_key(digits), code, ip, find, WRONG)


def _photos(uploads, what: str, *, required: bool) -> list:
    """Every photo checked before any is stored: a refused one leaves no file of the others behind."""
    uploads = [u for u in uploads if u]
    if required and not uploads:
        raise ValidationError(f"{what}：请至少上传一张")
    if len(uploads) > rules.PHOTOS_MAX:
        raise ValidationError(f"{what}：最多 {rules.PHOTOS_MAX} 张，选了 {len(uploads)} 张")
    for upload in uploads:
        check_upload(upload, allowed=PHOTO_TYPES, max_bytes=MAX_PUBLIC_PHOTO_BYTES, what=what)
    return [
        evidence_create(by=None, upload=u, allowed=PHOTO_TYPES, max_bytes=MAX_PUBLIC_PHOTO_BYTES, what=what)
        for u in uploads
    ]


def _text(value: str, label: str, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationError(f"{label}：请填写")
    if len(text) > rules.TEXT_MAX:
        raise ValidationError(f"{label}：最多 {rules.TEXT_MAX} 字，写了 {len(text)} 字")
    return text


def _step(report: Report, kind: str, *, by=None, by_monitor=False, unit=None, note="", photos=()) -> Step:
    step = Step.objects.create(
        report=report, kind=kind, at=timezone.now(), by=by, by_monitor=by_monitor, unit=unit, note=note
    )
    if photos:
        step.photos.set(photos)
    return step


@transaction.atomic
def report_submit(
    *, monitor: Monitor, category: str, place: str, description: str, photos, longitude=None, latitude=None
) -> tuple[Report, bool]:
    """(report, new). The same words about the same place from the same monitor within a day are the report
    already made: nothing is written twice."""
    monitor = _locked_monitor(monitor)
    if monitor.status != MonitorStatus.ACTIVE:
        raise PermissionDenied("只有在任的监督员可以报告问题")
    if category not in Category.values:
        raise ValidationError(f"类别：“{category}”不在可选项中")
    place, description = _text(place, "部位"), _text(description, "问题")
    if len(place) > 200:
        raise ValidationError(f"部位：最多 200 字，写了 {len(place)} 字")
    longitude, latitude = form_degrees(longitude, "经度", 180), form_degrees(latitude, "纬度", 90)
    digest = words_digest(monitor.pk, place, description)
    twin = sent_before(Report.objects, "submitted_at", digest)
    if twin is not None:
        return twin, False
    evidence = _photos(photos, "现场照片", required=True)
    report = Report.objects.create(
        code=next_code(Report, "JD", monitor.district, timezone.localdate().year),
        monitor=monitor,
        project_id=monitor.project_id,
        district_id=monitor.district_id,
        category=category,
        place=place,
        description=description,
        longitude=longitude,
        latitude=latitude,
        content_hash=digest,
        submitted_at=timezone.now(),
    )
    _step(report, StepKind.SUBMITTED, by_monitor=True, photos=evidence)
    return report, True


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("district").get(pk=report.pk)


def _move(report: Report, action: str) -> None:
    try:
        report.status = rules.next_status(report.status, action)
    except rules.StepRefused as refused:
        raise ValidationError(str(refused)) from None


@transaction.atomic
def report_assign(*, by, report: Report, unit: Unit, days: int = rules.FIX_DAYS, today: date | None = None) -> Report:
    report = _locked(report)
    require_district_office(by, report.district_id, "交办监督问题")
    _move(report, "assign")
    if not unit.path.startswith(report.district.path):
        raise ValidationError(f"整改单位：{unit.name}不在{report.district.name}")
    try:
        report.due_on = rules.due_on(today or timezone.localdate(), days)
    except rules.StepRefused as refused:
        raise ValidationError(str(refused)) from None
    report.assigned_to = unit
    report.save()
    _step(report, StepKind.ASSIGNED, by=by, unit=unit, note=f"整改期限 {report.due_on}")
    return report


@transaction.atomic
def report_dismiss(*, by, report: Report, reason: str) -> Report:
    """不予受理 (not a problem of the works, already fixed, another office's…): published with its reason."""
    report = _locked(report)
    require_district_office(by, report.district_id, "决定不予受理")
    _move(report, "dismiss")
    report.outcome = _text(reason, "理由")
    report.closed_at = timezone.now()
    report.save()
    _step(report, StepKind.DISMISSED, by=by, note=report.outcome)
    return report


@transaction.atomic
def report_fix(*, by, report: Report, note: str, photos) -> Report:
    """The assigned unit (or one above it) says what it did, with photos after the fix."""
    report = _locked(report)
    _move(report, "fix")
    ids = visible_unit_ids(by)
    if not can_change(by) or not (ids is None or report.assigned_to_id in ids):
        raise PermissionDenied("只有整改单位可以报告整改完成")
    note = _text(note, "整改情况")
    evidence = _photos(photos, "整改后照片", required=True)
    report.save()
    _step(report, StepKind.FIXED, by=by, unit=report.assigned_to, note=note, photos=evidence)
    return report


@transaction.atomic
def report_verify(
    *, report: Report, passed: bool, note: str, by=None, monitor: Monitor | None = None, today: date | None = None
) -> Report:
    """验证: the monitor who reported it, or the office, looks at the fix. Passed, the report is closed and published;
    not passed (say why), it goes back to the unit, with at least RETURN_DAYS more."""
    report = _locked(report)
    if monitor is not None:
        if monitor.pk != report.monitor_id or monitor.status != MonitorStatus.ACTIVE:
            raise PermissionDenied("只能验证本人报告的问题")
    else:
        require_district_office(by, report.district_id, "验证整改")
    _move(report, "pass" if passed else "return")
    note = _text(note, "复查意见", required=not passed)
    who = {"by": by, "by_monitor": monitor is not None}
    if passed:
        report.outcome = note or "整改完成，验证通过"
        report.closed_at = timezone.now()
        report.save()
        _step(report, StepKind.CLOSED, note=report.outcome, **who)
    else:
        report.returns += 1
        report.due_on = rules.due_after_return(report.due_on, today or timezone.localdate())
        report.save()
        _step(report, StepKind.RETURNED, note=f"{note}（整改期限 {report.due_on}）", unit=report.assigned_to, **who)
    return report
