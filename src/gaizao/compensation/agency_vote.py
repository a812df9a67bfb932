"""The households' vote for the appraisal agency (征收评估办法第四条): the office names the candidates and the dates,
each household votes from its own file on the portal (and may change its vote until the vote closes), and the
office closes it: the agency with the most votes is the selection, recorded with the count and the turnout. A tie
is not a majority: the office then draws lots among the tied (appraisal.agency_select, method lottery)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.compensation.appraisal import agency_select
from gaizao.compensation.models import AgencyBallot, AgencySelection, AgencyVote, AppraisalAgency, SelectionMethod
from gaizao.ledger.models import Household
from gaizao.org.access import is_command_office
from gaizao.projects.models import Project


@transaction.atomic
def vote_open(
    *, by, project: Project, candidates: list[AppraisalAgency], opens_on: date, closes_on: date
) -> AgencyVote:
    if not is_command_office(by):
        raise ValidationError("评估机构投票由指挥部办公室组织")
    if AgencySelection.objects.filter(project=project).exists():
        raise ValidationError("本项目已选定评估机构")
    if AgencyVote.objects.filter(project=project).exists():
        raise ValidationError("本项目已发起评估机构投票")
    if len(set(candidates)) < 2:
        raise ValidationError("候选评估机构：至少两家")
    if closes_on < opens_on:
        raise ValidationError(f"投票截止：{closes_on} 早于投票开始 {opens_on}")
    vote = AgencyVote.objects.create(
        project=project, opens_on=opens_on, closes_on=closes_on, opened_by=by, opened_at=timezone.now()
    )
    vote.candidates.set(candidates)
    return vote


@transaction.atomic
def ballot_cast(*, household: Household, agency_id: int, today: date) -> AgencyBallot:
    vote = AgencyVote.objects.filter(project_id=household.project_id).first()
    if vote is None:
        raise ValidationError("本项目没有进行中的评估机构投票")
    if AgencySelection.objects.filter(project_id=household.project_id).exists():
        raise ValidationError("评估机构已选定，投票已结束")
    if not vote.opens_on <= today <= vote.closes_on:
        raise ValidationError(f"投票时间为 {vote.opens_on} 至 {vote.closes_on}")
    agency = vote.candidates.filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError("评估机构：请在候选机构中选择")
    ballot, _ = AgencyBallot.objects.update_or_create(
        vote=vote, household=household, defaults={"agency": agency, "at": timezone.now()}
    )
    return ballot


@dataclass(frozen=True)
class Tally:
    counts: list[tuple[AppraisalAgency, int]]  # every candidate, most votes first
    ballots: int
    households: int

    @property
    def turnout_percent(self) -> str:
        return f"{self.ballots * 100 / self.households:.1f}" if self.households else "0.0"


def tally(vote: AgencyVote) -> Tally:
    counted = Counter(vote.ballots.values_list("agency_id", flat=True))
    candidates = list(vote.candidates.order_by("name"))
    counts = sorted(((a, counted.get(a.pk, 0)) for a in candidates), key=lambda pair: -pair[1])
    households = Household.objects.filter(project_id=vote.project_id).count()
    return Tally(counts=counts, ballots=sum(counted.values()), households=households)


@transaction.atomic
def vote_close(*, by, project: Project, today: date) -> AgencySelection:
    """After the closing date, the majority's agency is selected, the count and the turnout recorded with it."""
    vote = AgencyVote.objects.filter(project=project).first()
    if vote is None:
        raise ValidationError("本项目没有发起评估机构投票")
    if today <= vote.closes_on:
        raise ValidationError(f"投票 {vote.closes_on} 截止，截止后才能计票")
    result = tally(vote)
    if not result.ballots:
        raise ValidationError("没有户投票，无法多数决定；请改用摇号")
    selection = agency_select(
        by=by,
        project=project,
        method=SelectionMethod.VOTE,
        decided_on=today,
        votes={agency.pk: n for agency, n in result.counts},
    )
    selection.record |= {"ballots": result.ballots, "households": result.households}
    selection.save(update_fields=["record"])
    return selection
