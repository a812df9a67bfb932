"""Resettlement flats (安置房) and choosing them: in signing-sequence order or by a public lottery,
one household at a time in that order, and never two households on one flat — the flat is taken by a
conditional UPDATE, so of two clicks at the same moment exactly one wins."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.audit import recording
from gaizao.compensation.engine.lottery import lottery_order
from gaizao.compensation.models import (
    Agreement,
    AgreementStatus,
    ChoosingMethod,
    ChoosingSession,
    Flat,
    FlatState,
)
from gaizao.ledger.models import EventKind, HouseholdEvent
from gaizao.ledger.services import require_change
from gaizao.org.access import is_command_office
from gaizao.projects.models import Project


def swap_agreements(project: Project):
    return Agreement.objects.filter(project=project, status=AgreementStatus.SIGNED, choice="swap").select_related(
        "household"
    )


@transaction.atomic
def choosing_open(*, by, project: Project, method: str, seed: str = "") -> ChoosingSession:
    if not is_command_office(by):
        raise ValidationError("选房由指挥部办公室组织")
    if ChoosingSession.objects.filter(project=project).exists():
        raise ValidationError("本项目的选房已经开始，顺序不能再改")
    if len(seed) > 100:
        raise ValidationError("摇号种子不超过100个字")
    agreements = list(swap_agreements(project).order_by("sequence_no"))
    if not agreements:
        raise ValidationError("还没有选择产权调换并已签约的户")
    numbers = [a.household.number for a in agreements]
    if method == ChoosingMethod.LOTTERY:
        try:
            order = lottery_order(seed, numbers)
        except ValueError as error:
            raise ValidationError(str(error)) from error
    elif method == ChoosingMethod.SEQUENCE:
        order = numbers
    else:
        raise ValidationError(f"选房顺序“{method}”无效")
    return ChoosingSession.objects.create(project=project, method=method, seed=seed.strip(), order=order, opened_by=by)


def next_to_choose(session: ChoosingSession) -> str | None:
    """The first household in the order that has not chosen yet."""
    chosen = set(
        Flat.objects.filter(project_id=session.project_id, agreement__isnull=False).values_list(
            "agreement__household__number", flat=True
        )
    )
    live = set(swap_agreements(session.project).values_list("household__number", flat=True))
    return next((number for number in session.order if number not in chosen and number in live), None)


@transaction.atomic
def flat_choose(*, by, agreement: Agreement, flat: Flat) -> Flat:
    require_change(by, agreement.household)
    # One household's clicks queue here; different households race only for the flat's row below.
    agreement = Agreement.objects.select_for_update().select_related("household").get(pk=agreement.pk)
    if agreement.status != AgreementStatus.SIGNED or agreement.choice != "swap":
        raise ValidationError("只有签订产权调换协议的户可以选房")
    if flat.project_id != agreement.project_id:
        raise ValidationError("不是本项目的安置房")
    agreed_area = Decimal(agreement.circumstances.get("flat_area") or 0)
    if agreed_area and abs(flat.area - agreed_area) > Decimal(1):
        raise ValidationError(f"所选安置房面积 {flat.area}㎡ 与协议约定的 {agreed_area}㎡ 不符，须先变更协议")
    session = ChoosingSession.objects.filter(project_id=agreement.project_id).first()
    if session is None:
        raise ValidationError("选房尚未开始")
    if Flat.objects.filter(agreement=agreement).exists():
        raise ValidationError("该户已经选过房")
    turn = next_to_choose(session)
    if turn != agreement.household.number:
        raise ValidationError(f"还没轮到该户：现在轮到户号“{turn}”")
    taken = Flat.objects.filter(pk=flat.pk, state=FlatState.AVAILABLE, agreement__isnull=True).update(
        state=FlatState.CHOSEN, agreement=agreement, chosen_at=timezone.now()
    )
    if taken != 1:
        raise ValidationError(f"{flat} 已被其他户选定，请另选")
    recording.updated(Flat, flat.pk)
    HouseholdEvent.objects.create(
        household_id=agreement.household_id,
        project_id=agreement.project_id,
        district_id=agreement.district_id,
        kind=EventKind.AGREEMENT,
        at=timezone.now(),
        by=by,
        note=f"选定安置房 {flat}",
    )
    return Flat.objects.get(pk=flat.pk)
