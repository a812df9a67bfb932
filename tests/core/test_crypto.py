"""Encryption at rest (core/crypto.py, core/fields.py): a round trip, a fresh nonce each time, the keyed hash,
loud failures on another key or altered data, and the bulk writer encrypting and hashing as the models do."""

import logging

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection
from django.forms import TextInput, modelform_factory

from gaizao.core.bulk import insert_rows, update_rows
from gaizao.core.crypto import PREFIX, DecryptionError, decrypt, encrypt, keyed_hash, new_key
from gaizao.core.masking import MaskedLogs, mask_numbers
from gaizao.ledger.models import Household, Member
from gaizao.org.models import Official
from gaizao.settings import LOGGING

ID = "11010519491231002X"
PHONE = "13812345678"


def stored(table: str, column: str, pk: int) -> str:
    """What the database holds, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_value_comes_back_as_it_went_in():
    for text in (ID, PHONE, "6222 0202 0011 2233 445", "张三明"):
        token = encrypt(text)
        assert token.startswith(PREFIX) and text not in token
        assert decrypt(token) == text
    assert encrypt("") == "" and decrypt("") == ""


def test_the_same_value_encrypts_differently_each_time_but_hashes_the_same():
    assert encrypt(ID) != encrypt(ID)
    assert keyed_hash(ID) == keyed_hash(ID) and len(keyed_hash(ID)) == 64
    assert keyed_hash(ID) == keyed_hash(" 11010519491231002x ")  # normalised: spaces out, X upper case
    assert keyed_hash(ID) != keyed_hash("110105194912310038")
    assert keyed_hash("") == ""


def test_the_hash_depends_on_the_key(settings):
    before = keyed_hash(ID)
    settings.DATA_KEY = new_key()
    assert keyed_hash(ID) != before


def test_another_key_fails_loudly_in_chinese(settings):
    token = encrypt(ID)
    settings.DATA_KEY = new_key()
    with pytest.raises(DecryptionError, match="解密失败：密钥不符或数据被改动"):
        decrypt(token)


def test_altered_or_foreign_data_fails_loudly():
    token = encrypt(ID)
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(DecryptionError, match="解密失败"):
        decrypt(altered)
    with pytest.raises(DecryptionError, match="解密失败"):
        decrypt(PREFIX + "not base64!")
    with pytest.raises(DecryptionError, match="不是本系统加密的数据"):
        decrypt(ID)


@pytest.mark.parametrize(("key", "message"), [("not base64!", "base64"), ("c2hvcnQ=", "须为 32 字节，现为 5 字节")])
def test_a_bad_key_is_refused_in_chinese(settings, key, message):
    settings.DATA_KEY = key
    with pytest.raises(ImproperlyConfigured, match=message):
        encrypt(ID)


def test_a_model_reads_plain_text_and_the_database_holds_ciphertext(world):
    house = world.house_a
    token = stored("ledger_household", "id_number", house.pk)
    assert token.startswith(PREFIX) and ID not in token
    assert stored("ledger_household", "phone", house.pk).startswith(PREFIX)
    assert stored("ledger_household", "id_hash", house.pk) == keyed_hash(ID)
    assert stored("ledger_household", "phone_hash", house.pk) == keyed_hash(PHONE)
    again = Household.objects.get(pk=house.pk)
    assert (again.id_number, again.phone) == (ID, PHONE)
    assert Household.objects.filter(pk=house.pk).values_list("id_number", "phone").get() == (ID, PHONE)
    assert Household.objects.values("id_number").get(pk=house.pk) == {"id_number": ID}


def test_a_wrong_key_fails_loudly_when_a_record_is_read(world, settings):
    settings.DATA_KEY = new_key()
    with pytest.raises(DecryptionError, match="密钥不符"):
        Household.objects.get(pk=world.house_a.pk)


def test_an_encrypted_column_cannot_be_compared_by_value(world):
    with pytest.raises(FieldError, match="摘要字段"):
        Household.objects.filter(id_number=ID).exists()
    with pytest.raises(FieldError, match="摘要字段"):
        Household.objects.filter(phone__startswith="138").exists()
    assert Household.objects.filter(id_hash=keyed_hash(ID)).get() == world.house_a
    assert set(Household.objects.filter(id_number="").values_list("number", flat=True)) == {"B001", "B002"}
    assert Household.objects.exclude(phone="").get() == world.house_a


def test_a_save_keeps_the_hash_in_step(world):
    house = Household.objects.get(pk=world.house_a.pk)
    house.phone = "13900001111"
    house.save()
    assert stored("ledger_household", "phone_hash", house.pk) == keyed_hash("13900001111")
    house.phone = ""
    house.save()
    assert (
        stored("ledger_household", "phone", house.pk) == "" and stored("ledger_household", "phone_hash", house.pk) == ""
    )


def test_the_bulk_writer_encrypts_and_hashes_like_a_save(world):
    names = ["household_id", "district_id", "name", "id_number", "relation", "phone", "special_groups"]
    rows = [
        (world.house_a.pk, world.district.pk, "张小明", ID, "子", PHONE, []),
        (world.house_a.pk, world.district.pk, "张小红", "", "女", "", []),
    ]
    insert_rows(Member, names, rows)
    son, daughter = Member.objects.filter(household=world.house_a).order_by("name")[:2]
    assert (son.name, son.id_number, son.phone) == ("张小明", ID, PHONE)
    assert stored("ledger_member", "id_number", son.pk).startswith(PREFIX)
    assert stored("ledger_member", "phone", son.pk).startswith(PREFIX)
    assert (son.id_hash, son.phone_hash) == (keyed_hash(ID), keyed_hash(PHONE))
    assert (daughter.id_number, daughter.id_hash, stored("ledger_member", "id_number", daughter.pk)) == ("", "", "")
    update_rows(Member, ["id_number"], [("110105194912310038", son.pk)])
    son.refresh_from_db()
    assert son.id_number == "110105194912310038" and son.id_hash == keyed_hash("110105194912310038")
    assert stored("ledger_member", "id_number", son.pk).startswith(PREFIX)


def test_numbers_in_a_text_are_masked():
    text = f'"GET /ledger/?q={ID} HTTP/1.1" 200, phone {PHONE}, old 110105491231002, hash ab{ID}cd, 2026-08-10'
    assert mask_numbers(text) == (
        '"GET /ledger/?q=1101**********002X HTTP/1.1" 200, phone 138****5678, old 1101*******1002, '
        f"hash ab{ID}cd, 2026-08-10"
    )


def test_every_log_handler_masks_numbers():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"GET /?q=%s HTTP/1.1" 200', (ID,), None)
    assert MaskedLogs().filter(record)
    assert record.getMessage() == '"GET /?q=1101**********002X HTTP/1.1" 200'
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError as error:
        failed = logging.LogRecord("gaizao", logging.ERROR, __file__, 1, "failed", (), (type(error), error, None))
    MaskedLogs().filter(failed)
    assert PHONE not in failed.exc_text and "138****5678" in failed.exc_text
    assert all("masked" in handler.get("filters", ()) for handler in LOGGING["handlers"].values())


def test_a_form_for_an_encrypted_field_is_one_line_that_checks_the_length():
    form = modelform_factory(Official, fields=["phone"])(data={"phone": "1" * 21})
    assert not form.is_valid() and "phone" in form.errors
    assert isinstance(form.fields["phone"].widget, TextInput) and form.fields["phone"].max_length == 20
