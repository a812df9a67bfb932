"""Appraisal: the agency chosen by the households (agreement, vote or lottery), valued at the decision's
announcement date, reviewable within 10 days, and never paid below."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaizao.compensation.agreements import agreement_draft, agreement_exception_request
from gaizao.compensation.appraisal import agency_select, appraisal_record, appraisal_review_request
from gaizao.compensation.engine.lottery import lottery_order
from gaizao.compensation.models import AppraisalAgency


@pytest.fixture
def agencies(db):
    return [AppraisalAgency.objects.create(name=name) for name in ("江州正信评估", "华诚房地产评估", "皖中估价所")]


def test_a_vote_chooses_the_agency_with_most_votes(appraised, agencies):
    selection = agency_select(
        by=appraised.olivia.user,
        project=appraised.project,
        method="vote",
        decided_on=date(2026, 6, 1),
        votes={agencies[0].pk: 120, agencies[1].pk: 310, agencies[2].pk: 44},
    )
    assert selection.agency == agencies[1] and selection.record["votes"][str(agencies[1].pk)] == 310


def test_a_tied_vote_is_refused(appraised, agencies):
    with pytest.raises(ValidationError, match="得票相同"):
        agency_select(
            by=appraised.olivia.user,
            project=appraised.project,
            method="vote",
            decided_on=date(2026, 6, 1),
            votes={agencies[0].pk: 50, agencies[1].pk: 50},
        )


def test_a_lottery_is_recorded_and_recomputable(appraised, agencies):
    selection = agency_select(
        by=appraised.olivia.user,
        project=appraised.project,
        method="lottery",
        decided_on=date(2026, 6, 1),
        candidates=agencies,
        seed="公证 2026-06-01 0931",
    )
    assert selection.agency.name == lottery_order("公证 2026-06-01 0931", [a.name for a in agencies])[0]
    assert selection.record["seed"] == "公证 2026-06-01 0931"


def test_the_appraisal_is_valued_at_the_decision_announcement_date(appraised, agencies):
    agency_select(
        by=appraised.olivia.user,
        project=appraised.project,
        method="agreement",
        agency=agencies[0],
        decided_on=date(2026, 6, 1),
    )
    with pytest.raises(ValidationError, match="估价时点应为征收决定公告日 2026-05-15"):
        appraisal_record(
            by=appraised.alice.user,
            household=appraised.house_a,
            house_value=Decimal(600000),
            valuation_date=date(2026, 6, 1),
            delivered_on=date(2026, 6, 20),
        )
    appraisal = appraisal_record(
        by=appraised.alice.user,
        household=appraised.house_a,
        house_value=Decimal(600000),
        valuation_date=date(2026, 5, 15),
        delivered_on=date(2026, 6, 20),
    )
    appraisal_review_request(
        by=appraised.alice.user, appraisal=appraisal, requested_on=date(2026, 6, 30), reason="装修未计入"
    )
    with pytest.raises(ValidationError, match="10日内（2026-06-30前）"):
        appraisal_review_request(
            by=appraised.alice.user, appraisal=appraisal, requested_on=date(2026, 7, 1), reason="再次"
        )


def test_the_house_is_never_paid_below_its_appraisal(appraised, agencies):
    agency_select(
        by=appraised.olivia.user,
        project=appraised.project,
        method="agreement",
        agency=agencies[0],
        decided_on=date(2026, 6, 1),
    )
    appraisal_record(
        by=appraised.alice.user,
        household=appraised.house_a,
        house_value=Decimal(650000),
        valuation_date=date(2026, 5, 15),
        delivered_on=date(2026, 6, 20),
    )
    with pytest.raises(ValidationError, match="低于分户评估的 650000"):
        agreement_draft(
            by=appraised.alice.user, household=appraised.house_a, choice="货币补偿", moving_deadline=date(2026, 9, 30)
        )


def test_an_exception_cannot_lower_the_house_value(appraised):
    agreement = agreement_draft(
        by=appraised.alice.user, household=appraised.house_a, choice="货币补偿", moving_deadline=date(2026, 9, 30)
    )
    with pytest.raises(ValidationError, match="不得低于评估确定的价值"):
        agreement_exception_request(
            by=appraised.alice.user, agreement=agreement, line="house_value", amount=Decimal("590000.00"), reason="协商"
        )


def test_the_agency_is_chosen_and_appraisals_recorded_on_the_pages(appraised, agencies):
    from django.urls import reverse

    client = appraised.client(appraised.olivia)
    client.post(
        reverse("compensation:agency_select", args=[appraised.project.pk]),
        {"method": "vote", f"votes-{agencies[0].pk}": "12", f"votes-{agencies[2].pk}": "40"},
    )
    page = client.get(reverse("compensation:choosing", args=[appraised.project.pk])).content.decode()
    assert "皖中估价所（多数决定" in page
    # A001 was appraised in the fixture; a second household is recorded on its page
    section = reverse("compensation:household_agreements", args=[appraised.house_a.pk])
    client.post(
        reverse("compensation:appraisal_record", args=[appraised.house_a.pk]),
        {"house_value": "600000", "valuation_date": "2026-05-15", "delivered_on": "2026-06-20"},
    )
    listing = client.get(section).content.decode()
    assert "600000.00" in listing and "皖中估价所" in listing
    record = appraised.house_a.appraisals.get()
    client.post(
        reverse("compensation:appraisal_review", args=[appraised.house_a.pk, record.pk]),
        {"requested_on": "2026-06-25", "reason": "面积测量有误"},
    )
    assert record.reviews.get().reason == "面积测量有误"
