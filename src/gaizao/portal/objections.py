"""异议: a household objects to its own published survey figures within the 公示期; the office answers. A figure
found wrong is corrected in the ledger and published again (the next publication); the answer says so."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.ledger.models import Household
from gaizao.org.access import can_change, scope_households
from gaizao.portal.models import Objection, ObjectionStatus, Publication, PublicationKind, PublishedRow
from gaizao.portal.publication import SURVEY_FIGURES

CLAIM_MAX = 2000


@transaction.atomic
def objection_raise(*, household: Household, publication: Publication, figure: str, claim: str, today: date):
    if publication.kind != PublicationKind.SURVEY:
        raise ValidationError("只能对调查结果公示提出异议")
    if not PublishedRow.objects.filter(publication=publication, household=household).exists():
        raise ValidationError("本次公示中没有您家的记录")
    if not publication.published_on <= today <= publication.objection_until:
        raise ValidationError(f"公示期为 {publication.published_on} 至 {publication.objection_until}，已不能提出异议")
    if figure not in SURVEY_FIGURES:
        raise ValidationError(f"异议的项目：“{figure}”不在可选项中")
    claim = claim.strip()
    if not claim:
        raise ValidationError("异议内容：请写明哪里不对、应当是多少")
    if len(claim) > CLAIM_MAX:
        raise ValidationError(f"异议内容：最多 {CLAIM_MAX} 字，写了 {len(claim)} 字")
    open_ones = Objection.objects.filter(
        publication=publication, household=household, figure=figure, status=ObjectionStatus.OPEN
    )
    if open_ones.exists():
        raise ValidationError(f"您对“{SURVEY_FIGURES[figure]}”的异议已提交，正在等待答复")
    return Objection.objects.create(
        publication=publication,
        household=household,
        district_id=household.district_id,
        figure=figure,
        claim=claim,
        at=timezone.now(),
    )


@transaction.atomic
def objection_answer(*, by, objection: Objection, upheld: bool, answer: str) -> Objection:
    """Answered by the household's street or the office; an upheld one waits for the figure to be published again."""
    in_reach = scope_households(Household.objects.filter(pk=objection.household_id), by).exists()
    if not can_change(by) or not in_reach:
        raise PermissionDenied("无权答复该异议")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError("该异议已答复")
    answer = answer.strip()
    if not answer:
        raise ValidationError("答复：请写明核查结果和依据")
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
    objection.answer, objection.answered_by, objection.answered_at = answer, by, timezone.now()
    objection.save()
    return objection


def objections_for(*, fetched_by, project) -> list[Objection]:
    qs = Objection.objects.filter(publication__project=project).select_related("household", "publication")
    return list(scope_households(qs, fetched_by, prefix="household__").order_by("status", "-at"))
