"""Backups and restores of the whole database, and a digest of the ledger to compare them by.

SQLite is copied with its online backup API from a read snapshot, so the server may keep writing;
PostgreSQL with `pg_dump --format=custom` from an exported snapshot. Either way the ledger digest is
computed in the same snapshot as the copy, and is kept in the `.sha256` file beside the backup (as a
comment line: `sha256sum -c` still reads the file). A restore checks that file first.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

LEDGER_MODELS = (
    "ledger.Household",
    "ledger.Member",
    "ledger.Property",
    "compensation.Agreement",
    "compensation.Payment",
)
SUFFIXES = {"sqlite": "sqlite3", "postgresql": "dump"}
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DIGEST_COMMENT = "# ledger-digest "


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    ledger_digest: str

    @property
    def sidecar(self) -> Path:
        return sidecar_of(self.path)


# ---- the ledger digest -----------------------------------------------------------------------------


def ledger_digest(using: str = "default") -> str:
    """SHA-256 over households, members, properties, agreements and payments: every stored column, as
    text, in primary-key order. The same ledger gives the same digest on SQLite and PostgreSQL."""
    digest = hashlib.sha256()
    for label in LEDGER_MODELS:
        model = apps.get_model(label)
        names = [field.attname for field in model._meta.concrete_fields]
        digest.update(_line([label, *names]))
        rows = model._base_manager.using(using).order_by("pk").values_list(*names)
        for row in rows.iterator(chunk_size=2000):
            digest.update(_line([_text(value) for value in row]))
    return digest.hexdigest()


def _line(values: list[str | None]) -> bytes:
    return json.dumps(values, ensure_ascii=False).encode() + b"\n"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)  # Decimal (already to its decimal places), int, str


# ---- where backups go, and their check file ----------------------------------------------------------


def default_backup_path(*, data_dir: Path, vendor: str, now: datetime) -> Path:
    return data_dir / "backups" / f"gaizao-{now:%Y%m%d-%H%M%S}.{_suffix(vendor)}"


def backup_target(*, output: Path | None, data_dir: Path, vendor: str, now: datetime) -> Path:
    """--output as given; a folder gets the default file name inside it; none gives the default path."""
    if output is None:
        return default_backup_path(data_dir=data_dir, vendor=vendor, now=now)
    if output.is_dir():
        return output / default_backup_path(data_dir=data_dir, vendor=vendor, now=now).name
    return output


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _suffix(vendor: str) -> str:
    if vendor not in SUFFIXES:
        raise BackupError(f"不支持备份 {vendor} 数据库（只支持 SQLite 和 PostgreSQL）")
    return SUFFIXES[vendor]


# ---- backing up ------------------------------------------------------------------------------------------


def backup_database(*, using: str, target: Path) -> Backup:
    """Writes the backup to a temporary name beside `target`, renames it, then writes its check file."""
    connection = connections[using]
    _suffix(connection.vendor)
    if connection.in_atomic_block:
        raise BackupError("备份不能在数据库事务中进行")
    if target.exists():
        raise BackupError(f"备份文件“{target}”已存在，未覆盖；请换一个 --output")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        if connection.vendor == "sqlite":
            digest = _backup_sqlite(connection, partial)
        else:
            digest = _backup_postgresql(connection, partial)
        _fsync(partial)
        os.replace(partial, target)
        _write_sidecar(target, ledger=digest)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=target, size=target.stat().st_size, ledger_digest=digest)


def _backup_sqlite(connection: BaseDatabaseWrapper, partial: Path) -> str:
    with _sqlite_read_snapshot(connection) as source:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
        return ledger_digest(connection.alias)


@contextmanager
def _sqlite_read_snapshot(connection: BaseDatabaseWrapper) -> Iterator[sqlite3.Connection]:
    """A read transaction on Django's own connection: the copy and the digest see one state of the
    database, and in WAL mode the server's writers are not held up meanwhile."""
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        yield raw
    finally:
        raw.execute("ROLLBACK")


def _backup_postgresql(connection: BaseDatabaseWrapper, partial: Path) -> str:
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run_pg("pg_dump", connection.settings_dict, "--format=custom", f"--snapshot={snapshot}", f"--file={partial}")
        return ledger_digest(connection.alias)


