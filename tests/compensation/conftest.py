"""Compensation's shared set-up: the world's project under the shantytown example, a household appraised."""

from pathlib import Path

import pytest

from gaizao.ledger.services import household_review, household_transition

SHANTYTOWN = Path(__file__).resolve().parents[2] / "src/gaizao/compensation/examples/shantytown-state-land.toml"


@pytest.fixture
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def appraised(world, shantytown, fast_hashing):
    """The world's project under the shantytown example; Alice's household A001 reviewed and appraised."""
    household_review(by=world.olivia.user, household=world.house_a)
    household_transition(by=world.alice.user, household=world.house_a, stage="appraised")
    world.house_a.refresh_from_db()
    return world
