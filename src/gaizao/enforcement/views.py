from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.evidence import evidence_response, uploaded_evidence
from gaizao.core.feedback import require_valid, run_service, service_result
from gaizao.core.uploads import MB, check_upload
from gaizao.enforcement import selectors, services, surveys
from gaizao.enforcement.forms import (
    AccountabilityForm,
    CaseEditForm,
    CaseForm,
    ConfirmForm,
    CreationForm,
    DemolishForm,
    ReasonForm,
    ReusePlanForm,
    ReuseReportForm,
    ServeForm,
    StopForm,
    SurveyForm,
)
from gaizao.enforcement.models import CaseKind, CaseStatus, SurveyState
from gaizao.org.access import can_change, is_command_office, visible_units

SURVEY_MAX_BYTES = 300 * MB  # a county's 200,000 outlines come to about 100 MB of GeoJSON
PAGE = 100


def case_list(request: HttpRequest) -> HttpResponse:
    status, kind, q = request.GET.get("status", ""), request.GET.get("kind", ""), request.GET.get("q", "").strip()
    cases = selectors.case_list(fetched_by=request.user, status=status, kind=kind, q=q)
    today = timezone.localdate()
    context = {
        "cases": cases[:PAGE],
        "count": cases.count(),
        "standing": selectors.standing(fetched_by=request.user, year=today.year),
        "monthly": selectors.monthly(fetched_by=request.user, year=today.year, today=today),
        "statuses": CaseStatus.choices,
        "kinds": CaseKind.choices,
        "status": status,
        "kind": kind,
        "q": q,
        "can_change": can_change(request.user),
    }
    return render(request, "enforcement/cases.html", context)


def case_new(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES, units=units)

        def action():
            require_valid(form)
            fields = form.cleaned_data | {"evidence": uploaded_evidence(request)}
            return services.case_create(by=request.user, **fields)

        case = service_result(request, action)
        if case is not None:
            return redirect("enforcement:case", pk=case.pk)
    else:
        form = CaseForm(units=units, initial={"found_at": timezone.localtime().replace(second=0, microsecond=0)})
    return render(request, "enforcement/case_new.html", {"form": form})


def case_detail(request: HttpRequest, pk: int, edit_form: CaseEditForm | None = None) -> HttpResponse:
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    steps = selectors.steps_of(case)
    today = timezone.localdate()
    context = {
        "case": case,
        "steps": steps,
        "clocks": selectors.case_clocks(steps),
        "checklist": selectors.case_checklist(case, steps),
        "can_change": can_change(request.user),
        "forms": _action_forms(case, today),
        "edit_form": edit_form or CaseEditForm(case=case),
    }
    return render(request, "enforcement/case.html", context)


