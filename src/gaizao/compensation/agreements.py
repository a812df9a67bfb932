"""Agreements (补偿协议): drafted from the standard in force, exceptions approved by a second official,
signed with a sequence number issued once, voided only with a reason. Each step is an event of the household."""

import hashlib
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gaizao.audit import recording
from gaizao.compensation.appraisal import appraised_value
from gaizao.compensation.engine.compute import ComputeError, Result, compute, shown
from gaizao.compensation.engine.facts import CHOICES, Circumstances, HouseholdFacts, choice_code
from gaizao.compensation.engine.standard import StandardError, load
from gaizao.compensation.ledger_facts import facts_for
from gaizao.compensation.models import Agreement, AgreementException, AgreementStatus, ExceptionStatus
from gaizao.compensation.payments import paid
from gaizao.compensation.services import standard_in_force
from gaizao.core.evidence import evidence_create
from gaizao.core.feedback import plain
from gaizao.ledger.models import EventKind, Household, HouseholdEvent
from gaizao.ledger.services import dated, household_transition, require_change
from gaizao.ledger.stages import Stage
from gaizao.ledger.tally import recounted
from gaizao.projects.models import Project


def lines_json(result: Result, approved: dict[str, Decimal]) -> list[dict]:
    return [
        {
            "name": line.name,
            "label": line.label,
            "standard_amount": str(line.amount),
            "amount": str(approved.get(line.name, line.amount)),
            "formula": line.formula,
            "inputs": {k: plain(shown(v)) for k, v in line.inputs.items()},
            "rule": line.rule,
            "note": line.note,
            "in_total": line.in_total,
        }
        for line in result.lines
    ]


def total_of(lines: list[dict]) -> Decimal:
    return sum((Decimal(line["amount"]) for line in lines if line["in_total"]), Decimal(0))


def facts_json(facts: HouseholdFacts) -> dict:
    return {
        "persons": facts.persons,
        "groups": facts.groups,
        "properties": [{k: plain(v) for k, v in p._asdict().items()} for p in facts.properties],
    }


def _event(agreement: Agreement, by, note: str, changes: dict | None = None) -> None:
    HouseholdEvent.objects.create(
        household_id=agreement.household_id,
        project_id=agreement.project_id,
        district_id=agreement.district_id,
        kind=EventKind.AGREEMENT,
        at=timezone.now(),
        by=by,
        changes=changes or {},
        note=note,
    )


def compute_or_refuse(standard_source: str, facts: HouseholdFacts, when: Circumstances) -> Result:
    try:
        return compute(load(standard_source), facts, when)
    except (StandardError, ComputeError) as error:
        raise ValidationError(str(error)) from error


def refuse_below_appraisal(household: Household, result: Result) -> None:
    """The house is never paid below its appraisal (Art. 19): the standard's house-value line is checked."""
    floor = appraised_value(household)
    values = [line.amount for line in result.lines if line.name == "house_value"]
    if floor is not None and values and values[0] < floor:
        raise ValidationError(
            f"按方案计算的房屋价值 {values[0]} 元低于分户评估的 {floor} 元（条例第十九条），请核对台账中的评估数据"
        )


def circumstances_for(project: Project, choice: str, signed_on: date | None, data: dict) -> Circumstances:
    return Circumstances(
        choice=choice,
        signed_on=signed_on,
        vacated_on=date.fromisoformat(data["vacated_on"]) if data.get("vacated_on") else None,
        signing_start=project.signing_start,
        signing_end=project.signing_end,
        flat_area=Decimal(data.get("flat_area") or 0),
        flat_price=Decimal(data.get("flat_price") or 0),
        transition_months=int(data.get("transition_months") or 0),
    )


