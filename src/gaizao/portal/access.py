"""A household's own sign-in: the owner's ID number and the case code (案件码) on the household's notice.

A wrong number and a wrong code get the same answer. Five failures for one ID number within 15 minutes lock that
number, whether or not a household has it; thirty from one address hold the address back (accounts.lockout, keyed by
the number's keyed hash, never the number). The household's id lives in the session, never in a URL."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.accounts import lockout
from gaizao.audit import trail
from gaizao.core.codes import new_code
from gaizao.core.crypto import keyed_hash
from gaizao.core.idcard import IdNumberError, normalize_id_number
from gaizao.ledger.models import Household
from gaizao.org.access import can_change, scope_households
from gaizao.portal.models import CaseCode

SESSION_KEY = "gaizao_resident"
ISSUED_KEY = "gaizao_resident_code_issued"
WRONG = "身份证号或案件码不正确"
LOCKED = "尝试次数过多，请15分钟后再试，或到征收工作站重置案件码"


class SignInRefused(Exception):
    pass


def _normal_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _lock_name(id_number: str) -> str:
    return "resident:" + keyed_hash(id_number)[:40]


def new_case_code() -> str:
    code = new_code()
    return f"{code[:4]}-{code[4:]}"


@transaction.atomic
def issue_code(*, by, household: Household) -> str:
    """A new case code for the household (the old one stops working); the only time the code is readable."""
    if not can_change(by) or not scope_households(Household.objects.filter(pk=household.pk), by).exists():
        raise PermissionDenied("无权为该户发放案件码")
    if not household.id_number:
        raise ValidationError(f"{household.number}：台账中没有户主身份证号，无法发放案件码")
    code = new_case_code()
    CaseCode.objects.update_or_create(
        household=household,
        defaults={
            "district_id": household.district_id,
            "code_hash": keyed_hash(_normal_code(code)),
            "issued_by": by,
            "issued_at": timezone.now(),
        },
    )
    lockout.unlock(_lock_name(household.id_number))
    return code


def sign_in(*, id_number: str, code: str, ip: str) -> Household:
    """The household whose owner has this number and whose notice carries this code; SignInRefused otherwise."""
    try:
        number, _ = normalize_id_number(id_number.strip())
    except IdNumberError:
        number = id_number.strip().upper()[:18]
    name = _lock_name(number)
    if lockout.refused(name, ip):
        raise SignInRefused(LOCKED)
    household = (
        Household.objects.filter(id_hash=keyed_hash(number), pk__in=_holders(_normal_code(code)))
        .select_related("project")
        .first()
    )
    if household is None:
        lockout.failed(name, ip)
        raise SignInRefused(LOCKED if lockout.refused(name, ip) else WRONG)
    lockout.succeeded(name)
    trail.record("resident_login", "ledger.household", household.pk, {"ip": ip}, household.district_id)
    return household


def _holders(code: str):
    return CaseCode.objects.filter(code_hash=keyed_hash(code)).values("household_id")


def _issued(household_id: int) -> str:
    issued = CaseCode.objects.filter(household_id=household_id).values_list("issued_at", flat=True).first()
    return issued.isoformat() if issued else ""


def signed_in_household(request) -> Household | None:
    """The session's household, while the code it signed in with is still the household's: a reset code ends the
    sessions opened with the old one. One query reads both the code's issue and the household."""
    pk, issued = request.session.get(SESSION_KEY), request.session.get(ISSUED_KEY)
    if pk is None:
        return None
    code = CaseCode.objects.select_related("household__project", "household__street").filter(household_id=pk).first()
    if code is None or issued != code.issued_at.isoformat():
        request.session.flush()
        return None
    return code.household


def start_session(request, household: Household) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = household.pk
    request.session[ISSUED_KEY] = _issued(household.pk)


def end_session(request) -> None:
    request.session.flush()