@require_POST
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改案件信息: saved, back to the case; refused, the case page again with what was typed and why."""
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    form = CaseEditForm(request.POST, case=case)

    def action():
        require_valid(form)
        return services.case_edit(by=request.user, case=case, **form.cleaned_data)

    if run_service(request, action):
        return redirect("enforcement:case", pk=case.pk)
    return case_detail(request, pk, edit_form=form)


def case_map(request: HttpRequest) -> HttpResponse:
    """The cases the user sees on a map (no tiles: ECharts draws the points and outlines on their own frame)."""
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    status = status if status in CaseStatus.values else ""
    kind = kind if kind in CaseKind.values else ""
    context = {
        "data": selectors.case_map(fetched_by=request.user, status=status, kind=kind),
        "statuses": CaseStatus.choices,
        "kinds": CaseKind.choices,
        "status": status,
        "kind": kind,
    }
    return render(request, "enforcement/map.html", context)


def _action_forms(case, today: date) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    if case.status == CaseStatus.CANDIDATE:
        return {"confirm": ConfirmForm(), "dismiss": ReasonForm()}
    if case.status in (CaseStatus.FOUND, CaseStatus.STOPPED):
        forms = {
            "serve": ServeForm(initial={"on": today}),
            "demolish": DemolishForm(initial={"on": today, "removed_area": case.area}),
        }
        if case.status == CaseStatus.FOUND:
            forms = {"stop": StopForm(initial={"at": now}), **forms}
        return forms | {"accountability": AccountabilityForm()}
    if case.status != CaseStatus.DEMOLISHED:
        return {}
    reuse = getattr(case, "reuse", None)
    if reuse is None:
        after = {"reuse_plan": ReusePlanForm(initial={"area": case.land_area or case.footprint_area})}
    else:
        after = {"reuse_report": ReuseReportForm(initial={"percent": reuse.percent})} if not reuse.done_on else {}
    return after | {"accountability": AccountabilityForm()}


ACTIONS = {
    "confirm": (
        ConfirmForm,
        lambda r, c, d: services.case_confirm(
            by=r.user, case=c, kind=d["kind"], evidence=uploaded_evidence(r), measured=d
        ),
    ),
    "dismiss": (ReasonForm, lambda r, c, d: services.case_dismiss(by=r.user, case=c, reason=d["reason"])),
    "stop": (
        StopForm,
        lambda r, c, d: services.case_stop(
            by=r.user, case=c, at=d["at"], document_no=d["document_no"], note=d["note"], evidence=uploaded_evidence(r)
        ),
    ),
    "serve": (
        ServeForm,
        lambda r, c, d: services.case_serve(
            by=r.user,
            case=c,
            step=d["step"],
            on=d["on"],
            document_no=d["document_no"],
            deadline=d["deadline"],
            evidence=uploaded_evidence(r),
        ),
    ),
    "demolish": (
        DemolishForm,
        lambda r, c, d: services.case_demolish(
            by=r.user,
            case=c,
            on=d["on"],
            method=d["method"],
            removed_area=d["removed_area"],
            before=uploaded_evidence(r, "before"),
            after=uploaded_evidence(r, "after"),
            note=d["note"],
        ),
    ),
    "reuse_plan": (
        ReusePlanForm,
        lambda r, c, d: services.reuse_plan(
            by=r.user, case=c, kind=d["kind"], area=d["area"], plan=d["plan"], due=d["due"]
        ),
    ),
    "reuse_report": (
        ReuseReportForm,
        lambda r, c, d: services.reuse_report(
            by=r.user, reuse=_reuse_of(c), percent=d["percent"], note=d["note"], evidence=uploaded_evidence(r)
        ),
    ),
    "accountability": (
        AccountabilityForm,
        lambda r, c, d: services.case_accountability(by=r.user, case=c, note=d["note"], evidence=uploaded_evidence(r)),
    ),
}


def _reuse_of(case):
    reuse = getattr(case, "reuse", None)
    if reuse is None:
        raise Http404("该地块尚无拆后利用方案")
    return reuse


@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(fetched_by=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404("未知的操作")
    form_class, service = ACTIONS[action]
    form = form_class(request.POST, request.FILES)

    def run() -> None:
        require_valid(form)
        service(request, case, form.cleaned_data)

    run_service(request, run)
    return redirect("enforcement:case", pk=case.pk)


def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return evidence_response(selectors.evidence_of(fetched_by=request.user, evidence_id=pk))


def clocks(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = _date(request.GET.get("start"), date(today.year, 1, 1))
    end = _date(request.GET.get("end"), today)
    kind = request.GET.get("kind", CaseKind.NEW)
    rows = selectors.unit_clocks(fetched_by=request.user, start=start, end=end, kind=kind)
    context = {"rows": rows, "start": start, "end": end, "kind": kind, "kinds": CaseKind.choices}
    return render(request, "enforcement/clocks.html", context)


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def survey(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    form = SurveyForm(units=units)
    if request.method == "POST":
        form = SurveyForm(request.POST, request.FILES, units=units)

        def action():
            require_valid(form)
            data = form.cleaned_data
            return surveys.survey_submit(
                by=request.user,
                unit=data["unit"],
                before=_layer(request, "before", data["before_on"]),
                after=_layer(request, "after", data["after_on"]),
                within=data["within"],
            )

        comparison = service_result(request, action)
        if comparison is not None:
            return redirect("enforcement:survey_job", pk=comparison.pk)
    comparisons = selectors.survey_list(fetched_by=request.user)[:20]
    return render(request, "enforcement/survey.html", {"form": form, "comparisons": comparisons})


def survey_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A comparison's state; the page asks again every 2 s (htmx) until it is done, then shows what it found."""
    comparison = selectors.survey_get(fetched_by=request.user, pk=pk)
    context = {
        "comparison": comparison,
        "cases": selectors.survey_cases(comparison)[:PAGE] if comparison.state == SurveyState.DONE else [],
    }
    if request.headers.get("HX-Request"):
        return render(request, "enforcement/_survey_job.html", context)
    return render(request, "enforcement/survey_job.html", context)


def _layer(request: HttpRequest, field: str, taken_on: date) -> surveys.SurveyFile:
    upload = request.FILES[field]
    check_upload(upload, allowed=(".geojson", ".json"), max_bytes=SURVEY_MAX_BYTES, what="图层文件")
    return surveys.SurveyFile(file=upload, taken_on=taken_on)


def reuse(request: HttpRequest) -> HttpResponse:
    context = {
        "unplanned": selectors.unplanned_land(fetched_by=request.user)[:PAGE],
        "plans": selectors.reuse_list(fetched_by=request.user)[:PAGE],
        "today": timezone.localdate(),
    }
    return render(request, "enforcement/reuse.html", context)


def creations(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    units = visible_units(request.user)
    office = is_command_office(request.user)
    if request.method == "POST":
        form = CreationForm(request.POST, units=units)

        def action():
            require_valid(form)
            services.creation_declare(by=request.user, **form.cleaned_data)

        run_service(request, action)
        return redirect(f"{reverse('enforcement:creations')}?year={year}")
    context = {
        "rows": selectors.creation_list(fetched_by=request.user, year=year),
        "year": year,
        "form": CreationForm(units=units, initial={"year": year}) if office else None,
        "office": office,
        "can_change": can_change(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "enforcement/creations.html", context)


@require_POST
def creation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    creation = selectors.creation_get(fetched_by=request.user, pk=pk)
    if action == "apply":
        run_service(request, lambda: services.creation_apply(by=request.user, creation=creation))
    elif action == "name":
        on = _date(request.POST.get("on"), timezone.localdate())
        run_service(request, lambda: services.creation_name(by=request.user, creation=creation, on=on))
    else:
        raise Http404("未知的操作")
    return redirect(f"{reverse('enforcement:creations')}?year={creation.year}")
