"""会议精神分解, second half: the sentences of a speech that assign work, as proposed tasks.

Each proposal keeps where it stands in the outline, the units it names (matched against the organisation's
names), the quantities with their units (15万平方米, 1-2个点) and the deadline it sets (年内, 年底前, 9月14日,
2027年底, 1个月内), resolved against the day of the speech. Without an outline, the same sentences come as a
flat list. Plain values in and out."""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from gaizao.supervision.outline import CN, Heading, number, outline, walk

SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
# 要 as a verb, not in 重要、主要、需要、要求 …
STRONG = re.compile(r"(?<![重主需只想纲摘必])要(?![求点素害])|必须|务必|确保|力争|抓紧|加快|坚决|切实|全力")
NOT_TASKS = ("同志们", "感谢", "刚才", "这说明", "回顾", "总结")
GROUPS = ("各街道", "各乡镇", "各镇街", "各部门", "各片区", "各单位", "各村", "各社区", "各有关部门", "各区县")
UNIT_WORDS = "平方米|平米|㎡|万元|亿元|个点|个片区|个项目|个村|亩|户|个(?![月小工])|套|元|公里|栋|间|项|点|家|人|处"
QUANTITY = re.compile(
    rf"(?P<value>\d+(?:\.\d+)?(?:\s*[-~－至]\s*\d+(?:\.\d+)?)?)\s*(?P<scale>万|亿)?(?P<unit>{UNIT_WORDS})"
)
MIN_LENGTH = 8


@dataclass(frozen=True)
class Deadline:
    text: str
    on: date


@dataclass
class Proposal:
    path: list[str]  # the headings above, top first
    sentence: str
    units: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # 各街道, 各部门 …
    quantities: list[str] = field(default_factory=list)
    deadline: Deadline | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _count(text: str) -> int:
    return int(text) if text.isdigit() else number(text)


def _on_or_after(ref: date, month: int, day: int) -> date | None:
    try:
        found = date(ref.year, month, day)
    except ValueError:
        return None
    return found if found >= ref else found.replace(year=ref.year + 1)


DEADLINES = [
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"), lambda m, ref: date(int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"(\d{4})年底"), lambda m, ref: date(int(m[1]), 12, 31)),
    (re.compile(r"(\d{4})年(\d{1,2})月底"), lambda m, ref: _month_end(int(m[1]), int(m[2]))),
    # a day of the month is a deadline when something is to be done by it, not the date of a past meeting
    (
        re.compile(r"(\d{1,2})月(\d{1,2})日(?=前|之前|以前|.{0,4}(?:完成|实现|到位))"),
        lambda m, ref: _on_or_after(ref, int(m[1]), int(m[2])),
    ),
    (re.compile(r"(\d{1,2})月底"), lambda m, ref: _month_end(ref.year, int(m[1]))),
    (re.compile(rf"(\d+|{CN})个月内"), lambda m, ref: _add_months(ref, _count(m[1]))),
    (re.compile(rf"(\d+|{CN})(?:天|日)内"), lambda m, ref: ref + timedelta(days=_count(m[1]))),
    (re.compile(r"本月底|月底前"), lambda m, ref: _month_end(ref.year, ref.month)),
    (re.compile(r"年内|年底前|今年底|年底"), lambda m, ref: date(ref.year, 12, 31)),
]


def deadline_of(sentence: str, ref: date) -> Deadline | None:
    for pattern, resolve in DEADLINES:
        match = pattern.search(sentence)
        if match:
            try:
                on = resolve(match, ref)
            except ValueError:
                on = None
            if on is not None:
                return Deadline(match.group(0), on)
    return None


def assigns_work(sentence: str) -> bool:
    """A sentence that tells someone to do something: a directive verb, and not a report of what was done."""
    return (
        len(sentence) >= MIN_LENGTH
        and STRONG.search(sentence) is not None
        and not any(word in sentence[:6] for word in NOT_TASKS)
    )


def _names(unit_names: list[str]) -> list[tuple[str, str]]:
    """(what to look for, the unit's name): the full name, and without its 区/市/县 prefix when that is long enough."""
    pairs = []
    for name in unit_names:
        pairs.append((name, name))
        short = re.sub(r"^[区市县]", "", name)
        if short != name and len(short) >= 3:
            pairs.append((short, name))
    return sorted(pairs, key=lambda p: -len(p[0]))


def _chains(roots: list[Heading]) -> list[tuple[int, list[str]]]:
    """Each heading's start with the headings above it and itself, in reading order."""
    chains: list[tuple[int, list[str]]] = []
    above: list[str] = []
    for heading in walk(roots):
        del above[heading.level - 1 :]
        above.append(f"{heading.marker}{heading.title}")
        chains.append((heading.start, list(above)))
    return sorted(chains, key=lambda c: c[0])


def propose(text: str, unit_names: list[str], ref: date) -> tuple[list[Heading], list[Proposal]]:
    """The outline and the proposed tasks of a speech, in reading order."""
    found_outline = outline(text)
    cleaned, roots = found_outline.text, found_outline.headings
    chains = _chains(roots)
    names = _names(unit_names)
    proposals = []
    for match in SENTENCE.finditer(cleaned, found_outline.body_start):
        sentence = match.group(0).strip()
        if not assigns_work(sentence):
            continue
        path = next((chain for start, chain in reversed(chains) if start <= match.start()), [])
        found: list[str] = []
        for needle, name in names:
            if needle in sentence and name not in found:
                found.append(name)
        proposals.append(
            Proposal(
                path=path,
                sentence=sentence,
                units=found,
                groups=[g for g in GROUPS if g in sentence],
                quantities=[m.group(0) for m in QUANTITY.finditer(sentence)],
                deadline=deadline_of(sentence, ref),
            )
        )
    return roots, proposals
