"""The office's side of the portal: publish a project's survey or compensation results, answer objections, and
issue a household's case code (shown once, to print on its notice)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.feedback import form_day, run_service
from gaizao.ledger.selectors import household_get
from gaizao.org.access import can_change, is_command_office
from gaizao.portal import access, objections, publication, selectors
from gaizao.portal.models import Objection, PublicationKind
from gaizao.projects.selectors import project_get


def project_office(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get(fetched_by=request.user, code=code)
    context = {
        "project": project,
        "publications": selectors.publications(project),
        "objections": objections.objections_for(fetched_by=request.user, project=project),
        "kinds": PublicationKind.choices,
        "today": timezone.localdate(),
        "objection_days": publication.OBJECTION_DAYS,
        "can_publish": is_command_office(request.user) and can_change(request.user),
        "can_change": can_change(request.user),
    }
    return render(request, "portal/office.html", context)


def _days(value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"公示期天数：“{value}”不是整数") from None


@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get(fetched_by=request.user, code=code)
    post = request.POST
    run_service(
        request,
        lambda: publication.publish(
            by=request.user,
            project=project,
            kind=post.get("kind", ""),
            on=form_day(post.get("on"), "公布日期："),
            objection_days=_days(post.get("objection_days", "")),
            note=post.get("note", ""),
        ),
    )
    return redirect("portal:office", code=project.code)


@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("publication__project"), pk=pk)
    household_get(fetched_by=request.user, pk=objection.household_id)  # 404 outside the user's reach
    run_service(
        request,
        lambda: objections.objection_answer(
            by=request.user,
            objection=objection,
            upheld=request.POST.get("upheld") == "1",
            answer=request.POST.get("answer", ""),
        ),
    )
    return redirect("portal:office", code=objection.publication.project.code)


@require_POST
def issue_code(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(fetched_by=request.user, pk=pk)
    issued = {}

    def action():
        issued["code"] = access.issue_code(by=request.user, household=household)

    if not run_service(request, action):
        return redirect("ledger:household_detail", pk=household.pk)
    return render(request, "portal/code_issued.html", {"household": household, "code": issued["code"]})
