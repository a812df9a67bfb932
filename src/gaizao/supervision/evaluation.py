"""考核: each unit's yearly score, with the arithmetic shown line by line.

targets met        the mean completion of its targets for the year (each capped at 100%) × 60
ranking            its place among the units evaluated, best full marks, last none          × 20
rectification      rectifications accepted on time ÷ rectifications it was given             × 20
ladder             1 point off a listing, 3 an interview, 5 a referral, opened that year
bonus / deduction  the office's adjustments (highlight projects 亮点项目 …), bonus at most 10
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gaizao.progress.actuals import standings
from gaizao.progress.models import Target
from gaizao.supervision.models import Adjustment, AdjustmentKind, Escalation, Rectification, RectificationStatus

WEIGHTS = {"targets": Decimal(60), "ranking": Decimal(20), "rectification": Decimal(20)}
LADDER_POINTS = {"listed": Decimal(1), "interview": Decimal(3), "referral": Decimal(5)}
BONUS_CAP = Decimal(10)
ONE = Decimal("0.1")


@dataclass
class Score:
    unit_id: int
    name: str
    lines: list[tuple[str, str, Decimal]] = field(default_factory=list)  # what, the arithmetic, the points
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return sum((points for _, _, points in self.lines), Decimal(0)).quantize(ONE, ROUND_HALF_UP)


def _q(value: Decimal) -> Decimal:
    return value.quantize(ONE, ROUND_HALF_UP)


def evaluate(year: int, unit_ids: frozenset[int] | None, on: date) -> list[Score]:
    """The units holding targets handed down to them for the year (within unit_ids, if given), best first."""
    targets = Target.objects.filter(parent__isnull=False, end__year=year).select_related("indicator", "unit")
    if unit_ids is not None:
        targets = targets.filter(unit_id__in=unit_ids)
    rates: dict[int, list[Decimal]] = defaultdict(list)
    names: dict[int, str] = {}
    for s in standings(list(targets), min(on, date(year, 12, 31))):
        rates[s.target.unit_id].append(min(s.completion, Decimal(100)))
        names[s.target.unit_id] = s.target.unit.name
    scores = {pk: Score(pk, names[pk]) for pk in rates}
    order = sorted(rates, key=lambda pk: -sum(rates[pk]) / len(rates[pk]))
    for pk, score in scores.items():
        mean = sum(rates[pk]) / len(rates[pk])
        score.lines.append(
            ("目标完成", f"平均完成率 {_q(mean)}% × {WEIGHTS['targets']}%", _q(mean * WEIGHTS["targets"] / 100))
        )
        place = order.index(pk)
        share = Decimal(1) if len(order) == 1 else Decimal(len(order) - 1 - place) / (len(order) - 1)
        score.lines.append(
            ("排名", f"第 {place + 1} 名（共 {len(order)} 个）× {WEIGHTS['ranking']}", _q(share * WEIGHTS["ranking"]))
        )
    given: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    for unit, status, deadline, answered in Rectification.objects.filter(
        unit_id__in=list(scores), deadline__year=year
    ).values_list("unit_id", "status", "deadline", "answered_on"):
        given[unit] += 1
        if status == RectificationStatus.ACCEPTED and answered and answered <= deadline:
            on_time[unit] += 1
    for pk, score in scores.items():
        if given[pk]:
            text = f"按期整改到位 {on_time[pk]}/{given[pk]} × {WEIGHTS['rectification']}"
            points = _q(Decimal(on_time[pk]) / given[pk] * WEIGHTS["rectification"])
        else:
            text, points = f"无整改任务，得满分 {WEIGHTS['rectification']}", WEIGHTS["rectification"]
        score.lines.append(("整改", text, points))
    steps: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    escalations = Escalation.objects.filter(unit_id__in=list(scores), opened_on__year=year)
    for unit, rung, rung_name in escalations.values_list("unit_id", "rung", "rung_name"):
        steps[unit][(rung, rung_name)] += 1
    for pk, score in scores.items():
        for (rung, rung_name), count in steps[pk].items():
            points = LADDER_POINTS.get(rung, Decimal(1))
            score.lines.append(("问责阶梯", f"{rung_name} {count} 次 × −{points}", -points * count))
    bonus: dict[int, Decimal] = defaultdict(Decimal)
    for adjustment in Adjustment.objects.filter(unit_id__in=list(scores), year=year):
        score = scores[adjustment.unit_id]
        if adjustment.kind == AdjustmentKind.BONUS:
            allowed = max(min(adjustment.points, BONUS_CAP - bonus[adjustment.unit_id]), Decimal(0))
            bonus[adjustment.unit_id] += allowed
            capped = "" if allowed == adjustment.points else f"（加分封顶 {BONUS_CAP}，计 {allowed}）"
            score.lines.append(("加分", f"{adjustment.reason} +{adjustment.points}{capped}", allowed))
        else:
            score.lines.append(("扣分", f"{adjustment.reason} −{adjustment.points}", -adjustment.points))
    ranked = sorted(scores.values(), key=lambda s: (-s.total, s.name))
    for n, score in enumerate(ranked, start=1):
        score.rank = n
    return ranked
