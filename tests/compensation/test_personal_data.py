"""Personal data (issue 6, part 4) across the ledger and the money: bank accounts stored encrypted and shown
masked, and no full ID number or phone in any log line while a day's work goes through the pages."""

import importlib
import logging
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from gaizao.compensation.agreements import agreement_draft, agreement_sign
from gaizao.compensation.models import Payment
from gaizao.compensation.payments import payment_post
from gaizao.core.crypto import PREFIX, keyed_hash
from gaizao.core.masking import mask_numbers
from gaizao.ledger.models import Household
from tests.ledger.workbooks import Sheet, person_id, record, table, write_xlsx

ACCOUNT = "6222020200112233445"
OWNER_ID, OWNER_PHONE = "11010519491231002X", "13812345678"  # Alice's household A001 (tests/conftest.py)
NEW_ID, NEW_PHONE = person_id(31), "13955550123"
MEMBER_ID, EDITED_PHONE = person_id(32, male=False), "13766661234"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed(world):
    agreement = agreement_draft(
        by=world.alice.user,
        household=world.house_a,
        choice="货币补偿",
        moving_deadline=date(2026, 9, 30),
        planned_signing=date(2026, 8, 3),
    )
    return agreement_sign(by=world.alice.user, agreement=agreement, signed_on=date(2026, 8, 3), address="征收办")


def stored_account(payment: Payment) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT account, account_hash FROM compensation_payment WHERE id = %s", [payment.pk])
        return cursor.fetchone()


def test_a_bank_account_is_stored_encrypted_and_shown_masked(appraised):
    agreement = signed(appraised)
    payment = payment_post(
        by=appraised.alice.user,
        agreement=agreement,
        amount=Decimal("1000.00"),
        paid_on=date(2026, 8, 10),
        payee="张三明",
        account=ACCOUNT,
    )
    account, account_hash = stored_account(payment)
    assert account.startswith(PREFIX) and ACCOUNT not in account and account_hash == keyed_hash(ACCOUNT)
    assert Payment.objects.get(pk=payment.pk).account == ACCOUNT
    page = appraised.client(appraised.alice).get(reverse("compensation:agreement", args=[agreement.pk]))
    assert ACCOUNT not in page.content.decode() and "***************3445" in page.content.decode()


def test_the_migration_encrypts_plaintext_accounts_and_may_run_again(appraised):
    migration = importlib.import_module("gaizao.compensation.migrations.0010_payment_account_encrypted")
    payment = payment_post(
        by=appraised.alice.user,
        agreement=signed(appraised),
        amount=Decimal("1000.00"),
        paid_on=date(2026, 8, 10),
        payee="张三明",
        account=ACCOUNT,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE compensation_payment SET account = %s, account_hash = '' WHERE id = %s", [ACCOUNT, payment.pk]
        )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_accounts(apps, editor)
    first = stored_account(payment)
    assert first[0].startswith(PREFIX) and first[1] == keyed_hash(ACCOUNT)
    migration.encrypt_accounts(apps, editor)
    assert stored_account(payment) == first
    assert Payment.objects.get(pk=payment.pk).account == ACCOUNT


def _every_logger_at_debug(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and logger.level:  # "django" and the like keep their own level
            caplog.set_level(logging.DEBUG, logger=name)


def _a_days_work(world, tmp_path, agreement) -> None:
    """Import a workbook, search, look and reveal, edit, add a member, export, pay: through the pages and API."""
    office, alice = world.client(world.olivia), world.client(world.alice)
    rows = [record("C001", "陈国华", "人民路3号", 身份证号=NEW_ID, 联系电话=NEW_PHONE, 证载面积=85.5)]
    path = write_xlsx(tmp_path / "台账.xlsx", Sheet("城关街道", table(rows)))
    upload = SimpleUploadedFile("台账.xlsx", path.read_bytes(), content_type=XLSX)
    preview = office.post(reverse("ledger:import"), {"project": world.project.pk, "file": upload})
    token = preview.context["confirm_form"].initial["token"]
    assert office.post(reverse("ledger:import_confirm"), {"token": token}).context["report"].written
    new = Household.objects.get(number="C001")

    for number in (OWNER_ID, NEW_ID, NEW_ID[-4:]):
        assert office.get(reverse("ledger:household_list"), {"q": number}, HTTP_HX_REQUEST="true").status_code == 200
        assert office.get(reverse("api:households"), {"q": number}).json()["count"] == 1
    for house in (world.house_a, new):
        detail = reverse("ledger:household_detail", args=[house.pk])
        assert office.get(detail).status_code == 200
        assert NEW_ID in office.get(detail, {"reveal": "1"}).content.decode() or house != new
        assert office.get(reverse("api:household", args=[house.pk])).status_code == 200
    assert world.client(world.bob).get(reverse("ledger:household_detail", args=[new.pk])).status_code == 404

    office.post(reverse("ledger:household_edit", args=[new.pk]), {"phone": EDITED_PHONE})
    office.post(
        reverse("ledger:member_add", args=[new.pk]), {"name": "陈小华", "relation": "女", "id_number": MEMBER_ID}
    )
    office.post(reverse("ledger:member_add", args=[new.pk]), {"name": "陈错号", "id_number": MEMBER_ID[:-1] + "0"})
    assert new.members.get().id_number == MEMBER_ID
    assert Household.objects.get(pk=new.pk).phone == EDITED_PHONE
    for reveal in ("", "1"):
        assert b"".join(office.get(reverse("ledger:export"), {"reveal": reveal}).streaming_content).startswith(b"PK")

    pay = {"kind": "compensation", "amount": "1000", "payee": "张三明", "account": ACCOUNT, "paid_on": "2026-08-10"}
    alice.post(reverse("compensation:payment_post", args=[agreement.pk]), pay)
    alice.post(reverse("compensation:payment_post", args=[agreement.pk]), pay | {"amount": "-1"})
    assert alice.get(reverse("compensation:agreement", args=[agreement.pk])).status_code == 200
    assert alice.get(reverse("compensation:agreement_docx", args=[agreement.pk])).content.startswith(b"PK")


def test_no_full_id_number_or_phone_in_any_log_line(appraised, tmp_path, caplog):
    agreement = signed(appraised)  # the signed PDF is rendered before the logs are read: fonts log a lot
    _every_logger_at_debug(caplog)
    connection.force_debug_cursor = True  # every SQL statement logged with its parameters
    try:
        _a_days_work(appraised, tmp_path, agreement)
    finally:
        connection.force_debug_cursor = False

    assert Payment.objects.get().account == ACCOUNT
    loggers = {r.name for r in caplog.records}
    assert "django.db.backends" in loggers and "django.request" in loggers  # the statements and the 404 were read
    formatter = logging.Formatter()
    lines = [formatter.format(r) for r in caplog.records]
    assert any(PREFIX in line for line in lines)  # the statements' parameters were logged: encrypted
    for line in lines:
        for value in (OWNER_ID, OWNER_PHONE, NEW_ID, NEW_PHONE, MEMBER_ID, EDITED_PHONE, ACCOUNT):
            assert value not in line, f"a full number in the log: {mask_numbers(line)[:300]}"
        assert mask_numbers(line) == line, f"an ID or mobile number in the log: {mask_numbers(line)[:300]}"
