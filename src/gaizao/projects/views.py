from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.evidence import uploaded_evidence
from gaizao.core.feedback import require_valid, run_service
from gaizao.ledger.stages import Stage
from gaizao.ledger.tally import Measure
from gaizao.org.access import is_command_office
from gaizao.progress import dashboard, funding
from gaizao.projects import selectors, services
from gaizao.projects.forms import AdvanceForm, DisbursementForm, PlanForm, SourceForm
from gaizao.projects.models import RENOVATION_KINDS, PipelineStage
from gaizao.projects.services import pipeline_of


def project_list(request: HttpRequest) -> HttpResponse:
    projects = list(selectors.project_list(fetched_by=request.user))
    counts = selectors.stage_counts(fetched_by=request.user, projects=projects)
    rows = [(p, [(s, counts[p.id][s]) for s in Stage.values], sum(counts[p.id].values())) for p in projects]
    return render(request, "projects/project_list.html", {"rows": rows, "stages": Stage.choices})


def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A project's pipeline history and its money: planned against actual, by year and by source."""
    project = selectors.project_get(fetched_by=request.user, code=code)
    office = is_command_office(request.user)
    order = pipeline_of(project.kind)
    position = order.index(project.stage)
    following = order[position + 1] if position + 1 < len(order) else None
    context = {
        "project": project,
        "history": project.stage_changes.select_related("by"),
        "funding": funding.funding_of([project]),
        "streets": [] if project.kind in RENOVATION_KINDS else dashboard.project_streets(request.user, project),
        "renovation": project.kind in RENOVATION_KINDS,
        "stages": [Measure(m).label for m in dashboard.STAGES],
        "uses": dict(funding.DisbursementUse.choices),
        "office": office,
        "advance_form": AdvanceForm(initial={"stage": following, "on": timezone.localdate()})
        if office and following
        else None,
        "source_form": SourceForm() if office else None,
        "plan_form": PlanForm(initial={"year": timezone.localdate().year}) if office else None,
        "disbursement_form": DisbursementForm(project=project, initial={"on": timezone.localdate()})
        if office
        else None,
    }
    return render(request, "projects/project_detail.html", context)


@require_POST
def project_advance(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get(fetched_by=request.user, code=code)
    form = AdvanceForm(request.POST, request.FILES)

    def action() -> None:
        require_valid(form)
        data = form.cleaned_data
        services.project_advance(
            by=request.user,
            project=project,
            stage=data["stage"],
            on=data["on"],
            note=data["note"],
            evidence=uploaded_evidence(request),
        )

    run_service(request, action)
    return redirect("project_detail", code=project.code)


@require_POST
def project_funding(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get(fetched_by=request.user, code=code)
    kind = request.POST.get("form")

    def action() -> None:
        if kind == "source":
            form = SourceForm(request.POST)
            require_valid(form)
            funding.source_set(by=request.user, project=project, **form.cleaned_data)
        elif kind == "plan":
            form = PlanForm(request.POST)
            require_valid(form)
            funding.plan_set(by=request.user, project=project, **form.cleaned_data)
        else:
            form = DisbursementForm(request.POST, request.FILES, project=project)
            require_valid(form)
            data = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
            funding.disbursement_post(by=request.user, evidence=uploaded_evidence(request), **data)

    run_service(request, action)
    return redirect("project_detail", code=project.code)


def pipeline(request: HttpRequest) -> HttpResponse:
    """储备项目: projects still being surveyed or planned, with what is known, in the order they are to start."""
    planning = (PipelineStage.SURVEY, PipelineStage.PLANNING)
    projects = selectors.project_list(fetched_by=request.user).filter(stage__in=planning)
    projects = projects.order_by(F("planned_start").asc(nulls_last=True), "code")
    counts = selectors.stage_counts(fetched_by=request.user, projects=list(projects))
    rows = [(p, sum(counts[p.id].values()) - counts[p.id][Stage.UNSURVEYED]) for p in projects]
    return render(request, "projects/pipeline.html", {"rows": rows, "office": is_command_office(request.user)})
