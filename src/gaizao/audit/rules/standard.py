"""Rules on the one ruler for everyone (阳光征收): an agreement whose amounts differ from its standard without an
approved exception; area compensated along with the house (随征面积) beyond the standard's limit; an exception
approved by the person who drafted it.

An agreement keeps, line by line, what its standard computed (`standard_amount`) and what was agreed
(`amount`); the two differ only through an exception approved by a second official. A standard may state a
limit for the 随征面积 — the area not on the certificate but recognised and paid for with the house — as
constants: `along_area_limit` (随征面积上限, ㎡ a household) and `along_area_ratio` (随征面积比例, of the
certified area). Whatever the standard says, the recognised area of a property never exceeds its unregistered
area."""

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import CharField, F, TextField
from django.db.models.functions import Cast

from gaizao.audit.rules import Found, in_projects
from gaizao.compensation.engine.standard import StandardError, load
from gaizao.compensation.models import (
    Agreement,
    AgreementException,
    AgreementStatus,
    Decision,
    ExceptionStatus,
    Standard,
)
from gaizao.core.money import CENT

ZERO = Decimal(0)
LIMIT_NAMES = ("along_area_limit", "随征面积上限")
RATIO_NAMES = ("along_area_ratio", "随征面积比例")


# How an agreement's lines are stored (json.dumps of compensation.agreements.lines_json): each line's standard
# amount followed by its amount. Read without parsing the whole text, for the common agreement whose every line
# is as computed; any other shape, or any doubt, is parsed in full.
STORED_PAIR = re.compile(r'"standard_amount": "([^"]*)", "amount": "([^"]*)"')


def as_computed(text: str, total: str) -> bool:
    """True when the stored lines plainly agree with their standard: every amount is its standard amount, no
    helper line (in_total false) needs telling apart, and the total is the sum (to the cent: amounts have two
    places, well within a float's precision). False is "look closer"."""
    pairs = STORED_PAIR.findall(text)
    if len(pairs) != text.count('"in_total"') or '"in_total": false' in text:
        return False
    amounts = [amount for _, amount in pairs]
    if [standard for standard, _ in pairs] != amounts:
        return False
    return round(sum(map(float, amounts)) * 100) == round(float(total) * 100)


def off_lines(pk: int, lines: list[dict], approved: dict[tuple[int, str], set[Decimal]]) -> tuple[list[dict], Decimal]:
    """(the lines whose amount is neither the standard's nor an approved exception's, the sum of the lines)."""
    off, summed = [], ZERO
    for line in lines:
        amount = Decimal(line["amount"])
        if line["in_total"]:
            summed += amount
        if amount != Decimal(line["standard_amount"]) and amount not in approved.get((pk, line["name"]), ()):
            off.append(
                {
                    "line": line["name"],
                    "label": line["label"],
                    "standard": line["standard_amount"],
                    "amount": line["amount"],
                }
            )
    return off, summed


