"""Pages of the agreement flow: draft, exceptions, signing (with a handwritten signature), documents,
payments, voiding and checking a printed document against the digest of the one signed."""

import base64
import binascii
import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gaizao.audit.recording import revealed
from gaizao.compensation import agreements, appraisal, decisions, payments, selectors, vouchers
from gaizao.compensation.documents import render_docx
from gaizao.compensation.engine.facts import CHOICES
from gaizao.compensation.models import (
    AgencySelection,
    AgreementException,
    AgreementStatus,
    ListedHousing,
    Payment,
    PaymentKind,
)
from gaizao.core.evidence import evidence_create
from gaizao.core.feedback import form_day, run_service, service_result
from gaizao.core.money import to_capital_rmb
from gaizao.ledger.selectors import household_get
from gaizao.ledger.views import household_action
from gaizao.org.access import can_change, can_reveal


def _amount(value: str | None, label: str) -> Decimal:
    """A finite amount with at most two decimal places; anything else is named and refused."""
    text = (value or "").replace(",", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(f"{label}“{value or ''}”不是金额") from error
    if not amount.is_finite() or abs(amount) >= Decimal("1e14") or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}“{value}”不是金额（最多两位小数）")
    return amount


@require_POST
def agreement_draft(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(fetched_by=request.user, pk=pk)
    post = request.POST

    def action():
        return agreements.agreement_draft(
            by=request.user,
            household=household,
            choice=post.get("choice", ""),
            moving_deadline=form_day(post.get("moving_deadline"), "搬迁期限"),
            planned_signing=form_day(post.get("planned_signing"), "拟签约日期")
            if post.get("planned_signing")
            else None,
            flat_area=_amount(post.get("flat_area") or "0", "安置房面积"),
            flat_price=_amount(post.get("flat_price") or "0", "安置房单价"),
            transition_months=int(post.get("transition_months") or 0),
            flat_description=post.get("flat_description", "").strip(),
            transition=post.get("transition", "").strip(),
        )

    if agreement := service_result(request, action):
        return redirect("compensation:agreement", pk=agreement.pk)
    return redirect("ledger:household_detail", pk=household.pk)


def household_agreements(request: HttpRequest, pk: int) -> HttpResponse:
    """The household page's agreements section (loaded by htmx): its agreements and the draft form."""
    household = household_get(fetched_by=request.user, pk=pk)
    listed = list(selectors.household_agreements(household=household))
    live = any(a.status != AgreementStatus.VOID for a in listed)
    may_draft = can_change(request.user) and household.stage == "appraised" and not live
    signing_end = household.project.signing_end
    return render(
        request,
        "compensation/_household_agreements.html",
        {
            "household": household,
            "agreements": listed,
            "decisions": household.decisions.select_related("standard"),
            "may_draft": may_draft,
            "may_decide": may_draft and signing_end is not None and date.today() > signing_end,
            "choices": CHOICES.items(),
            "today": date.today().isoformat(),
            "appraisals": household.appraisals.select_related("agency").prefetch_related("reviews"),
            "agency": AgencySelection.objects.filter(project_id=household.project_id).select_related("agency").first(),
            "freeze_date": household.project.freeze_date.isoformat(),
        },
    )


@require_POST
def appraisal_record(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return household_action(
        request,
        pk,
        lambda household: appraisal.appraisal_record(
            by=request.user,
            household=household,
            house_value=_amount(post.get("house_value"), "房屋价值"),
            valuation_date=form_day(post.get("valuation_date"), "估价时点"),
            delivered_on=form_day(post.get("delivered_on"), "送达日期"),
        ),
    )


@require_POST
def appraisal_review(request: HttpRequest, pk: int, appraisal_id: int) -> HttpResponse:
    def action(household) -> None:
        record = household.appraisals.filter(pk=appraisal_id).first()
        if record is None:
            raise ValidationError("没有该评估")
        appraisal.appraisal_review_request(
            by=request.user,
            appraisal=record,
            requested_on=form_day(request.POST.get("requested_on"), "申请日期"),
            reason=request.POST.get("reason", ""),
        )

    return household_action(request, pk, action)


@require_POST
def decision_make(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return household_action(
        request,
        pk,
        lambda household: decisions.decision_make(
            by=request.user,
            household=household,
            decided_on=form_day(post.get("decided_on"), "决定日期"),
            published_on=form_day(post.get("published_on"), "公布日期"),
            choice=post.get("choice", "money"),
        ),
    )


def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(fetched_by=request.user, pk=pk)
    _full_document(request, decision.household, "补偿决定书 PDF")
    return FileResponse(decision.document.open("rb"), filename=f"补偿决定书-{decision.household.number}.pdf")


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    lines = agreement.lines
    return render(
        request,
        "compensation/agreement.html",
        {
            "agreement": agreement,
            "lines": lines,
            "choice": CHOICES[agreement.choice],
            "capital": to_capital_rmb(agreement.total),
            "exceptions": agreement.exceptions.select_related("drafted_by", "decided_by"),
            "payments": agreement.payments.select_related("posted_by", "reverses"),
            "paid": payments.paid(agreement),
            "owed": payments.owed(agreement),
            "kinds": PaymentKind.choices,
            "can_change": can_change(request.user),
            "is_draft": agreement.status == AgreementStatus.DRAFT,
            "is_signed": agreement.status == AgreementStatus.SIGNED,
            "today": date.today().isoformat(),
            "voucher": getattr(agreement, "voucher", None),
            "voucher_balance": vouchers.balance(agreement.voucher) if hasattr(agreement, "voucher") else None,
            "housing": ListedHousing.objects.filter(project_id=agreement.project_id),
        },
    )


def _agreement_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    run_service(request, lambda: action(agreement))
    return redirect("compensation:agreement", pk=agreement.pk)


@require_POST
def exception_request(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _agreement_action(
        request,
        pk,
        lambda a: agreements.agreement_exception_request(
            by=request.user,
            agreement=a,
            line=post.get("line", ""),
            amount=_amount(post.get("amount"), "金额"),
            reason=post.get("reason", ""),
        ),
    )


@require_POST
def exception_decide(request: HttpRequest, pk: int, exception_id: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"

    def action(agreement) -> None:
        exception = AgreementException.objects.filter(agreement=agreement, pk=exception_id).first()
        if exception is None:
            raise ValidationError("没有该例外")
        agreements.agreement_exception_decide(by=request.user, exception=exception, approve=approve)

    return _agreement_action(request, pk, action)


def _signature(data_url: str) -> bytes | None:
    """The tablet's canvas as a PNG data URL; anything else is refused."""
    if not data_url:
        return None
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError("签名图像无效")
    try:
        png = base64.b64decode(data_url[len(prefix) :], validate=True)
    except binascii.Error as error:
        raise ValidationError("签名图像无效") from error
    if not png.startswith(b"\x89PNG") or len(png) > 2_000_000:
        raise ValidationError("签名图像无效")
    return png


@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _agreement_action(
        request,
        pk,
        lambda a: agreements.agreement_sign(
            by=request.user,
            agreement=a,
            signed_on=form_day(post.get("signed_on"), "签约日期"),
            address=post.get("address", ""),
            signature_png=_signature(post.get("signature", "")),
        ),
    )


@require_POST
def voucher_issue(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _agreement_action(
        request,
        pk,
        lambda a: vouchers.voucher_issue(
            by=request.user,
            agreement=a,
            issued_on=form_day(post.get("issued_on"), "开具日期"),
            valid_until=form_day(post.get("valid_until"), "有效期"),
        ),
    )


@require_POST
def voucher_use(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST

    def action(agreement) -> None:
        housing = ListedHousing.objects.filter(project_id=agreement.project_id, pk=post.get("housing") or 0).first()
        if housing is None or not hasattr(agreement, "voucher"):
            raise ValidationError("请选择房票可用房源")
        vouchers.voucher_use(
            by=request.user,
            voucher=agreement.voucher,
            housing=housing,
            flat=post.get("flat", ""),
            amount=_amount(post.get("amount"), "使用金额"),
            used_on=form_day(post.get("used_on"), "使用日期"),
        )

    return _agreement_action(request, pk, action)


@require_POST
def voucher_cash_out(request: HttpRequest, pk: int) -> HttpResponse:
    def action(agreement) -> None:
        if not hasattr(agreement, "voucher"):
            raise ValidationError("尚未开具房票")
        vouchers.voucher_cash_out(
            by=request.user, voucher=agreement.voucher, on=form_day(request.POST.get("on"), "兑付日期")
        )

    return _agreement_action(request, pk, action)


@require_POST
def agreement_void(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _agreement_action(
        request, pk, lambda a: agreements.agreement_void(by=request.user, agreement=a, reason=reason)
    )


@sensitive_post_parameters("account")  # never in an error report
@require_POST
def payment_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST

    def action(agreement) -> None:
        upload = request.FILES.get("voucher")
        payments.payment_post(
            by=request.user,
            agreement=agreement,
            amount=_amount(post.get("amount"), "金额"),
            paid_on=form_day(post.get("paid_on"), "支付日期"),
            payee=post.get("payee", ""),
            account=post.get("account", ""),
            kind=post.get("kind", PaymentKind.COMPENSATION),
            voucher=evidence_create(by=request.user, upload=upload) if upload else None,
            request_key=post.get("request_key", ""),
        )

    return _agreement_action(request, pk, action)


@require_POST
def payment_reverse(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    def action(agreement) -> None:
        payment = Payment.objects.filter(agreement=agreement, pk=payment_id).first()
        if payment is None:
            raise ValidationError("没有该笔支付")
        payments.payment_reverse(by=request.user, payment=payment, reason=request.POST.get("reason", ""))

    return _agreement_action(request, pk, action)


def _full_document(request: HttpRequest, household, what: str) -> None:
    """The documents carry the full ID number: for whoever handles the case or may reveal, and logged."""
    if not (can_change(request.user) or can_reveal(request.user)):
        raise PermissionDenied("您无权下载含完整身份证号的文书")
    revealed(request.user, what, "household", household.pk, household.district_id)


def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    _full_document(request, agreement.household, "补偿协议 PDF")
    if not agreement.document:
        messages.error(request, "协议尚未签订，没有定稿文本")
        return redirect("compensation:agreement", pk=pk)
    return FileResponse(agreement.document.open("rb"), filename=f"补偿协议-{agreement.sequence_no}.pdf")


def agreement_docx(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    _full_document(request, agreement.household, "补偿协议 Word")
    response = HttpResponse(
        render_docx(agreement), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = "attachment; filename=agreement-%s.docx" % (agreement.sequence_no or "draft")
    return response


@require_POST
def agreement_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone who may see the agreement can check a printed or sent PDF against the digest of the one signed."""
    agreement = selectors.agreement_get(fetched_by=request.user, pk=pk)
    upload = request.FILES.get("document")
    if upload is None or not agreement.document_sha256:
        messages.error(request, "请选择要核对的 PDF 文件（协议须已签订）")
    else:
        digest = hashlib.sha256(b"".join(upload.chunks())).hexdigest()
        if digest == agreement.document_sha256:
            messages.success(request, f"一致：该文件就是签订的协议（SHA-256 {digest}）")
        else:
            messages.error(request, f"不一致：该文件不是签订的协议（其 SHA-256 为 {digest}）")
    return redirect("compensation:agreement", pk=pk)
