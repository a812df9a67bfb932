"""Responsibility agreements (责任书): drafted with the unit's targets for the period, signed once with the
scanned copy, printed as a PDF, and hidden from whoever does not see the unit."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.progress.models import ProgressEvent
from gaizao.progress.services import agreement_draft, agreement_sign, target_split
from tests.progress.conftest import proof, upload


def draft(world, period, unit=None, **more):
    start, end = period
    fields = {"by": world.olivia.user, "title": "2026年度城市更新目标责任书", "leader_name": "城关街道主任"} | more
    return agreement_draft(unit=unit or world.street_a, start=start, end=end, **fields)


def refused(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return "；".join(caught.value.messages)


@pytest.fixture
def agreement(world, set_target, period):
    set_target(world.street_a, 10)
    return draft(world, period)


# ---- drafting ----------------------------------------------------------------------------------------


def test_a_draft_takes_the_units_targets_in_force_during_the_period(world, set_target, period):
    start, end = period
    own = set_target(world.street_a, 10)
    share = target_split(
        by=world.olivia.user, target=set_target(world.district, 5, project=world.project), shares={world.street_a: 5}
    )[0]
    set_target(world.street_a, 3, start=start - timedelta(days=30), end=start - timedelta(days=1))  # over by then
    set_target(world.street_b, 8)  # another street's
    agreement = draft(world, period, leader=world.alice, leader_name="")
    assert set(agreement.targets.all()) == {own, share}
    assert (agreement.leader_name, agreement.drafted_by, agreement.signed_on) == ("艾丽", world.olivia.user, None)
    assert ProgressEvent.objects.filter(kind="agreement_draft", unit=world.street_a).exists()


def test_a_draft_without_targets_is_refused(world, period):
    start, end = period
    assert refused(draft, world=world, period=period) == f"“城关街道”在 {start}～{end} 没有目标任务，请先下达目标"


def test_only_the_command_office_drafts(world, set_target, period):
    set_target(world.street_a, 10)
    with pytest.raises(PermissionDenied):
        draft(world, period, by=world.alice.user)


# ---- signing -----------------------------------------------------------------------------------------


def sign(world, agreement, signed_on, evidence):
    return agreement_sign(by=world.olivia.user, agreement=agreement, signed_on=signed_on, evidence=evidence)


def test_signing_needs_the_scanned_copy_a_past_date_and_happens_once(world, agreement, today):
    assert refused(sign, world=world, agreement=agreement, signed_on=today, evidence=None) == (
        "须上传签字盖章的责任书扫描件"
    )
    scanned = proof(world.olivia)
    tomorrow = today + timedelta(days=1)
    assert refused(sign, world=world, agreement=agreement, signed_on=tomorrow, evidence=scanned) == (
        "签订日期不能晚于今天"
    )
    signed = sign(world, agreement, today, scanned)
    assert (signed.signed_on, signed.signed_evidence, signed.recorded_by) == (today, scanned, world.olivia.user)
    assert ProgressEvent.objects.get(kind="agreement_sign").evidence == scanned
    assert refused(sign, world=world, agreement=agreement, signed_on=today, evidence=scanned) == (
        f"该责任书已于 {today} 签订"
    )


def test_signing_on_the_page_with_the_uploaded_scan(world, agreement):
    client = world.client(world.olivia)
    url = reverse("progress:agreement_sign", args=[agreement.pk])
    page = client.post(url, {"signed_on": "2026-01-05"}, follow=True).content.decode()
    assert "须上传签字盖章的责任书扫描件" in page
    page = client.post(url, {"signed_on": "2026-01-05", "evidence": upload()}, follow=True).content.decode()
    agreement.refresh_from_db()
    assert agreement.signed_on == date(2026, 1, 5) and agreement.signed_evidence.name == "签字盖章件.pdf"
    assert "已保存" in page and "2026年1月5日" in page


# ---- the document and who sees it -------------------------------------------------------------------


def test_the_pdf_is_a_pdf_rendered_without_errors(world, agreement, caplog):
    with caplog.at_level(logging.WARNING):
        response = world.client(world.olivia).get(reverse("progress:agreement_pdf", args=[agreement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response.content.rstrip().endswith(b"%%EOF")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_agreement_is_hidden_from_who_does_not_see_its_unit(world, agreement):
    urls = [reverse(name, args=[agreement.pk]) for name in ("progress:agreement", "progress:agreement_pdf")]
    for who in (world.bob, world.pat):
        assert [world.client(who).get(url).status_code for url in urls] == [404, 404], who
    assert world.client(world.alice).get(urls[0]).status_code == 200
