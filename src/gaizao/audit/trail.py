"""The audit trail: entries appended in the caller's transaction and chained by SHA-256, and the check of the chain.

hash(n) = SHA-256(hash(n-1) ‖ the entry's fields joined by a unit separator); the first link follows GENESIS.
"""

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models.fields.files import FieldFile

from gaizao.audit import context
from gaizao.audit.models import TrailEntry, TrailHead
from gaizao.core.bulk import insert_rows

GENESIS = "0" * 64
SEPARATOR = "\x1f"
COLUMNS = [
    "seq",
    "at_us",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "district_id",
    "ip",
    "data",
    "hash",
]


class TrailError(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    action: str
    object_type: str
    object_id: Any
    data: dict
    district_id: int | None = None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def canonical(data: dict) -> str:
    """Compact JSON with sorted keys: the exact text that is stored and hashed (never parsed back to verify)."""
    return orjson.dumps(data, default=_plain, option=orjson.OPT_SORT_KEYS).decode()


def link(previous: str, row: tuple) -> str:
    """The hash of a row given as the first ten COLUMNS (everything but the hash)."""
    seq, at_us, actor_id, actor, action, object_type, object_id, district_id, ip, data = row
    line = SEPARATOR.join(
        (
            previous + str(seq),
            str(at_us),
            "" if actor_id is None else str(actor_id),
            actor,
            action,
            object_type,
            object_id,
            "" if district_id is None else str(district_id),
            ip,
            data,
        )
    )
    return hashlib.sha256(line.encode()).hexdigest()


def _locked_head() -> TrailHead:
    head = TrailHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    if TrailEntry.objects.exists():
        raise TrailError("审计日志的链头丢失：请运行 gaizao audit verify 核查，未核查前不能再写入")
    return TrailHead.objects.create(pk=1, seq=0, hash=GENESIS)


def append(entries: Iterable[Entry]) -> int:
    """Write entries at the end of the chain, inside the caller's transaction (or one of their own)."""
    actor_id, actor, ip = context.current()
    at_us = time.time_ns() // 1000
    with transaction.atomic():
        head = _locked_head()
        seq, previous = head.seq, head.hash
        rows = []
        for entry in entries:
            seq += 1
            row = (
                seq,
                at_us,
                actor_id,
                actor,
                entry.action,
                entry.object_type,
                str(entry.object_id),
                entry.district_id,
                ip,
                canonical(entry.data),
            )
            previous = link(previous, row)
            rows.append((*row, previous))
        if not rows:
            return head.seq
        insert_rows(TrailEntry, COLUMNS, rows)
        TrailHead.objects.filter(pk=1).update(seq=seq, hash=previous)
    return seq


def record(action: str, object_type: str, object_id: Any, data: dict | None = None, district_id=None) -> int:
    return append([Entry(action, object_type, object_id, data or {}, district_id)])


# ---- verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


def _rows(chunk: int = 20_000) -> Iterator[tuple]:
    table = connection.ops.quote_name(TrailEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {connection.ops.quote_name('seq')}")
        while batch := cursor.fetchmany(chunk):
            yield from batch


def verify() -> Verdict:
    """Recompute the chain from the first entry; name the first row whose hash or place is wrong."""
    previous, expected, checked = GENESIS, 1, 0
    for row in _rows():
        seq = row[0]
        if seq != expected:
            return Verdict(checked, seq, f"第 {expected} 至 {seq - 1} 条缺失（被删除）")
        if link(previous, row[:10]) != row[10]:
            return Verdict(checked, seq, f"第 {seq} 条的哈希不符：内容被改动，或其前一条被删改")
        previous, expected, checked = row[10], expected + 1, checked + 1
    head = TrailHead.objects.filter(pk=1).first()
    if head is None:
        return Verdict(checked, problem="链头缺失") if checked else Verdict(0)
    if head.seq != checked or head.hash != previous:
        return Verdict(checked, head.seq if head.seq > checked else None, _tail_problem(head, checked))
    return Verdict(checked)


def _tail_problem(head: TrailHead, checked: int) -> str:
    if head.seq > checked:
        return f"链头记到第 {head.seq} 条，日志只到第 {checked} 条：末尾 {head.seq - checked} 条被删除"
    return f"链头记到第 {head.seq} 条，与日志最后一条（第 {checked} 条）不符"
