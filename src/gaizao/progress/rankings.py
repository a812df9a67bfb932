"""晒一晒、比一比: a contest's units ranked by the weighted completion rates of their targets, with history."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from gaizao.progress.actuals import standings
from gaizao.progress.models import Bulletin, Contest, Indicator, Target
from gaizao.progress.rhythm import units_under
from gaizao.progress.services import record_event, require_office

CAP = Decimal(150)  # a rate counts up to 150%: one indicator far ahead does not hide another far behind
BULLETIN_NAMES = 3


@dataclass(frozen=True)
class Entry:
    unit_id: int  # or the project's, in a contest by project
    name: str
    score: Decimal
    rates: dict[str, Decimal]  # indicator code → completion %
    rank: int = 0


def entries(contest: Contest, on: date) -> list[Entry]:
    """Ranked entries on a day: the units under the contest's unit holding targets handed down to them, or
    (a contest by project) the projects with targets of their own."""
    codes = list(contest.weights)
    targets = Target.objects.filter(
        indicator__code__in=codes, unit_id__in=units_under(contest.unit), start__lte=contest.end, end__gte=contest.start
    ).select_related("indicator", "unit", "project")
    if contest.by_project:
        targets = targets.filter(project__isnull=False)
    else:
        targets = targets.filter(parent__isnull=False, project__isnull=True)
    rates: dict[int, dict[str, Decimal]] = {}
    names: dict[int, str] = {}
    for s in standings(list(targets), on):
        entrant = s.target.project if contest.by_project else s.target.unit
        names[entrant.pk] = entrant.name
        rates.setdefault(entrant.pk, {})[s.target.indicator.code] = s.completion
    total = sum((Decimal(str(w)) for w in contest.weights.values()), Decimal(0))
    scored = []
    for unit_id, found in rates.items():
        weighted = sum((Decimal(str(w)) * min(found.get(c, Decimal(0)), CAP) for c, w in contest.weights.items()))
        score = (weighted / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else Decimal(0)
        scored.append(Entry(unit_id, names[unit_id], score, found))
    scored.sort(key=lambda e: (-e.score, e.name))
    ranked, rank = [], 0
    for position, entry in enumerate(scored, start=1):
        if not ranked or entry.score != ranked[-1].score:
            rank = position
        ranked.append(Entry(entry.unit_id, entry.name, entry.score, entry.rates, rank))
    return ranked


def history(contest: Contest, on: date, step: int = 7) -> tuple[list[date], dict[int, list[int | None]]]:
    """Each unit's rank at every week's end from the contest's start to the day."""
    days = []
    day = min(contest.start + timedelta(days=step - 1), on)
    while day < on:
        days.append(day)
        day += timedelta(days=step)
    days.append(on)
    ranks: dict[int, list[int | None]] = {}
    for n, day in enumerate(days):
        for entry in entries(contest, day):
            ranks.setdefault(entry.unit_id, [None] * len(days))[n] = entry.rank
    return days, ranks


def check_weights(weights: dict) -> dict[str, int]:
    if not isinstance(weights, dict) or not weights:
        raise ValidationError("权重须列出至少一个指标及其权重")
    known = set(Indicator.objects.filter(code__in=list(weights)).values_list("code", flat=True))
    unknown = sorted(set(weights) - known)
    if unknown:
        raise ValidationError(f"指标编号“{'、'.join(unknown)}”不存在")
    clean = {}
    for code, weight in weights.items():
        if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
            raise ValidationError(f"指标“{code}”的权重应为正整数")
        clean[code] = weight
    return clean


@transaction.atomic
def contest_create(*, by, unit, name: str, start: date, end: date, weights: dict, by_project: bool = False) -> Contest:
    require_office(by, unit)
    if end < start:
        raise ValidationError(f"结束日期 {end} 早于开始日期 {start}")
    if not name.strip():
        raise ValidationError("须写明竞赛名称")
    contest = Contest.objects.create(
        unit=unit,
        name=name.strip(),
        start=start,
        end=end,
        weights=check_weights(weights),
        by_project=by_project,
        created_by=by,
    )
    record_event(by=by, kind="contest", subject=contest.name, unit=unit, changes={"weights": [None, contest.weights]})
    return contest


@transaction.atomic
def bulletin_publish(*, by, contest: Contest, on: date, remarks: str = "") -> Bulletin:
    """Freezes the ranking of the day: what was published stays as it was, whatever the ledger does later."""
    require_office(by, contest.unit)
    ranked = entries(contest, on)
    if not ranked:
        raise ValidationError("没有参评单位：竞赛指标的目标尚未分解到下级单位（按项目评比时，尚未按项目下达）")
    snapshot = [
        {"rank": e.rank, "name": e.name, "score": str(e.score), "rates": {c: str(r) for c, r in e.rates.items()}}
        for e in ranked
    ]
    bulletin = Bulletin.objects.create(
        contest=contest, on=on, ranking=snapshot, remarks=remarks.strip(), published_by=by
    )
    record_event(by=by, kind="bulletin", subject=f"{contest.name} {on}", unit=contest.unit)
    return bulletin


def top_and_bottom(ranking: list[dict]) -> tuple[list[dict], list[dict]]:
    """The named top and bottom: three each, fewer when there are too few units for both."""
    n = min(BULLETIN_NAMES, len(ranking) // 2)
    return ranking[:n], ranking[-n:] if n else []
