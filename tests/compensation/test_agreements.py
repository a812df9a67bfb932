"""Agreements: drafted from the standard in force, exceptions approved by a second official, signed once
with a sequence number, printed as PDF and Word, voided only with a reason."""

import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from gaizao.compensation.agreements import (
    agreement_draft,
    agreement_exception_decide,
    agreement_exception_request,
    agreement_sign,
    agreement_void,
)
from gaizao.compensation.documents import render_docx
from gaizao.compensation.models import AgreementStatus
from gaizao.ledger.models import HouseholdEvent

SHANTYTOWN = Path(__file__).resolve().parents[2] / "src/gaizao/compensation/examples/shantytown-state-land.toml"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def draft(world, **overrides):
    values = {"choice": "货币补偿", "moving_deadline": date(2026, 9, 30), "planned_signing": date(2026, 8, 3)}
    return agreement_draft(by=world.alice.user, household=world.house_a, **(values | overrides))


def test_a_draft_freezes_the_standard_facts_and_lines(appraised):
    agreement = draft(appraised)
    lines = {line["name"]: Decimal(line["amount"]) for line in agreement.lines}
    assert lines["house_value"] == Decimal("600000.00") and lines["signing_reward"] == Decimal("30000.00")
    assert agreement.total == Decimal("638700.00")  # 600000 + 1500 + 7200 + 30000
    assert agreement.facts["persons"] == 3 and agreement.standard.version == "2026-1"
    assert HouseholdEvent.objects.filter(household=appraised.house_a, kind="agreement").count() == 1


def test_a_draft_needs_an_appraised_household_and_a_published_standard(appraised):
    with pytest.raises(ValidationError, match="须在“已评估”后起草协议"):
        agreement_draft(
            by=appraised.bob.user, household=appraised.house_b, choice="货币补偿", moving_deadline=date(2026, 9, 30)
        )


def test_a_swap_needs_the_flat(appraised):
    with pytest.raises(ValidationError, match="产权调换须写明安置房面积和单价"):
        draft(appraised, choice="产权调换")


def test_one_live_agreement_per_household(appraised):
    draft(appraised)
    with pytest.raises(ValidationError, match="已有草拟或已签订的协议"):
        draft(appraised)


def test_an_exception_needs_a_reason_and_a_second_official(appraised):
    agreement = draft(appraised)
    with pytest.raises(ValidationError, match="须写明理由"):
        agreement_exception_request(
            by=appraised.alice.user, agreement=agreement, line="relocation", amount=Decimal(3000), reason=" "
        )
    exception = agreement_exception_request(
        by=appraised.alice.user,
        agreement=agreement,
        line="relocation",
        amount=Decimal("3000.00"),
        reason="大型设备搬迁",
    )
    with pytest.raises(ValidationError, match="提出人以外的人审批"):
        agreement_exception_decide(by=appraised.alice.user, exception=exception, approve=True)
    with pytest.raises(ValidationError, match="待审批的例外"):
        agreement_sign(
            by=appraised.alice.user, agreement=agreement, signed_on=date(2026, 8, 3), address="城关街道征收办"
        )
    agreement_exception_decide(by=appraised.olivia.user, exception=exception, approve=True)
    agreement.refresh_from_db()
    assert agreement.total == Decimal("640200.00")  # relocation 1500 → 3000
    assert agreement.standard_total == Decimal("638700.00")


def test_signing_numbers_prints_digests_and_moves_the_household(appraised, settings):
    agreement = draft(appraised)
    signed = agreement_sign(
        by=appraised.alice.user,
        agreement=agreement,
        signed_on=date(2026, 8, 20),
        address="城关街道征收办",
        signature_png=PNG,
    )
    assert signed.status == AgreementStatus.SIGNED and signed.sequence_no == 1
    # signed on day 20: the reward falls to the 16–30 tier
    assert {line["name"]: line["amount"] for line in signed.lines}["signing_reward"] == "20000.00"
    pdf = signed.document.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == signed.document_sha256
    appraised.house_a.refresh_from_db()
    assert appraised.house_a.stage == "signed" and appraised.house_a.choice == "money"
    stage_event = HouseholdEvent.objects.get(
        household=appraised.house_a, kind="stage", changes__stage=["appraised", "signed"]
    )
    assert stage_event.evidence.sha256 == signed.document_sha256


def test_the_pdf_shows_the_total_in_capitals(appraised):
    import subprocess

    signed = agreement_sign(
        by=appraised.alice.user, agreement=draft(appraised), signed_on=date(2026, 8, 3), address="征收办"
    )
    text = subprocess.run(["pdftotext", "-", "-"], input=signed.document.read(), capture_output=True).stdout.decode()
    assert "陆拾叁万捌仟柒佰元整" in text and "签约顺序号：1" in text


def test_the_word_document_is_filled_from_the_template(appraised):
    from docx import Document

    signed = agreement_sign(
        by=appraised.alice.user, agreement=draft(appraised), signed_on=date(2026, 8, 3), address="征收办"
    )
    document = Document(io.BytesIO(render_docx(signed)))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "张三明" in text and "11010519491231002X" in text and "陆拾叁万捌仟柒佰元整" in text
    assert "被征收房屋价值补偿" in text and "600,000.00" in text and "{{" not in text


def test_sequence_numbers_follow_signing_order_and_are_never_reused(appraised):
    first = agreement_sign(
        by=appraised.alice.user, agreement=draft(appraised), signed_on=date(2026, 8, 3), address="征收办"
    )
    agreement_void(by=appraised.olivia.user, agreement=first, reason="户主身份有误，重新签订")
    appraised.house_a.refresh_from_db()
    assert appraised.house_a.stage == "appraised"
    second = agreement_sign(
        by=appraised.alice.user, agreement=draft(appraised), signed_on=date(2026, 8, 4), address="征收办"
    )
    assert second.sequence_no == 2


def test_voiding_needs_a_reason(appraised):
    with pytest.raises(ValidationError, match="作废须写明理由"):
        agreement_void(by=appraised.alice.user, agreement=draft(appraised), reason="")


def test_a_signed_agreement_cannot_be_signed_again(appraised):
    signed = agreement_sign(
        by=appraised.alice.user, agreement=draft(appraised), signed_on=date(2026, 8, 3), address="征收办"
    )
    with pytest.raises(ValidationError, match="不能再签"):
        agreement_sign(by=appraised.alice.user, agreement=signed, signed_on=date(2026, 8, 3), address="征收办")


def test_an_official_out_of_scope_cannot_draft(appraised):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        agreement_draft(
            by=appraised.bob.user, household=appraised.house_a, choice="货币补偿", moving_deadline=date(2026, 9, 30)
        )
