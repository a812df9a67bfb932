"""Housing vouchers (房票): issued for a voucher agreement and counted as paid; used on listed housing
until they expire; the balance at expiry is cashed out. Never more used than is left."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from gaizao.compensation.models import Agreement, ListedHousing, PaymentKind, Voucher, VoucherUse
from gaizao.compensation.payments import owed, paid, payment_post
from gaizao.core.money import money
from gaizao.ledger.services import require_change


def balance(voucher: Voucher) -> Decimal:
    used = voucher.uses.aggregate(total=Sum("amount"))["total"] or 0
    return money(voucher.amount - used - (voucher.cashed_out or 0))


@transaction.atomic
def voucher_issue(*, by, agreement: Agreement, issued_on: date, valid_until: date) -> Voucher:
    agreement = Agreement.objects.select_for_update().select_related("household", "project").get(pk=agreement.pk)
    require_change(by, agreement.household)
    if agreement.choice != "voucher":
        raise ValidationError("只有选择房票的协议可以开具房票")
    if hasattr(agreement, "voucher"):
        raise ValidationError("该协议已开具房票")
    if valid_until <= issued_on:
        raise ValidationError("房票有效期须晚于开具日期")
    amount = owed(agreement) - paid(agreement)
    if amount <= 0:
        raise ValidationError("协议款项已付清，无需开具房票")
    number = f"{agreement.project.code}-FP-{agreement.sequence_no:05d}"
    payment = payment_post(
        by=by,
        agreement=agreement,
        amount=amount,
        paid_on=issued_on,
        payee=agreement.household.owner_name,
        account=f"房票 {number}",
        kind=PaymentKind.VOUCHER,
        request_key=f"voucher-{agreement.pk}",
    )
    return Voucher.objects.create(
        agreement=agreement, number=number, amount=amount, issued_on=issued_on, valid_until=valid_until, payment=payment
    )


@transaction.atomic
def voucher_use(
    *, by, voucher: Voucher, housing: ListedHousing, flat: str, amount: Decimal, used_on: date
) -> VoucherUse:
    voucher = Voucher.objects.select_for_update().select_related("agreement__household").get(pk=voucher.pk)
    require_change(by, voucher.agreement.household)
    if voucher.agreement.status != "signed":
        raise ValidationError("协议已作废，房票不能使用")
    if used_on > voucher.valid_until:
        raise ValidationError(f"房票已于{voucher.valid_until}到期，不能再使用，只能兑付余额")
    if voucher.cashed_out is not None:
        raise ValidationError("房票余额已兑付")
    if housing.project_id != voucher.agreement.project_id:
        raise ValidationError(f"“{housing}”不在本项目的房票可用房源中")
    if amount <= 0:
        raise ValidationError("使用金额应大于零")
    left = balance(voucher)
    if amount > left:
        raise ValidationError(f"使用 {amount} 元超过房票余额 {left} 元")
    return VoucherUse.objects.create(
        voucher=voucher, housing=housing, flat=flat.strip(), amount=amount, used_on=used_on, by=by
    )


@transaction.atomic
def voucher_cash_out(*, by, voucher: Voucher, on: date) -> Voucher:
    voucher = Voucher.objects.select_for_update().select_related("agreement__household").get(pk=voucher.pk)
    require_change(by, voucher.agreement.household)
    if on <= voucher.valid_until:
        raise ValidationError(f"房票有效期至{voucher.valid_until}，到期后才能兑付余额")
    if voucher.cashed_out is not None:
        raise ValidationError("房票余额已兑付")
    voucher.cashed_out, voucher.cashed_out_on = balance(voucher), on
    voucher.save(update_fields=["cashed_out", "cashed_out_on"])
    return voucher
