"""Password rules for officials: length, character classes, common passwords refused (Django's own list), age."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

CLASSES = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^A-Za-z0-9]")),
)
NEEDED_CLASSES = 3
MIN_LENGTH = 10


class LengthValidator:
    def validate(self, password: str, user=None) -> None:
        if len(password) < MIN_LENGTH:
            raise ValidationError(f"密码至少 {MIN_LENGTH} 位（现为 {len(password)} 位）", code="password_too_short")

    def get_help_text(self) -> str:
        return f"至少 {MIN_LENGTH} 位。"


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols."""

    def validate(self, password: str, user=None) -> None:
        present = [name for name, pattern in CLASSES if pattern.search(password)]
        if len(present) < NEEDED_CLASSES:
            found = "、".join(present) or "无"
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {NEEDED_CLASSES} 类（现有：{found}）",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"须包含小写字母、大写字母、数字、符号中的至少 {NEEDED_CLASSES} 类。"

    def password_changed(self, password: str, user=None) -> None:
        """Called by Django whenever a password is saved: the age is counted from here."""
        if user is None or user.pk is None:
            return
        from gaizao.accounts.models import Credential

        Credential.objects.update_or_create(
            user=user, defaults={"password_changed_at": timezone.now(), "must_change": False}
        )


def max_age() -> timedelta:
    return timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def expired(changed_at, now) -> bool:
    return changed_at is None or now - changed_at > max_age()
