"""Read-only roles change nothing: an inspector's or auditor's POST to any URL that changes something answers 403."""

import pytest
from django.urls import resolve

from tests.core.test_csrf import every_url, everything

# The inspectors' own work and their own account: these take an inspector's POST.
THEIR_OWN = ("/accounts/", "/i18n/", "/audit/")


def auditor(world):
    from gaizao.org.models import Role, UnitKind
    from gaizao.org.services import official_create, unit_create

    unit = unit_create(name="区审计局", kind=UnitKind.DEPARTMENT, parent=world.district)
    return official_create(username="audra", password="x", name="审计员", unit=unit, role=Role.AUDITOR)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("who", ["ivy", "auditor"])
def test_every_post_of_a_read_only_role_is_refused(world, who):
    official = world.ivy if who == "ivy" else auditor(world)
    client = world.client(official)
    before = everything()
    answered = []
    for path, pattern in every_url(world):
        if path.startswith(THEIR_OWN) or path.startswith("/admin/") or resolve(path).func is not pattern.callback:
            continue
        response = client.post(path, {"note": "x", "reason": "x", "stage": "surveyed", "amount": "1"})
        if response.status_code not in (403, 405):
            answered.append(f"{path} → {response.status_code}")
    assert everything() == before
    assert answered == []
