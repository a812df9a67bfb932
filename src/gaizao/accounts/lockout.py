"""Failed logins: five for one name within 15 minutes lock that name for 15 minutes, whether or not the account
exists (so the lock says nothing about it); thirty from one address within 10 minutes hold that address back."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from gaizao.accounts.models import LoginFailure
from gaizao.audit import trail

NAME_LIMIT, NAME_WINDOW = 5, timedelta(minutes=15)
ADDRESS_LIMIT, ADDRESS_WINDOW = 30, timedelta(minutes=10)


def _recent(now, window, **who) -> int:
    return LoginFailure.objects.filter(at__gt=now - window, **who).count()


def refused(username: str, ip: str, now=None) -> bool:
    now = now or timezone.now()
    return _recent(now, NAME_WINDOW, username=username) >= NAME_LIMIT or (
        bool(ip) and _recent(now, ADDRESS_WINDOW, ip=ip) >= ADDRESS_LIMIT
    )


def locked_names(now=None) -> set[str]:
    """The names locked out now."""
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(at__gt=now - NAME_WINDOW).values("username").annotate(n=Count("id"))
    return set(recent.filter(n__gte=NAME_LIMIT).values_list("username", flat=True))


def failed(username: str, ip: str) -> None:
    now = timezone.now()
    LoginFailure.objects.create(username=username[:150], ip=ip, at=now)
    if _recent(now, NAME_WINDOW, username=username) == NAME_LIMIT:
        trail.record("locked", "auth.user", "", {"username": username[:150], "minutes": 15})


def succeeded(username: str) -> None:
    LoginFailure.objects.filter(username=username).delete()


def unlock(username: str) -> int:
    return LoginFailure.objects.filter(username=username).delete()[0]
