"""Personal data at rest (issue 6, part 4): ID numbers and phones stored encrypted, found by a keyed hash, the
timeline without a second plain copy, and the migration that brings an older database in."""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaizao.core.crypto import PREFIX, keyed_hash
from gaizao.ledger.history import describe
from gaizao.ledger.models import Household, HouseholdEvent, Member
from gaizao.ledger.services import household_create, household_update, member_create
from gaizao.ledger.workbook.importer import import_ledger
from gaizao.org.models import Official
from tests.ledger.workbooks import Sheet, person_id, record, table, write_xlsx

FULL_ID = "11010519491231002X"  # Alice's household A001 (tests/conftest.py)
FULL_PHONE = "13812345678"
NEW_ID = person_id(7)
NEW_PHONE = "13987654321"
LIST = reverse("ledger:household_list")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def raw(sql: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def workbook(tmp_path, phone: str = NEW_PHONE):
    rows = [record("C001", "陈国华", "人民路3号", 身份证号=NEW_ID, 联系电话=phone, 证载面积=85.5)]
    return write_xlsx(tmp_path / "台账.xlsx", Sheet("城关街道", table(rows)))


def listed(world, official, q: str, api: bool = False) -> list[str]:
    if api:
        rows = world.client(official).get(reverse("api:households"), {"q": q}).json()["results"]
        return [row["number"] for row in rows]
    page = world.client(official).get(LIST, {"q": q}).content.decode()
    return sorted({n for n in ("A001", "B001", "B002", "C001") if f">{n}</a>" in page})


def test_an_imported_workbook_is_stored_encrypted_and_hashed(world, tmp_path):
    report = import_ledger(path=workbook(tmp_path), project=world.project)
    assert report.written
    [(id_number, id_hash, id_tail, phone, phone_hash)] = raw(
        "SELECT id_number, id_hash, id_tail, phone, phone_hash FROM ledger_household WHERE number = 'C001'"
    )
    assert id_number.startswith(PREFIX) and NEW_ID not in id_number
    assert phone.startswith(PREFIX) and NEW_PHONE not in phone
    assert (id_hash, id_tail, phone_hash) == (keyed_hash(NEW_ID), NEW_ID[-4:], keyed_hash(NEW_PHONE))
    house = Household.objects.get(number="C001")
    assert (house.id_number, house.phone) == (NEW_ID, NEW_PHONE)


def test_a_reimport_compares_through_the_encryption_and_keeps_the_changes_encrypted(world, tmp_path):
    import_ledger(path=workbook(tmp_path), project=world.project)
    again = import_ledger(path=workbook(tmp_path), project=world.project)
    assert (again.households_unchanged, again.written) == (1, False)

    changed = import_ledger(path=workbook(tmp_path, phone="13700001111"), project=world.project)
    assert changed.households_updated == 1
    assert changed.changes[0]["changes"] == {"phone": [NEW_PHONE, "13700001111"]}  # the preview, in memory
    house = Household.objects.get(number="C001")
    assert house.phone == "13700001111" and house.phone_hash == keyed_hash("13700001111")
    [(stored,)] = raw("SELECT changes FROM ledger_householdevent WHERE kind = 'imported'")
    stored = stored if isinstance(stored, str) else json.dumps(stored)
    assert NEW_PHONE not in stored and "13700001111" not in stored and PREFIX in stored
    event = house.events.get(kind="imported")
    assert describe(event.changes) == ["联系电话：139****4321 → 137****1111"]
    assert describe(event.changes, reveal=True) == [f"联系电话：{NEW_PHONE} → 13700001111"]


def test_a_change_by_hand_keeps_no_plain_copy_in_the_timeline(world):
    household_update(
        by=world.alice.user, household=world.house_a, changes={"id_number": NEW_ID, "phone": NEW_PHONE, "wish": "agree"}
    )
    event = HouseholdEvent.objects.get(household=world.house_a, kind="updated")
    for old, new in (event.changes["id_number"], event.changes["phone"]):
        assert old.startswith(PREFIX) and new.startswith(PREFIX)
    assert event.changes["wish"] == ["", "agree"]
    [(stored,)] = raw("SELECT changes FROM ledger_householdevent WHERE id = %s", event.pk)
    stored = stored if isinstance(stored, str) else json.dumps(stored)
    for number in (FULL_ID, NEW_ID, FULL_PHONE, NEW_PHONE):
        assert number not in stored
    masked = describe(event.changes)
    assert "身份证号：1101**********002X → " + NEW_ID[:4] + "**********" + NEW_ID[-4:] in masked
    assert f"身份证号：{FULL_ID} → {NEW_ID}" in describe(event.changes, reveal=True)
    page = world.client(world.olivia).get(reverse("ledger:household_detail", args=[world.house_a.pk])).content
    assert NEW_ID.encode() not in page and FULL_PHONE.encode() not in page and b"1101**********002X" in page
    page = world.client(world.olivia).get(reverse("ledger:household_detail", args=[world.house_a.pk]), {"reveal": 1})
    assert f"{FULL_PHONE} → {NEW_PHONE}" in page.content.decode()


def test_the_same_number_twice_is_two_ciphertexts_and_one_hash(world):
    twin = household_create(
        by=None, project=world.project, street=world.street_a, number="A009", owner_name="张三明", id_number=FULL_ID
    )
    member = member_create(by=world.bob.user, household=world.house_b, name="张三明", id_number=FULL_ID)
    rows = raw("SELECT id_number, id_hash FROM ledger_household WHERE id IN (%s, %s)", world.house_a.pk, twin.pk)
    [(member_id, member_hash)] = raw("SELECT id_number, id_hash FROM ledger_member WHERE id = %s", member.pk)
    assert len({rows[0][0], rows[1][0], member_id}) == 3
    assert rows[0][1] == rows[1][1] == member_hash == keyed_hash(FULL_ID)


@pytest.mark.parametrize("api", [False, True])
def test_a_whole_id_number_finds_its_household_through_the_hash(world, api):
    assert listed(world, world.olivia, FULL_ID, api) == ["A001"]
    assert listed(world, world.olivia, FULL_ID.lower(), api) == ["A001"]
    assert listed(world, world.olivia, "002X", api) == ["A001"]  # the last four, as before
    assert listed(world, world.alice, FULL_ID, api) == ["A001"]
    assert listed(world, world.bob, FULL_ID, api) == []  # another street's household stays out of reach
    assert listed(world, world.olivia, "110105194912310038", api) == []


def test_the_search_sends_the_hash_never_the_number(world):
    with CaptureQueriesContext(connection) as queries:
        assert listed(world, world.olivia, FULL_ID) == ["A001"]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert keyed_hash(FULL_ID) in sql and FULL_ID not in sql


def test_the_migration_encrypts_plaintext_rows_and_may_run_again(world):
    ledger = importlib.import_module("gaizao.ledger.migrations.0006_personal_data_encrypted")
    org = importlib.import_module("gaizao.org.migrations.0003_official_phone_encrypted")
    editor = SimpleNamespace(connection=connection)
    member = member_create(by=world.alice.user, household=world.house_a, name="张小明", id_number=NEW_ID)
    # As an older gaizao left them: plain text, no hashes, the timeline's changes in plain text too.
    raw(
        "UPDATE ledger_household SET id_number = %s, phone = %s, id_hash = '', phone_hash = '' WHERE id = %s",
        FULL_ID,
        FULL_PHONE,
        world.house_a.pk,
    )
    raw("UPDATE ledger_member SET id_number = %s, id_hash = '' WHERE id = %s", NEW_ID, member.pk)
    raw("UPDATE org_official SET phone = %s WHERE id = %s", NEW_PHONE, world.alice.pk)
    event = HouseholdEvent.objects.create(
        household=world.house_a,
        project=world.project,
        district=world.district,
        kind="updated",
        at=world.house_a.updated_at,
        changes={"phone": ["", FULL_PHONE], "wish": ["", "agree"]},
    )

    ledger.encrypt_personal_data(apps, editor)
    org.encrypt_phones(apps, editor)

    [(id_number, phone, id_hash, phone_hash)] = raw(
        "SELECT id_number, phone, id_hash, phone_hash FROM ledger_household WHERE id = %s", world.house_a.pk
    )
    assert id_number.startswith(PREFIX) and phone.startswith(PREFIX)
    assert (id_hash, phone_hash) == (keyed_hash(FULL_ID), keyed_hash(FULL_PHONE))
    [(member_id, member_hash)] = raw("SELECT id_number, id_hash FROM ledger_member WHERE id = %s", member.pk)
    assert member_id.startswith(PREFIX) and member_hash == keyed_hash(NEW_ID)
    [(official_phone,)] = raw("SELECT phone FROM org_official WHERE id = %s", world.alice.pk)
    assert official_phone.startswith(PREFIX)
    event.refresh_from_db()
    assert event.changes["phone"][1].startswith(PREFIX) and event.changes["wish"] == ["", "agree"]
    house = Household.objects.get(pk=world.house_a.pk)
    assert (house.id_number, house.phone) == (FULL_ID, FULL_PHONE)
    assert Member.objects.get(pk=member.pk).id_number == NEW_ID
    assert Official.objects.get(pk=world.alice.pk).phone == NEW_PHONE
    assert f"联系电话：空 → {FULL_PHONE}" in describe(event.changes, reveal=True)

    everything = "SELECT id_number, phone, id_hash, phone_hash FROM ledger_household ORDER BY id"
    before, changes_before = raw(everything), event.changes
    ledger.encrypt_personal_data(apps, editor)  # a second run leaves everything as the first left it
    org.encrypt_phones(apps, editor)
    event.refresh_from_db()
    assert raw(everything) == before and event.changes == changes_before
    assert raw("SELECT phone FROM org_official WHERE id = %s", world.alice.pk) == [(official_phone,)]
