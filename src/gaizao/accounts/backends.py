from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from gaizao.accounts import lockout


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class GuardedBackend(ModelBackend):
    """Django's password check, refused while the name or the address is locked out; no superuser in production.

    A refusal looks exactly like a wrong password, and counts as one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if lockout.refused(username, _address(request)):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.is_superuser and settings.PRODUCTION:
            return None
        if user is not None:
            lockout.succeeded(username)
        return user
