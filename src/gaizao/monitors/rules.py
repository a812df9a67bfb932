"""The rules of a monitor's report on plain values: which step may follow which, the time to fix, and lateness."""

from datetime import date, timedelta

FIX_DAYS = 15  # the office may give 1–90 days
FIX_DAYS_MAX = 90
RETURN_DAYS = 7  # a fix the verification refused gets at least this long again
TEXT_MAX = 2000
PHOTOS_MAX = 6

# action → (the statuses it may start from, the status it leads to)
TRANSITIONS = {
    "assign": (("submitted", "assigned"), "assigned"),
    "dismiss": (("submitted",), "dismissed"),
    "fix": (("assigned",), "fixed"),
    "pass": (("fixed",), "closed"),
    "return": (("fixed",), "assigned"),
}
ACTION_NAMES = {"assign": "交办", "dismiss": "不予受理", "fix": "整改", "pass": "验证", "return": "复查退回"}
STATUS_NAMES = {
    "submitted": "待交办",
    "assigned": "整改中",
    "fixed": "待验证",
    "closed": "已办结",
    "dismissed": "不予受理",
}


class StepRefused(ValueError):
    pass


def next_status(status: str, action: str) -> str:
    starts, leads_to = TRANSITIONS[action]
    if status not in starts:
        raise StepRefused(f"该问题{STATUS_NAMES[status]}，不能{ACTION_NAMES[action]}")
    return leads_to


def due_on(today: date, days: int) -> date:
    if not 1 <= days <= FIX_DAYS_MAX:
        raise StepRefused(f"整改期限：应为 1 到 {FIX_DAYS_MAX} 天，填的是 {days} 天")
    return today + timedelta(days=days)


def due_after_return(due: date, today: date) -> date:
    """A refused fix keeps its deadline, but never less than RETURN_DAYS from the refusal."""
    return max(due, today + timedelta(days=RETURN_DAYS))


def late(status: str, due: date | None, today: date) -> bool:
    return status == "assigned" and due is not None and due < today
