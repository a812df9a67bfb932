"""Payments: posted once, never edited, reversed when wrong; never more than the agreement owes.
And the rule 先补偿、后搬迁: nobody is moved out before being paid."""

import hashlib
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from gaizao.compensation.models import Agreement, AgreementStatus, Payment, PaymentKind
from gaizao.core.models import Evidence
from gaizao.core.money import money
from gaizao.ledger.models import EventKind, Household, HouseholdEvent
from gaizao.ledger.services import require_change
from gaizao.ledger.stages import Stage
from gaizao.ledger.tally import recounted


def paid(agreement: Agreement, kind: str | None = None) -> Decimal:
    payments = agreement.payments.all() if kind is None else agreement.payments.filter(kind=kind)
    return money(payments.aggregate(total=Sum("amount"))["total"] or 0)  # SQLite's SUM drops the two places


def owed(agreement: Agreement) -> Decimal:
    """What the household is to receive: the positive total (a swap household that pays owes, not is owed)."""
    return max(agreement.total, Decimal(0))


def temporary_fee(agreement: Agreement) -> Decimal:
    return sum(
        (Decimal(line["amount"]) for line in agreement.lines if line["name"] == "temporary_resettlement"), Decimal(0)
    )


KEY_BASE_LENGTH = 48


def _key(agreement: Agreement, kind: str, payee: str, account: str, amount: Decimal, paid_on: date) -> str:
    natural = f"{agreement.pk}|{kind}|{payee}|{account}|{amount}|{paid_on.isoformat()}"
    return hashlib.sha256(natural.encode()).hexdigest()


def _event(payment: Payment, by, note: str) -> None:
    HouseholdEvent.objects.create(
        household_id=payment.household_id,
        project_id=payment.agreement.project_id,
        district_id=payment.district_id,
        kind=EventKind.PAYMENT,
        at=timezone.now(),
        by=by,
        note=note,
        evidence=payment.voucher,
        changes={"amount": [None, str(payment.amount)]},
    )


@transaction.atomic
def payment_post(
    *,
    by,
    agreement: Agreement,
    amount: Decimal,
    paid_on: date,
    payee: str,
    account: str,
    kind: str = PaymentKind.COMPENSATION,
    voucher: Evidence | None = None,
    request_key: str = "",
) -> Payment:
    """Stores a payment once: submitted twice (the same request key, or the same payment), it is the same row."""
    agreement = Agreement.objects.select_for_update().select_related("household").get(pk=agreement.pk)
    require_change(by, agreement.household)
    # A form's key is scoped to its agreement; without one, the payment's own details are the key, and a
    # payment posted again after its reversal is a new payment.
    base = (
        f"{agreement.pk}:{request_key}"
        if request_key
        else _key(agreement, kind, payee.strip(), account.strip(), amount, paid_on)
    )
    if len(base) > KEY_BASE_LENGTH:  # room for "#n", the number of a payment posted again after reversals
        base = hashlib.sha256(base.encode()).hexdigest()[:KEY_BASE_LENGTH]
    same = Q(request_key=base) | Q(request_key__startswith=f"{base}#")
    existing = Payment.objects.filter(same, agreement=agreement).order_by("-id")
    latest = existing.first()
    if latest is not None and not hasattr(latest, "reversal"):
        return latest
    key = f"{base}#{existing.count()}" if latest is not None else base
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError("只能按已签订的协议支付")
    if amount <= 0:
        raise ValidationError("支付金额应大于零")
    if kind not in PaymentKind.values:
        raise ValidationError(f"款项“{kind}”无效")
    if not payee.strip() or not account.strip() or len(payee.strip()) > 50 or len(account.strip()) > 40:
        raise ValidationError("须写明收款人（50字以内）和收款账号（40字以内）")
    already = paid(agreement)
    if kind == PaymentKind.TEMPORARY:
        # A swap household may owe for its flat and still be due its temporary-resettlement fee.
        fee, done = temporary_fee(agreement), paid(agreement, PaymentKind.TEMPORARY)
        if done + amount > fee:
            raise ValidationError(f"临时安置费累计 {done + amount} 元，超过协议约定的 {fee} 元")
    elif already + amount > owed(agreement):
        raise ValidationError(
            f"支付后累计 {already + amount} 元，超过协议应付的 {owed(agreement)} 元（已付 {already} 元）"
        )
    with recounted([agreement.household_id]):
        payment = Payment.objects.create(
            agreement=agreement,
            household_id=agreement.household_id,
            district_id=agreement.district_id,
            kind=kind,
            payee=payee.strip(),
            account=account.strip(),
            amount=amount,
            paid_on=paid_on,
            voucher=voucher,
            request_key=key,
            posted_by=by,
        )
    _event(payment, by, f"支付{payment.get_kind_display()} {amount} 元给 {payment.payee}（累计 {already + amount} 元）")
    return payment


@transaction.atomic
def payment_reverse(*, by, payment: Payment, reason: str) -> Payment:
    payment = Payment.objects.select_for_update().select_related("agreement", "household").get(pk=payment.pk)
    require_change(by, payment.household)
    if payment.reverses_id is not None:
        raise ValidationError("冲销记录本身不能再冲销")
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError("该支付已冲销")
    if payment.kind == PaymentKind.VOUCHER:
        raise ValidationError("房票记账不能冲销：房票按有效期使用或到期兑付")
    if not reason.strip():
        raise ValidationError("冲销须写明理由")
    household = payment.household
    if household.stage in (Stage.VACATED, Stage.DEMOLISHED):
        raise ValidationError(f"该户已{household.get_stage_display()}，支付不能冲销；请补付或走更正程序")
    with recounted([household.pk]):
        reversal = Payment.objects.create(
            agreement=payment.agreement,
            household=household,
            district_id=payment.district_id,
            kind=payment.kind,
            payee=payment.payee,
            account=payment.account,
            amount=-payment.amount,
            paid_on=timezone.localdate(),
            request_key=f"reversal-{payment.pk}",
            reverses=payment,
            reason=reason.strip(),
            posted_by=by,
        )
    _event(reversal, by, f"冲销支付 {payment.amount} 元：{reason.strip()}")
    return reversal


def moving_refusal(household: Household) -> str | None:
    """先补偿、后搬迁: why the household may not be marked vacated or demolished yet, or None.

    Paid in full for money or a voucher; for a swap, the temporary-resettlement fee paid. A compensation
    decision (补偿决定) lets the move go ahead: the law's route when no agreement was reached."""
    if household.decisions.filter(published_on__lte=timezone.localdate()).exists():
        return None
    if household.stage == Stage.DECIDED:
        return "补偿决定尚未登记或尚未公布，不能腾空、拆除"
    agreement = household.agreements.filter(status=AgreementStatus.SIGNED).first()
    if agreement is None:
        return "没有已签订的补偿协议或补偿决定，不能腾空、拆除（先补偿、后搬迁）"
    if agreement.choice == "swap":
        fee, done = temporary_fee(agreement), paid(agreement, PaymentKind.TEMPORARY)
        if done < fee:
            return f"临时安置费 {fee} 元尚未付清（已付 {done} 元），不能腾空、拆除（先补偿、后搬迁）"
        return None
    due, done = owed(agreement), paid(agreement)
    if done < due:
        return f"补偿款 {due} 元尚未付清（已付 {done} 元），不能腾空、拆除（先补偿、后搬迁）"
    return None
