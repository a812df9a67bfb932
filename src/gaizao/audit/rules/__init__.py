"""The audit rules (纪委's view) over the ledger, the agreements and the payments.

Each rule is a plain function `rule(*, project_ids, today)` yielding `Found`s: what it found, about which
household, with the figures it compared. The rules read set-based (grouped queries, values in chunks), never
a query per household; engine.py runs them and keeps their findings (audit.Finding) once per rule and key.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from gaizao.core.crypto import keyed_hash
from gaizao.ledger.models import Household

CHUNK = 5_000
LISTED = 20  # households listed in one finding's figures; the rest are counted


@dataclass
class Found:
    key: str  # stable: the same problem found again has the same key
    household_id: int  # the record it is about: its unit explains it
    severity: str  # high / medium / low
    summary: str  # one line in Chinese
    figures: dict[str, Any] = field(default_factory=dict)  # JSON values only: amounts and dates as text
    agreement_id: int | None = None
    payment_id: int | None = None


def in_projects(qs: QuerySet, project_ids: list[int] | None, field: str = "project_id") -> QuerySet:
    return qs if project_ids is None else qs.filter(**{f"{field}__in": project_ids})


def value_key(kind: str, value: str) -> str:
    """A finding's key for a personal value (an ID number, a phone, an account): its keyed hash, never the value."""
    return hashed_key(kind, keyed_hash(value))


def hashed_key(kind: str, stored_hash: str) -> str:
    """The same key from the keyed hash the ledger stores beside the value (id_hash, phone_hash …)."""
    return f"{kind}:{stored_hash[:32]}"


def short_hash(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sql_of(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


UNIT, RECORD = "\x1f", "\x1e"  # between a row's fields, between a group's rows


def _union(parts: list[QuerySet]) -> tuple[str, tuple]:
    sqls, params = [], ()
    for qs in parts:
        sql, p = sql_of(qs.order_by())
        sqls.append(f"SELECT * FROM ({sql}) u{len(sqls)}")
        params += p
    return " UNION ALL ".join(sqls), params


def grouped(
    parts: Iterable[QuerySet], key: str, distinct: str, fields: tuple[str, ...], *, rare: bool = True
) -> Iterator[tuple[Any, list[list[str]]]]:
    """The groups of rows sharing `key` with more than one `distinct` value (two households, two ID numbers …),
    over the UNION ALL of several querysets that select the same aliases (with .values(alias=…)): yields (the
    key, the group's rows as lists of `fields`, all as text).

    The database does the grouping, in one statement, each group's rows joined into one string (GROUP_CONCAT,
    STRING_AGG): a million people cost one pass, and a group one row read however large it is. A group has two
    distinct values when MIN <> MAX (cheaper than COUNT(DISTINCT)). When shared keys are `rare` (an ID number,
    a phone), they are first found on the key and the distinct column alone, and only their rows read with the
    other fields; when most keys are shared (a name), one pass reads all. Values of encrypted columns come back
    as stored (core.crypto.decrypt reads them)."""
    parts = list(parts)
    rows_sql, params = _union(parts)
    q = connection.ops.quote_name
    joined = " || %s || ".join(f"CAST({q(f)} AS TEXT)" for f in fields)
    aggregate = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    k, d = q(key), q(distinct)
    sql = f"SELECT {k}, {aggregate}({joined}, %s) FROM ({rows_sql}) t "
    if rare:
        keys_sql, keys_params = _union([qs.values(key, distinct) for qs in parts])
        sql += f"WHERE {k} IN (SELECT {k} FROM ({keys_sql}) g GROUP BY {k} HAVING MIN({d}) <> MAX({d})) GROUP BY {k}"
        params += keys_params
    else:
        sql += f"GROUP BY {k} HAVING MIN({d}) <> MAX({d})"
    with connection.cursor() as cursor:
        cursor.execute(sql, (UNIT,) * (len(fields) - 1) + (RECORD,) + params)
        for value, text in iter_cursor(cursor):
            yield value, [row.split(UNIT) for row in text.split(RECORD)]


def places(household_ids: set[int]) -> dict[int, tuple[int, int, int, int | None]]:
    """household → (project, district, street, holding unit). The ids go into the statement as numbers: a
    hundred thousand of them as parameters would cost more in preparing than in reading."""
    found = {}
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in ("id", "project_id", "district_id", "street_id", "holder_unit_id"))
    with connection.cursor() as cursor:
        for part in chunks(sorted(household_ids), 20_000):
            numbers = ",".join(str(int(pk)) for pk in part)
            cursor.execute(f"SELECT {columns} FROM {q(Household._meta.db_table)} WHERE {q('id')} IN ({numbers})")
            for pk, *place in cursor.fetchall():
                found[pk] = tuple(place)
    return found


def iter_cursor(cursor, size: int = CHUNK) -> Iterator[tuple]:
    while batch := cursor.fetchmany(size):
        yield from batch
