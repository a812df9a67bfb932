"""倒排工期: a project's milestones scheduled backwards from their deadlines, and forwards from today.

Backwards: a milestone must finish by its own deadline and early enough for each follower to start on its
latest start. Forwards: a milestone not yet done starts when its predecessors are done (and not before
today, nor before its own earliest start). Slack is latest finish − expected finish; the critical path is
the chain with the least slack. Plain values in, plain values out: no Django here.
"""

from dataclasses import dataclass
from datetime import date, timedelta


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Spec:
    key: int
    name: str
    duration: int  # days
    depends: tuple[int, ...] = ()
    deadline: date | None = None
    not_before: date | None = None
    started_on: date | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class Planned:
    key: int
    name: str
    latest_start: date
    latest_finish: date
    expected_start: date
    expected_finish: date
    slack: int  # days; negative: cannot finish in time
    critical: bool
    status: str  # done, done_late, late, no_slack, tight, on_track

    @property
    def red(self) -> bool:
        return self.status in ("late", "no_slack", "done_late")


STATUS_LABELS = {
    "done": "按期完成",
    "done_late": "逾期完成",
    "late": "已逾期",
    "no_slack": "无余量，按现进度将逾期",
    "tight": "余量不足",
    "on_track": "正常",
}
TIGHT_DAYS = 7


def finish(start: date, duration: int) -> date:
    """A milestone of n days that starts on a day ends n − 1 days later (a 0-day one is a point in time)."""
    return start + timedelta(days=max(duration - 1, 0))


def begin(end: date, duration: int) -> date:
    return end - timedelta(days=max(duration - 1, 0))


def order(specs: list[Spec]) -> list[Spec]:
    """Predecessors first; a cycle or an unknown predecessor is refused, by name."""
    by_key = {spec.key: spec for spec in specs}
    for spec in specs:
        if spec.duration < 0:
            raise ScheduleError(f"节点“{spec.name}”的工期不能为负数")
        for dep in spec.depends:
            if dep == spec.key:
                raise ScheduleError(f"节点“{spec.name}”不能依赖自身")
            if dep not in by_key:
                raise ScheduleError(f"节点“{spec.name}”的前置节点不存在")
        if spec.deadline and spec.not_before and spec.deadline < finish(spec.not_before, spec.duration):
            raise ScheduleError(
                f"节点“{spec.name}”的完成时限 {spec.deadline} 早于最早开工 {spec.not_before} 加工期 {spec.duration} 天"
            )
    done: list[Spec] = []
    state: dict[int, str] = {}

    def visit(spec: Spec, trail: list[str]) -> None:
        if state.get(spec.key) == "done":
            return
        if state.get(spec.key) == "open":
            loop = trail[trail.index(spec.name) :] + [spec.name]
            raise ScheduleError(f"节点之间循环依赖：{' → '.join(loop)}")
        state[spec.key] = "open"
        for dep in spec.depends:
            visit(by_key[dep], [*trail, spec.name])
        state[spec.key] = "done"
        done.append(spec)

    for spec in specs:
        visit(spec, [])
    return done


def plan(specs: list[Spec], today: date) -> list[Planned]:
    ordered = order(specs)
    followers: dict[int, list[int]] = {spec.key: [] for spec in specs}
    for spec in specs:
        for dep in spec.depends:
            followers[dep].append(spec.key)
    latest_start: dict[int, date] = {}
    latest_finish: dict[int, date] = {}
    for spec in reversed(ordered):
        bounds = [latest_start[f] - timedelta(days=1) for f in followers[spec.key]]
        if spec.deadline:
            bounds.append(spec.deadline)
        if not bounds:
            raise ScheduleError(f"节点“{spec.name}”既没有完成时限，也没有后续节点，无法倒排")
        latest_finish[spec.key] = min(bounds)
        latest_start[spec.key] = begin(latest_finish[spec.key], spec.duration)
    expected_start: dict[int, date] = {}
    expected_finish: dict[int, date] = {}
    for spec in ordered:
        if spec.done_on:
            expected_finish[spec.key] = spec.done_on
            expected_start[spec.key] = spec.started_on or begin(spec.done_on, spec.duration)
            continue
        candidates = [today] + [expected_finish[d] + timedelta(days=1) for d in spec.depends]
        if spec.started_on:
            candidates = [spec.started_on]
        elif spec.not_before:
            candidates.append(spec.not_before)
        expected_start[spec.key] = max(candidates)
        # a milestone under way and past its planned length is expected to finish today at the earliest
        expected_finish[spec.key] = max(finish(expected_start[spec.key], spec.duration), today)
    slack = {spec.key: (latest_finish[spec.key] - expected_finish[spec.key]).days for spec in specs}
    open_slack = [slack[spec.key] for spec in specs if not spec.done_on]
    least = min(open_slack) if open_slack else None
    return [
        Planned(
            key=spec.key,
            name=spec.name,
            latest_start=latest_start[spec.key],
            latest_finish=latest_finish[spec.key],
            expected_start=expected_start[spec.key],
            expected_finish=expected_finish[spec.key],
            slack=slack[spec.key],
            critical=not spec.done_on and slack[spec.key] == least,
            status=_status(spec, slack[spec.key], latest_finish[spec.key], today),
        )
        for spec in ordered
    ]


def _status(spec: Spec, slack: int, latest_finish: date, today: date) -> str:
    if spec.done_on:
        return "done" if spec.done_on <= latest_finish else "done_late"
    if today > latest_finish:
        return "late"
    if slack < 0:
        return "no_slack"
    if slack < TIGHT_DAYS:
        return "tight"
    return "on_track"
