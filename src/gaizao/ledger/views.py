import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gaizao.audit.recording import revealed
from gaizao.core.evidence import evidence_response, uploaded_evidence
from gaizao.core.feedback import require_valid, run_service
from gaizao.core.groups import SPECIAL_GROUPS
from gaizao.core.masking import mask_id_number, mask_phone
from gaizao.ledger import selectors, services
from gaizao.ledger.forms import (
    EvidenceForm,
    HouseholdEditForm,
    ImportConfirmForm,
    ImportUploadForm,
    StageForm,
    UnlockForm,
)
from gaizao.ledger.four_clears import four_clears
from gaizao.ledger.history import describe
from gaizao.ledger.models import EventKind, HardCase, Household, Wish
from gaizao.ledger.stages import BY_DOCUMENT, TRANSITIONS, Stage
from gaizao.ledger.workbook.exporter import export_ledger
from gaizao.ledger.workbook.importer import import_ledger
from gaizao.org.access import can_change, can_import, can_reveal, scope_projects, visible_units
from gaizao.org.models import LOCAL_KINDS
from gaizao.projects.models import Project

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def filters_from(request: HttpRequest) -> selectors.LedgerFilters:
    get = request.GET
    return selectors.LedgerFilters(
        project=_int(get.get("project")),
        street=_int(get.get("street")),
        stage=get.get("stage", "") if get.get("stage") in Stage.values else "",
        wish=get.get("wish", ""),
        hard_case=get.get("hard_case", ""),
        holder=_int(get.get("holder")),
        q=get.get("q", "")[:40],
        sort=get.get("sort", "number"),
    )


def masked_change(change: dict) -> dict:
    """A preview line without full ID numbers and phones, for whoever may not reveal them."""
    masks = {"id_number": mask_id_number, "phone": mask_phone}
    fields = change.get("changes", {})
    return change | {
        "changes": {
            name: [masks[name](v) if v else v for v in values] if name in masks else values
            for name, values in fields.items()
        }
    }


def household_list(request: HttpRequest) -> HttpResponse:
    filters = filters_from(request)
    qs = selectors.household_list(fetched_by=request.user, filters=filters).select_related("street", "project")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    units = visible_units(request.user).only("id", "name", "kind")
    context = {
        "page": page,
        "filters": filters,
        "projects": scope_projects(Project.objects.all(), request.user),
        "streets": [u for u in units if u.kind in LOCAL_KINDS],
        "holders": [u for u in units if u.kind not in LOCAL_KINDS],
        "stages": Stage.choices,
        "wishes": [*Wish.choices, ("none", "未填报")],
        "hard_cases": [("any", "全部难点户"), *HardCase.choices],
        "query": request.GET.copy(),
    }
    template = "ledger/_household_table.html" if request.htmx else "ledger/household_list.html"
    return render(request, template, context)


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(fetched_by=request.user, pk=pk)
    reveal = request.GET.get("reveal") == "1" and can_reveal(request.user)
    if reveal:
        revealed(request.user, "户主身份证号、电话", "household", household.pk, household.district_id)
    properties = list(household.properties.order_by("seq"))
    context = {
        "household": household,
        "properties": properties,
        "members": [
            {
                "id": m.pk,
                "groups": m.special_groups,
                "name": m.name,
                "relation": m.relation,
                "masked_id": m.id_number if reveal else mask_id_number(m.id_number),
            }
            for m in household.members.all()
        ],
        "clears": four_clears(properties, household.get_wish_display()),
        "events": [
            (e, describe(e.changes, reveal=reveal)) for e in selectors.household_events(household=household)[:200]
        ],
        "id_number": household.id_number if reveal else mask_id_number(household.id_number),
        "phone": household.phone if reveal else mask_phone(household.phone),
        "revealed": reveal,
        "can_change": can_change(request.user),
        "can_reveal": can_reveal(request.user),
        "next_stages": [(s, Stage(s).label) for s in TRANSITIONS[household.stage] if s not in BY_DOCUMENT],
        "stage_form": StageForm(),
        "evidence_form": EvidenceForm(),
        "unlock_form": UnlockForm(),
        "edit_form": HouseholdEditForm(
            initial={f: getattr(household, f) for f in HouseholdEditForm.base_fields}, reveal=reveal
        ),
        "event_kinds": dict(EventKind.choices),
        "special_groups": SPECIAL_GROUPS.items(),
    }
    return render(request, "ledger/household_detail.html", context)


def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.evidence_event(fetched_by=request.user, evidence_id=pk)
    return evidence_response(event.evidence)


def household_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    """A form on the household page: the household in scope, the service, its message, back to the page."""
    household = selectors.household_get(fetched_by=request.user, pk=pk)
    run_service(request, lambda: action(household))
    return redirect("ledger:household_detail", pk=household.pk)


def _evidence(request: HttpRequest):
    if "evidence" in request.FILES and not can_change(request.user):
        raise PermissionDenied("您无权上传佐证")
    return uploaded_evidence(request)


