"""Runs the audit rules and keeps what they find: one audit.Finding per rule and key, however often they run.

A finding found again stays as it is (its figures refreshed while it is still open); one no longer found is
marked resolved (已消除) if nobody has decided on it yet, and reopened if found again later; a confirmed or
dismissed finding is never touched. Every finding written is a line of the audit trail."""

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from gaizao.audit import trail
from gaizao.audit.models import AuditRun, Finding, FindingStatus
from gaizao.audit.rules import Found, archive, chunks, freeze, money, people, places, standard, twice
from gaizao.core.bulk import insert_rows, update_rows
from gaizao.core.collector import collector_paused


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    find: Callable[..., Iterable[Found]]
    explains: str


RULES = (
    Rule(
        "paid_not_demolished",
        "拿钱没拆",
        money.paid_not_demolished,
        "已付款（扣除冲销后大于零），首笔支付30天后仍未拆除",
    ),
    Rule(
        "demolished_no_evidence", "拆除无佐证", archive.demolished_no_evidence, "标为已拆除，拆除的阶段变更没有佐证材料"
    ),
    Rule(
        "compensated_twice",
        "二次补偿",
        twice.compensated_twice,
        "同一身份证号、产权证号或地块（坐落＋土地面积）在两户获得补偿，含跨项目",
    ),
    Rule(
        "built_after_freeze", "抢建", freeze.built_after_freeze, "建成时间晚于冻结日，或冻结日后台账面积增加、新增房屋"
    ),
    Rule(
        "agreement_off_standard",
        "协议与方案不符",
        standard.agreement_off_standard,
        "协议金额与方案计算不同且无批准的例外，或总额与明细不符",
    ),
    Rule(
        "along_area_excess",
        "随征面积超标",
        standard.along_area_excess,
        "认定合法（随征）面积超过方案上限，或大于未登记面积",
    ),
    Rule("missing_document", "档案缺件", archive.missing_documents, "已到某阶段的户缺少该阶段必备的材料"),
    Rule("payee_not_household", "收款人非本户", money.payee_not_household, "收款人既不是户主，也不是登记的家庭成员"),
    Rule(
        "shared_contact",
        "多户共用电话账号",
        people.shared_contact,
        "同一电话或收款账号由户主不同、无同名成员的多户使用",
    ),
    Rule("self_approved_exception", "例外自批", standard.self_approved_exception, "协议例外由提出人本人批准"),
    Rule(
        "duplicate_person",
        "疑似重复人员",
        people.duplicate_people,
        "同一身份证号登记在两户；同名同出生日期；同名身份证号仅差一位",
    ),
)
BY_CODE = {rule.code: rule for rule in RULES}
TITLES = {rule.code: rule.title for rule in RULES}
OPEN_STATES = (FindingStatus.OPEN, FindingStatus.EXPLAINED)
COLUMNS = [
    "rule",
    "key",
    "status",
    "severity",
    "summary",
    "figures",
    "digest",
    "household_id",
    "agreement_id",
    "payment_id",
    "project_id",
    "district_id",
    "street_id",
    "holder_unit_id",
    "found_on",
    "explanation",
    "decision_reason",
]


@dataclass
class RuleReport:
    rule: str
    title: str
    found: int = 0
    new: int = 0  # found for the first time, or again after it was resolved
    open: int = 0  # found again, still waiting (待说明 / 已说明)
    closed: int = 0  # found again, already confirmed or dismissed: left as decided
    resolved: int = 0  # no longer found: 已消除
    seconds: float = 0.0


@dataclass
class RunReport:
    today: date
    projects: list[str]
    rules: list[RuleReport] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None

    def as_json(self) -> dict:
        return {
            "today": str(self.today),
            "projects": self.projects,
            "seconds": round(self.seconds, 2),
            "run": self.run_id,
            "rules": [asdict(r) | {"seconds": round(r.seconds, 2)} for r in self.rules],
        }


def digest(found: Found) -> str:
    data = [found.severity, found.summary, found.figures, found.household_id, found.agreement_id, found.payment_id]
    return hashlib.sha1(trail.canonical({"d": data}).encode()).hexdigest()


