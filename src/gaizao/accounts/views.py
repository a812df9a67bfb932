import time

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gaizao.accounts import lockout, services, totp
from gaizao.accounts.models import Credential
from gaizao.accounts.passwords import expired, max_age
from gaizao.accounts.policy import VERIFIED
from gaizao.core.feedback import run_service, service_result
from gaizao.org.access import user_capabilities
from gaizao.org.models import Official, Role, Unit


def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, "密码已修改")
        return redirect("home")
    credential = Credential.objects.filter(user=request.user).first()
    context = {"form": form, "credential": credential, "max_days": max_age().days}
    return render(request, "accounts/password.html", context)


def _verified(request: HttpRequest) -> HttpResponse:
    request.session[VERIFIED] = True
    return redirect(request.GET.get("next") or "home")


def totp_enrol(request: HttpRequest) -> HttpResponse:
    secret = services.enrolment_secret(request.user)
    if request.method == "POST":

        def check():
            code = request.POST.get("code", "")
            return services.second_factor_check(user=request.user, code=code, now=time.time(), enrolling=True)

        if run_service(request, check):
            return _verified(request)
    uri = totp.provisioning_uri(secret, request.user.get_username())
    context = {"secret": secret, "qr": segno.make(uri, error="m").svg_inline(scale=5)}
    return render(request, "accounts/totp_enrol.html", context)


def totp_verify(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":

        def check():
            return services.second_factor_check(user=request.user, code=request.POST.get("code", ""), now=time.time())

        if run_service(request, check):
            return _verified(request)
    return render(request, "accounts/totp_verify.html")


# ---- the system administrator: accounts ---------------------------------------------------------------------


def _require(request: HttpRequest, capability: str) -> None:
    if not getattr(user_capabilities(request.user), capability):
        raise PermissionDenied("此页面仅供系统管理员" if capability == "manage_accounts" else "此页面仅供安全管理员")


def _rows(officials):
    now = timezone.now()
    credentials = {c.user_id: c for c in Credential.objects.filter(user__in=[o.user_id for o in officials])}
    locked = lockout.locked_names(now)
    for official in officials:
        credential = credentials.get(official.user_id)
        yield {
            "official": official,
            "credential": credential,
            "expired": credential is None or expired(credential.password_changed_at, now),
            "locked": official.user.username in locked,
        }


@sensitive_post_parameters("id_number")  # never in an error report
def account_list(request: HttpRequest) -> HttpResponse:
    _require(request, "manage_accounts")
    officials = list(Official.objects.select_related("user", "unit").order_by("unit__path", "user__username"))
    context = {"rows": list(_rows(officials)), "units": Unit.objects.order_by("path"), "opened": None}
    if request.method == "POST":
        post = request.POST
        opened = service_result(
            request,
            lambda: services.account_open(
                by=request.user,
                username=post.get("username", ""),
                name=post.get("name", ""),
                unit=get_object_or_404(Unit, pk=post.get("unit") or 0),
                id_number=post.get("id_number", ""),
                title=post.get("title", ""),
            ),
        )
        if opened is not None:
            official, password = opened
            context |= {"opened": official, "password": password, "rows": list(_rows([official, *officials]))}
    return render(request, "accounts/account_list.html", context)


@require_POST
def account_act(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "manage_accounts")
    official = get_object_or_404(Official.objects.select_related("user"), pk=pk)
    action = request.POST.get("action")
    actions = {
        "reset": lambda: services.password_reset(by=request.user, official=official),
        "unlock": lambda: services.account_unlock(by=request.user, official=official),
        "disable": lambda: services.account_active(by=request.user, official=official, active=False),
        "enable": lambda: services.account_active(by=request.user, official=official, active=True),
        "second_factor": lambda: services.second_factor_reset(by=request.user, official=official),
    }
    if action not in actions:
        messages.error(request, f"未知操作“{action}”")
        return redirect("accounts:manage")
    result = service_result(request, actions[action])
    if action == "reset" and result:
        messages.info(request, f"“{official.user.username}”的临时密码：{result}（只显示这一次；首次登录须修改）")
    return redirect("accounts:manage")


# ---- the security administrator: roles ------------------------------------------------------------------------


def role_list(request: HttpRequest) -> HttpResponse:
    _require(request, "grant_roles")
    if request.method == "POST":
        official = get_object_or_404(Official, pk=request.POST.get("official") or 0)
        run_service(
            request,
            lambda: services.role_grant(
                by=request.user,
                official=official,
                role=request.POST.get("role", ""),
                can_reveal=request.POST.get("can_reveal") == "1",
            ),
        )
        return redirect("accounts:roles")
    officials = Official.objects.select_related("user", "unit").order_by("unit__path", "user__username")
    return render(request, "accounts/role_list.html", {"officials": officials, "roles": Role.choices})
