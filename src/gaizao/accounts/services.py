"""Accounts under 三员分立: the system administrator opens, resets and closes accounts; the security administrator
grants roles and the right to see personal data; the audit administrator reads the trail. None may do another's
part, none may change their own account's rights, and one person (one ID number) holds at most one of the three."""

import secrets
import string

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.accounts import lockout, totp
from gaizao.accounts.models import Credential
from gaizao.core.crypto import decrypt, encrypt, keyed_hash
from gaizao.core.idcard import IdNumberError, normalize_id_number
from gaizao.org.access import user_capabilities
from gaizao.org.models import ADMIN_ROLES, Official, Role, Unit

PASSWORD_GROUPS = (string.ascii_lowercase, string.ascii_uppercase, string.digits, "#%+=@")


def temporary_password() -> str:
    """Twelve characters of all four classes, to be changed at the first login."""
    alphabet = "".join(PASSWORD_GROUPS)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(12))
        if all(any(c in group for c in candidate) for group in PASSWORD_GROUPS):
            return candidate


def _require(by, capability: str, refusal: str) -> None:
    if by is not None and not getattr(user_capabilities(by), capability):
        raise PermissionDenied(refusal)


def _person_key(id_number: str) -> str:
    if not id_number.strip():
        return ""
    try:
        normalised, _ = normalize_id_number(id_number)
    except IdNumberError as problem:
        raise ValidationError(f"{problem}") from None
    return keyed_hash(normalised)


@transaction.atomic
def account_open(*, by, username: str, name: str, unit: Unit, id_number: str = "", title: str = "", phone: str = ""):
    """A new account with no role (it sees nothing until granted one) and a temporary password, returned once."""
    _require(by, "manage_accounts", "只有系统管理员可开设账户")
    username = username.strip()
    if not username or not name.strip():
        raise ValidationError("用户名和姓名都须填写")
    if get_user_model().objects.filter(username=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用")
    password = temporary_password()
    user = get_user_model().objects.create_user(username=username, password=password, first_name=name.strip())
    official = Official.objects.create(
        user=user, name=name.strip(), unit=unit, role="", title=title, phone=phone, person_key=_person_key(id_number)
    )
    Credential.objects.filter(user=user).update(must_change=True)
    return official, password


@transaction.atomic
def password_reset(*, by, official: Official) -> str:
    _require(by, "manage_accounts", "只有系统管理员可重置密码")
    if by is not None and official.user_id == by.pk:
        raise PermissionDenied("不能重置自己的密码：请在“修改密码”中修改")
    password = temporary_password()
    official.user.set_password(password)
    official.user.save(update_fields=["password"])
    Credential.objects.filter(user=official.user).update(must_change=True)
    lockout.unlock(official.user.username)
    return password


@transaction.atomic
def account_active(*, by, official: Official, active: bool) -> None:
    _require(by, "manage_accounts", "只有系统管理员可停用或启用账户")
    if by is not None and official.user_id == by.pk:
        raise PermissionDenied("不能停用自己的账户")
    official.user.is_active = active
    official.user.save(update_fields=["is_active"])


def account_unlock(*, by, official: Official) -> int:
    _require(by, "manage_accounts", "只有系统管理员可解除锁定")
    return lockout.unlock(official.user.username)


@transaction.atomic
def second_factor_reset(*, by, official: Official) -> None:
    """A lost phone: the account enrols again at its next login."""
    _require(by, "manage_accounts", "只有系统管理员可重置动态口令")
    Credential.objects.filter(user=official.user).update(totp_secret="", totp_confirmed_at=None, totp_last_step=0)


@transaction.atomic
def role_grant(*, by, official: Official, role: str, can_reveal: bool = False) -> Official:
    _require(by, "grant_roles", "只有安全管理员可授予角色和敏感信息查看权限")
    if role and role not in Role.values:
        raise ValidationError(f"角色“{role}”无效")
    if by is not None and official.user_id == by.pk:
        raise PermissionDenied("不能更改自己的角色或权限")
    if role in ADMIN_ROLES:
        _one_duty_each(official, role)
    if role in ADMIN_ROLES and can_reveal:
        raise ValidationError("系统管理员、安全管理员、安全审计员不查看业务数据，不能授予敏感信息查看权限")
    official.role, official.can_reveal = role, can_reveal
    official.save(update_fields=["role", "can_reveal"])
    return official


def _one_duty_each(official: Official, role: str) -> None:
    if not official.person_key:
        raise ValidationError(f"授予“{Role(role).label}”须先登记本人身份证号（由系统管理员在开设账户时填写）")
    other = (
        Official.objects.filter(person_key=official.person_key, role__in=ADMIN_ROLES)
        .exclude(pk=official.pk)
        .exclude(role=role)
        .first()
    )
    if other is not None:
        raise ValidationError(f"此人已是{other.get_role_display()}（账户“{other.user.username}”），三员不得由一人兼任")


# ---- the second factor ------------------------------------------------------------------------------


def enrolment_secret(user) -> str:
    """The secret being enrolled: made once and kept (encrypted) until confirmed, so a reload shows the same code."""
    credential, _ = Credential.objects.get_or_create(user=user)
    if credential.totp_confirmed_at is not None:
        raise ValidationError("动态口令已启用；如更换手机，请系统管理员重置")
    if not credential.totp_secret:
        credential.totp_secret = encrypt(totp.new_secret())
        credential.save(update_fields=["totp_secret"])
    return decrypt(credential.totp_secret)


@transaction.atomic
def second_factor_check(*, user, code: str, now: float, enrolling: bool = False) -> None:
    """The code from the phone: right, within a step of now, and not one already used."""
    credential = Credential.objects.select_for_update().get(user=user)
    if not credential.totp_secret or (credential.totp_confirmed_at is None) != enrolling:
        raise ValidationError("动态口令未启用" if not enrolling else "动态口令已启用")
    step = totp.matching_step(decrypt(credential.totp_secret), code, now, after=credential.totp_last_step)
    if step is None:
        raise ValidationError("动态口令不正确或已使用，请输入手机上显示的 6 位数字")
    credential.totp_last_step = step
    if enrolling:
        credential.totp_confirmed_at = timezone.now()
    credential.save(update_fields=["totp_last_step", "totp_confirmed_at"])
