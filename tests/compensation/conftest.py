"""Compensation's shared set-up: the world's project under the shantytown example, a household appraised."""

from datetime import date
from pathlib import Path

import pytest

from gaizao.compensation.services import standard_publish, standard_save
from gaizao.ledger.services import household_review, household_transition

SHANTYTOWN = Path(__file__).resolve().parents[2] / "src/gaizao/compensation/examples/shantytown-state-land.toml"


@pytest.fixture
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def appraised(world, fast_hashing):
    """The world's project under the shantytown example; Alice's household A001 reviewed and appraised."""
    project = world.project
    project.code = "beizhan-shantytown"
    project.signing_start, project.signing_end = date(2026, 8, 1), date(2026, 12, 31)
    project.save()
    draft = standard_save(by=world.olivia.user, project=project, source=SHANTYTOWN.read_text(encoding="utf-8"))
    standard_publish(by=world.olivia.user, standard=draft, on=date(2026, 7, 20))
    household_review(by=world.olivia.user, household=world.house_a)
    household_transition(by=world.alice.user, household=world.house_a, stage="appraised")
    world.house_a.refresh_from_db()
    return world
