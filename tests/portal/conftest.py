"""The portal's set-up on the shared world: the project's standard published, A001 signed, a survey published,
case codes issued, and a second project (南站) with a household of its own."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from gaizao.compensation.agreements import agreement_draft, agreement_sign
from gaizao.ledger.models import Household
from gaizao.ledger.services import household_create, household_review, household_transition
from gaizao.portal import access
from gaizao.portal.publication import publish
from gaizao.projects.models import Project
from gaizao.projects.services import project_create
from tests.portal.support import OTHER_ID


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def standard(shantytown):
    return shantytown


@pytest.fixture
def signed(world, standard):
    """A001 reviewed, appraised and signed (money) on 2026-08-20: 600000 + 1500 + 7200 + 20000 = 628700."""
    household_review(by=world.olivia.user, household=world.house_a)
    household_transition(by=world.alice.user, household=world.house_a, stage="appraised")
    world.house_a.refresh_from_db()
    draft = agreement_draft(
        by=world.alice.user,
        household=world.house_a,
        choice="货币补偿",
        moving_deadline=date(2026, 9, 30),
        planned_signing=date(2026, 8, 20),
    )
    agreement = agreement_sign(
        by=world.alice.user, agreement=draft, signed_on=date(2026, 8, 20), address="城关街道征收办"
    )
    world.house_a.refresh_from_db()
    return agreement


@pytest.fixture
def survey(world, today):
    """The world's survey results published today by the office (公示期 7 days): A001, B001, B002."""
    return publish(by=world.olivia.user, project=world.project, kind="survey", on=today)


@pytest.fixture
def code_a(world) -> str:
    """A001's case code, issued by Alice (its street)."""
    return access.issue_code(by=world.alice.user, household=world.house_a)


@dataclass
class Other:
    project: Project
    household: Household
    code: str


@pytest.fixture
def other(world, today) -> Other:
    """南站片区, another project of the same district, its survey published, N001's owner holding a case code."""
    project = project_create(
        code="nanzhan", name="南站片区改造", kind="shantytown", district=world.district, freeze_date=date(2026, 6, 1)
    )
    household = household_create(
        by=None,
        project=project,
        street=world.street_a,
        number="N001",
        owner_name="钱六",
        id_number=OTHER_ID,
        properties=[{"location": "南站路3号", "certified_area": Decimal("80.00"), "use": "residential"}],
    )
    publish(by=world.olivia.user, project=project, kind="survey", on=today)
    return Other(project, household, access.issue_code(by=world.alice.user, household=household))
