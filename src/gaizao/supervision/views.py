import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaizao.core.evidence import uploaded_evidence
from gaizao.core.feedback import require_valid, run_service, service_result
from gaizao.enforcement.selectors import checklist_prefill
from gaizao.org.access import is_command_office, official_of, visible_unit_ids, visible_units
from gaizao.supervision import evaluation, inbox, selectors, services
from gaizao.supervision import tasks as tasks_module
from gaizao.supervision.forms import EvidenceTextForm, ItemForm, NoticeForm
from gaizao.supervision.ladder import DEFAULT_RUNGS
from gaizao.supervision.models import ItemStatus, Ladder, RectificationStatus
from gaizao.supervision.outline import walk
from gaizao.supervision.tick import KIND_LABELS


def _units(request: HttpRequest):
    return visible_units(request.user).exclude(kind__in=("community", "village"))


def overview(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    context = {
        "items": selectors.item_list(fetched_by=request.user).exclude(status=ItemStatus.CLOSED),
        "notices": selectors.notice_list(fetched_by=request.user)[:20],
        "escalations": selectors.escalation_list(fetched_by=request.user).filter(resolved_on__isnull=True)[:100],
        "exemptions": selectors.exemption_list(fetched_by=request.user)[:20],
        "kinds": KIND_LABELS,
        "today": timezone.localdate(),
        "office": office,
        "item_form": ItemForm(units=_units(request), initial={"deadline": timezone.localdate()}) if office else None,
        "notice_form": NoticeForm(initial={"published_on": timezone.localdate()}) if office else None,
    }
    return render(request, "supervision/overview.html", context)


@require_POST
def item_create(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST, units=_units(request))

    def action() -> None:
        require_valid(form)
        services.item_create(by=request.user, **form.cleaned_data)

    run_service(request, action)
    return redirect("supervision:overview")


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(fetched_by=request.user, pk=pk)
    if request.method == "POST":
        if "accept" in request.POST:
            accept = request.POST["accept"] == "yes"
            note = request.POST.get("note", "")
            run_service(request, lambda: services.item_review(by=request.user, item=item, accept=accept, note=note))
        else:
            form = EvidenceTextForm(request.POST, request.FILES)

            def action() -> None:
                require_valid(form)
                services.item_feedback(
                    by=request.user,
                    item=item,
                    text=form.cleaned_data["text"],
                    evidence=uploaded_evidence(request),
                    done=request.POST.get("done") == "on",
                )

            run_service(request, action)
        return redirect("supervision:item", pk=item.pk)
    context = {
        "item": item,
        "feedback": item.feedback.select_related("by"),
        "form": EvidenceTextForm(),
        "office": is_command_office(request.user),
    }
    return render(request, "supervision/item.html", context)


def table_lines(text: str, what: str, shape: str):
    """(line number, fields) of a pasted table, one row a line, fields split by ｜ (or |) as `shape` shows."""
    width = shape.count("｜") + 1
    for n, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
        if len(parts) != width:
            raise ValidationError(f"{what}第 {n} 行应为“{shape}”")
        yield n, parts


def parse_problems(text: str, units) -> list:
    """Lines of 单位｜问题｜整改时限, each refused by its line number."""
    by_name = {u.name: u for u in units}
    problems = []
    for n, (name, problem, deadline) in table_lines(text, "问题清单", "单位｜问题｜整改时限"):
        if name not in by_name:
            raise ValidationError(f"问题清单第 {n} 行：没有您可通报的单位“{name}”")
        try:
            problems.append((by_name[name], problem, date.fromisoformat(deadline)))
        except ValueError:
            raise ValidationError(f"问题清单第 {n} 行：整改时限“{deadline}”应为 YYYY-MM-DD") from None
    return problems


@require_POST
def notice_publish(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST)

    def action():
        require_valid(form)
        data = dict(form.cleaned_data)
        problems = parse_problems(data.pop("problems"), _units(request))
        return services.notice_publish(by=request.user, problems=problems, **data)

    if notice := service_result(request, action):
        return redirect("supervision:notice", pk=notice.pk)
    return redirect("supervision:overview")


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(fetched_by=request.user, pk=pk)
    context = {
        "notice": notice,
        "rectifications": notice.rectifications.select_related("unit", "evidence"),
        "office": is_command_office(request.user),
        "form": EvidenceTextForm(),
        "statuses": RectificationStatus,
    }
    return render(request, "supervision/notice.html", context)


def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    notice = selectors.notice_get(fetched_by=request.user, pk=pk)
    html = render_to_string(
        "supervision/notice_document.html",
        {"notice": notice, "rectifications": notice.rectifications.select_related("unit")},
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


@require_POST
def rectification_act(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.rectification_get(fetched_by=request.user, pk=pk)
    if "accept" in request.POST:
        accept, note = request.POST["accept"] == "yes", request.POST.get("note", "")
        run_service(
            request,
            lambda: services.rectification_review(
                by=request.user, rectification=rectification, accept=accept, note=note
            ),
        )
    else:
        form = EvidenceTextForm(request.POST, request.FILES)

        def action() -> None:
            require_valid(form)
            services.rectification_answer(
                by=request.user,
                rectification=rectification,
                answer=form.cleaned_data["text"],
                evidence=uploaded_evidence(request),
            )

        run_service(request, action)
    return redirect("supervision:notice", pk=rectification.notice_id)


@require_POST
def escalation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_list(fetched_by=request.user).filter(pk=pk).first()
    outcome = request.POST.get("outcome", "")

    def action() -> None:
        if escalation is None:
            raise ValidationError("没有找到该记录")
        services.escalation_outcome(by=request.user, escalation=escalation, outcome=outcome)

    run_service(request, action)
    return redirect("supervision:overview")


# ---- meetings into tasks -----------------------------------------------------------------------------------
def speeches(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    if request.method == "POST" and office:

        def action():
            try:
                held_on = date.fromisoformat(request.POST.get("held_on", ""))
            except ValueError:
                raise ValidationError("请填写会议日期") from None
            return services.speech_save(
                by=request.user, title=request.POST.get("title", ""), held_on=held_on, text=request.POST.get("text", "")
            )

        if speech := service_result(request, action):
            return redirect("supervision:speech", pk=speech.pk)
    rows = selectors.speech_list(fetched_by=request.user)
    return render(
        request, "supervision/speeches.html", {"speeches": rows, "office": office, "today": timezone.localdate()}
    )


def speech_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The outline and the proposed tasks; the office ticks, edits and confirms them as supervision items."""
    speech = selectors.speech_get(fetched_by=request.user, pk=pk)
    units = list(_units(request))
    if request.method == "POST" and is_command_office(request.user):
        by_id = {str(u.pk): u for u in units}
        tasks = []
        for n in request.POST.getlist("take"):
            try:
                deadline = date.fromisoformat(request.POST.get(f"deadline-{n}", ""))
            except ValueError:
                deadline = None
            tasks.append(
                {
                    "title": request.POST.get(f"title-{n}", "").strip(),
                    "unit": by_id.get(request.POST.get(f"unit-{n}", "")),
                    "deadline": deadline,
                    "detail": request.POST.get(f"detail-{n}", ""),
                }
            )
        if run_service(request, lambda: services.speech_confirm(by=request.user, speech=speech, tasks=tasks)):
            return redirect("supervision:overview")
    found, proposals = tasks_module.propose(speech.text, [u.name for u in units], speech.held_on)
    by_name = {u.name: u.pk for u in units}
    rows = [(n, p, by_name.get(p.units[0]) if p.units else None) for n, p in enumerate(proposals)]
    context = {
        "speech": speech,
        "outline": list(walk(found)),
        "rows": rows,
        "units": units,
        "items": speech.items.select_related("unit"),
        "office": is_command_office(request.user),
    }
    return render(request, "supervision/speech.html", context)


def inbox_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [(entry, entry.overdue(today)) for entry in inbox.entries(request.user)]
    return render(request, "supervision/inbox.html", {"rows": rows})


# ---- checklists and pre-acceptance -------------------------------------------------------------------------
def checklists(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    if request.method == "POST" and office:

        def action() -> None:
            items = []
            for n, (name, weight) in table_lines(request.POST.get("items", ""), "验收项目", "名称｜分值"):
                if not weight.isdigit():
                    raise ValidationError(f"验收项目第 {n} 行应为“名称｜分值”")
                items.append((name, int(weight)))
            services.checklist_create(
                by=request.user,
                name=request.POST.get("name", ""),
                items=items,
                pass_mark=request.POST.get("pass_mark") or 0,
            )

        run_service(request, action)
        return redirect("supervision:checklists")
    rows = selectors.checklist_list(fetched_by=request.user)
    return render(request, "supervision/checklists.html", {"checklists": rows, "office": office})


def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get(fetched_by=request.user, pk=pk)
    units = list(_units(request))
    if request.method == "POST" and is_command_office(request.user):

        def action() -> None:
            unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
            if unit is None:
                raise ValidationError("请选择验收对象")
            try:
                held_on = date.fromisoformat(request.POST.get("held_on", ""))
            except ValueError:
                raise ValidationError("请填写验收日期") from None
            scores = {}
            for n, item in enumerate(checklist.items):
                raw = request.POST.get(f"score-{n}", "").strip() or "0"
                try:
                    score = Decimal(raw)
                except InvalidOperation:
                    raise ValidationError(f"“{item['name']}”的得分“{raw}”不是数字") from None
                scores[item["name"]] = (
                    score,
                    uploaded_evidence(request, f"evidence-{n}"),
                    request.POST.get(f"note-{n}", ""),
                )
            services.preacceptance_record(
                by=request.user,
                checklist=checklist,
                unit=unit,
                held_on=held_on,
                scores=scores,
                remarks=request.POST.get("remarks", ""),
            )

        if run_service(request, action):
            return redirect("supervision:checklist", pk=checklist.pk)
        unit = request.POST.get("unit", "")  # refused: back to the form, pre-filled for the same unit
        back = reverse("supervision:checklist", args=[checklist.pk])
        return redirect(f"{back}?unit={unit if unit.isdigit() else ''}#preacceptance")
    chosen = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0] if units else None)
    today = timezone.localdate()
    computed = checklist_prefill(checklist=checklist, unit=chosen, year=today.year) if chosen else {}
    context = {
        "checklist": checklist,
        "runs": selectors.preacceptance_list(fetched_by=request.user).filter(checklist=checklist),
        "units": units,
        "chosen": chosen,
        "items": [(item, computed.get(item["name"])) for item in checklist.items],
        "office": is_command_office(request.user),
        "today": today,
    }
    return render(request, "supervision/checklist.html", context)


def evaluation_page(request: HttpRequest) -> HttpResponse:
    """考核: every unit's yearly score with its arithmetic; the office records bonuses and deductions."""
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    office = is_command_office(request.user)
    if request.method == "POST" and office:
        units = {str(u.pk): u for u in _units(request)}

        def action() -> None:
            unit = units.get(request.POST.get("unit", ""))
            if unit is None:
                raise ValidationError("请选择单位")
            services.adjustment_add(
                by=request.user,
                unit=unit,
                year=year,
                kind=request.POST.get("kind", ""),
                points=request.POST.get("points", ""),
                reason=request.POST.get("reason", ""),
                evidence=uploaded_evidence(request),
            )

        run_service(request, action)
        return redirect(f"{reverse('supervision:evaluation')}?year={year}")
    seen = visible_unit_ids(request.user)
    scores = evaluation.evaluate(year, seen, today)
    context = {"year": year, "scores": scores, "office": office, "units": _units(request) if office else []}
    return render(request, "supervision/evaluation.html", context)


def ladder_page(request: HttpRequest) -> HttpResponse:
    """The office's ladder: its rungs as JSON (checked for loops) and the lag threshold."""
    official = official_of(request.user)
    if official is None or not is_command_office(request.user):
        raise Http404("只有指挥部办公室可设置问责阶梯")
    unit = official.unit
    ladder = Ladder.objects.filter(unit=unit).first()
    text = json.dumps(ladder.rungs if ladder else DEFAULT_RUNGS, ensure_ascii=False, indent=2)
    lag = ladder.lag_points if ladder else 20
    if request.method == "POST":
        text, lag_raw = request.POST.get("rungs", ""), request.POST.get("lag_points", "")

        def action() -> None:
            try:
                rungs = json.loads(text)
            except json.JSONDecodeError as error:
                raise ValidationError(f"阶梯不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列") from None
            if not lag_raw.isdigit():
                raise ValidationError("进度滞后阈值应为整数")
            services.ladder_set(by=request.user, unit=unit, rungs=rungs, lag_points=int(lag_raw))

        if run_service(request, action):
            return redirect("supervision:ladder")
        lag = lag_raw
    return render(request, "supervision/ladder.html", {"unit": unit, "text": text, "lag": lag})