def _write_sidecar(path: Path, *, ledger: str) -> None:
    """`sha256sum` format, so `sha256sum -c` checks it too; the ledger digest rides along as a comment."""
    sidecar = sidecar_of(path)
    partial = sidecar.with_name(sidecar.name + ".part")
    partial.write_text(f"{file_sha256(path)}  {path.name}\n{DIGEST_COMMENT}{ledger}\n", encoding="utf-8")
    _fsync(partial)
    os.replace(partial, sidecar)
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---- checking and restoring --------------------------------------------------------------------------------


def backup_check(*, path: Path, vendor: str) -> str | None:
    """Refuses a file that is missing, does not match its check file, or is not of this engine.
    Returns the ledger digest recorded at backup time (None if the check file has none)."""
    if not path.is_file():
        raise BackupError(f"找不到备份文件“{path}”")
    sidecar = sidecar_of(path)
    if not sidecar.is_file():
        raise BackupError(f"找不到备份文件“{path.name}”的校验文件“{sidecar.name}”，无法确认备份完整，未恢复")
    expected, ledger = _read_sidecar(sidecar)
    if file_sha256(path) != expected:
        raise BackupError(f"备份文件“{path}”与校验文件“{sidecar.name}”记录的 SHA-256 不符：文件已损坏或被改动，未恢复")
    with path.open("rb") as file:
        start = file.read(16)
    if not start.startswith(MAGIC[vendor]):
        found = next((ENGINE_NAMES[other] for other, magic in MAGIC.items() if start.startswith(magic)), None)
        what = f"（它是 {found} 数据库的备份）" if found else ""
        raise BackupError(f"“{path.name}”不是 {ENGINE_NAMES[vendor]} 数据库的备份{what}，当前数据库无法用它恢复")
    return ledger


def _read_sidecar(sidecar: Path) -> tuple[str, str | None]:
    lines = sidecar.read_text(encoding="utf-8", errors="replace").splitlines()
    first = lines[0].split() if lines else []
    if not first or len(first[0]) != 64 or any(c not in "0123456789abcdef" for c in first[0].lower()):
        raise BackupError(f"校验文件“{sidecar.name}”的格式不对（应为 sha256sum 的格式），未恢复")
    ledger = next((line.removeprefix(DIGEST_COMMENT) for line in lines if line.startswith(DIGEST_COMMENT)), None)
    return first[0].lower(), ledger


def describe_database(using: str) -> str:
    """What a restore would replace, in a few words."""
    connection = connections[using]
    name = connection.settings_dict["NAME"]
    try:
        households = apps.get_model("ledger.Household")._base_manager.using(using).count()
    except DatabaseError:
        return f"数据库“{name}”（尚未建表）"
    return f"数据库“{name}”（现有 {households} 户）"


def restore_database(*, using: str, path: Path) -> None:
    """Replaces the whole database with the backup at `path` (checked beforehand with backup_check)."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("恢复不能在数据库事务中进行")
    if connection.vendor == "sqlite":
        _restore_sqlite(connection, path)
    else:
        connection.close()
        _run_pg(
            "pg_restore",
            connection.settings_dict,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            str(path),
        )


def _restore_sqlite(connection: BaseDatabaseWrapper, path: Path) -> None:
    """The backup API the other way round: the live database is rewritten in one write transaction,
    so the server's open connections see either the old database or the restored one, whole."""
    name = str(connection.settings_dict["NAME"])
    if not connection.is_in_memory_db():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"从“{path.name}”恢复失败：{error}") from None
    finally:
        source.close()


def ledger_digest_or_none(using: str) -> str | None:
    """The digest, or None when the database's tables do not match the program (an older backup)."""
    try:
        return ledger_digest(using)
    except DatabaseError:
        return None


# ---- PostgreSQL's own tools ----------------------------------------------------------------------------------


def _run_pg(program: str, settings_dict: dict, *arguments: str) -> None:
    """Runs pg_dump or pg_restore against the configured database; the password goes in PGPASSWORD."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"找不到 {program}：请安装 PostgreSQL 客户端（Debian：postgresql-client）")
    command = [executable, "--no-password", f"--dbname={settings_dict['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command.append(f"{option}={settings_dict[key]}")
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = str(settings_dict["OPTIONS"]["sslmode"])
    done = subprocess.run([*command, *arguments], env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-3:]
        raise BackupError(f"{program} 失败（退出码 {done.returncode}）：" + " ".join(detail))
