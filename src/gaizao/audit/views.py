from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gaizao.audit import selectors
from gaizao.audit.models import TrailHead

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


def _day(request: HttpRequest, name: str, label: str) -> date | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}“{text}”不是日期（例：2026-11-24）") from None


def trail(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        since, until = _day(request, "since", "起始日期"), _day(request, "until", "截止日期")
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