def agreement_off_standard(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    """A signed agreement with a line whose amount is not what its standard computed (and no approved exception
    gives that amount), or whose total is not the sum of its lines."""
    agreements = in_projects(Agreement.objects.filter(status=AgreementStatus.SIGNED), project_ids)
    approved: dict[tuple[int, str], set[Decimal]] = defaultdict(set)
    exceptions = AgreementException.objects.filter(
        status=ExceptionStatus.APPROVED, agreement__in=agreements.values("pk")
    ).values_list("agreement_id", "line", "amount")
    for agreement_id, line, amount in exceptions:
        approved[(agreement_id, line)].add(amount)
    rows = agreements.annotate(text=Cast("lines", TextField()), written=Cast("total", CharField())).order_by("id")
    for pk, household_id, written, text in rows.values_list("id", "household_id", "written", "text").iterator(5000):
        if as_computed(text, written):
            continue
        total = Decimal(written).quantize(CENT)
        off, summed = off_lines(pk, json.loads(text), approved)
        if not off and summed == total:
            continue
        parts = [f"{o['label']} {o['standard']}→{o['amount']}" for o in off]
        if summed != total:
            parts.append(f"总额 {total} 与明细之和 {summed} 不符")
        yield Found(
            key=str(pk),
            household_id=household_id,
            agreement_id=pk,
            severity="high",
            summary="协议金额与补偿方案不符且无批准的例外：" + "；".join(parts),
            figures={"lines": off, "total": str(total), "sum_of_lines": str(summed)},
        )


def _constant(constants: dict[str, Decimal], names: tuple[str, ...]) -> Decimal | None:
    return next((constants[n] for n in names if n in constants), None)


def standard_limits() -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """Each standard's 随征面积 limit and ratio (None when it states none)."""
    limits = {}
    for pk, source in Standard.objects.values_list("id", "source"):
        try:
            constants = load(source).constants
        except StandardError:
            constants = {}
        limits[pk] = (_constant(constants, LIMIT_NAMES), _constant(constants, RATIO_NAMES))
    return limits


def along_area_problems(facts: dict, limit: Decimal | None, ratio: Decimal | None) -> tuple[list[str], dict, str]:
    """(what is wrong, the figures, severity) for one agreement's or decision's frozen facts."""
    problems, severity = [], "medium"
    certified = recognised = unregistered = ZERO
    for n, prop in enumerate(facts.get("properties", ()), start=1):
        here_recognised = Decimal(prop.get("recognised_area") or 0)
        here_unregistered = Decimal(prop.get("unregistered_area") or 0)
        certified += Decimal(prop.get("certified_area") or 0)
        recognised += here_recognised
        unregistered += here_unregistered
        if here_recognised > here_unregistered:
            problems.append(f"第{n}处认定合法面积 {here_recognised}㎡ 大于未登记面积 {here_unregistered}㎡")
            severity = "high"
    if limit is not None and recognised > limit:
        problems.append(f"随征（认定合法）面积 {recognised}㎡ 超过方案上限 {limit}㎡")
    if ratio is not None and recognised > ratio * certified:
        problems.append(f"随征面积 {recognised}㎡ 超过证载面积 {certified}㎡ 的 {ratio}")
    figures = {
        "certified_area": str(certified),
        "recognised_area": str(recognised),
        "unregistered_area": str(unregistered),
        "limit": None if limit is None else str(limit),
        "ratio": None if ratio is None else str(ratio),
    }
    return problems, figures, severity


RECOGNISED = re.compile(r'"recognised_area":\s*"([^"]*)"')


def no_along_area(text: str) -> bool:
    """True when the frozen facts recognise no area on any property: nothing to check (read without parsing)."""
    values = RECOGNISED.findall(text)
    return len(values) == text.count('"certified_area"') and all(not v.strip("0.") for v in values)


def along_area_excess(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    limits = standard_limits()
    sources = (
        ("agreement", "协议", in_projects(Agreement.objects.filter(status=AgreementStatus.SIGNED), project_ids)),
        ("decision", "补偿决定", in_projects(Decision.objects.all(), project_ids)),
    )
    for kind, shown, records in sources:
        rows = records.annotate(text=Cast("facts", TextField())).order_by("id")
        for pk, household_id, standard_id, text in rows.values_list(
            "id", "household_id", "standard_id", "text"
        ).iterator(5000):
            if no_along_area(text):
                continue
            limit, ratio = limits.get(standard_id, (None, None))
            problems, figures, severity = along_area_problems(json.loads(text), limit, ratio)
            if problems:
                yield Found(
                    key=f"{kind}:{pk}",
                    household_id=household_id,
                    agreement_id=pk if kind == "agreement" else None,
                    severity=severity,
                    summary=f"{shown}所计随征面积不合规定：" + "；".join(problems),
                    figures=figures | {"record": kind, "record_id": pk},
                )


def self_approved_exception(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    """An approved exception whose approver is the official who drafted it (the services refuse this)."""
    exceptions = in_projects(
        AgreementException.objects.filter(status=ExceptionStatus.APPROVED, decided_by_id=F("drafted_by_id")),
        project_ids,
        "agreement__project_id",
    )
    rows = exceptions.order_by("id").values_list(
        "id",
        "agreement_id",
        "agreement__household_id",
        "line",
        "standard_amount",
        "amount",
        "drafted_by__username",
        "decided_at",
    )
    for pk, agreement_id, household_id, line, standard_amount, amount, username, decided_at in rows:
        yield Found(
            key=str(pk),
            household_id=household_id,
            agreement_id=agreement_id,
            severity="high",
            summary=f"协议例外（{line} {standard_amount}→{amount}）由提出人 {username} 本人批准",
            figures={
                "exception": pk,
                "line": line,
                "standard_amount": str(standard_amount),
                "amount": str(amount),
                "drafted_and_approved_by": username,
                "decided_at": decided_at.isoformat() if decided_at else None,
            },
        )
