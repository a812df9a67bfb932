from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gaizao.audit import findings as finding_services
from gaizao.audit import sampling, selectors
from gaizao.audit.models import (
    AuditRun,
    FindingStatus,
    RequiredDocument,
    SampleOutcome,
    Severity,
    TrailHead,
)
from gaizao.audit.rules import archive
from gaizao.audit.rules.engine import BY_CODE, RULES, TITLES
from gaizao.core.evidence import evidence_response, uploaded_evidence
from gaizao.core.feedback import form_day, require_valid, run_service, service_result
from gaizao.core.widgets import DATE
from gaizao.ledger.models import EventKind, Household
from gaizao.ledger.stages import ORDER, Stage
from gaizao.org.access import can_change, is_command_office, scope_households, scope_projects
from gaizao.projects.models import Project

ACTIONS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "logout": "退出",
    "login_failed": "登录失败",
    "denied": "拒绝访问",
    "export": "下载导出",
    "reveal": "查看敏感信息",
}


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def trail(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        since = form_day(request.GET.get("since"), "起始日期", required=False)
        until = form_day(request.GET.get("until"), "截止日期", required=False)
    except ValidationError as refusal:
        error, since, until = refusal.messages[0], None, None
    before = request.GET.get("before", "")
    filters = selectors.TrailFilters(
        actor=request.GET.get("actor", "").strip(),
        action=request.GET.get("action", ""),
        object_type=request.GET.get("object_type", "").strip(),
        object_id=request.GET.get("object_id", "").strip(),
        since=since,
        until=until,
        before=int(before) if before.isdigit() else None,
    )
    entries = list(selectors.trail_page(fetched_by=request.user, filters=filters))
    query = request.GET.copy()
    if len(entries) == selectors.PAGE:
        query["before"] = entries[-1].seq
    context = {
        "entries": [(e, ACTIONS.get(e.action, e.action)) for e in entries],
        "filters": filters,
        "actions": ACTIONS,
        "head": TrailHead.objects.filter(pk=1).first(),
        "error": error,
        "older": query.urlencode() if len(entries) == selectors.PAGE else "",
    }
    return render(request, "audit/trail.html", context)


# ---- findings -------------------------------------------------------------------------------------------

STATUS_CHOICES = [("pending", "待处理（待说明、已说明）"), *FindingStatus.choices, ("", "全部")]
FIGURE_LABELS = {
    "paid": "已净付（元）",
    "payments": "支付笔数",
    "first_paid_on": "首笔支付日期",
    "deadline": "应拆除期限",
    "days_overdue": "逾期天数",
    "stage": "阶段",
    "stage_changed_at": "标为已拆除的时间",
    "by": "依据",
    "value": "比对的值",
    "count": "涉及数",
    "households": "涉及的户",
    "people": "涉及的人",
    "built_on": "建成时间",
    "precision": "时间精度",
    "freeze_date": "冻结日",
    "certain": "确定晚于冻结日",
    "increases": "面积增加",
    "at": "时间",
    "lines": "不符的补偿项",
    "total": "补偿总额（元）",
    "sum_of_lines": "明细之和",
    "certified_area": "证载面积（㎡）",
    "recognised_area": "认定合法（随征）面积（㎡）",
    "unregistered_area": "未登记面积（㎡）",
    "limit": "方案上限（㎡）",
    "ratio": "方案比例",
    "missing": "缺少的材料",
    "payee": "收款人",
    "owner": "户主",
    "members": "家庭成员",
    "amount": "金额（元）",
    "paid_on": "支付日期",
    "account": "收款账号",
    "line": "补偿项",
    "label": "补偿项",
    "standard": "按方案（元）",
    "standard_amount": "按方案（元）",
    "drafted_and_approved_by": "提出并批准人",
    "decided_at": "批准时间",
    "name": "姓名",
    "birth": "出生日期",
    "household_id": "户",
    "project_id": "项目",
    "as": "身份",
    "on": "补偿日期",
    "kind": "补偿依据",
    "record": "协议/决定记录号",
    "id_number": "身份证号",
    "names": "户内姓名",
    "group": "亲属组",
    "document": "材料",
    "seq": "房屋序号",
    "what": "项目",
    "before": "原值",
    "after": "新值",
    "property": "房屋编号",
    "event": "事件编号",
    "record_id": "记录编号",
    "exception": "例外编号",
}
HIDDEN_FIGURES = {"property", "event", "record_id", "exception"}
WORDS = {"agreement": "补偿协议", "decision": "补偿决定", **dict(Stage.choices)}


def _shown(value) -> str:
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "—"
    return WORDS.get(value, str(value)) if isinstance(value, str) else str(value)


def figure_rows(figures: dict, households: dict[int, dict], projects: dict[int, str]) -> list[dict]:
    """The figures as the page shows them: scalars as label and value, lists of records as small tables."""
    rows = []
    for key, value in figures.items():
        if key in HIDDEN_FIGURES:
            continue
        label = FIGURE_LABELS.get(key, key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            columns = [c for c in value[0] if c not in HIDDEN_FIGURES]
            table = []
            for entry in value:
                cells = []
                for column in columns:
                    cell = entry.get(column)
                    if column == "household_id" and cell in households:
                        cells.append({"household": households[cell]})
                    elif column == "project_id":
                        cells.append({"text": projects.get(cell, cell)})
                    else:
                        cells.append({"text": _shown(cell)})
                table.append(cells)
            rows.append({"label": label, "headers": [FIGURE_LABELS.get(c, c) for c in columns], "table": table})
        else:
            rows.append({"label": label, "text": _shown(value)})
    return rows


def _listed_households(request: HttpRequest, figures: dict) -> dict[int, dict]:
    """The households a finding's figures list, with whether the user may open each."""
    ids = {
        entry["household_id"]
        for value in figures.values()
        if isinstance(value, list)
        for entry in value
        if isinstance(entry, dict) and "household_id" in entry
    }
    if not ids:
        return {}
    visible = set(scope_households(Household.objects.filter(pk__in=ids), request.user).values_list("id", flat=True))
    rows = Household.objects.filter(pk__in=ids).values_list("id", "number", "street__name")
    return {pk: {"pk": pk, "number": number, "street": street, "visible": pk in visible} for pk, number, street in rows}


def finding_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "pending")
    filters = finding_services.FindingFilters(
        rule=request.GET.get("rule", "") if request.GET.get("rule") in BY_CODE else "",
        status=status if status in dict(STATUS_CHOICES) else "pending",
        severity=request.GET.get("severity", "") if request.GET.get("severity") in Severity.values else "",
        project=_int(request.GET.get("project")),
        before=_int(request.GET.get("before")),
    )
    found = finding_services.finding_page(fetched_by=request.user, filters=filters)
    counts = finding_services.finding_counts(fetched_by=request.user, filters=filters)
    per_rule = [
        {
            "rule": rule,
            "by_status": [(s, counts.get(rule.code, {}).get(s, 0)) for s in FindingStatus.values],
            "total": sum(counts.get(rule.code, {}).values()),
        }
        for rule in RULES
    ]
    query = request.GET.copy()
    if len(found) == finding_services.PAGE:
        query["before"] = found[-1].pk
    context = {
        "findings": [(f, TITLES.get(f.rule, f.rule)) for f in found],
        "per_rule": per_rule,
        "statuses": FindingStatus.choices,
        "status_choices": STATUS_CHOICES,
        "severities": Severity.choices,
        "rules": RULES,
        "filters": filters,
        "projects": scope_projects(Project.objects.all(), request.user),
        "last_run": AuditRun.objects.order_by("-id").first(),
        "older": query.urlencode() if len(found) == finding_services.PAGE else "",
        "sees_everything": finding_services.sees_everything(request.user),
    }
    return render(request, "audit/findings.html", context)


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_services.finding_get(fetched_by=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "explain":

            def explain():
                with transaction.atomic():  # a file is kept only when the explanation is
                    finding_services.finding_explain(
                        by=request.user,
                        finding=finding,
                        text=request.POST.get("text", ""),
                        evidence=uploaded_evidence(request) if can_change(request.user) else None,
                    )

            run_service(request, explain)
        elif action in ("confirm", "dismiss"):
            reason = request.POST.get("reason", "")
            run_service(
                request,
                lambda: finding_services.finding_decide(
                    by=request.user, finding=finding, confirm=action == "confirm", reason=reason
                ),
            )
        return redirect("audit:finding", pk=finding.pk)
    households = _listed_households(request, finding.figures)
    projects = dict(Project.objects.values_list("id", "code"))
    pending = finding.status in finding_services.PENDING
    context = {
        "finding": finding,
        "rule": BY_CODE.get(finding.rule),
        "figures": figure_rows(finding.figures, households, projects),
        "payment_account": finding.payment.masked_account if finding.payment else "",
        "can_explain": finding.status == FindingStatus.OPEN and can_change(request.user),
        "can_decide": pending and finding_services.is_inspector(request.user),
    }
    return render(request, "audit/finding.html", context)


def finding_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_services.finding_get(fetched_by=request.user, pk=pk)
    return evidence_response(finding.explanation_evidence)


# ---- sampling -------------------------------------------------------------------------------------------


class DrawForm(forms.Form):
    size = forms.IntegerField(label="样本量（笔）", min_value=1, max_value=sampling.MAX_SIZE, initial=30)
    seed = forms.CharField(label="随机种子（留空自动生成）", max_length=64, required=False)
    project = forms.ModelChoiceField(Project.objects.all(), label="项目", required=False, empty_label="全部项目")
    paid_from = forms.DateField(label="支付日期自", required=False, widget=DATE)
    paid_to = forms.DateField(label="支付日期至", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=500)


def sample_list(request: HttpRequest) -> HttpResponse:
    samples = sampling.sample_list(fetched_by=request.user)
    if request.method == "POST":
        form = DrawForm(request.POST)

        def action():
            require_valid(form)
            return sampling.sample_draw(by=request.user, **form.cleaned_data)

        sample = service_result(request, action)
        return redirect("audit:sample", pk=sample.pk) if sample else redirect("audit:sampling")
    return render(request, "audit/sampling.html", {"samples": samples[:50], "form": DrawForm()})


def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = sampling.sample_get(fetched_by=request.user, pk=pk)
    items = sample.items.select_related(
        "payment", "payment__household", "payment__agreement", "checked_by", "evidence"
    ).order_by("position")
    rows = [(item, item.payment.masked_account) for item in items]
    context = {
        "sample": sample,
        "rows": rows,
        "outcomes": [c for c in SampleOutcome.choices if c[0] != SampleOutcome.PENDING],
        "tally": {label: sum(1 for i, _ in rows if i.outcome == value) for value, label in SampleOutcome.choices},
        "redrawn": sampling.sample_redrawn(sample) if request.GET.get("verify") else None,
    }
    return render(request, "audit/sample.html", context)


@require_POST
def sample_item_check(request: HttpRequest, pk: int) -> HttpResponse:
    item = sampling.item_get(fetched_by=request.user, pk=pk)

    def check():
        with transaction.atomic():
            sampling.sample_check(
                by=request.user,
                item=item,
                outcome=request.POST.get("outcome", ""),
                note=request.POST.get("note", ""),
                evidence=uploaded_evidence(request),
            )

    run_service(request, check)
    return redirect("audit:sample", pk=item.sample_id)


def sample_item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = sampling.item_get(fetched_by=request.user, pk=pk)
    return evidence_response(item.evidence)


# ---- the documents an archive needs -----------------------------------------------------------------------


class RequiredDocumentForm(forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=Stage.choices)
    name = forms.CharField(label="材料名称", max_length=60)
    event_kind = forms.ChoiceField(
        label="认定方式（所附事件）",
        choices=[
            (EventKind.STAGE, "阶段变更所附佐证"),
            (EventKind.PAYMENT, "支付凭证"),
            (EventKind.EVIDENCE, "上传佐证"),
        ],
    )
    keyword = forms.CharField(label="说明中须含", max_length=60, required=False)


def documents(request: HttpRequest) -> HttpResponse:
    office = is_command_office(request.user)
    if request.method == "POST":
        if "switch" in request.POST:
            document = get_object_or_404(RequiredDocument, pk=_int(request.POST.get("switch")))
            active = request.POST.get("active") == "1"
            run_service(
                request, lambda: archive.required_document_switch(by=request.user, document=document, active=active)
            )
        else:
            form = RequiredDocumentForm(request.POST)

            def save():
                require_valid(form)
                archive.required_document_save(by=request.user, **form.cleaned_data)

            run_service(request, save)
        return redirect("audit:documents")
    context = {
        "documents": sorted(RequiredDocument.objects.all(), key=lambda d: (ORDER.index(d.stage), d.name)),
        "office": office,
        "form": RequiredDocumentForm() if office else None,
        "kinds": dict(EventKind.choices),
    }
    return render(request, "audit/documents.html", context)
