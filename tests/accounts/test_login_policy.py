"""The login policy: password rules and age, lockout, idle sessions, and the second factor."""

import base64
import json
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaizao.accounts import lockout, totp
from gaizao.accounts.models import Credential, LoginFailure
from gaizao.accounts.policy import SEEN
from gaizao.audit.models import TrailEntry
from tests.conftest import PASSWORD

STRONG = "Jiangbei#2026renewal"
LIST = "/ledger/"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(username: str, password: str = PASSWORD, client: Client | None = None):
    client = client or Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


# ---- password rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "refusal"),
    [
        ("Ab#12", "密码至少 10 位（现为 5 位）"),
        ("alllowercaseletters", "至少 3 类（现有：小写字母）"),
        ("Password123", "这个密码太常见了"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(world, password, refusal):
    with pytest.raises(ValidationError) as error:
        validate_password(password, world.alice.user)
    assert any(refusal in message for message in error.value.messages), error.value.messages


def test_a_strong_password_passes(world):
    validate_password(STRONG, world.alice.user)


def test_a_changed_password_restarts_the_ninety_days(world):
    client = world.client(world.alice)
    Credential.objects.filter(user=world.alice.user).update(password_changed_at=timezone.now() - timedelta(days=91))
    assert client.get(LIST)["Location"] == reverse("accounts:password")
    response = client.post(
        reverse("accounts:password"), {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    )
    assert response.status_code == 302
    credential = Credential.objects.get(user=world.alice.user)
    assert timezone.now() - credential.password_changed_at < timedelta(minutes=1)
    assert client.get(LIST).status_code == 200


def test_an_expired_password_blocks_the_api_too(world):
    Credential.objects.filter(user=world.alice.user).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = world.client(world.alice).get(reverse("api:households"))
    assert response.status_code == 403 and "密码" in response.json()["detail"]


def test_a_weak_new_password_is_refused_on_the_page(world):
    client = world.client(world.alice)
    html = client.post(
        reverse("accounts:password"), {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"}
    ).content.decode()
    assert "密码至少 10 位（现为 3 位）" in html
    assert get_user_model().objects.get(pk=world.alice.user.pk).check_password(PASSWORD)


# ---- lockout -----------------------------------------------------------------------------------------


def test_five_failures_lock_the_name_even_for_the_right_password(world):
    for _ in range(5):
        _, response = log_in("alice", "wrong-Password-1")
        assert response.status_code == 200
    client, response = log_in("alice", PASSWORD)
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session
    locked = TrailEntry.objects.filter(action="locked").get()
    assert json.loads(locked.data)["username"] == "alice"


def test_an_unknown_name_is_locked_the_same_way(world):
    answers = []
    for username in ("alice", "nobody"):
        for _ in range(6):
            _, response = log_in(username, "wrong-Password-1")
            answers.append(response.content.decode().count("用户名或密码不正确"))
    assert set(answers) == {1}
    assert lockout.refused("nobody", "") and lockout.refused("alice", "")


def test_the_lock_lifts_after_fifteen_minutes(world):
    for _ in range(5):
        log_in("alice", "wrong-Password-1")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    client, response = log_in("alice")
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert not LoginFailure.objects.filter(username="alice").exists()


def test_one_address_trying_many_names_is_held_back(world):
    for n in range(lockout.ADDRESS_LIMIT):
        log_in(f"guess{n}", "wrong-Password-1")
    client, _ = log_in("alice")
    assert "_auth_user_id" not in client.session


def test_the_api_counts_failures_and_honours_the_lock(world):
    token = base64.b64encode(b"alice:wrong-Password-1").decode()
    for _ in range(5):
        assert Client().get(reverse("api:households"), HTTP_AUTHORIZATION=f"Basic {token}").status_code == 401
    right = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    assert Client().get(reverse("api:households"), HTTP_AUTHORIZATION=f"Basic {right}").status_code == 401


# ---- idle sessions -----------------------------------------------------------------------------------


def test_a_session_idle_for_thirty_minutes_ends(world):
    client = world.client(world.alice)
    assert client.get(LIST).status_code == 200
    session = client.session
    session[SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_goes_on(world):
    client = world.client(world.alice)
    session = client.session
    session[SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get(LIST).status_code == 200
    assert time.time() - client.session[SEEN] < 5


# ---- the second factor -------------------------------------------------------------------------------


def test_the_rfc_6238_reference_codes():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, totp.step_of(59)) == "287082"
    assert totp.code_at(secret, totp.step_of(1111111109)) == "081804"
    assert totp.matching_step(secret, "081804", 1111111109 + 30) == totp.step_of(1111111109)
    assert totp.matching_step(secret, "081804", 1111111109 + 90) is None
    assert totp.matching_step(secret, "081804", 1111111109, after=totp.step_of(1111111109)) is None


def _code(user) -> str:
    from gaizao.core.crypto import decrypt

    secret = decrypt(Credential.objects.get(user=user).totp_secret)
    return totp.code_at(secret, totp.step_of(time.time()))


def test_officials_enrol_then_pass_the_second_factor(world, settings):
    settings.TOTP_REQUIRED = True
    client, response = log_in("alice")
    assert client.get(LIST)["Location"] == reverse("accounts:totp_enrol")
    assert client.get(reverse("api:households")).status_code == 403
    page = client.get(reverse("accounts:totp_enrol")).content.decode()
    assert "<svg" in page
    stored = Credential.objects.get(user=world.alice.user).totp_secret
    assert stored.startswith("v1:") and _code(world.alice.user) not in stored
    assert "不正确" in client.post(reverse("accounts:totp_enrol"), {"code": "000000"}, follow=True).content.decode()
    code = _code(world.alice.user)
    assert client.post(reverse("accounts:totp_enrol"), {"code": code}).status_code == 302
    assert client.get(LIST).status_code == 200

    again, _ = log_in("alice")
    assert again.get(LIST)["Location"] == reverse("accounts:totp_verify")
    replay = again.post(reverse("accounts:totp_verify"), {"code": code}, follow=True).content.decode()
    assert "已使用" in replay
    assert again.get(LIST).status_code == 302


def test_the_second_factor_is_off_unless_required(world):
    client, _ = log_in("alice")
    assert client.get(LIST).status_code == 200
