"""The office's pages of the citizen supervision: the reports (assigned, declined, fixed, verified) and the
monitors (applications approved or refused, codes reset, monitors retired)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.evidence import evidence_response
from gaizao.core.feedback import number_or_zero, run_service, service_result
from gaizao.monitors import rules, selectors, services
from gaizao.monitors.models import ReportStatus
from gaizao.org.access import can_change, is_command_office, scope_projects, visible_units
from gaizao.org.models import Unit
from gaizao.projects.models import Project

PAGE = 100


def _office(request: HttpRequest) -> bool:
    return is_command_office(request.user) and can_change(request.user)


def _projects(request: HttpRequest):
    return scope_projects(Project.objects.all(), request.user).order_by("name")


def report_list(request: HttpRequest) -> HttpResponse:
    status, project = request.GET.get("status", ""), number_or_zero(request.GET.get("project"))
    today = timezone.localdate()
    reports = selectors.report_list(fetched_by=request.user, status=status, project=project, today=today)
    context = {
        "reports": reports[:PAGE],
        "count": reports.count(),
        "statuses": ReportStatus.choices,
        "status": status,
        "project": project,
        "projects": _projects(request),
        "today": today,
    }
    return render(request, "monitors/list.html", context)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(fetched_by=request.user, pk=pk)
    office = _office(request)
    context = {
        "report": report,
        "steps": selectors.steps(report),
        "office": office,
        "sees_monitor": is_command_office(request.user),
        "fixer": can_change(request.user) and report.status == ReportStatus.ASSIGNED,
        "units": visible_units(request.user).filter(path__startswith=report.district.path).order_by("path"),
        "fix_days": rules.FIX_DAYS,
        "late": rules.late(report.status, report.due_on, timezone.localdate()),
    }
    return render(request, "monitors/detail.html", context)


def _days(value: str | None) -> int:
    try:
        return int(value or rules.FIX_DAYS)
    except ValueError:
        raise ValidationError(f"整改期限：“{value}”不是天数") from None


@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = selectors.report_get(fetched_by=request.user, pk=pk)
    post, by = request.POST, request.user
    if action == "assign":
        unit = get_object_or_404(Unit, pk=number_or_zero(post.get("unit")))
        run_service(
            request,
            lambda: services.report_assign(by=by, report=report, unit=unit, days=_days(post.get("days"))),
        )
    elif action == "dismiss":
        run_service(request, lambda: services.report_dismiss(by=by, report=report, reason=post.get("reason", "")))
    elif action == "fix":
        photos = request.FILES.getlist("photos")
        run_service(
            request, lambda: services.report_fix(by=by, report=report, note=post.get("note", ""), photos=photos)
        )
    elif action == "verify":
        passed = post.get("passed") == "yes"
        run_service(
            request,
            lambda: services.report_verify(by=by, report=report, passed=passed, note=post.get("note", "")),
        )
    else:
        raise Http404("没有这个操作")
    return redirect("monitors:detail", pk=report.pk)


def report_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return evidence_response(selectors.office_photo(fetched_by=request.user, pk=pk))


def monitor_list(request: HttpRequest) -> HttpResponse:
    context = {
        "monitors": selectors.monitor_list(fetched_by=request.user),
        "office": _office(request),
        "sees_people": is_command_office(request.user),
        "projects": _projects(request),
    }
    return render(request, "monitors/people.html", context)


def _code_page(request: HttpRequest, monitor, code: str) -> HttpResponse:
    return render(request, "monitors/code_issued.html", {"monitor": monitor, "code": code})


@require_POST
def monitor_register(request: HttpRequest) -> HttpResponse:
    post = request.POST
    project = _projects(request).filter(pk=number_or_zero(post.get("project"))).first()

    def action():
        if project is None:
            raise ValidationError("项目：请选择监督的项目")
        return services.monitor_register(
            by=request.user,
            project=project,
            name=post.get("name", ""),
            phone=post.get("phone", ""),
            introduction=post.get("introduction", ""),
        )

    made = service_result(request, action)
    return _code_page(request, *made) if made else redirect("monitors:people")


@require_POST
def monitor_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    monitor = selectors.monitor_get(fetched_by=request.user, pk=pk)
    note, by = request.POST.get("note", ""), request.user
    if action in ("approve", "reset"):
        if action == "approve":
            code = service_result(request, lambda: services.monitor_decide(by=by, monitor=monitor, approve=True))
        else:
            code = service_result(request, lambda: services.monitor_reset_code(by=by, monitor=monitor))
        if code:
            return _code_page(request, monitor, code)
    elif action == "refuse":
        run_service(request, lambda: services.monitor_decide(by=by, monitor=monitor, approve=False, note=note))
    elif action == "retire":
        run_service(request, lambda: services.monitor_retire(by=by, monitor=monitor, note=note))
    else:
        raise Http404("没有这个操作")
    return redirect("monitors:people")
