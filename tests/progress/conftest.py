"""Progress's shared set-up: targets set by the command office (Olivia) over a period around today, and
households moved through the ledger's real services so that the daily tallies count them."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gaizao.core.evidence import evidence_create
from gaizao.ledger.services import household_review, household_transition
from gaizao.ledger.stages import Stage
from gaizao.progress import services
from gaizao.progress.models import Indicator, Target


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def period(today) -> tuple[date, date]:
    """100 days, the tenth of which is today: the calendar rate today is 10.0%."""
    start = today - timedelta(days=9)
    return start, start + timedelta(days=99)


def indicator(code: str = "households-signed") -> Indicator:
    return Indicator.objects.get(code=code)


def upload(name: str = "签字盖章件.pdf") -> SimpleUploadedFile:
    if name.endswith(".jpg"):  # an upload's first bytes must be what its name says
        return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0photo", content_type="image/jpeg")
    return SimpleUploadedFile(name, b"%PDF-1.4 scanned", content_type="application/pdf")


def proof(official, name: str = "签字盖章件.pdf"):
    return evidence_create(by=official.user, upload=upload(name))


@pytest.fixture
def set_target(world, period):
    """Olivia sets a households-signed target over the period (anything may be overridden)."""

    def set_target(unit, value=10, **overrides) -> Target:
        start, end = period
        fields = {"by": world.olivia.user, "indicator": indicator(), "start": start, "end": end} | overrides
        return services.target_set(unit=unit, value=value, **fields)

    return set_target


def sign(world, household) -> None:
    """Reviewed, appraised, then signed with its agreement scanned: the ledger counts it signed today."""
    by = world.olivia.user
    household_review(by=by, household=household)
    household_transition(by=by, household=household, stage=Stage.APPRAISED)
    household_transition(by=by, household=household, stage=Stage.SIGNED, evidence=proof(world.olivia, "协议.pdf"))