@contextmanager
def small_sorts() -> Iterator[None]:
    """SQLite groups a few million rows about twice as fast sorting them in small runs spilled to a file than in
    one pass in memory through the server's 200 MB page cache (3.3 M ID hashes: 3.3 s against 6.7 s): the run
    sets a small cache and a file for temporary storage on its connection, and puts them back afterwards. SQLite
    changes temporary storage only outside a transaction (a command's run is; a test's is not)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute("PRAGMA temp_store")
        temp = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -2000")
        cursor.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
            cursor.execute(f"PRAGMA temp_store = {int(temp)}")


def run(
    *, today: date, project_ids: list[int] | None = None, codes: list[str] | None = None, by=None, projects=()
) -> RunReport:
    """Every rule (or those named), over every project (or those given); the findings kept; the run recorded."""
    started, clock = timezone.now(), time.perf_counter()
    report = RunReport(today=today, projects=list(projects))
    with collector_paused(), small_sorts():
        for rule in RULES:
            if codes and rule.code not in codes:
                continue
            rule_clock = time.perf_counter()
            found = list(rule.find(project_ids=project_ids, today=today))
            outcome = keep(rule, found, project_ids=project_ids, today=today)
            outcome.seconds = time.perf_counter() - rule_clock
            report.rules.append(outcome)
    report.seconds = time.perf_counter() - clock
    counts = [asdict(r) | {"seconds": round(r.seconds, 2)} for r in report.rules]
    audit_run = AuditRun.objects.create(
        today=today, projects=report.projects, started_at=started, finished_at=timezone.now(), counts=counts, by=by
    )
    report.run_id = audit_run.pk
    return report


def _entry(action: str, pk: int, data: dict, district_id: int) -> trail.Entry:
    return trail.Entry(action, "audit.finding", pk, data, district_id)


@transaction.atomic
def keep(rule: Rule, found: list[Found], *, project_ids: list[int] | None, today: date) -> RuleReport:
    """Store one rule's findings: new ones added, open ones refreshed, those no longer found resolved."""
    report = RuleReport(rule.code, rule.title)
    by_key: dict[str, Found] = {}
    for item in found:
        by_key.setdefault(item.key, item)
    where = places({item.household_id for item in by_key.values()})
    by_key = {key: item for key, item in by_key.items() if item.household_id in where}
    report.found = len(by_key)
    existing = {
        key: (pk, status, stored_digest, project_id, district_id)
        for pk, key, status, stored_digest, project_id, district_id in Finding.objects.filter(
            rule=rule.code
        ).values_list("id", "key", "status", "digest", "project_id", "district_id")
    }
    new_rows, changed, entries = [], [], []
    for key, item in by_key.items():
        project_id, district_id, street_id, holder_id = where[item.household_id]
        stored = existing.get(key)
        if stored is not None and stored[1] == FindingStatus.EXPLAINED:
            report.open += 1  # still waiting, for the inspectors now: left as it was explained
            continue
        if stored is not None and stored[1] in (FindingStatus.CONFIRMED, FindingStatus.DISMISSED):
            report.closed += 1  # decided: never touched again
            continue
        fresh = digest(item)
        values = {
            "severity": item.severity,
            "summary": item.summary[:300],
            "figures": item.figures,
            "digest": fresh,
            "household_id": item.household_id,
            "agreement_id": item.agreement_id,
            "payment_id": item.payment_id,
            "project_id": project_id,
            "district_id": district_id,
            "street_id": street_id,
            "holder_unit_id": holder_id,
        }
        if stored is None:
            report.new += 1
            new_rows.append(values | {"rule": rule.code, "key": key, "status": FindingStatus.OPEN, "found_on": today})
            continue
        pk, status, stored_digest, _, _ = stored
        if status == FindingStatus.RESOLVED:
            report.new += 1
            values |= {"status": FindingStatus.OPEN, "resolved_on": None, "found_on": today}
            changed.append((pk, values))
            entries.append(_entry("update", pk, values | {"status": [status, FindingStatus.OPEN]}, district_id))
        else:
            report.open += 1
            if fresh != stored_digest:
                changed.append((pk, values))
                entries.append(_entry("update", pk, values, district_id))
    gone = [
        (pk, status, district_id)
        for key, (pk, status, _, project_id, district_id) in existing.items()
        if key not in by_key and status in OPEN_STATES and (project_ids is None or project_id in project_ids)
    ]
    report.resolved = len(gone)
    _insert(new_rows)
    if new_rows:
        ids = dict(Finding.objects.filter(rule=rule.code, found_on=today).values_list("key", "id"))
        entries.extend(
            _entry("create", ids[row["key"]], {k: v for k, v in row.items() if k != "digest"}, row["district_id"])
            for row in new_rows
        )
    _update(changed)
    for part in chunks([pk for pk, _, _ in gone]):
        Finding.objects.filter(pk__in=part).update(status=FindingStatus.RESOLVED, resolved_on=today)
    entries.extend(
        _entry("update", pk, {"status": [status, FindingStatus.RESOLVED], "resolved_on": today}, district_id)
        for pk, status, district_id in gone
    )
    trail.append(entries)
    return report


def _insert(rows: list[dict]) -> None:
    if rows:
        defaults = {"explanation": "", "decision_reason": ""}
        insert_rows(Finding, COLUMNS, ([(row | defaults)[name] for name in COLUMNS] for row in rows))


UPDATED = [
    "severity",
    "summary",
    "figures",
    "digest",
    "household_id",
    "agreement_id",
    "payment_id",
    "project_id",
    "district_id",
    "street_id",
    "holder_unit_id",
]


def _update(changed: list[tuple[int, dict]]) -> None:
    """Refreshed or reopened findings, written with one prepared UPDATE for each set of columns."""
    groups: dict[tuple[str, ...], list] = {}
    for pk, values in changed:
        names = tuple(n for n in (*UPDATED, "status", "resolved_on", "found_on") if n in values)
        groups.setdefault(names, []).append([*(values[n] for n in names), pk])
    for names, rows in groups.items():
        update_rows(Finding, names, rows)
