"""The rules that keep money and personal data safe, each shown failing the way a careless path would."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.compensation.agreements import agreement_draft, agreement_sign, agreement_void
from gaizao.compensation.flats import choosing_open, next_to_choose
from gaizao.compensation.models import Payment, PaymentKind
from gaizao.compensation.payments import paid, payment_post, payment_reverse
from gaizao.compensation.vouchers import voucher_issue
from gaizao.core.models import SensitiveAccess
from gaizao.ledger.services import member_create


def signed(world, **overrides):
    values = {"choice": "货币补偿", "moving_deadline": date(2026, 9, 30), "planned_signing": date(2026, 8, 3)}
    agreement = agreement_draft(by=world.alice.user, household=world.house_a, **(values | overrides))
    return agreement_sign(by=world.alice.user, agreement=agreement, signed_on=date(2026, 8, 3), address="征收办")


def pay(world, agreement, amount, **overrides):
    values = {"paid_on": date(2026, 8, 10), "payee": "张三明", "account": "6222020200112233445"}
    return payment_post(by=world.alice.user, agreement=agreement, amount=Decimal(amount), **(values | overrides))


def test_a_paid_agreement_cannot_be_voided_until_its_payments_are_reversed(appraised):
    agreement = signed(appraised)
    payment = pay(appraised, agreement, "1000.00")
    with pytest.raises(ValidationError, match="须先冲销全部支付"):
        agreement_void(by=appraised.olivia.user, agreement=agreement, reason="重签")
    payment_reverse(by=appraised.alice.user, payment=payment, reason="误付")
    agreement_void(by=appraised.olivia.user, agreement=agreement, reason="重签")


def test_a_payment_posted_again_after_its_reversal_is_a_new_payment(appraised):
    agreement = signed(appraised)
    first = pay(appraised, agreement, "1000.00")
    payment_reverse(by=appraised.alice.user, payment=first, reason="账号错")
    again = pay(appraised, agreement, "1000.00")
    assert again.pk != first.pk and paid(agreement) == Decimal("1000.00")


def test_a_form_key_belongs_to_its_agreement(appraised):
    agreement = signed(appraised)
    one = pay(appraised, agreement, "10.00", request_key="reversal-1")
    assert pay(appraised, agreement, "10.00", request_key="reversal-1").pk == one.pk
    payment_reverse(by=appraised.alice.user, payment=one, reason="测试")  # its own reversal key does not collide


def test_a_voucher_payment_is_never_reversed(appraised):
    agreement = signed(appraised, choice="房票")
    voucher = voucher_issue(
        by=appraised.alice.user, agreement=agreement, issued_on=date(2026, 8, 5), valid_until=date(2027, 8, 4)
    )
    with pytest.raises(ValidationError, match="房票记账不能冲销"):
        payment_reverse(by=appraised.alice.user, payment=voucher.payment, reason="改付现金")


def test_a_swap_household_that_owes_for_its_flat_still_gets_its_temporary_fee(appraised):
    agreement = signed(
        appraised, choice="产权调换", flat_area=Decimal(160), flat_price=Decimal(9000), transition_months=12
    )
    assert agreement.total < 0
    payment = pay(appraised, agreement, "14400.00", kind=PaymentKind.TEMPORARY)  # 100 ㎡ × 12 × 12
    assert payment.amount == Decimal("14400.00")
    with pytest.raises(ValidationError, match="超过协议约定的 14400.00 元"):
        pay(appraised, agreement, "1.00", kind=PaymentKind.TEMPORARY, paid_on=date(2026, 8, 11))


def test_signing_in_the_future_is_refused(appraised):
    agreement = agreement_draft(
        by=appraised.alice.user, household=appraised.house_a, choice="货币补偿", moving_deadline=date(2026, 9, 30)
    )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        agreement_sign(
            by=appraised.alice.user, agreement=agreement, signed_on=date.today() + timedelta(days=3), address="征收办"
        )


def test_an_amount_that_is_not_money_is_refused_on_the_page(appraised):
    agreement = signed(appraised)
    client = appraised.client(appraised.alice)
    for amount in ("NaN", "0.004", "1e400"):
        page = client.post(
            reverse("compensation:payment_post", args=[agreement.pk]),
            {"kind": "compensation", "amount": amount, "payee": "张三明", "account": "6222", "paid_on": "2026-08-10"},
            follow=True,
        ).content.decode()
        assert "不是金额" in page, amount
    assert not Payment.objects.exists()


def test_documents_with_the_full_id_are_for_the_case_handlers_and_logged(appraised):
    agreement = signed(appraised)
    url = reverse("compensation:agreement_docx", args=[agreement.pk])
    assert appraised.client(appraised.lee).get(url).status_code == 403  # a leader reads, without the full ID
    assert appraised.client(appraised.alice).get(url).status_code == 200
    assert SensitiveAccess.objects.filter(user=appraised.alice.user, what="补偿协议 Word").count() == 1


def test_the_id_search_takes_the_last_four_digits_or_the_whole_number(world):
    client = world.client(world.olivia)
    found = lambda q: [r["number"] for r in client.get(reverse("api:households"), {"q": q}).json()["results"]]  # noqa: E731
    assert found("002X") == ["A001"] and found("11010519491231002X") == ["A001"]
    assert found("91231002X") == []  # a longer tail would let the masked digits be guessed


def test_evidence_that_is_not_an_image_or_pdf_is_downloaded_not_shown(world):
    client = world.client(world.alice)
    upload = SimpleUploadedFile("x.docx", b"PK\x03\x04<script>alert(1)</script>", content_type="text/html")
    client.post(reverse("ledger:household_evidence", args=[world.house_a.pk]), {"evidence": upload, "note": "x"})
    event = world.house_a.events.get(kind="evidence")
    response = client.get(reverse("ledger:evidence", args=[event.evidence_id]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and response["Content-Security-Policy"] == "sandbox"


def test_the_household_page_shows_a_member_just_added(world):
    member_create(by=world.alice.user, household=world.house_a, name="张小明", relation="子")
    page = world.client(world.alice).get(reverse("ledger:household_detail", args=[world.house_a.pk]))
    assert page.status_code == 200 and "家庭成员：空 → 张小明" in page.content.decode()


def test_only_the_command_office_opens_the_choosing(appraised):
    signed(appraised, choice="产权调换", flat_area=Decimal(90), flat_price=Decimal(5000), transition_months=12)
    with pytest.raises(ValidationError, match="由指挥部办公室组织"):
        choosing_open(by=appraised.alice.user, project=appraised.project, method="sequence")
    session = choosing_open(by=appraised.olivia.user, project=appraised.project, method="sequence")
    assert next_to_choose(session) == "A001"


def test_the_schema_is_behind_the_login(db, client):
    assert client.get(reverse("api:schema")).status_code in (401, 403)
