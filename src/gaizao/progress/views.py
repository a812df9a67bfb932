from datetime import date
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.evidence import uploaded_evidence
from gaizao.core.feedback import require_valid, run_service, service_result
from gaizao.core.uploads import check_upload
from gaizao.ledger.tally import Measure
from gaizao.org.access import (
    get_for_user_or_404,
    is_command_office,
    official_of,
    scope_projects,
    unit_roots,
    visible_unit_ids,
    visible_units,
)
from gaizao.org.models import Unit, UnitKind
from gaizao.progress import battlemap, dashboard, documents, rankings, rhythm, selectors, services
from gaizao.progress import meetings as meeting_services
from gaizao.progress.actuals import NAMES, split_gaps, standings
from gaizao.progress.forms import (
    TARGET_KINDS,
    ActionCloseForm,
    ActionForm,
    AgreementForm,
    DailyReportForm,
    IndicatorForm,
    MeetingForm,
    MilestoneDoneForm,
    MilestoneForm,
    MilestoneStartForm,
    MinutesForm,
    SignForm,
    SummaryForm,
    TargetForm,
)
from gaizao.progress.models import Indicator
from gaizao.progress.schedule import STATUS_LABELS
from gaizao.projects.models import Project
from gaizao.projects.selectors import project_get


def _on(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _target_form(request: HttpRequest, data=None) -> TargetForm:
    return TargetForm(
        data,
        indicators=selectors.indicator_list(fetched_by=request.user),
        units=visible_units(request.user),
        projects=scope_projects(Project.objects.all(), request.user),
    )


def _by_indicator(rows):
    return [(indicator, list(group)) for indicator, group in groupby(rows, key=lambda s: s.target.indicator)]


def overview(request: HttpRequest) -> HttpResponse:
    """Every target the user sees, as it stands on a day: done, the calendar, the light."""
    on = _on(request)
    targets = list(selectors.target_list(fetched_by=request.user, on=on))
    rows = standings(targets, on)
    context = {
        "on": on,
        "groups": _by_indicator(rows),
        "gaps": split_gaps(targets),
        "counts": {c: sum(1 for r in rows if r.colour == c) for c in ("green", "yellow", "red", "grey")},
        "office": is_command_office(request.user),
        "form": _target_form(request) if is_command_office(request.user) else None,
        "indicator_form": IndicatorForm() if is_command_office(request.user) else None,
        "names": NAMES,
    }
    return render(request, "progress/overview.html", context)


@require_POST
def target_create(request: HttpRequest) -> HttpResponse:
    form = _target_form(request, request.POST)

    def action() -> None:
        require_valid(form)
        services.target_set(by=request.user, **form.cleaned_data)

    run_service(request, action)
    return redirect("progress:overview")


def _split_units(target) -> list[Unit]:
    units = Unit.objects.filter(parent__in=unit_roots(target.unit), kind__in=TARGET_KINDS).exclude(pk=target.unit_id)
    return list(units.exclude(kind__in=(UnitKind.HEADQUARTERS, UnitKind.SUB_HEADQUARTERS)).order_by("path"))


def target_split(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_get(fetched_by=request.user, pk=pk)
    units = _split_units(target)
    current = {share.unit_id: share.value for share in target.shares.all()}
    if request.method == "POST":
        shares = {u: request.POST[f"share-{u.id}"] for u in units if request.POST.get(f"share-{u.id}", "").strip()}
        if run_service(request, lambda: services.target_split(by=request.user, target=target, shares=shares)):
            return redirect("progress:unit", pk=target.unit_id)
        current = {u.id: request.POST.get(f"share-{u.id}", "") for u in units}
    rows = [(u, current.get(u.id, "")) for u in units]
    return render(request, "progress/target_split.html", {"target": target, "rows": rows})


def unit_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's page: its targets and how its shares stand, its milestones, its responsibility agreements."""
    unit = get_for_user_or_404(Unit.objects.all(), request.user, scope=lambda qs, user: qs & visible_units(user), pk=pk)
    on = _on(request)
    targets = list(selectors.target_list(fetched_by=request.user, on=on, unit=unit.pk))
    rows = standings(targets, on)
    own = [r for r in rows if r.target.unit_id == unit.pk]
    shares = [r for r in rows if r.target.unit_id != unit.pk]
    context = {
        "unit": unit,
        "on": on,
        "own": _by_indicator(own),
        "shares": _by_indicator(shares),
        "gaps": split_gaps([r.target for r in own]),
        "milestones": unit.milestones.select_related("project").order_by("deadline"),
        "agreements": selectors.agreement_list(fetched_by=request.user).filter(unit=unit),
        "actions": selectors.actions_of(fetched_by=request.user, unit=unit),
        "close_form": ActionCloseForm(),
        "today": timezone.localdate(),
        "office": is_command_office(request.user),
    }
    return render(request, "progress/unit.html", context)


# ---- responsibility agreements -------------------------------------------------------------------------
def agreement_list(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    form = AgreementForm(request.POST or None, units=visible_units(request.user)) if office else None
    if request.method == "POST" and form is not None:

        def action() -> None:
            if not form.is_valid():
                raise ValidationError([f"{form.fields[f].label}：{'；'.join(e)}" for f, e in form.errors.items()])
            return services.agreement_draft(by=request.user, **form.cleaned_data)

        if run_service(request, action):
            return redirect("progress:agreements")
    agreements = selectors.agreement_list(fetched_by=request.user)
    return render(request, "progress/agreement_list.html", {"agreements": agreements, "form": form})


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    context = documents.agreement_context(agreement) | {
        "sign_form": SignForm() if is_command_office(request.user) and not agreement.signed_on else None,
    }
    return render(request, "progress/agreement_detail.html", context)


def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    response = HttpResponse(documents.agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="responsibility-{agreement.pk}.pdf"'
    return response


@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    form = SignForm(request.POST, request.FILES)

    def action() -> None:
        if not form.is_valid():
            raise ValidationError("请填写签订日期")
        services.agreement_sign(
            by=request.user,
            agreement=agreement,
            signed_on=form.cleaned_data["signed_on"],
            evidence=uploaded_evidence(request),
        )

    run_service(request, action)
    return redirect("progress:agreement", pk=agreement.pk)


# ---- the battle plan -----------------------------------------------------------------------------------
def _milestone_form(request: HttpRequest, project: Project, data=None) -> MilestoneForm:
    return MilestoneForm(data, project=project, units=visible_units(request.user).filter(kind__in=TARGET_KINDS))


def project_plan(request: HttpRequest, code: str) -> HttpResponse:
    """挂图作战: the milestones scheduled backwards, as a table and a Gantt chart."""
    project = project_get(fetched_by=request.user, code=code)
    today = _on(request)
    try:
        rows = selectors.battle_plan(project=project, today=today)
        problem = ""
    except ValueError as error:
        rows, problem = [], str(error)
    context = {
        "project": project,
        "today": today,
        "rows": rows,
        "ready": {m.pk for m, _ in rows if all(d.done_on for d in m.depends_on.all())},
        "problem": problem,
        "labels": STATUS_LABELS,
        "gantt": documents.gantt(rows, today),
        "office": is_command_office(request.user),
        "form": _milestone_form(request, project) if is_command_office(request.user) else None,
    }
    return render(request, "progress/plan.html", context)


@require_POST
def milestone_add(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get(fetched_by=request.user, code=code)
    form = _milestone_form(request, project, request.POST)

    def action() -> None:
        require_valid(form)
        fields = dict(form.cleaned_data)
        services.milestone_save(by=request.user, project=project, depends=list(fields.pop("depends")), **fields)

    run_service(request, action)
    return redirect("progress:plan", code=project.code)


@require_POST
def milestone_start(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(fetched_by=request.user, pk=pk)
    form = MilestoneStartForm(request.POST)

    def action() -> None:
        if not form.is_valid():
            raise ValidationError("请填写开始日期")
        services.milestone_start(by=request.user, milestone=milestone, **form.cleaned_data)

    run_service(request, action)
    return redirect("progress:plan", code=milestone.project.code)


@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(fetched_by=request.user, pk=pk)
    form = MilestoneDoneForm(request.POST, request.FILES)

    def action() -> None:
        if not form.is_valid():
            raise ValidationError("请填写完成日期")
        services.milestone_complete(
            by=request.user,
            milestone=milestone,
            done_on=form.cleaned_data["done_on"],
            evidence=uploaded_evidence(request),
        )

    run_service(request, action)
    return redirect("progress:plan", code=milestone.project.code)


# ---- the rhythm: daily reports and three-day summaries --------------------------------------------------
def reports(request: HttpRequest) -> HttpResponse:
    """The day's roll call (filed, late, missing) for the units the user sees, and the user's own unit's form."""
    day = _on(request)
    official = official_of(request.user)
    seen = visible_unit_ids(request.user)
    calls = rhythm.roll_call(day, seen)
    own_due = official is not None and any(unit.id == official.unit_id and r is None for unit, r in calls)
    form = DailyReportForm(request.POST or None, initial={"day": day})
    if request.method == "POST" and official is not None:

        def action() -> None:
            require_valid(form)
            rhythm.report_file(by=request.user, unit=official.unit, **form.cleaned_data)

        if run_service(request, action):
            return redirect(f"{reverse('progress:reports')}?on={form.cleaned_data['day']}")
    context = {
        "day": day,
        "calls": calls,
        "labels": dict(Measure.choices),
        "form": form if own_due or request.method == "POST" else None,
        "own_figures": rhythm.day_figures(official.unit, day) if own_due else {},
        "cutoff": settings.DAILY_REPORT_CUTOFF,
    }
    return render(request, "progress/reports.html", context)


def summaries(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    official = official_of(request.user)
    if request.method == "POST" and office:
        unit = official.unit
        end = _on(request) if "on" in request.GET else timezone.localdate()
        if summary := service_result(request, lambda: rhythm.summary_draft(by=request.user, unit=unit, end=end)):
            return redirect("progress:summary", pk=summary.pk)
    rows = selectors.summary_list(fetched_by=request.user)
    return render(request, "progress/summaries.html", {"summaries": rows, "office": office})


def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = selectors.summary_get(fetched_by=request.user, pk=pk)
    editable = is_command_office(request.user) and not summary.published_at
    form = SummaryForm(request.POST or None, initial={"body": summary.body}) if editable else None
    if request.method == "POST" and form is not None:

        def action() -> None:
            require_valid(form)
            rhythm.summary_publish(by=request.user, summary=summary, body=form.cleaned_data["body"])

        if run_service(request, action):
            return redirect("progress:summary", pk=summary.pk)
    return render(request, "progress/summary.html", {"summary": summary, "form": form})


# ---- the weekly dispatch meeting -----------------------------------------------------------------------
def meetings(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()}) if office else None
    if request.method == "POST" and form is not None:

        def action():
            require_valid(form)
            return meeting_services.meeting_create(
                by=request.user, unit=official_of(request.user).unit, **form.cleaned_data
            )

        if meeting := service_result(request, action):
            return redirect("progress:meeting", pk=meeting.pk)
    rows = selectors.meeting_list(fetched_by=request.user)
    return render(request, "progress/meetings.html", {"meetings": rows, "form": form})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(fetched_by=request.user, pk=pk)
    office = is_command_office(request.user)
    if request.method == "POST" and office:
        run_service(request, lambda: _meeting_post(request, meeting))
        return redirect("progress:meeting", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "actions": meeting.actions.select_related("owner"),
        "today": timezone.localdate(),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}) if office else None,
        "action_form": ActionForm(units=visible_units(request.user)) if office else None,
        "close_form": ActionCloseForm(),
    }
    return render(request, "progress/meeting.html", context)


def _meeting_post(request: HttpRequest, meeting) -> None:
    """The office writes the minutes, or records a decision as an action item."""
    if "minutes" in request.POST:
        form = MinutesForm(request.POST)
        require_valid(form)
        meeting_services.meeting_minutes(by=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])
        return
    form = ActionForm(request.POST, units=visible_units(request.user))
    require_valid(form)
    meeting_services.action_add(by=request.user, meeting=meeting, **form.cleaned_data)


@require_POST
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_get(fetched_by=request.user, pk=pk)
    form = ActionCloseForm(request.POST, request.FILES)

    def action() -> None:
        require_valid(form)
        meeting_services.action_close(
            by=request.user, item=item, outcome=form.cleaned_data["outcome"], evidence=uploaded_evidence(request)
        )

    run_service(request, action)
    return redirect(request.POST.get("next") or reverse("progress:meeting", args=[item.meeting_id]))


# ---- competition: contests, rankings, bulletins ----------------------------------------------------------
def contests(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    indicators = list(selectors.indicator_list(fetched_by=request.user))
    if request.method == "POST" and office:

        def action():
            weights = {}
            for indicator in indicators:
                raw = request.POST.get(f"weight-{indicator.code}", "").strip()
                if raw:
                    if not raw.isdigit():
                        raise ValidationError(f"指标“{indicator.name}”的权重应为正整数")
                    weights[indicator.code] = int(raw)
            try:
                start, end = (date.fromisoformat(request.POST.get(k, "")) for k in ("start", "end"))
            except ValueError:
                raise ValidationError("请填写开始和结束日期") from None
            return rankings.contest_create(
                by=request.user,
                unit=official_of(request.user).unit,
                name=request.POST.get("name", ""),
                start=start,
                end=end,
                weights=weights,
                by_project=request.POST.get("by_project") == "on",
            )

        if contest := service_result(request, action):
            return redirect("progress:contest", pk=contest.pk)
    context = {"contests": selectors.contest_list(fetched_by=request.user), "office": office, "indicators": indicators}
    return render(request, "progress/contests.html", context)


def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_get(fetched_by=request.user, pk=pk)
    on = _on(request)
    if request.method == "POST" and is_command_office(request.user):
        remarks = request.POST.get("remarks", "")
        bulletin = service_result(
            request, lambda: rankings.bulletin_publish(by=request.user, contest=contest, on=on, remarks=remarks)
        )
        if bulletin:
            return redirect("progress:bulletin", pk=bulletin.pk)
    days, ranks = rankings.history(contest, on)
    ranked = rankings.entries(contest, on)
    names = {i.code: i.name for i in Indicator.objects.filter(code__in=list(contest.weights))}
    context = {
        "contest": contest,
        "on": on,
        "ranked": [(e, [e.rates.get(code) for code in contest.weights], ranks.get(e.unit_id, [])) for e in ranked],
        "columns": [(names.get(code, code), weight) for code, weight in contest.weights.items()],
        "days": days,
        "bulletins": contest.bulletins.all(),
        "office": is_command_office(request.user),
    }
    return render(request, "progress/contest.html", context)


def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_get(fetched_by=request.user, pk=pk)
    return render(request, "progress/bulletin.html", documents.bulletin_context(bulletin))


def bulletin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_get(fetched_by=request.user, pk=pk)
    response = HttpResponse(documents.bulletin_pdf(bulletin), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{bulletin.pk}.pdf"'
    return response


# ---- the dashboard and the big screen ---------------------------------------------------------------
def dashboard_page(request: HttpRequest) -> HttpResponse:
    on = _on(request)
    data = dashboard.dashboard(request.user, on)
    return render(request, "progress/dashboard.html", {"data": data, "on": on})


def dashboard_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(dashboard.screen(request.user, _on(request)))


def screen(request: HttpRequest) -> HttpResponse:
    """大屏: full screen for the command room, refreshing itself every minute."""
    on = _on(request)
    return render(request, "progress/screen.html", {"data": dashboard.screen(request.user, on), "on": on})


# ---- the battle map ------------------------------------------------------------------------------------
def project_map(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get(fetched_by=request.user, code=code)
    if request.method == "POST":
        upload = request.FILES.get("geojson")

        def action() -> None:
            if upload is None:
                raise ValidationError("请选择 GeoJSON 文件")
            check_upload(upload, allowed=(".geojson", ".json"), max_bytes=battlemap.MAX_BYTES, what="GeoJSON 文件")
            battlemap.places_import(by=request.user, project=project, content=upload.read())

        run_service(request, action)
        return redirect("progress:map", code=project.code)
    return render(request, "progress/map.html", {"project": project})


def project_map_data(request: HttpRequest, code: str) -> JsonResponse:
    project = project_get(fetched_by=request.user, code=code)
    return JsonResponse(battlemap.map_data(user=request.user, project=project))


@require_POST
def indicator_create(request: HttpRequest) -> HttpResponse:
    """The office's own indicator: a formula over the ledger's measures, for its district."""
    form = IndicatorForm(request.POST)
    official = official_of(request.user)

    def action() -> None:
        require_valid(form)
        district = official.unit.district if official else None
        if district is None:
            raise ValidationError("找不到您所在的区县")
        services.indicator_create(by=request.user, district=district, **form.cleaned_data)

    run_service(request, action)
    return redirect("progress:overview")
