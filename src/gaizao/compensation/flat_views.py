"""The project's appraisal agency and its flat-choosing session: the flats, the order (signing order or a
lottery), whose turn it is."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gaizao.compensation import agency_vote, appraisal, flats
from gaizao.compensation.engine.lottery import lottery_key
from gaizao.compensation.models import (
    AgencySelection,
    AgencyVote,
    AppraisalAgency,
    ChoosingMethod,
    ChoosingSession,
    Flat,
    FlatState,
    SelectionMethod,
)
from gaizao.core.feedback import form_day, number_or_zero, run_service
from gaizao.org.access import can_change, get_for_user_or_404, scope_households, scope_projects
from gaizao.projects.models import Project


def _project(request: HttpRequest, pk: int) -> Project:
    return get_for_user_or_404(Project.objects.all(), request.user, scope=scope_projects, pk=pk)


def choosing(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    session = ChoosingSession.objects.filter(project=project).first()
    vote = AgencyVote.objects.filter(project=project).first()
    agreements = {a.household.number: a for a in flats.swap_agreements(project)}
    visible = set(
        scope_households(project.households.filter(number__in=list(agreements)), request.user).values_list(
            "number", flat=True
        )
    )
    order = []
    if session:
        chosen = dict(
            Flat.objects.filter(project=project, agreement__isnull=False).values_list(
                "agreement__household__number", "number"
            )
        )
        order = [
            {
                "number": n,
                "agreement": agreements.get(n),
                "flat": chosen.get(n),
                "visible": n in visible,
                "key": lottery_key(session.seed, n) if session.method == ChoosingMethod.LOTTERY else "",
            }
            for n in session.order
        ]
    return render(
        request,
        "compensation/choosing.html",
        {
            "project": project,
            "session": session,
            "order": order,
            "turn": flats.next_to_choose(session) if session else None,
            "flats": Flat.objects.filter(project=project),
            "available": Flat.objects.filter(project=project, state=FlatState.AVAILABLE),
            "methods": ChoosingMethod.choices,
            "can_change": can_change(request.user),
            "waiting": len(agreements),
            "selection": AgencySelection.objects.filter(project=project).select_related("agency").first(),
            "vote": vote,
            "tally": agency_vote.tally(vote) if vote else None,
            "today": date.today(),
            "agencies": AppraisalAgency.objects.order_by("name"),
            "selection_methods": SelectionMethod.choices,
        },
    )


@require_POST
def choosing_open(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    run_service(
        request,
        lambda: flats.choosing_open(
            by=request.user, project=project, method=request.POST.get("method", ""), seed=request.POST.get("seed", "")
        ),
    )
    return redirect("compensation:choosing", pk=project.pk)


@require_POST
def flat_choose(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)

    def action() -> None:
        number = request.POST.get("household", "")
        agreement = flats.swap_agreements(project).filter(household__number=number).first()
        flat = Flat.objects.filter(project=project, pk=request.POST.get("flat") or 0).first()
        if agreement is None or flat is None:
            raise ValidationError("请选择户和房源")
        flats.flat_choose(by=request.user, agreement=agreement, flat=flat)

    run_service(request, action)
    return redirect("compensation:choosing", pk=project.pk)


@require_POST
def agency_select(request: HttpRequest, pk: int) -> HttpResponse:
    """The households' choice of appraisal agency, recorded: by agreement, by vote counts, or by lottery."""
    project = _project(request, pk)
    post = request.POST

    def action() -> None:
        agencies = {str(a.pk): a for a in AppraisalAgency.objects.all()}
        votes = {int(k): int(post[f"votes-{k}"]) for k in agencies if post.get(f"votes-{k}", "").isdigit()}
        appraisal.agency_select(
            by=request.user,
            project=project,
            method=post.get("method", ""),
            decided_on=date.today(),
            agency=agencies.get(post.get("agency", "")),
            votes=votes or None,
            candidates=[agencies[k] for k in post.getlist("candidates") if k in agencies] or None,
            seed=post.get("seed", ""),
        )

    run_service(request, action)
    return redirect("compensation:choosing", pk=project.pk)


@require_POST
def agency_vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The households vote for the agency from their own files, between the two dates."""
    project = _project(request, pk)
    post = request.POST

    def action() -> None:
        agency_vote.vote_open(
            by=request.user,
            project=project,
            candidates=list(
                AppraisalAgency.objects.filter(pk__in=[number_or_zero(v) for v in post.getlist("candidates")])
            ),
            opens_on=form_day(post.get("opens_on"), "投票开始："),
            closes_on=form_day(post.get("closes_on"), "投票截止："),
        )

    run_service(request, action)
    return redirect("compensation:choosing", pk=project.pk)


@require_POST
def agency_vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    run_service(request, lambda: agency_vote.vote_close(by=request.user, project=project, today=date.today()))
    return redirect("compensation:choosing", pk=project.pk)
