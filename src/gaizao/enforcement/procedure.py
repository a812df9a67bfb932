"""The rules of a case, on plain values: which status may follow which, the legal procedure a removal by force
needs (so that it does not lose in court, 行政败诉), and the clocks between the four firsts.

The procedure follows the Administrative Compulsion Law (行政强制法) Art. 35, 37 and 44 and the Urban and Rural
Planning Law Art. 64/68: a served decision to remove by a deadline (限期拆除决定); after the deadline, a reminder
(催告); a decision to remove by force (强制拆除决定); a public announcement giving the party a last term to remove
it themselves (公告); only then removal by force.
"""

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

TRANSITIONS = {
    "candidate": {"found", "dismissed"},
    "found": {"stopped", "demolished"},
    "stopped": {"demolished"},
    "demolished": set(),
    "dismissed": set(),
}
# The days an announcement stands before a removal by force (the party's last term to remove it themselves).
ANNOUNCEMENT_DAYS = 10
FORCED_STEPS = ("notice", "reminder", "decision", "announcement")
STEP_NAMES = {
    "notice": "限期拆除决定",
    "reminder": "催告",
    "decision": "强制拆除决定",
    "announcement": "强制拆除公告",
}


class ProcedureError(ValueError):
    pass


def check_transition(current: str, wanted: str, names: dict[str, str]) -> None:
    if wanted not in TRANSITIONS.get(current, set()):
        raise ProcedureError(f"案件“{names.get(current, current)}”不能转为“{names.get(wanted, wanted)}”")


@dataclass(frozen=True)
class Served:
    """A procedural step on record: the day it was served or published, and the deadline it set, if any."""

    on: date
    deadline: date | None = None


@dataclass(frozen=True)
class ChecklistLine:
    step: str
    name: str
    done_on: date | None
    problem: str  # "" when in order


def checklist(steps: dict[str, Served], removal_on: date | None = None) -> list[ChecklistLine]:
    """The procedure for a removal by force, each step with its date and what is wrong with it (if anything)."""
    lines = []
    previous: tuple[str, Served] | None = None
    for step in FORCED_STEPS:
        served = steps.get(step)
        problem = ""
        if served is None:
            problem = "尚未办理"
        elif step == "notice" and served.deadline is None:
            problem = "未载明拆除期限"
        elif step == "reminder" and previous and previous[1].deadline and served.on <= previous[1].deadline:
            problem = f"催告应在限期（{previous[1].deadline}）届满之后"
        elif previous and served.on < previous[1].on:
            problem = f"早于{STEP_NAMES[previous[0]]}（{previous[1].on}）"
        if step == "announcement" and served and removal_on and (removal_on - served.on).days < ANNOUNCEMENT_DAYS:
            problem = f"公告至强制拆除不足{ANNOUNCEMENT_DAYS}日（{served.on} 公告，{removal_on} 拆除）"
        lines.append(ChecklistLine(step, STEP_NAMES[step], served.on if served else None, problem))
        if served is not None:
            previous = (step, served)
    return lines


def forced_removal_problems(steps: dict[str, Served], removal_on: date) -> list[str]:
    """Why a removal by force on `removal_on` would not stand, or [] when the procedure is complete."""
    return [f"{line.name}：{line.problem}" for line in checklist(steps, removal_on) if line.problem]


@dataclass(frozen=True)
class Clocks:
    """Hours from discovery to each of the other firsts (None: not yet)."""

    to_stop: float | None
    to_removal: float | None
    to_accountability: float | None


def _hours(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round(max((end - start).total_seconds(), 0) / 3600, 1)


def clocks(found: datetime, stopped: datetime | None, removed: datetime | None, accountable: datetime | None) -> Clocks:
    return Clocks(_hours(found, stopped), _hours(found, removed), _hours(found, accountable))


@dataclass(frozen=True)
class UnitClocks:
    unit: str
    cases: int
    stopped: int
    removed: int
    median_to_stop: float | None
    median_to_removal: float | None
    open_longest: float | None  # hours the oldest case not yet removed has waited


def unit_clocks(unit: str, rows: list[Clocks], waiting: list[float]) -> UnitClocks:
    stops = [c.to_stop for c in rows if c.to_stop is not None]
    removals = [c.to_removal for c in rows if c.to_removal is not None]
    return UnitClocks(
        unit=unit,
        cases=len(rows),
        stopped=len(stops),
        removed=len(removals),
        median_to_stop=round(median(stops), 1) if stops else None,
        median_to_removal=round(median(removals), 1) if removals else None,
        open_longest=max(waiting) if waiting else None,
    )


def ranked(units: list[UnitClocks]) -> list[UnitClocks]:
    """Fastest first: by the median time to removal, then to stopping; units with nothing removed last."""
    never = float("inf")
    return sorted(
        units,
        key=lambda u: (
            u.median_to_removal if u.median_to_removal is not None else never,
            u.median_to_stop if u.median_to_stop is not None else never,
            u.unit,
        ),
    )
