"""The households' vote for the appraisal agency: the office opens it with candidates and dates, each household
votes (and may change its vote) from its own file, and after the closing date the office's count selects the
majority's agency, recorded with the count and the turnout."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from gaizao.compensation import agency_vote
from gaizao.compensation.models import AgencyBallot, AgencySelection, AgencyVote, AppraisalAgency
from tests.portal.support import ALICE_ID, messages_of, page, signed_in


@pytest.fixture
def agencies(db):
    return [AppraisalAgency.objects.create(name=name) for name in ("江北房地产评估公司", "诚信估价事务所", "华信评估")]


@pytest.fixture
def vote(world, agencies, today):
    return agency_vote.vote_open(
        by=world.olivia.user,
        project=world.project,
        candidates=agencies[:2],
        opens_on=today,
        closes_on=today + timedelta(days=7),
    )


def test_a_household_votes_and_changes_its_vote_from_its_file(world, standard, agencies, vote, code_a):
    resident = signed_in(ALICE_ID, code_a)
    html = page(resident, "/portal/me/")
    assert "评估机构投票" in html and agencies[0].name in html and agencies[2].name not in html
    resident.post("/portal/me/agency-vote/", {"agency": agencies[0].pk})
    resident.post("/portal/me/agency-vote/", {"agency": agencies[1].pk})
    ballot = AgencyBallot.objects.get()
    assert ballot.household == world.house_a and ballot.agency == agencies[1]
    assert "改投" in page(resident, "/portal/me/")


def test_a_vote_for_an_agency_not_a_candidate_is_refused(world, standard, agencies, vote, code_a):
    resident = signed_in(ALICE_ID, code_a)
    response = resident.post("/portal/me/agency-vote/", {"agency": agencies[2].pk}, follow=True)
    assert "请在候选机构中选择" in messages_of(response.content.decode())
    response = resident.post("/portal/me/agency-vote/", {"agency": "x"}, follow=True)
    assert "请在候选机构中选择" in messages_of(response.content.decode())
    assert not AgencyBallot.objects.exists()


def test_voting_outside_the_dates_is_refused(world, agencies, vote, today):
    with pytest.raises(ValidationError, match="投票时间为"):
        agency_vote.ballot_cast(household=world.house_a, agency_id=agencies[0].pk, today=today + timedelta(days=8))
    with pytest.raises(ValidationError, match="投票时间为"):
        agency_vote.ballot_cast(household=world.house_a, agency_id=agencies[0].pk, today=today - timedelta(days=1))


def test_the_vote_needs_no_sign_in_it_cannot_be_cast_anonymously(world, standard, agencies, vote):
    from django.test import Client

    response = Client().post("/portal/me/agency-vote/", {"agency": agencies[0].pk})
    assert response.status_code == 403
    assert not AgencyBallot.objects.exists()


def test_the_majority_selects_after_the_closing_date(world, agencies, vote, today):
    agency_vote.ballot_cast(household=world.house_a, agency_id=agencies[1].pk, today=today)
    agency_vote.ballot_cast(household=world.house_b, agency_id=agencies[1].pk, today=today)
    agency_vote.ballot_cast(household=world.house_held, agency_id=agencies[0].pk, today=today)
    with pytest.raises(ValidationError, match="截止后才能计票"):
        agency_vote.vote_close(by=world.olivia.user, project=world.project, today=vote.closes_on)
    selection = agency_vote.vote_close(by=world.olivia.user, project=world.project, today=vote.closes_on + timedelta(1))
    assert selection.agency == agencies[1] and selection.method == "vote"
    assert selection.record["votes"] == {str(agencies[1].pk): 2, str(agencies[0].pk): 1}
    assert selection.record["ballots"] == 3 and selection.record["households"] == 3
    with pytest.raises(ValidationError, match="投票已结束"):
        agency_vote.ballot_cast(household=world.house_a, agency_id=agencies[0].pk, today=today)


def test_a_tie_is_not_a_majority_and_selects_nothing(world, agencies, vote, today):
    agency_vote.ballot_cast(household=world.house_a, agency_id=agencies[0].pk, today=today)
    agency_vote.ballot_cast(household=world.house_b, agency_id=agencies[1].pk, today=today)
    with pytest.raises(ValidationError, match="得票相同"):
        agency_vote.vote_close(by=world.olivia.user, project=world.project, today=vote.closes_on + timedelta(1))
    assert not AgencySelection.objects.exists()


def test_no_ballots_selects_nothing(world, vote):
    with pytest.raises(ValidationError, match="没有户投票"):
        agency_vote.vote_close(by=world.olivia.user, project=world.project, today=vote.closes_on + timedelta(1))


def test_only_the_office_opens_and_with_two_candidates_in_order(world, agencies, today):
    week = today + timedelta(days=7)
    with pytest.raises(ValidationError, match="指挥部办公室"):
        agency_vote.vote_open(
            by=world.alice.user, project=world.project, candidates=agencies, opens_on=today, closes_on=week
        )
    with pytest.raises(ValidationError, match="至少两家"):
        agency_vote.vote_open(
            by=world.olivia.user, project=world.project, candidates=agencies[:1] * 2, opens_on=today, closes_on=week
        )
    with pytest.raises(ValidationError, match="早于投票开始"):
        agency_vote.vote_open(
            by=world.olivia.user, project=world.project, candidates=agencies, opens_on=week, closes_on=today
        )
    assert not AgencyVote.objects.exists()


def test_the_office_page_opens_shows_the_count_and_closes(world, agencies, today, settings):
    office = world.client(world.olivia)
    url = f"/compensation/projects/{world.project.pk}/"
    office.post(
        url + "agency/vote/",
        {"candidates": [a.pk for a in agencies[:2]], "opens_on": today.isoformat(), "closes_on": today.isoformat()},
    )
    vote = AgencyVote.objects.get()
    agency_vote.ballot_cast(household=world.house_a, agency_id=agencies[0].pk, today=today)
    html = office.get(url + "choosing/").content.decode()
    assert "1 / 3 户已投（33.3%）" in html
    # the close button appears only after the closing day
    assert "计票并按多数选定" not in html
    vote.closes_on = today - timedelta(days=1)
    vote.opens_on = vote.closes_on
    vote.save()
    office.post(url + "agency/vote/close/")
    assert AgencySelection.objects.get().agency == agencies[0]
