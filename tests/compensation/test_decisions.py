"""Compensation decisions (补偿决定): only after the signing period, only for households without an agreement,
by the same standard, with no signing reward; the household may then be moved out."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gaizao.compensation.decisions import decision_make
from gaizao.core.evidence import evidence_create
from gaizao.ledger.services import household_transition


def test_a_decision_after_the_signing_period_moves_the_household_to_decided(appraised):
    appraised.project.signing_end = date(2026, 9, 30)
    appraised.project.save()
    decision = decision_make(
        by=appraised.olivia.user,
        household=appraised.house_a,
        decided_on=date(2026, 10, 10),
        published_on=date(2026, 10, 12),
    )
    names = {line["name"]: Decimal(line["amount"]) for line in decision.lines}
    assert "signing_reward" not in names  # no signature, no signing reward
    assert decision.total == Decimal("608700.00")  # 600000 + 1500 + 7200
    assert decision.document.read().startswith(b"%PDF")
    appraised.house_a.refresh_from_db()
    assert appraised.house_a.stage == "decided"
    photo = evidence_create(by=appraised.alice.user, upload=SimpleUploadedFile("腾空.jpg", b"\xff\xd8\xff\xe0photo"))
    household_transition(by=appraised.alice.user, household=appraised.house_a, stage="vacated", evidence=photo)


def test_no_decision_within_the_signing_period(appraised):
    with pytest.raises(ValidationError, match="签约期（至2026-12-31）届满后"):
        decision_make(
            by=appraised.olivia.user,
            household=appraised.house_a,
            decided_on=date(2026, 12, 1),
            published_on=date(2026, 12, 2),
        )


def test_no_decision_for_a_household_not_yet_appraised(appraised):
    with pytest.raises(ValidationError, match="只对已评估、未签约的户"):
        decision_make(
            by=appraised.olivia.user,
            household=appraised.house_b,
            decided_on=date(2027, 1, 10),
            published_on=date(2027, 1, 10),
        )


def test_publication_cannot_precede_the_decision(appraised):
    with pytest.raises(ValidationError, match="公布日期不能早于决定日期"):
        decision_make(
            by=appraised.olivia.user,
            household=appraised.house_a,
            decided_on=date(2027, 1, 10),
            published_on=date(2027, 1, 9),
        )


def test_the_decision_is_made_from_the_household_page(appraised, settings):
    from django.urls import reverse

    project = appraised.project
    project.signing_end = date(2026, 1, 31)  # the signing period is over
    project.save()
    client = appraised.client(appraised.olivia)
    listing = client.get(reverse("compensation:household_agreements", args=[appraised.house_a.pk])).content.decode()
    assert "作出补偿决定" in listing
    client.post(
        reverse("compensation:decision_make", args=[appraised.house_a.pk]),
        {"choice": "money", "decided_on": "2026-02-10", "published_on": "2026-02-11"},
    )
    decision = appraised.house_a.decisions.get()
    pdf = b"".join(client.get(reverse("compensation:decision_pdf", args=[decision.pk])).streaming_content)
    assert pdf.startswith(b"%PDF")
    assert (
        appraised.client(appraised.bob).get(reverse("compensation:decision_pdf", args=[decision.pk])).status_code == 404
    )
