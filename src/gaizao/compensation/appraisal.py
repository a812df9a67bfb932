"""Appraisal (评估): the households choose the agency — by agreement, else by a vote or a recorded lottery;
each household's appraisal is valued at the decision's announcement date; a review can be asked for within
10 days of receiving it; no agreement pays less for the house than its appraisal."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from gaizao.compensation.engine.lottery import lottery_order
from gaizao.compensation.models import AgencySelection, Appraisal, AppraisalAgency, AppraisalReview, SelectionMethod
from gaizao.ledger.models import Household
from gaizao.ledger.services import require_change
from gaizao.org.access import is_command_office
from gaizao.projects.models import Project

REVIEW_DAYS = 10


@transaction.atomic
def agency_select(
    *,
    by,
    project: Project,
    method: str,
    decided_on: date,
    agency: AppraisalAgency | None = None,
    votes: dict[int, int] | None = None,
    candidates: list[AppraisalAgency] | None = None,
    seed: str = "",
) -> AgencySelection:
    if not is_command_office(by):
        raise ValidationError("评估机构选定由指挥部办公室组织")
    if AgencySelection.objects.filter(project=project).exists():
        raise ValidationError("本项目已选定评估机构")
    record: dict = {}
    if method == SelectionMethod.AGREEMENT:
        if agency is None:
            raise ValidationError("协商选定须写明评估机构")
    elif method == SelectionMethod.VOTE:
        if not votes:
            raise ValidationError("多数决定须记录各机构得票")
        ranked = sorted(votes.items(), key=lambda item: -item[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            raise ValidationError("得票相同，无法多数决定；请改用摇号")
        agency = AppraisalAgency.objects.get(pk=ranked[0][0])
        record = {"votes": {str(k): v for k, v in votes.items()}}
    elif method == SelectionMethod.LOTTERY:
        if not candidates:
            raise ValidationError("摇号须列出候选评估机构")
        names = [c.name for c in candidates]
        try:
            winner = lottery_order(seed, names)[0]
        except ValueError as error:
            raise ValidationError(str(error)) from error
        agency = next(c for c in candidates if c.name == winner)
        record = {"seed": seed, "candidates": names}
    else:
        raise ValidationError(f"选定方式“{method}”无效")
    return AgencySelection.objects.create(
        project=project, agency=agency, method=method, record=record, decided_on=decided_on, by=by
    )


@transaction.atomic
def appraisal_record(
    *, by, household: Household, house_value: Decimal, valuation_date: date, delivered_on: date
) -> Appraisal:
    require_change(by, household)
    selection = AgencySelection.objects.filter(project_id=household.project_id).first()
    if selection is None:
        raise ValidationError("本项目尚未选定评估机构")
    if valuation_date != household.project.freeze_date:
        raise ValidationError(f"估价时点应为征收决定公告日 {household.project.freeze_date}，而不是 {valuation_date}")
    if house_value <= 0:
        raise ValidationError("房屋价值应大于零")
    return Appraisal.objects.create(
        household=household,
        agency=selection.agency,
        valuation_date=valuation_date,
        house_value=house_value,
        delivered_on=delivered_on,
        by=by,
    )


@transaction.atomic
def appraisal_review_request(*, by, appraisal: Appraisal, requested_on: date, reason: str) -> AppraisalReview:
    require_change(by, appraisal.household)
    deadline = appraisal.delivered_on + timedelta(days=REVIEW_DAYS)
    if requested_on > deadline:
        raise ValidationError(f"复核须在收到评估结果后{REVIEW_DAYS}日内（{deadline}前）申请")
    if not reason.strip():
        raise ValidationError("申请复核须写明理由")
    return AppraisalReview.objects.create(appraisal=appraisal, requested_on=requested_on, reason=reason.strip())


def appraised_value(household: Household) -> Decimal | None:
    latest = household.appraisals.order_by("-id").first()
    return latest.house_value if latest else None
