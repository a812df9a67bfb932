"""The petition rules on plain values: the answer's legal time (信访工作条例: 60 days, once extended by up to 30 with
a reason), the same petition posted twice, and a project's stability risk from its petitions."""

from dataclasses import dataclass
from datetime import date, timedelta

from gaizao.core.codes import words_digest

ANSWER_DAYS = 60
EXTENSION_DAYS = 30
RISK_WINDOW_DAYS = 90
CONTENT_MAX = 5000


def due_on(received_on: date) -> date:
    return received_on + timedelta(days=ANSWER_DAYS)


def extended_due(due: date) -> date:
    return due + timedelta(days=EXTENSION_DAYS)


def content_hash(project_id: int | None, reporter: str, content: str) -> str:
    """The same words from the same person about the same project are the same petition, however spaced."""
    return words_digest(project_id, reporter, content)


@dataclass(frozen=True)
class Counts:
    petitions: int = 0
    repeats: int = 0
    overdue: int = 0
    unsatisfied: int = 0
    group: int = 0  # the most petitions on one theme
    group_theme: str = ""


@dataclass(frozen=True)
class Risk:
    level: str  # "high", "medium", "low"
    label: str
    reasons: tuple[str, ...]


def risk(counts: Counts) -> Risk:
    """稳定风险: high when petitions repeat, go unanswered past their time or gather on one theme; medium when
    they come at all in numbers or leave people unsatisfied."""
    high = []
    if counts.repeats >= 3:
        high.append(f"重复信访 {counts.repeats} 件")
    if counts.overdue:
        high.append(f"逾期未答复 {counts.overdue} 件")
    if counts.group >= 5:
        high.append(f"同一问题（{counts.group_theme}）{counts.group} 件")
    if high:
        return Risk("high", "高", tuple(high))
    medium = []
    if counts.petitions >= 3:
        medium.append(f"近{RISK_WINDOW_DAYS}天信访 {counts.petitions} 件")
    if counts.unsatisfied:
        medium.append(f"不满意 {counts.unsatisfied} 件")
    if counts.repeats:
        medium.append(f"重复信访 {counts.repeats} 件")
    if medium:
        return Risk("medium", "中", tuple(medium))
    return Risk("low", "低", ())