@transaction.atomic
def agreement_draft(
    *,
    by,
    household: Household,
    choice: str,
    moving_deadline: date,
    planned_signing: date | None = None,
    flat_area: Decimal = Decimal(0),
    flat_price: Decimal = Decimal(0),
    transition_months: int = 0,
    flat_description: str = "",
    transition: str = "",
    payment_days: int = 30,
) -> Agreement:
    require_change(by, household)
    household = Household.objects.select_for_update().select_related("project").get(pk=household.pk)
    if household.stage != Stage.APPRAISED:
        raise ValidationError(f"该户处于“{household.get_stage_display()}”，须在“已评估”后起草协议")
    if household.agreements.filter(status__in=[AgreementStatus.DRAFT, AgreementStatus.SIGNED]).exists():
        raise ValidationError("该户已有草拟或已签订的协议")
    standard = standard_in_force(household.project)
    if standard is None:
        raise ValidationError("本项目尚未公布补偿方案，不能起草协议")
    try:
        choice = choice_code(choice)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    if choice == "swap" and (flat_area <= 0 or flat_price <= 0):
        raise ValidationError("产权调换须写明安置房面积和单价")
    facts = facts_for(household)
    data = {"flat_area": str(flat_area), "flat_price": str(flat_price), "transition_months": transition_months}
    when = circumstances_for(household.project, choice, planned_signing or timezone.localdate(), data)
    result = compute_or_refuse(standard.source, facts, when)
    refuse_below_appraisal(household, result)
    lines = lines_json(result, {})
    agreement = Agreement.objects.create(
        household=household,
        project=household.project,
        district_id=household.district_id,
        standard=standard,
        choice=choice,
        facts=facts_json(facts),
        circumstances={k: plain(v) for k, v in asdict(when).items()},
        lines=lines,
        total=total_of(lines),
        payment_days=payment_days,
        moving_deadline=moving_deadline,
        transition=transition,
        flat_description=flat_description,
        drafted_by=by,
    )
    _event(agreement, by, f"起草补偿协议（{CHOICES[choice]}，按方案 {standard.version} 计 {agreement.total} 元）")
    return agreement


@transaction.atomic
def agreement_exception_request(
    *, by, agreement: Agreement, line: str, amount: Decimal, reason: str
) -> AgreementException:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    require_change(by, agreement.household)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError("只有草拟中的协议可以提出例外")
    entry = next((entry for entry in agreement.lines if entry["name"] == line), None)
    if entry is None:
        raise ValidationError(f"协议中没有补偿项“{line}”")
    if not reason.strip():
        raise ValidationError("与方案不同的金额须写明理由")
    if Decimal(entry["standard_amount"]) == amount:
        raise ValidationError("金额与方案相同，无需例外")
    if line == "house_value" and amount < Decimal(entry["standard_amount"]):
        raise ValidationError("被征收房屋价值的补偿不得低于评估确定的价值（条例第十九条）")
    exception = AgreementException.objects.create(
        agreement=agreement,
        line=line,
        standard_amount=Decimal(entry["standard_amount"]),
        amount=amount,
        reason=reason.strip(),
        drafted_by=by,
    )
    _event(agreement, by, f"提出例外：{entry['label']} {entry['standard_amount']} → {amount}（{reason.strip()}）")
    return exception


@transaction.atomic
def agreement_exception_decide(*, by, exception: AgreementException, approve: bool) -> AgreementException:
    exception = AgreementException.objects.select_for_update().select_related("agreement").get(pk=exception.pk)
    agreement = Agreement.objects.select_for_update().get(pk=exception.agreement_id)
    require_change(by, agreement.household)
    if exception.status != ExceptionStatus.PENDING:
        raise ValidationError("该例外已审批")
    if exception.drafted_by_id == by.pk:
        raise ValidationError("例外须由提出人以外的人审批")
    exception.status = ExceptionStatus.APPROVED if approve else ExceptionStatus.REJECTED
    exception.decided_by, exception.decided_at = by, timezone.now()
    exception.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        for entry in agreement.lines:
            if entry["name"] == exception.line:
                entry["amount"] = str(exception.amount)
        agreement.total = total_of(agreement.lines)
        agreement.save(update_fields=["lines", "total"])
    verdict = "批准" if approve else "驳回"
    _event(agreement, by, f"{verdict}例外：{exception.line} {exception.standard_amount} → {exception.amount}")
    return exception


