"""Compensation decisions (补偿决定, Art. 26): a household with no agreement after the signing period is
given a decision computed by the same standard and published; the decision is its evidence for 已裁决."""

import hashlib
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string

from gaizao.compensation.agreements import circumstances_for, compute_or_refuse, facts_json, lines_json, total_of
from gaizao.compensation.engine.facts import CHOICES, choice_code
from gaizao.compensation.ledger_facts import facts_for
from gaizao.compensation.models import AgreementStatus, Decision
from gaizao.compensation.services import standard_in_force
from gaizao.core.evidence import evidence_create
from gaizao.core.money import to_capital_rmb
from gaizao.ledger.models import Household
from gaizao.ledger.services import dated, household_transition, require_change
from gaizao.ledger.stages import Stage


def render_decision_pdf(decision: Decision) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "compensation/decision_document.html",
        {
            "decision": decision,
            "household": decision.household,
            "choice": CHOICES[decision.choice],
            "lines": [line for line in decision.lines if line["in_total"]],
            "capital": to_capital_rmb(decision.total),
        },
    )
    return HTML(string=html).write_pdf()


@transaction.atomic
def decision_make(
    *,
    by,
    household: Household,
    decided_on: date,
    published_on: date,
    choice: str = "money",
    flat_area: Decimal = Decimal(0),
    flat_price: Decimal = Decimal(0),
    transition_months: int = 0,
) -> Decision:
    require_change(by, household)
    household = Household.objects.select_for_update().select_related("project").get(pk=household.pk)
    project = household.project
    if project.signing_end is None or decided_on <= project.signing_end:
        raise ValidationError(f"签约期（至{project.signing_end or '未定'}）届满后才能作出补偿决定")
    if published_on < decided_on:
        raise ValidationError("公布日期不能早于决定日期")
    if household.stage != Stage.APPRAISED:
        raise ValidationError(f"该户处于“{household.get_stage_display()}”，补偿决定只对已评估、未签约的户作出")
    if household.agreements.filter(status=AgreementStatus.SIGNED).exists():
        raise ValidationError("该户已签订补偿协议，不能再作补偿决定")
    standard = standard_in_force(project)
    if standard is None:
        raise ValidationError("本项目尚未公布补偿方案")
    try:
        choice = choice_code(choice)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    facts = facts_for(household)
    data = {"flat_area": str(flat_area), "flat_price": str(flat_price), "transition_months": transition_months}
    when = circumstances_for(project, choice, None, data)
    lines = lines_json(compute_or_refuse(standard.source, facts, when), {})
    decision = Decision(
        household=household,
        project=project,
        district_id=household.district_id,
        standard=standard,
        choice=choice,
        facts=facts_json(facts),
        lines=lines,
        total=total_of(lines),
        decided_on=decided_on,
        published_on=published_on,
        decided_by=by,
    )
    pdf = render_decision_pdf(decision)
    decision.document_sha256 = hashlib.sha256(pdf).hexdigest()
    name = f"{project.code}-decision-{household.number}.pdf"
    decision.document.save(name, ContentFile(pdf), save=False)
    decision.save()
    evidence = evidence_create(by=by, upload=ContentFile(pdf, name=name))
    household_transition(
        by=by,
        household=household,
        stage=Stage.DECIDED,
        evidence=evidence,
        at=dated(published_on),
        note=f"补偿决定：{decision.total} 元，{published_on} 公布",
    )
    return decision