@require_POST
def household_stage(request: HttpRequest, pk: int) -> HttpResponse:
    form = StageForm(request.POST, request.FILES)

    def action(household: Household) -> None:
        if not form.is_valid():
            raise ValidationError("请选择要变更的阶段")
        if form.cleaned_data["stage"] in BY_DOCUMENT:
            raise ValidationError(BY_DOCUMENT[form.cleaned_data["stage"]])
        services.household_transition(
            by=request.user,
            household=household,
            stage=form.cleaned_data["stage"],
            evidence=_evidence(request),
            note=form.cleaned_data["note"],
        )

    return household_action(request, pk, action)


@sensitive_post_parameters("id_number", "phone")  # never in an error report
@require_POST
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    form = HouseholdEditForm(request.POST)

    def action(household: Household) -> None:
        require_valid(form)
        changes = {name: value for name, value in form.cleaned_data.items() if name in request.POST}
        services.household_update(by=request.user, household=household, changes=changes)

    return household_action(request, pk, action)


@sensitive_post_parameters("id_number")
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return household_action(
        request,
        pk,
        lambda h: services.member_create(
            by=request.user,
            household=h,
            name=post.get("name", ""),
            relation=post.get("relation", ""),
            id_number=post.get("id_number", "").strip(),
            special_groups=post.getlist("groups"),
        ),
    )


@require_POST
def member_groups(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    def action(household: Household) -> None:
        member = household.members.filter(pk=member_id).first()
        if member is None:
            raise ValidationError("没有该家庭成员")
        services.member_set_groups(by=request.user, member=member, special_groups=request.POST.getlist("groups"))

    return household_action(request, pk, action)


@require_POST
def household_review(request: HttpRequest, pk: int) -> HttpResponse:
    return household_action(request, pk, lambda h: services.household_review(by=request.user, household=h))


@require_POST
def household_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return household_action(request, pk, lambda h: services.household_lock(by=request.user, household=h))


@require_POST
def household_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return household_action(
        request, pk, lambda h: services.household_unlock(by=request.user, household=h, reason=reason)
    )


@require_POST
def household_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    def action(household: Household) -> None:
        evidence = _evidence(request)
        if evidence is None:
            raise ValidationError("请选择要上传的文件")
        services.household_add_evidence(
            by=request.user, household=household, evidence=evidence, note=request.POST.get("note", "")
        )

    return household_action(request, pk, action)


def ledger_export(request: HttpRequest) -> HttpResponse:
    filters = filters_from(request)
    reveal = request.GET.get("reveal") == "1" and can_reveal(request.user)
    households = selectors.household_list(fetched_by=request.user, filters=filters)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.close()
    rows = export_ledger(households, Path(handle.name), reveal=reveal)
    if reveal:
        revealed(request.user, f"导出完整台账 {rows} 行", "ledger_export", filters.project or 0)
    name = f"台账-{timezone.localdate():%Y%m%d}.xlsx"
    stream = open(handle.name, "rb")  # noqa: SIM115 — FileResponse closes it
    os.unlink(handle.name)
    return FileResponse(stream, as_attachment=True, filename=name)


def _import_projects(request: HttpRequest):
    if not can_import(request.user):
        raise PermissionDenied("您无权导入台账")
    return scope_projects(Project.objects.all(), request.user)


def ledger_import(request: HttpRequest) -> HttpResponse:
    projects = _import_projects(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = uuid.uuid4().hex
        folder = settings.DATA_DIR / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{token}{Path(upload.name).suffix.lower()[:6]}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        project = form.cleaned_data["project"]
        request.session[f"import-{token}"] = {"path": str(path), "name": upload.name, "project": project.pk}
        report = import_ledger(path=path, original_name=upload.name, project=project, by=request.user, dry_run=True)
        if not can_reveal(request.user):
            report.changes = [masked_change(change) for change in report.changes]
        return render(
            request,
            "ledger/import_preview.html",
            {
                "report": report,
                "project": project,
                "file_name": upload.name,
                "confirm_form": ImportConfirmForm(initial={"token": token}),
            },
        )
    return render(request, "ledger/import_upload.html", {"form": form})


@require_POST
def ledger_import_confirm(request: HttpRequest) -> HttpResponse:
    projects = _import_projects(request)
    form = ImportConfirmForm(request.POST)
    pending = request.session.get(f"import-{request.POST.get('token', '')}") if form.is_valid() else None
    if pending is None:
        messages.error(request, "导入已过期或不存在，请重新上传")
        return redirect("ledger:import")
    project = projects.get(pk=pending["project"])
    report = import_ledger(
        path=Path(pending["path"]),
        original_name=pending["name"],
        project=project,
        by=request.user,
        valid_only=form.cleaned_data["valid_only"],
    )
    if report.written:
        del request.session[f"import-{form.cleaned_data['token']}"]
        Path(pending["path"]).unlink(missing_ok=True)
    return render(
        request, "ledger/import_result.html", {"report": report, "project": project, "file_name": pending["name"]}
    )
