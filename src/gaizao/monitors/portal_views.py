"""The monitors' pages on the public portal: apply, sign in with phone and code, report a problem with photos,
follow one's reports and verify a fix; and, open to all, a project's published reports with their outcomes.
The monitor's id lives in the session (with its code's issue time: a reset code ends the session), never in a URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.evidence import evidence_response
from gaizao.core.feedback import number_or_zero, show_refusal
from gaizao.monitors import selectors, services
from gaizao.monitors.models import Category, Monitor, MonitorStatus
from gaizao.portal import selectors as portal
from gaizao.portal.views import _client_ip, _page

SESSION_KEY, ISSUED_KEY = "gaizao_monitor", "gaizao_monitor_code"


def signed_in_monitor(request: HttpRequest) -> Monitor | None:
    pk, issued = request.session.get(SESSION_KEY), request.session.get(ISSUED_KEY)
    if pk is None:
        return None
    monitor = Monitor.objects.select_related("project", "district").filter(pk=pk, status=MonitorStatus.ACTIVE).first()
    if monitor is None or monitor.code_issued_at is None or issued != monitor.code_issued_at.isoformat():
        request.session.pop(SESSION_KEY, None)
        request.session.pop(ISSUED_KEY, None)
        return None
    request.public_actor = f"监督员 {monitor.project.code}/{monitor.pk}"
    return monitor


def _monitor(request: HttpRequest) -> Monitor:
    monitor = signed_in_monitor(request)
    if monitor is None:
        raise PermissionDenied("请先用手机号和登录码登录")
    return monitor


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: one's reports; otherwise the sign-in form."""
    monitor = signed_in_monitor(request)
    if monitor is None and request.method == "POST":
        try:
            monitor = services.monitor_sign_in(
                phone=request.POST.get("phone", ""), code=request.POST.get("code", ""), ip=_client_ip(request)
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = monitor.pk
            request.session[ISSUED_KEY] = monitor.code_issued_at.isoformat()
            return redirect("monitor_portal:home")
    reports = selectors.own_reports(monitor) if monitor else []
    return _page(request, "monitors/portal_home.html", {"monitor": monitor, "reports": reports})


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(ISSUED_KEY, None)
    return redirect("monitor_portal:home")


@login_not_required
def apply(request: HttpRequest) -> HttpResponse:
    projects = portal.public_projects()
    if request.method == "POST":
        post = request.POST
        try:
            project = projects.filter(pk=number_or_zero(post.get("project"))).first()
            if project is None:
                raise ValidationError("项目：请选择要监督的项目")
            services.monitor_apply(
                project=project,
                name=post.get("name", ""),
                phone=post.get("phone", ""),
                introduction=post.get("introduction", ""),
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, "申请已提交。指挥部办公室审核通过后，会联系您并告知登录码。")
            return redirect("monitor_portal:home")
    return _page(request, "monitors/portal_apply.html", {"projects": projects, "form": request.POST})


@login_not_required
def report_new(request: HttpRequest) -> HttpResponse:
    monitor = _monitor(request)
    if request.method == "POST":
        post = request.POST
        try:
            report, new = services.report_submit(
                monitor=monitor,
                category=post.get("category", ""),
                place=post.get("place", ""),
                description=post.get("description", ""),
                photos=request.FILES.getlist("photos"),
                longitude=post.get("longitude", ""),
                latitude=post.get("latitude", ""),
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            at = timezone.localtime(report.submitted_at)
            messages.success(
                request,
                f"已报告，编号 {report.code}" if new else f"相同问题已于 {at:%Y-%m-%d %H:%M} 报告，编号 {report.code}",
            )
            return redirect("monitor_portal:report", pk=report.pk)
    context = {"monitor": monitor, "categories": Category.choices, "form": request.POST}
    return _page(request, "monitors/portal_report_new.html", context)


@login_not_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    monitor = _monitor(request)
    shown = selectors.own_report(monitor, pk)
    context = {"monitor": monitor, "report": shown, "steps": selectors.steps(shown)}
    return _page(request, "monitors/portal_report.html", context)


@login_not_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    monitor = _monitor(request)
    shown = selectors.own_report(monitor, pk)
    try:
        services.report_verify(
            report=shown, monitor=monitor, passed=request.POST.get("passed") == "yes", note=request.POST.get("note", "")
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "验证意见已提交")
    return redirect("monitor_portal:report", pk=pk)


@login_not_required
def own_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return evidence_response(selectors.own_photo(_monitor(request), pk))


@login_not_required
def published(request: HttpRequest, code: str) -> HttpResponse:
    project = portal.public_project(code)
    context = {
        "project": project,
        "figures": selectors.public_figures(project, timezone.localdate()),
        "reports": selectors.public_reports(project)[:200],
    }
    return _page(request, "monitors/portal_published.html", context)


@login_not_required
def published_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return evidence_response(selectors.public_photo(pk))
