"""`gaizao backup` and `gaizao restore`: a restore drill, refusals that change nothing, and an import
killed with SIGKILL that leaves the database whole.

The drill runs in-process on the test database (SQLite in memory, or PostgreSQL when DATABASE_URL is
set and pg_dump/pg_restore are installed) and, on SQLite, once more end to end: `gaizao` commands in
a subprocess on a file database in WAL mode, as an operator runs them.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gaizao.compensation.agreements import agreement_draft, agreement_sign
from gaizao.compensation.payments import payment_post
from gaizao.compensation.services import standard_publish, standard_save
from gaizao.core.backup import ENGINE_NAMES, MAGIC, file_sha256, ledger_digest, sidecar_of
from gaizao.ledger.models import Household
from gaizao.ledger.services import household_create, household_review, household_transition, household_update

ROOT = Path(__file__).resolve().parents[2]
SHANTYTOWN = ROOT / "src/gaizao/compensation/examples/shantytown-state-land.toml"
ON_POSTGRESQL = bool(os.environ.get("DATABASE_URL"))
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite 的文件数据库与 WAL：只在 SQLite 上测")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tools():
    """pg_dump and pg_restore on PostgreSQL; nothing outside Python on SQLite."""
    if connection.vendor == "postgresql":
        missing = [name for name in ("pg_dump", "pg_restore") if shutil.which(name) is None]
        if missing:
            pytest.skip(f"{'、'.join(missing)} 未安装")


def signed_and_paid(world) -> None:
    """A001's agreement signed under the shantytown example and a first payment: the ledger's five tables."""
    project = world.project
    project.code = "beizhan-shantytown"  # the example standard names its project
    project.signing_start, project.signing_end = date(2026, 8, 1), date(2026, 12, 31)
    project.save()
    draft = standard_save(by=world.olivia.user, project=project, source=SHANTYTOWN.read_text(encoding="utf-8"))
    standard_publish(by=world.olivia.user, standard=draft, on=date(2026, 7, 20))
    household_review(by=world.olivia.user, household=world.house_a)
    household_transition(by=world.alice.user, household=world.house_a, stage="appraised")
    agreement = agreement_draft(
        by=world.alice.user, household=world.house_a, choice="货币补偿", moving_deadline=date(2026, 9, 30)
    )
    agreement = agreement_sign(by=world.alice.user, agreement=agreement, signed_on=date(2026, 8, 3), address="征收办")
    pay(world, agreement, "300000.00")


def pay(world, agreement, amount: str) -> None:
    payment_post(
        by=world.alice.user,
        agreement=agreement,
        amount=Decimal(amount),
        paid_on=date(2026, 8, 10),
        payee="张三明",
        account="6222020200112233445",
    )


def change_the_ledger(world) -> None:
    household_update(by=world.alice.user, household=world.house_a, changes={"phone": "13900000000"})
    pay(world, world.house_a.agreements.get(), "1000.00")
    household_create(by=None, project=world.project, street=world.street_a, number="A002", owner_name="孙七")


def make_backup(folder: Path) -> Path:
    out = StringIO()
    call_command("backup", output=str(folder), stdout=out)
    return Path(out.getvalue().splitlines()[0].removeprefix("已备份："))


# ---- the restore drill ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_the_ledger_back_as_it_was_at_the_backup(world, tools, tmp_path):
    signed_and_paid(world)
    before = ledger_digest()
    backup = make_backup(tmp_path)
    assert sidecar_of(backup).read_text(encoding="utf-8").splitlines() == [
        f"{file_sha256(backup)}  {backup.name}",
        f"# ledger-digest {before}",
    ]

    change_the_ledger(world)
    assert ledger_digest() != before

    out = StringIO()
    call_command("restore", str(backup), yes=True, stdout=out)
    assert ledger_digest() == before
    assert f"台账摘要：{before}（与备份时一致）" in out.getvalue()
    assert not Household.objects.filter(number="A002").exists()


@pytest.mark.django_db(transaction=True)
def test_the_digest_sees_a_one_cent_payment_and_is_stable(world, tools):
    signed_and_paid(world)
    before = ledger_digest()
    pay(world, world.house_a.agreements.get(), "0.01")
    assert ledger_digest() != before
    assert ledger_digest() == ledger_digest()


# ---- refusals that change nothing -------------------------------------------------------------------------


@pytest.fixture
def backed_up(world, tools, tmp_path):
    """A backup of the world, then a change after it: a refused restore must leave the change in place."""
    signed_and_paid(world)
    backup = make_backup(tmp_path)
    change_the_ledger(world)
    return backup


def refused(path: Path, **options) -> str:
    before = ledger_digest()
    with pytest.raises(CommandError) as error:
        call_command("restore", str(path), **options)
    assert ledger_digest() == before
    assert Household.objects.filter(number="A002").exists()
    return str(error.value)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_without_yes_saying_what_it_would_replace(backed_up):
    message = refused(backed_up)
    assert f"恢复会用备份“{backed_up.name}”替换数据库" in message
    assert "现有 4 户" in message and "--yes" in message


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_that_does_not_match_its_check_file(backed_up):
    with backed_up.open("r+b") as file:
        file.seek(200)
        byte = file.read(1)
        file.seek(200)
        file.write(bytes([byte[0] ^ 0xFF]))
    message = refused(backed_up, yes=True)
    assert f"备份文件“{backed_up}”与校验文件“{backed_up.name}.sha256”记录的 SHA-256 不符" in message


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_without_its_check_file(backed_up):
    sidecar_of(backed_up).unlink()
    assert f"校验文件“{backed_up.name}.sha256”" in refused(backed_up, yes=True)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_the_other_engine(backed_up, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = tmp_path / "foreign.backup"
    foreign.write_bytes(MAGIC[other] + b"\x00" * 64)
    sidecar_of(foreign).write_text(f"{file_sha256(foreign)}  {foreign.name}\n", encoding="utf-8")
    engine, found = ENGINE_NAMES[connection.vendor], ENGINE_NAMES[other]
    assert f"“foreign.backup”不是 {engine} 数据库的备份（它是 {found} 数据库的备份）" in refused(foreign, yes=True)


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_to_overwrite_a_file(world, tools, tmp_path):
    existing = tmp_path / "taken.backup"
    existing.write_bytes(b"keep")
    with pytest.raises(CommandError, match="taken.backup”已存在"):
        call_command("backup", output=str(existing))
    assert existing.read_bytes() == b"keep"


# ---- end to end on a SQLite file, in subprocesses -----------------------------------------------------------


def environment(data_dir: Path) -> dict[str, str]:
    """This process's environment on a SQLite file database of its own."""
    inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return inherited | {"GAIZAO_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "gaizao.settings"}


def gaizao(data_dir: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "gaizao.cli", *arguments]
    return subprocess.run(command, env=environment(data_dir), cwd=data_dir, capture_output=True, text=True, check=check)


DIGEST = "from gaizao.core.backup import ledger_digest; print(ledger_digest())"
A_NEW_HOUSEHOLD = """
from gaizao.ledger.services import household_create
from gaizao.org.models import Unit
from gaizao.projects.models import Project
household_create(
    by=None, project=Project.objects.get(code="drill"), street=Unit.objects.get(name="城关街道"), number="X001",
    owner_name="孙七",
)
"""


def python(data_dir: Path, script: str) -> str:
    """A small script run with Django set up on the data folder's database; what it prints."""
    command = [sys.executable, "-c", "import django; django.setup()\n" + script]
    return subprocess.run(command, env=environment(data_dir), capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def workbook(monkeypatch):
    """bench/import_ledger.py's generator: the template's shape, every fifth row a second property."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from import_ledger import make_workbook

    def make(path: Path, rows: int) -> Path:
        make_workbook(path, rows)
        return path

    return make


def a_project(data_dir: Path, code: str) -> None:
    gaizao(
        data_dir,
        "create-project",
        *("--code", code, "--name", "演练", "--kind", "shantytown", "--freeze-date", "2026-01-01"),
        *("--district", "江北区"),
    )


@sqlite_only
def test_the_restore_drill_end_to_end_on_a_sqlite_file(tmp_path, workbook):
    data = tmp_path / "data"
    data.mkdir()
    book = workbook(tmp_path / "ledger.xlsx", 50)
    gaizao(data, "init")
    a_project(data, "drill")
    gaizao(data, "import-ledger", str(book), "--project", "drill", "--create-units")

    with closing(sqlite3.connect(data / "gaizao.sqlite3", isolation_level=None)) as server:
        server.execute("BEGIN IMMEDIATE")  # the server is writing: the backup neither waits nor takes it in
        server.execute("UPDATE ledger_household SET owner_name = '未提交'")
        done = gaizao(data, "backup")
        server.execute("ROLLBACK")
    lines = dict(line.split("：", 1) for line in done.stdout.splitlines())
    backup = Path(lines["已备份"])
    assert backup.parent == data / "backups" and backup.suffix == ".sqlite3"
    assert backup.name.startswith("gaizao-") and sidecar_of(backup).is_file()
    with closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("SELECT count(*) FROM ledger_household WHERE owner_name = '未提交'").fetchone() == (0,)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    before = lines["台账摘要"]
    assert python(data, A_NEW_HOUSEHOLD + DIGEST) != before

    refusal = gaizao(data, "restore", str(backup), check=False)
    assert refusal.returncode == 1 and "--yes" in refusal.stderr
    done = gaizao(data, "restore", str(backup), "--yes")
    assert "（与备份时一致）" in done.stdout
    assert python(data, DIGEST) == before


# ---- an import killed halfway ----------------------------------------------------------------------------------


ROWS = 20_000  # 16,000 households: 2–3 s of import here; its commit writes some 30 MB to the WAL


def kill_once_writing(process: subprocess.Popen, wal: Path) -> int:
    """SIGKILL as soon as the import's transaction reaches the file. The importer keeps its whole write
    in SQLite's page cache until it commits, so the first bytes past the WAL's header mark the commit
    being written: killed there, the WAL holds part of a transaction and no commit record."""
    while process.poll() is None:
        if wal.exists() and wal.stat().st_size > 32:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.001)
    return process.wait()


def households_and_check(database: Path) -> tuple[int, str]:
    with closing(sqlite3.connect(database)) as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        count = db.execute("SELECT count(*) FROM ledger_household").fetchone()[0]
    return count, check


@sqlite_only
def test_an_import_killed_halfway_leaves_the_database_whole_and_the_rerun_completes(tmp_path, workbook):
    data = tmp_path / "data"
    data.mkdir()
    book = workbook(tmp_path / "ledger.xlsx", ROWS)
    gaizao(data, "init")
    a_project(data, "killed")
    households = ROWS - ROWS // 5

    process = subprocess.Popen(
        [sys.executable, "-m", "gaizao.cli", "import-ledger", str(book), "--project", "killed", "--create-units"],
        env=environment(data),
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    returncode = kill_once_writing(process, data / "gaizao.sqlite3-wal")
    assert returncode in (-signal.SIGKILL, 0)

    count, check = households_and_check(data / "gaizao.sqlite3")
    assert check == "ok"
    assert count in (0, households)

    gaizao(data, "import-ledger", str(book), "--project", "killed", "--create-units")
    assert households_and_check(data / "gaizao.sqlite3") == (households, "ok")
