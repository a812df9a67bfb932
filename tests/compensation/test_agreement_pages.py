"""The agreement flow on the pages: draft from the household page, sign with a handwritten signature,
record a payment, download the documents, check a PDF against the digest; nothing outside one's scope."""

import base64
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.compensation.models import Agreement, AgreementStatus

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def draft_on_the_page(world, **fields):
    client = world.client(world.alice)
    data = {"choice": "money", "moving_deadline": "2026-09-30", "planned_signing": "2026-08-03"} | fields
    return client, client.post(reverse("compensation:agreement_draft", args=[world.house_a.pk]), data, follow=True)


def test_the_household_page_offers_a_draft_once_appraised(appraised):
    url = reverse("compensation:household_agreements", args=[appraised.house_a.pk])
    page = appraised.client(appraised.alice).get(url).content.decode()
    assert "起草补偿协议" in page and "尚无补偿协议" in page
    assert "起草补偿协议" not in appraised.client(appraised.lee).get(url).content.decode()  # a leader reads only


def test_drafting_signing_and_paying_on_the_pages(appraised):
    client, response = draft_on_the_page(appraised)
    agreement = Agreement.objects.get(household=appraised.house_a)
    assert response.redirect_chain[-1][0] == reverse("compensation:agreement", args=[agreement.pk])
    page = response.content.decode()
    assert "638700.00" in page and "陆拾叁万捌仟柒佰元整" in page and "被征收房屋价值补偿" in page
    signature = "data:image/png;base64," + base64.b64encode(PNG).decode()
    page = client.post(
        reverse("compensation:agreement_sign", args=[agreement.pk]),
        {"signed_on": "2026-08-03", "address": "城关街道征收办", "signature": signature},
        follow=True,
    ).content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.signature
    assert "签约顺序号 1" in page and agreement.document_sha256 in page
    page = client.post(
        reverse("compensation:payment_post", args=[agreement.pk]),
        {
            "kind": "compensation",
            "amount": "638,700.00",
            "payee": "张三明",
            "account": "6222020200112233445",
            "paid_on": "2026-08-10",
            "request_key": "k1",
        },
        follow=True,
    ).content.decode()
    assert "638700.00</b> / 638700.00" in page


def test_a_refusal_is_shown_on_the_page(appraised):
    _, response = draft_on_the_page(appraised, moving_deadline="2026-13-40")
    assert "搬迁期限“2026-13-40”不是日期" in response.content.decode()
    assert not Agreement.objects.exists()


def test_documents_download_and_a_pdf_is_checked_against_its_digest(appraised):
    client, _ = draft_on_the_page(appraised)
    agreement = Agreement.objects.get()
    client.post(
        reverse("compensation:agreement_sign", args=[agreement.pk]), {"signed_on": "2026-08-03", "address": "征收办"}
    )
    agreement.refresh_from_db()
    pdf = b"".join(client.get(reverse("compensation:agreement_pdf", args=[agreement.pk])).streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == agreement.document_sha256
    docx = client.get(reverse("compensation:agreement_docx", args=[agreement.pk]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    verify = reverse("compensation:agreement_verify", args=[agreement.pk])
    same = client.post(verify, {"document": SimpleUploadedFile("a.pdf", pdf)}, follow=True).content.decode()
    assert "一致：该文件就是签订的协议" in same
    forged = client.post(verify, {"document": SimpleUploadedFile("a.pdf", pdf + b"x")}, follow=True).content.decode()
    assert "不一致" in forged


def test_a_signature_that_is_not_a_png_is_refused(appraised):
    client, _ = draft_on_the_page(appraised)
    agreement = Agreement.objects.get()
    page = client.post(
        reverse("compensation:agreement_sign", args=[agreement.pk]),
        {"signed_on": "2026-08-03", "address": "征收办", "signature": "data:text/html;base64,PHNjcmlwdD4="},
        follow=True,
    ).content.decode()
    assert "签名图像无效" in page
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


@pytest.mark.parametrize("persona, status", [("alice", 200), ("olivia", 200), ("ivy", 200), ("bob", 404), ("pat", 404)])
def test_the_agreement_page_follows_the_households_scope(appraised, persona, status):
    draft_on_the_page(appraised)
    agreement = Agreement.objects.get()
    client = appraised.client(getattr(appraised, persona))
    assert client.get(reverse("compensation:agreement", args=[agreement.pk])).status_code == status
    assert client.get(reverse("compensation:agreement_docx", args=[agreement.pk])).status_code == status
