"""Housing vouchers (房票): issued once for a voucher agreement and counted as paid; used on listed housing
before they expire, never beyond the balance; the balance is cashed out at expiry."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gaizao.compensation.agreements import agreement_draft, agreement_sign
from gaizao.compensation.models import ListedHousing
from gaizao.compensation.payments import paid
from gaizao.compensation.vouchers import balance, voucher_cash_out, voucher_issue, voucher_use
from gaizao.core.evidence import evidence_create
from gaizao.ledger.services import household_transition


@pytest.fixture
def voucher_agreement(appraised):
    agreement = agreement_draft(
        by=appraised.alice.user,
        household=appraised.house_a,
        choice="房票",
        moving_deadline=date(2026, 9, 30),
        planned_signing=date(2026, 8, 3),
    )
    return agreement_sign(by=appraised.alice.user, agreement=agreement, signed_on=date(2026, 8, 3), address="征收办")


@pytest.fixture
def housing(appraised):
    return ListedHousing.objects.create(project=appraised.project, name="江北新城·熙园", developer="江北城投")


def test_a_voucher_counts_as_paid_and_lets_the_household_move(appraised, voucher_agreement):
    voucher = voucher_issue(
        by=appraised.alice.user, agreement=voucher_agreement, issued_on=date(2026, 8, 5), valid_until=date(2027, 8, 4)
    )
    assert voucher.amount == voucher_agreement.total and paid(voucher_agreement) == voucher_agreement.total
    assert voucher.number == "beizhan-shantytown-FP-00001"
    photo = evidence_create(by=appraised.alice.user, upload=SimpleUploadedFile("腾空.jpg", b"\xff\xd8\xff\xe0photo"))
    household_transition(by=appraised.alice.user, household=appraised.house_a, stage="vacated", evidence=photo)
    with pytest.raises(ValidationError, match="已开具房票"):
        voucher_issue(
            by=appraised.alice.user,
            agreement=voucher_agreement,
            issued_on=date(2026, 8, 5),
            valid_until=date(2027, 8, 4),
        )


def test_a_voucher_is_used_on_listed_housing_up_to_its_balance(appraised, voucher_agreement, housing):
    voucher = voucher_issue(
        by=appraised.alice.user, agreement=voucher_agreement, issued_on=date(2026, 8, 5), valid_until=date(2027, 8, 4)
    )
    voucher_use(
        by=appraised.alice.user,
        voucher=voucher,
        housing=housing,
        flat="3栋1201",
        amount=Decimal("600000.00"),
        used_on=date(2026, 10, 1),
    )
    assert balance(voucher) == voucher.amount - Decimal("600000.00")
    with pytest.raises(ValidationError, match="超过房票余额"):
        voucher_use(
            by=appraised.alice.user,
            voucher=voucher,
            housing=housing,
            flat="车位",
            amount=Decimal("500000"),
            used_on=date(2026, 10, 2),
        )


def test_an_expired_voucher_is_not_used_but_cashed_out(appraised, voucher_agreement, housing):
    voucher = voucher_issue(
        by=appraised.alice.user, agreement=voucher_agreement, issued_on=date(2026, 8, 5), valid_until=date(2027, 8, 4)
    )
    voucher_use(
        by=appraised.alice.user,
        voucher=voucher,
        housing=housing,
        flat="3栋1201",
        amount=Decimal("500000.00"),
        used_on=date(2027, 1, 5),
    )
    with pytest.raises(ValidationError, match="到期后才能兑付"):
        voucher_cash_out(by=appraised.alice.user, voucher=voucher, on=date(2027, 8, 1))
    with pytest.raises(ValidationError, match="已于2027-08-04到期"):
        voucher_use(
            by=appraised.alice.user,
            voucher=voucher,
            housing=housing,
            flat="x",
            amount=Decimal(1),
            used_on=date(2027, 8, 5),
        )
    cashed = voucher_cash_out(by=appraised.alice.user, voucher=voucher, on=date(2027, 8, 10))
    assert cashed.cashed_out == voucher.amount - Decimal("500000.00") and balance(cashed) == 0


def test_only_a_voucher_agreement_gets_a_voucher(appraised):
    agreement = agreement_draft(
        by=appraised.alice.user,
        household=appraised.house_a,
        choice="货币补偿",
        moving_deadline=date(2026, 9, 30),
    )
    with pytest.raises(ValidationError, match="只有选择房票的协议"):
        voucher_issue(
            by=appraised.alice.user, agreement=agreement, issued_on=date(2026, 8, 5), valid_until=date(2027, 8, 4)
        )


def test_the_voucher_is_issued_used_and_shown_on_the_agreement_page(appraised, voucher_agreement, housing):
    from django.urls import reverse

    client = appraised.client(appraised.alice)
    url = reverse("compensation:agreement", args=[voucher_agreement.pk])
    assert "开具房票" in client.get(url).content.decode()
    client.post(
        reverse("compensation:voucher_issue", args=[voucher_agreement.pk]),
        {"issued_on": "2026-08-05", "valid_until": "2027-08-04"},
    )
    client.post(
        reverse("compensation:voucher_use", args=[voucher_agreement.pk]),
        {"housing": housing.pk, "flat": "3栋1201", "amount": "100000", "used_on": "2026-09-01"},
    )
    page = client.get(url).content.decode()
    assert "beizhan-shantytown-FP-00001" in page and "3栋1201" in page and "江北新城·熙园" in page
