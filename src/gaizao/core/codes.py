"""Codes the public reads off paper and types on a phone (a household's case code, a petition's or a tip-off's
follow code), the phone numbers they leave, and following something with its number and follow code: five wrong
tries for one number lock it for 15 minutes (accounts.lockout, as for officials' logins). And what they send twice:
the same words from the same sender within a day are what was already received."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from gaizao.accounts import lockout
from gaizao.core.crypto import keyed_hash

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
LOCKED = "尝试次数过多，请15分钟后再试"
T = TypeVar("T")


SENT_TWICE_WINDOW = timedelta(hours=24)


def words_digest(*parts) -> str:
    """SHA-256 of the parts (who sent it, about what, the words) joined by "|", however they were spaced."""
    return hashlib.sha256("|".join("".join(str(part).split()) for part in parts).encode()).hexdigest()


def sent_before(received: QuerySet[T], at: str, digest: str) -> T | None:
    """What was received with this `content_hash` within the window (`at` names the time it came in)."""
    since = timezone.now() - SENT_TWICE_WINDOW
    return received.filter(content_hash=digest, **{f"{at}__gte": since}).first()


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def phone_digits(value: str, *, required: bool) -> str:
    """The digits of a phone number (7–12 of them); "" when none was given and none is required."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if not value.strip() and not required:
        return ""
    if not 7 <= len(digits) <= 12:
        raise ValidationError(f"联系电话：“{value.strip()}”不是电话号码")
    return digits


def lock_name(what: str, number: str) -> str:
    """The lockout's name for following `what` with this number (reset when a new code is issued)."""
    return f"{what}:{number.strip().upper()[:30]}"


def followed(what: str, number: str, follow: str, ip: str, find: Callable[[str, str], T | None], wrong: str) -> T:
    """What `find(number, keyed hash of the follow code)` finds, or `wrong` (the same whichever of the two was wrong);
    LOCKED after five wrong tries for the number."""
    number = number.strip().upper()
    name = lock_name(what, number)
    if lockout.refused(name, ip):
        raise ValidationError(LOCKED)
    found = find(number, keyed_hash(follow.strip().upper())) if follow.strip() else None
    if found is None:
        lockout.failed(name, ip)
        raise ValidationError(wrong)
    lockout.succeeded(name)
    return found
