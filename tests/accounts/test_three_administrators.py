"""三员分立: the system administrator opens accounts, the security administrator grants roles, the audit
administrator reads the trail; none does another's part, none sees the ledger, one person holds one duty."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from gaizao.accounts import services
from gaizao.accounts.models import Credential
from gaizao.org.models import Official, Role, UnitKind
from gaizao.org.services import unit_create

ID = {"sys": "110105198503010139", "sec": "110105198604020248", "aud": "110105198705030373"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admins(world):
    it = unit_create(name="区大数据中心", kind=UnitKind.DEPARTMENT, parent=world.district)
    call_command(
        "accounts",
        "bootstrap",
        "--unit",
        "区大数据中心",
        "--system",
        "sys",
        "陶文斌",
        ID["sys"],
        "--security",
        "sec",
        "姜雨桐",
        ID["sec"],
        "--audit",
        "aud",
        "蒋明哲",
        ID["aud"],
    )
    found = {o.user.username: o for o in Official.objects.filter(unit=it).select_related("user")}
    return found["sys"], found["sec"], found["aud"]


def client_of(official) -> Client:
    client = Client()
    client.force_login(official.user)
    return client


def test_bootstrap_opens_the_three_once_with_passwords_to_change(admins):
    sys_admin, sec_admin, aud_admin = admins
    assert [o.role for o in admins] == [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
    assert all(Credential.objects.get(user=o.user).must_change for o in admins)
    assert client_of(sys_admin).get(reverse("accounts:manage"))["Location"] == reverse("accounts:password")
    with pytest.raises(CommandError, match="已有三员账户"):
        call_command("accounts", "bootstrap", "--unit", "区大数据中心", *["--system", "a", "b", "c"] * 1,
                     "--security", "d", "e", "f", "--audit", "g", "h", "i")  # fmt: skip


@pytest.fixture
def ready(admins):
    Credential.objects.filter(user__in=[o.user for o in admins]).update(must_change=False)
    return admins


def test_the_system_administrator_opens_an_account_that_sees_nothing_until_granted(world, ready):
    sys_admin, sec_admin, _ = ready
    html = (
        client_of(sys_admin)
        .post(reverse("accounts:manage"), {"username": "carol", "name": "卡萝", "unit": world.street_a.pk})
        .content.decode()
    )
    assert "已开设账户“carol”，临时密码：" in html
    carol = Official.objects.get(user__username="carol")
    assert carol.role == "" and Credential.objects.get(user=carol.user).must_change
    Credential.objects.filter(user=carol.user).update(must_change=False)
    assert "A001" not in client_of(carol).get("/ledger/").content.decode()

    response = client_of(sec_admin).post(reverse("accounts:roles"), {"official": carol.pk, "role": Role.STREET})
    assert response.status_code == 302
    assert "A001" in client_of(carol).get("/ledger/").content.decode()


def test_each_administrator_is_kept_to_their_own_part(world, ready):
    sys_admin, sec_admin, aud_admin = ready
    assert client_of(sys_admin).get(reverse("accounts:roles")).status_code == 403
    assert client_of(sys_admin).get(reverse("audit:trail")).status_code == 403
    assert client_of(sec_admin).get(reverse("accounts:manage")).status_code == 403
    assert client_of(sec_admin).get(reverse("audit:trail")).status_code == 403
    assert client_of(aud_admin).get(reverse("audit:trail")).status_code == 200
    assert client_of(aud_admin).get(reverse("accounts:manage")).status_code == 403
    for admin in ready:
        assert "A001" not in client_of(admin).get("/ledger/").content.decode()
        response = client_of(admin).get(reverse("ledger:household_detail", args=[world.house_a.pk]))
        assert response.status_code == 404


def test_no_one_changes_their_own_rights(ready):
    sys_admin, sec_admin, _ = ready
    with pytest.raises(PermissionDenied, match="不能更改自己的角色"):
        services.role_grant(by=sec_admin.user, official=sec_admin, role=Role.OFFICE)
    with pytest.raises(PermissionDenied, match="不能停用自己的账户"):
        services.account_active(by=sys_admin.user, official=sys_admin, active=False)


def test_one_person_holds_one_duty(world, ready):
    sys_admin, sec_admin, _ = ready
    twin, _ = services.account_open(
        by=sys_admin.user, username="sys2", name="陶文斌", unit=world.district, id_number=ID["sys"]
    )
    with pytest.raises(ValidationError, match="此人已是系统管理员"):
        services.role_grant(by=sec_admin.user, official=twin, role=Role.AUDIT_ADMIN)
    nobody, _ = services.account_open(by=sys_admin.user, username="anon", name="某人", unit=world.district)
    with pytest.raises(ValidationError, match="须先登记本人身份证号"):
        services.role_grant(by=sec_admin.user, official=nobody, role=Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="不能授予敏感信息查看权限"):
        services.role_grant(by=sec_admin.user, official=twin, role=Role.SYSTEM_ADMIN, can_reveal=True)


def test_a_reset_gives_a_temporary_password_and_unlocks(world, ready):
    sys_admin, _, _ = ready
    for _ in range(5):
        Client().post(reverse("login"), {"username": "alice", "password": "wrong-Password-1"})
    client = client_of(sys_admin)
    assert "已锁定" in client.get(reverse("accounts:manage")).content.decode()
    page = client.post(reverse("accounts:account_act", args=[world.alice.pk]), {"action": "reset"}, follow=True)
    message = page.content.decode()
    assert "临时密码" in message
    password = message.split("临时密码：")[1].split("（")[0]
    fresh = Client()
    fresh.post(reverse("login"), {"username": "alice", "password": password})
    assert fresh.get("/ledger/")["Location"] == reverse("accounts:password")


def test_a_superuser_cannot_log_in_in_production(db, settings):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="Root-Password-2026")
    settings.PRODUCTION = True
    assert not Client().login(username="root", password="Root-Password-2026")
    settings.PRODUCTION = False
    assert Client().login(username="root", password="Root-Password-2026")
