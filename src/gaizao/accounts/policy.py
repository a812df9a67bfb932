"""The login policy on every request: idle sessions end; an expired or temporary password must be changed first;
officials pass a second factor (TOTP) before anything else when it is required."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gaizao.accounts.models import Credential
from gaizao.accounts.passwords import expired
from gaizao.org.access import official_of, user_capabilities

SEEN = "gaizao_seen"
VERIFIED = "gaizao_second_factor"
CHECKED = "gaizao_policy_checked"
ENROLLED = "gaizao_second_factor_enrolled"
RECHECK_SECONDS = 300
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The changes a read-only role does make: its own work.
OWN_WORK = (("/audit/", "read_trail"), ("/accounts/manage/", "manage_accounts"), ("/accounts/roles/", "grant_roles"))
RESAVE_SECONDS = 60  # the session is written at most once a minute just to say it is in use
OPEN_PATHS = ("/accounts/login/", "/accounts/logout/", "/accounts/password/", "/accounts/totp/", "/i18n/", "/static/")


def _needs(request, now: float) -> str:
    """What the signed-in user must do before anything else: "", "password", "enrol" or "verify".

    The password's state is read again every few minutes, not on every request."""
    session = request.session
    if official_of(request.user) is None:
        return ""
    if session.get(CHECKED, 0) < now - RECHECK_SECONDS:
        credential = Credential.objects.filter(user=request.user).first()
        stale = credential is None or credential.must_change
        if stale or expired(credential.password_changed_at, timezone.now()):
            return "password"
        session[CHECKED], session[ENROLLED] = now, credential.totp_confirmed_at is not None
    if settings.TOTP_REQUIRED and not session.get(VERIFIED):
        return "verify" if session.get(ENROLLED) else "enrol"
    return ""


def started(sender, request, user, **kwargs) -> None:
    """At login: the idle clock starts, and the policy is read afresh."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = time.time()
        request.session.pop(CHECKED, None)


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            seen = request.session.get(SEEN)
            if seen is not None and now - seen > settings.IDLE_MINUTES * 60:
                logout(request)
                return redirect(f"{reverse('login')}?idle=1")
            if seen is None or now - seen >= RESAVE_SECONDS:
                request.session[SEEN] = now
            if not request.path.startswith(OPEN_PATHS) and (step := _needs(request, now)):
                return _send_to(request, step)
            if request.method not in SAFE_METHODS:
                _refuse_read_only(request)
        return self.get_response(request)


def _refuse_read_only(request) -> None:
    """Inspectors, auditors and the three administrators change no records: any other POST is refused here."""
    capabilities = user_capabilities(request.user)
    if capabilities.sees_records and not capabilities.read_everywhere:
        return
    allowed = OPEN_PATHS + tuple(path for path, capability in OWN_WORK if getattr(capabilities, capability))
    if not request.path.startswith(allowed):
        raise PermissionDenied("您的角色只能查看，不能修改")


def _send_to(request, step: str):
    target = {"password": "accounts:password", "enrol": "accounts:totp_enrol", "verify": "accounts:totp_verify"}[step]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "请先在网页上完成密码修改或动态口令验证"}, status=403)
    return redirect(target)
