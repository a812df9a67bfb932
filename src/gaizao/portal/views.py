"""The public portal's pages: open to anyone (the project's standard and progress), to the households of a project
(its per-household publications) and to one household (its own file). No official account is needed, so every view
here is login_not_required; the household comes from the session, never from the URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.compensation.agency_vote import ballot_cast
from gaizao.compensation.views import card_context, standard_context
from gaizao.core.feedback import number_or_zero, show_refusal
from gaizao.monitors import selectors as monitors
from gaizao.petitions.models import Satisfaction
from gaizao.portal import access, objections, selectors
from gaizao.portal.models import PublicationKind
from gaizao.portal.publication import SURVEY_FIGURES


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def _resident(request: HttpRequest):
    household = access.signed_in_household(request)
    if household is not None:
        request.public_actor = f"居民 {household.project.code}/{household.number}"
    return household


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    if "resident" not in context:
        context["resident"] = _resident(request)
    return render(request, template, context)


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/index.html", {"projects": selectors.public_projects()})


@login_not_required
def project(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.public_project(code)
    resident = _resident(request)
    return _page(
        request,
        "portal/project.html",
        {
            "project": found,
            "standards": selectors.published_standards(found),
            "progress": selectors.progress(found),
            "publications": selectors.publications(found),
            "monitoring": monitors.public_figures(found, timezone.localdate()),
            "resident": resident,
            "of_project": resident is not None and resident.project_id == found.pk,
        },
    )


@login_not_required
def standard(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    found = selectors.public_project(code)
    context = standard_context(selectors.published_standard(found, pk))
    return _page(request, "portal/standard.html", context | {"project": found})


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@login_not_required
def publication(request: HttpRequest, code: str, kind: str, number: int) -> HttpResponse:
    """Per-household lists are for the households of the project (条例第二十九条: 在征收范围内公布)."""
    found = selectors.public_project(code)
    resident = _resident(request)
    if resident is None or resident.project_id != found.pk:
        messages.error(request, "分户公示仅向本项目的被征收户公开，请先用身份证号和案件码登录")
        return redirect(f"{reverse('portal:login')}?next={request.path}")
    shown = selectors.publication_get(found, kind, number)
    q = request.GET.get("q", "").strip()
    page = None if q else selectors.page_number(shown, _page_number(request))
    context = {
        "project": found,
        "publication": shown,
        "page": page,
        "rows_html": selectors.rows_html(shown, page.number if page else None, q),
        "q": q,
        "resident": resident,
        "figures": SURVEY_FIGURES,
        "objecting": shown.kind == PublicationKind.SURVEY
        and shown.published_on <= timezone.localdate() <= shown.objection_until,
    }
    return _page(request, "portal/publication.html", context)


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not next_url.startswith("/portal/"):
        next_url = reverse("portal:me")
    if request.method == "POST":
        try:
            household = access.sign_in(
                id_number=request.POST.get("id_number", ""),
                code=request.POST.get("code", ""),
                ip=_client_ip(request),
            )
        except access.SignInRefused as refusal:
            messages.error(request, str(refusal))
        else:
            access.start_session(request, household)
            return redirect(next_url)
    return _page(request, "portal/login.html", {"next": next_url})


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    access.end_session(request)
    return redirect("portal:index")


def _signed_in(request: HttpRequest):
    household = _resident(request)
    if household is None:
        raise PermissionDenied("请先用身份证号和案件码登录")
    return household


@login_not_required
def me(request: HttpRequest) -> HttpResponse:
    household = _resident(request)
    if household is None:
        return redirect("portal:login")
    today = timezone.localdate()
    context = {
        "file": selectors.own_file(household, today),
        "rows": selectors.own_rows(household),
        "today": today,
        "figures": SURVEY_FIGURES,
        "satisfactions": Satisfaction.choices,
    }
    return _page(request, "portal/me.html", context)


@login_not_required
def card(request: HttpRequest) -> HttpResponse:
    """The simulator: the household's compensation under the published standard for a choice, date and flat."""
    household = _signed_in(request)
    project = household.project
    context = card_context(
        request,
        household,
        reverse("portal:card"),
        standard_url=lambda s: reverse("portal:standard", args=[project.code, s.pk]),
    )
    if request.htmx:
        return render(request, "portal/_card.html", context)
    return _page(request, "portal/card.html", context)


@login_not_required
@require_POST
def agency_vote(request: HttpRequest) -> HttpResponse:
    household = _signed_in(request)
    try:
        ballot_cast(
            household=household, agency_id=number_or_zero(request.POST.get("agency")), today=timezone.localdate()
        )
    except ValidationError as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, "已投票。截止前可以改投。")
    return redirect("portal:me")


@login_not_required
@require_POST
def object_to(request: HttpRequest, code: str, kind: str, number: int) -> HttpResponse:
    household = _signed_in(request)
    found = selectors.public_project(code)
    if household.project_id != found.pk:
        raise Http404("没有找到该次公示")
    shown = selectors.publication_get(found, kind, number)
    try:
        objections.objection_raise(
            household=household,
            publication=shown,
            figure=request.POST.get("figure", ""),
            claim=request.POST.get("claim", ""),
            today=timezone.localdate(),
        )
    except ValidationError as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, "异议已提交，办理结果将在“我的档案”中答复")
    return redirect("portal:me")
