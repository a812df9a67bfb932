"""The escalation ladder (挂牌督办 → 约谈 → 问责), as plain values: which rung each overdue subject climbs today.

A rung is {"code", "name", "after_days", "from"}: the first rung (from null) is climbed once the subject has
been overdue for `after_days`; a later rung once the subject has stood `after_days` on the rung it comes from
and is still overdue. One rung a day at most: nobody is skipped. A subject no longer overdue is resolved.
"""

from dataclasses import dataclass
from datetime import date

DEFAULT_RUNGS = [
    {"code": "listed", "name": "挂牌督办", "after_days": 0, "from": None},
    {"code": "interview", "name": "约谈", "after_days": 7, "from": "listed"},
    {"code": "referral", "name": "移送问责", "after_days": 7, "from": "interview"},
]


class LadderError(ValueError):
    pass


@dataclass(frozen=True)
class Rung:
    code: str
    name: str
    after_days: int
    source: str | None


@dataclass(frozen=True)
class Subject:
    """Something overdue: a supervision item, a rectification, an action item, a milestone, a lagging target."""

    kind: str
    id: int
    label: str
    unit: int
    overdue_since: date


@dataclass(frozen=True)
class Standing:
    """Where a subject stands on the ladder: its highest rung so far and the day it was climbed."""

    rung: str
    since: date


@dataclass(frozen=True)
class Climb:
    subject: Subject
    rung: Rung


def rungs_of(raw) -> list[Rung]:
    """Checks a ladder's rungs: one first rung, every `from` a rung of the ladder, no loop, no branch."""
    if not isinstance(raw, list) or not raw:
        raise LadderError("问责阶梯至少要有一级")
    rungs = []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not str(entry.get("code", "")).strip() or not entry.get("name"):
            raise LadderError(f"第 {n} 级须写明 code 和 name")
        days = entry.get("after_days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise LadderError(f"第 {n} 级“{entry['name']}”的 after_days 应为不小于零的整数")
        rungs.append(Rung(str(entry["code"]), str(entry["name"]), days, entry.get("from")))
    codes = [r.code for r in rungs]
    if len(set(codes)) != len(codes):
        raise LadderError("问责阶梯中有重复的 code")
    firsts = [r for r in rungs if r.source is None]
    if len(firsts) != 1:
        raise LadderError("问责阶梯须有且只有一个首级（from 为空）")
    by_source: dict[str, list[Rung]] = {}
    for rung in rungs:
        if rung.source is not None and rung.source not in codes:
            raise LadderError(f"“{rung.name}”的上一级“{rung.source}”不存在")
        by_source.setdefault(rung.source, []).append(rung)
    for source, nexts in by_source.items():
        if len(nexts) > 1:
            raise LadderError(f"“{source}”之后有多个下一级：{'、'.join(r.name for r in nexts)}")
    chain, seen = [firsts[0]], {firsts[0].code}
    while chain[-1].code in by_source:
        following = by_source[chain[-1].code][0]
        if following.code in seen:
            raise LadderError(f"问责阶梯有循环：{' → '.join(r.name for r in chain)} → {following.name}")
        chain.append(following)
        seen.add(following.code)
    if len(chain) != len(rungs):
        loop = [r.name for r in rungs if r.code not in seen]
        raise LadderError(f"问责阶梯有循环或断开的级别：{'、'.join(loop)}")
    return chain


def climbs(
    subjects: list[Subject],
    standings: dict[tuple[str, int], Standing],
    rungs: list[Rung],
    exempt: frozenset[int],
    today: date,
) -> list[Climb]:
    """The rungs climbed today. Subjects of exempted units climb nothing (the exemption is on record)."""
    first = rungs[0]
    following = {r.source: r for r in rungs[1:]}
    out = []
    for subject in subjects:
        if subject.unit in exempt:
            continue
        standing = standings.get((subject.kind, subject.id))
        if standing is None:
            if (today - subject.overdue_since).days >= first.after_days:
                out.append(Climb(subject, first))
            continue
        rung = following.get(standing.rung)
        if rung is not None and (today - standing.since).days >= rung.after_days and standing.since < today:
            out.append(Climb(subject, rung))
    return out


def resolved(open_keys: set[tuple[str, int]], subjects: list[Subject]) -> set[tuple[str, int]]:
    """Subjects on the ladder that are no longer overdue."""
    return open_keys - {(s.kind, s.id) for s in subjects}
