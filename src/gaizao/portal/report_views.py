"""What the public sends in through the portal: a petition (信访) and a tip-off on an illegal building (控违举报),
each answered with a number and a follow code to see how it goes. A household's "this is wrong" is a petition tied
to the household, from its own file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.feedback import number_or_zero, show_refusal
from gaizao.enforcement import tipoffs
from gaizao.enforcement.models import CaseStatus, StepKind
from gaizao.org.models import LOCAL_KINDS, Unit
from gaizao.petitions import services as petitions
from gaizao.petitions.models import Channel, Petition, Satisfaction, Theme
from gaizao.portal import selectors
from gaizao.portal.access import signed_in_household
from gaizao.portal.views import _client_ip, _page, _signed_in

FOLLOWED = "gaizao_followed_petitions"


def _received(request: HttpRequest, what: str, code: str, follow: str, new: bool, at) -> HttpResponse:
    """The number and the follow code, shown once; or, sent twice, the one already received."""
    context = {"what": what, "code": code, "follow": follow, "new": new, "at": at}
    return _page(request, "portal/received.html", context)


@login_not_required
def petition(request: HttpRequest) -> HttpResponse:
    projects = selectors.public_projects()
    if request.method == "POST":
        post = request.POST
        try:
            made, follow, new = petitions.petition_submit(
                channel=Channel.WEB,
                project=projects.filter(pk=number_or_zero(post.get("project"))).first(),
                theme=post.get("theme", ""),
                content=post.get("content", ""),
                reporter_name=post.get("reporter_name", ""),
                reporter_phone=post.get("reporter_phone", ""),
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            return _received(request, "petition", made.code, follow, new, made.created_at)
    return _page(request, "portal/petition.html", {"projects": projects, "themes": Theme.choices, "form": request.POST})


@login_not_required
def petition_follow(request: HttpRequest) -> HttpResponse:
    shown = None
    if request.method == "POST":
        try:
            shown = petitions.petition_follow(
                code=request.POST.get("code", ""), follow=request.POST.get("follow", ""), ip=_client_ip(request)
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            request.session[FOLLOWED] = [*request.session.get(FOLLOWED, [])[-9:], shown.pk]
    return _page(request, "portal/petition_follow.html", {"petition": shown, "satisfactions": Satisfaction.choices})


@login_not_required
@require_POST
def petition_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rated by whoever followed it with its codes in this session (or the household it belongs to)."""
    household = signed_in_household(request)
    found = Petition.objects.filter(pk=pk).first()
    allowed = found is not None and (
        pk in request.session.get(FOLLOWED, []) or (household is not None and found.household_id == household.pk)
    )
    if not allowed:
        messages.error(request, "请先用信访编号和查询码查询")
        return redirect("portal:petition_follow")
    try:
        petitions.petition_rate(petition=found, satisfaction=request.POST.get("satisfaction", ""))
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "感谢您的评价")
    return redirect(
        "portal:me" if household is not None and found.household_id == household.pk else "portal:petition_follow"
    )


@login_not_required
def household_petition(request: HttpRequest) -> HttpResponse:
    """这里不对: the household writes from its own file; the petition carries the household, its street and project."""
    household = _signed_in(request)
    if request.method == "POST":
        try:
            made, _, new = petitions.petition_submit(
                channel=Channel.HOUSEHOLD,
                project=household.project,
                household=household,
                theme=request.POST.get("theme", ""),
                content=request.POST.get("content", ""),
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                f"已受理，编号 {made.code}"
                if new
                else f"相同内容已于 {timezone.localtime(made.created_at):%Y-%m-%d %H:%M} 受理，编号 {made.code}",
            )
            return redirect("portal:me")
    return _page(request, "portal/household_petition.html", {"themes": Theme.choices, "form": request.POST})


@login_not_required
def tipoff(request: HttpRequest) -> HttpResponse:
    streets = Unit.objects.filter(kind__in=LOCAL_KINDS).select_related("parent").order_by("path")
    if request.method == "POST":
        post = request.POST
        try:
            street = streets.filter(pk=number_or_zero(post.get("street"))).first()
            if street is None:
                raise ValidationError("街道（乡镇）：请选择违建所在的街道或乡镇")
            case, follow, new = tipoffs.tipoff_report(
                street=street,
                location=post.get("location", ""),
                description=post.get("description", ""),
                estimated_area=post.get("estimated_area", ""),
                photo=request.FILES.get("photo"),
                reporter_phone=post.get("reporter_phone", ""),
                longitude=post.get("longitude", ""),
                latitude=post.get("latitude", ""),
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            return _received(request, "tipoff", case.code, follow, new, case.created_at)
    return _page(request, "portal/tipoff.html", {"streets": streets, "form": request.POST})


@login_not_required
def tipoff_follow(request: HttpRequest) -> HttpResponse:
    case, steps = None, []
    if request.method == "POST":
        try:
            case = tipoffs.tipoff_follow(
                code=request.POST.get("code", ""), follow=request.POST.get("follow", ""), ip=_client_ip(request)
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            steps = tipoffs.public_steps(case)
    return _page(
        request,
        "portal/tipoff_follow.html",
        {"case": case, "steps": steps, "step_names": dict(StepKind.choices), "candidate": CaseStatus.CANDIDATE},
    )
