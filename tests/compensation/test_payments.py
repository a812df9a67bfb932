"""Payments and 先补偿、后搬迁: posted once, reversed not edited, never more than owed, nobody moved unpaid."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gaizao.compensation.agreements import agreement_draft, agreement_sign
from gaizao.compensation.models import Payment, PaymentKind
from gaizao.compensation.payments import paid, payment_post, payment_reverse
from gaizao.core.evidence import evidence_create
from gaizao.ledger.models import HouseholdEvent
from gaizao.ledger.services import household_transition


def signed(world, **overrides):
    values = {"choice": "货币补偿", "moving_deadline": date(2026, 9, 30), "planned_signing": date(2026, 8, 3)}
    agreement = agreement_draft(by=world.alice.user, household=world.house_a, **(values | overrides))
    return agreement_sign(by=world.alice.user, agreement=agreement, signed_on=date(2026, 8, 3), address="征收办")


def pay(world, agreement, amount, **overrides):
    values = {"paid_on": date(2026, 8, 10), "payee": "张三明", "account": "6222020200112233445"}
    return payment_post(by=world.alice.user, agreement=agreement, amount=Decimal(amount), **(values | overrides))


def photo(world):
    return evidence_create(by=world.alice.user, upload=SimpleUploadedFile("腾空.jpg", b"\xff\xd8\xff\xe0photo"))


def test_a_payment_is_recorded_with_its_event(appraised):
    agreement = signed(appraised)
    payment = pay(appraised, agreement, "300000.00")
    assert payment.amount == Decimal("300000.00") and paid(agreement) == Decimal("300000.00")
    event = HouseholdEvent.objects.get(household=appraised.house_a, kind="payment")
    assert "300000.00" in event.note


def test_the_same_payment_submitted_twice_is_stored_once(appraised):
    agreement = signed(appraised)
    first = pay(appraised, agreement, "1000.00")
    again = pay(appraised, agreement, "1000.00")
    keyed = pay(appraised, agreement, "1000.00", request_key="form-7f3a")
    keyed_again = pay(appraised, agreement, "1000.00", request_key="form-7f3a")
    assert first.pk == again.pk and keyed.pk == keyed_again.pk
    assert Payment.objects.count() == 2


@pytest.mark.parametrize("request_key", ["", "form-7f3a"])
def test_a_payment_posted_again_after_each_reversal_is_new_each_time_and_replays_stay_single(appraised, request_key):
    agreement = signed(appraised)
    for round in range(3):
        posted = pay(appraised, agreement, "1000.00", request_key=request_key)
        assert pay(appraised, agreement, "1000.00", request_key=request_key).pk == posted.pk
        if round < 2:
            payment_reverse(by=appraised.alice.user, payment=posted, reason=f"第 {round + 1} 次退回")
    assert paid(agreement) == Decimal("1000.00")
    assert Payment.objects.filter(amount__gt=0).count() == 3


def test_total_paid_never_exceeds_what_is_owed(appraised):
    agreement = signed(appraised)  # 638700.00
    pay(appraised, agreement, "638000.00")
    with pytest.raises(ValidationError, match="超过协议应付的 638700.00 元"):
        pay(appraised, agreement, "700.01")
    assert paid(agreement) == Decimal("638000.00")


def test_a_payment_is_never_edited_only_reversed_with_a_reason(appraised):
    agreement = signed(appraised)
    wrong = pay(appraised, agreement, "5000.00", account="6222000000000000000")
    with pytest.raises(ValidationError, match="须写明理由"):
        payment_reverse(by=appraised.alice.user, payment=wrong, reason="")
    reversal = payment_reverse(by=appraised.alice.user, payment=wrong, reason="账号填错")
    assert reversal.amount == Decimal("-5000.00") and paid(agreement) == 0
    with pytest.raises(ValidationError, match="已冲销"):
        payment_reverse(by=appraised.alice.user, payment=wrong, reason="再次")


def test_bad_payments_are_refused(appraised):
    agreement = signed(appraised)
    with pytest.raises(ValidationError, match="应大于零"):
        pay(appraised, agreement, "-1")
    with pytest.raises(ValidationError, match="收款人（50字以内）和收款账号"):
        pay(appraised, agreement, "10", account=" ")


def test_nobody_is_moved_out_before_being_paid(appraised):
    agreement = signed(appraised)
    with pytest.raises(ValidationError, match="补偿款 638700.00 元尚未付清（已付 0.00 元）"):
        household_transition(
            by=appraised.alice.user, household=appraised.house_a, stage="vacated", evidence=photo(appraised)
        )
    pay(appraised, agreement, "638700.00")
    household_transition(
        by=appraised.alice.user, household=appraised.house_a, stage="vacated", evidence=photo(appraised)
    )
    appraised.house_a.refresh_from_db()
    assert appraised.house_a.stage == "vacated"


def test_a_swap_household_moves_once_its_temporary_fee_is_paid(appraised):
    agreement = signed(
        appraised, choice="产权调换", flat_area=Decimal(90), flat_price=Decimal(5000), transition_months=12
    )
    fee = next(Decimal(line["amount"]) for line in agreement.lines if line["name"] == "temporary_resettlement")
    assert fee == Decimal("14400.00")  # 100 ㎡ × 12 × 12 months
    with pytest.raises(ValidationError, match="临时安置费 14400.00 元尚未付清"):
        household_transition(
            by=appraised.alice.user, household=appraised.house_a, stage="vacated", evidence=photo(appraised)
        )
    pay(appraised, agreement, "14400.00", kind=PaymentKind.TEMPORARY)
    household_transition(
        by=appraised.alice.user, household=appraised.house_a, stage="vacated", evidence=photo(appraised)
    )


def test_a_paid_household_cannot_have_its_payment_reversed_after_vacating(appraised):
    agreement = signed(appraised)
    payment = pay(appraised, agreement, "638700.00")
    household_transition(
        by=appraised.alice.user, household=appraised.house_a, stage="vacated", evidence=photo(appraised)
    )
    with pytest.raises(ValidationError, match="已腾空"):
        payment_reverse(by=appraised.alice.user, payment=payment, reason="误付")
