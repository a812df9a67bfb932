"""Personal data at rest: a text field stored encrypted, and the keyed hash that finds it (docs/integrity.md).

Python always sees the plain text (a model's attribute, values(), values_list()); the database only "v1:…".
An encrypted column cannot be compared in SQL: find a value through its keyed-hash column instead
(`Household.objects.filter(id_hash=keyed_hash(number))`); an equality lookup on the encrypted field itself
is refused, except for "" (blank).
"""

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from gaizao.core.crypto import PREFIX, decrypt, encrypt, keyed_hash


class EncryptedCharField(models.TextField):
    """A short text (an ID number, a phone, an account) encrypted with AES-256-GCM; max_length checks the text."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})  # one line, not a text area

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return BlankOnlyExact
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(f"加密字段“{self.verbose_name}”不能按“{lookup_name}”查找：请用它的摘要字段（keyed hash）")


class BlankOnlyExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"加密字段“{self.lhs.output_field.verbose_name}”不能按值查找（每次加密结果不同）：请用它的摘要字段"
            )
        return super().get_prep_lookup()


class KeyedHashField(models.CharField):
    """HMAC-SHA256 of another field's text (core.crypto.keyed_hash): set on every save and bulk_create, and by
    core.bulk's insert_rows / update_rows when the source column is written; never typed in."""

    FIXED = {"max_length": 64, "blank": True, "editable": False}

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        super().__init__(*args, **(kwargs | self.FIXED))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in self.FIXED:
            kwargs.pop(key, None)
        return name, path, args, kwargs | {"source": self.source}

    def pre_save(self, model_instance, add):
        value = keyed_hash(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def encrypt_table(connection, table: str, columns: dict[str, str | None], chunk: int = 5000) -> int:
    """Encrypts a table's plaintext values where they stand and fills their hash columns: {column: hash column
    or None}. For the migrations that bring an older database in; values already "v1:…" are left alone, so it
    may run again. Reads by primary-key ranges and writes each chunk with one executemany. Returns rows changed."""
    q = connection.ops.quote_name
    plaintext = " OR ".join(f"({q(c)} <> '' AND {q(c)} NOT LIKE '{PREFIX}%%')" for c in columns)
    select = (
        f"SELECT id, {', '.join(q(c) for c in columns)} FROM {q(table)} WHERE id > %s AND ({plaintext}) ORDER BY id"
    )
    targets = [*columns, *(h for h in columns.values() if h)]
    update = f"UPDATE {q(table)} SET {', '.join(f'{q(c)} = %s' for c in targets)} WHERE id = %s"
    changed, last = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"{select} LIMIT {int(chunk)}", [last])
            rows = cursor.fetchall()
            if not rows:
                return changed
            updates = []
            for pk, *values in rows:
                plain = [decrypt(v) if v and v.startswith(PREFIX) else v or "" for v in values]
                sealed = [v if v and v.startswith(PREFIX) else encrypt(v or "") for v in values]
                hashes = [keyed_hash(p) for p, h in zip(plain, columns.values(), strict=True) if h]
                updates.append([*sealed, *hashes, pk])
            cursor.executemany(update, updates)
            changed += len(updates)
            last = rows[-1][0]
