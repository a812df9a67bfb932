"""Who is acting, for the audit trail: the request's user and address, or a named system job."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SYSTEM = "系统"

_request: ContextVar = ContextVar("gaizao_audit_request", default=None)
_actor: ContextVar = ContextVar("gaizao_audit_actor", default=None)


def current() -> tuple[int | None, str, str]:
    """(user id, user name, address) of whoever is acting now: the request's user, else the job's."""
    request = _request.get()
    if request is None:
        return _actor.get() or (None, SYSTEM, "")
    user = getattr(request, "user", None)
    ip = request.META.get("REMOTE_ADDR", "") or ""
    if user is not None and user.is_authenticated:
        return user.pk, user.get_username(), ip
    return None, getattr(request, "public_actor", ""), ip  # a resident or reporter named by the portal


@contextmanager
def acting(user=None, *, name: str = "", ip: str = "") -> Iterator[None]:
    """Entries written inside are by `user` (or by the named job when no user is given)."""
    actor = (user.pk, user.get_username(), ip) if user is not None else (None, name or SYSTEM, ip)
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def serving(request) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)
