"""The office's petition pages: the list with each project's stability risk, letters and visits entered, one
petition assigned, answered or extended."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.feedback import form_day, number_or_zero, run_service, service_result
from gaizao.org.access import can_change, is_command_office, scope_projects, visible_units
from gaizao.org.models import Unit
from gaizao.petitions import selectors, services
from gaizao.petitions.models import Channel, Status, Theme
from gaizao.projects.models import Project

PAGE = 100


def petition_list(request: HttpRequest) -> HttpResponse:
    status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
    petitions = selectors.petition_list(fetched_by=request.user, status=status, q=q)
    today = timezone.localdate()
    context = {
        "petitions": petitions[:PAGE],
        "count": petitions.count(),
        "risks": selectors.project_risks(fetched_by=request.user, today=today),
        "statuses": Status.choices,
        "status": status,
        "q": q,
        "today": today,
        "office": is_command_office(request.user) and can_change(request.user),
        "channels": [(c, label) for c, label in Channel.choices if c in services.OFFICE_CHANNELS],
        "themes": Theme.choices,
        "projects": scope_projects(Project.objects.all(), request.user).order_by("name"),
    }
    return render(request, "petitions/list.html", context)


@require_POST
def petition_new(request: HttpRequest) -> HttpResponse:
    """A letter, a visit or a call, entered by the office."""
    post = request.POST

    def action():
        project = scope_projects(Project.objects.filter(pk=number_or_zero(post.get("project"))), request.user).first()
        petition, _, _ = services.petition_submit(
            channel=post.get("channel", ""),
            project=project,
            theme=post.get("theme", ""),
            content=post.get("content", ""),
            reporter_name=post.get("reporter_name", ""),
            reporter_phone=post.get("reporter_phone", ""),
            by=request.user,
            received_on=form_day(post.get("received_on"), "受理日期：", required=False),
        )
        return petition

    petition = service_result(request, action)
    return redirect("petitions:detail", pk=petition.pk) if petition else redirect("petitions:list")


def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get(fetched_by=request.user, pk=pk)
    name, phone = selectors.petitioner(request.user, petition)
    today = timezone.localdate()
    context = {
        "petition": petition,
        "reporter_name": name,
        "reporter_phone": phone,
        "sees_petitioner": selectors.sees_petitioner(request.user),
        "repeats": petition.repeats.order_by("received_on") if petition.repeat_of_id is None else [],
        "overdue": selectors.overdue(petition, today),
        "office": is_command_office(request.user) and can_change(request.user),
        "can_change": can_change(request.user),
        "units": visible_units(request.user).filter(path__startswith=petition.district.path).order_by("path"),
        "today": today,
    }
    return render(request, "petitions/detail.html", context)


@require_POST
def petition_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    petition = selectors.petition_get(fetched_by=request.user, pk=pk)
    post = request.POST
    if action == "assign":
        unit = get_object_or_404(Unit, pk=number_or_zero(post.get("unit")))
        run_service(request, lambda: services.petition_assign(by=request.user, petition=petition, unit=unit))
    elif action == "answer":
        run_service(
            request, lambda: services.petition_answer(by=request.user, petition=petition, answer=post.get("answer", ""))
        )
    elif action == "extend":
        run_service(
            request, lambda: services.petition_extend(by=request.user, petition=petition, reason=post.get("reason", ""))
        )
    else:
        raise Http404("没有这个操作")
    return redirect("petitions:detail", pk=petition.pk)