@transaction.atomic
def agreement_sign(
    *, by, agreement: Agreement, signed_on: date, address: str, signature_png: bytes | None = None
) -> Agreement:
    """Recomputed on the real signing date (approved exceptions kept), numbered, printed, digested."""
    from gaizao.compensation.documents import render_pdf

    agreement = (
        Agreement.objects.select_for_update().select_related("project", "household", "standard").get(pk=agreement.pk)
    )
    require_change(by, agreement.household)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(f"协议{agreement.get_status_display()}，不能再签")
    if agreement.exceptions.filter(status=ExceptionStatus.PENDING).exists():
        raise ValidationError("还有待审批的例外，审批后才能签约")
    if not address.strip() or len(address.strip()) > 200:
        raise ValidationError("须写明签约地点（200字以内）")
    if signed_on > timezone.localdate():
        raise ValidationError(f"签约日期 {signed_on} 不能晚于今天")
    facts = facts_for(agreement.household)
    when = circumstances_for(agreement.project, agreement.choice, signed_on, agreement.circumstances)
    approved = dict(agreement.exceptions.filter(status=ExceptionStatus.APPROVED).values_list("line", "amount"))
    result = compute_or_refuse(agreement.standard.source, facts, when)
    refuse_below_appraisal(agreement.household, result)
    agreement.lines = lines_json(result, approved)
    agreement.total = total_of(agreement.lines)
    agreement.facts = facts_json(facts)
    agreement.circumstances = {k: plain(v) for k, v in asdict(when).items()}
    Project.objects.select_for_update().get(pk=agreement.project_id)  # one sequence number at a time per project
    last = Agreement.objects.filter(project_id=agreement.project_id).aggregate(n=Max("sequence_no"))["n"] or 0
    agreement.sequence_no = last + 1
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_on, agreement.signed_at, agreement.signed_by = signed_on, timezone.now(), by
    agreement.signed_address = address.strip()
    if signature_png:
        agreement.signature.save(
            f"{agreement.project.code}-{agreement.sequence_no}.png", ContentFile(signature_png), save=False
        )
    pdf = render_pdf(agreement)
    agreement.document_sha256 = hashlib.sha256(pdf).hexdigest()
    name = f"{agreement.project.code}-{agreement.sequence_no:05d}.pdf"
    agreement.document.save(name, ContentFile(pdf), save=False)
    agreement.save()
    evidence = evidence_create(by=by, upload=ContentFile(pdf, name=name))
    household_transition(
        by=by,
        household=agreement.household,
        stage=Stage.SIGNED,
        evidence=evidence,
        at=dated(signed_on),
        note=f"签订补偿协议，签约顺序号 {agreement.sequence_no}",
    )
    Household.objects.filter(pk=agreement.household_id).update(choice=agreement.choice)
    recording.updated(Household, agreement.household_id)
    _event(
        agreement,
        by,
        f"签订补偿协议：顺序号 {agreement.sequence_no}，{agreement.total} 元，地点 {agreement.signed_address}",
        {"document_sha256": [None, agreement.document_sha256]},
    )
    return agreement


@transaction.atomic
def agreement_void(*, by, agreement: Agreement, reason: str) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("household").get(pk=agreement.pk)
    require_change(by, agreement.household)
    if agreement.status == AgreementStatus.VOID:
        raise ValidationError("协议已作废")
    if not reason.strip():
        raise ValidationError("作废须写明理由")
    if agreement.payments.exists() and paid(agreement) != 0:
        raise ValidationError(f"该协议已付 {paid(agreement)} 元，须先冲销全部支付才能作废")
    if hasattr(agreement, "voucher") or hasattr(agreement, "flat"):
        raise ValidationError("该协议已开具房票或已选定安置房，不能作废")
    household = Household.objects.select_for_update().get(pk=agreement.household_id)
    if household.stage not in (Stage.APPRAISED, Stage.SIGNED):
        raise ValidationError(f"该户已{household.get_stage_display()}，协议不能作废")
    agreement.status = AgreementStatus.VOID
    agreement.void_reason, agreement.voided_by, agreement.voided_at = reason.strip(), by, timezone.now()
    agreement.save(update_fields=["status", "void_reason", "voided_by", "voided_at"])
    with recounted([household.pk]):
        if household.stage == Stage.SIGNED:
            household.stage = Stage.APPRAISED
            household.updated_at = timezone.now()
            household.save(update_fields=["stage", "updated_at"])
        _event(
            agreement,
            by,
            f"作废补偿协议（顺序号 {agreement.sequence_no or '未签'}）：{reason.strip()}",
            {"stage": [Stage.SIGNED, Stage.APPRAISED]} if agreement.sequence_no else {},
        )
    return agreement
