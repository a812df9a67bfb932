"""抢建: building, extension or area increase dated after the project's freeze date (征收范围冻结日), which the
2011 regulation (Art. 16) does not compensate.

Two sources: a property's build date after the freeze (a date known only to the month or the year is
"possibly after" when its period straddles the freeze), and a change of the ledger after the freeze that
increased an area or added a property (a re-import; the first survey itself is not a change)."""

import calendar
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from gaizao.audit.rules import Found
from gaizao.ledger.models import DatePrecision, EventKind, HouseholdEvent, Property
from gaizao.projects.models import Project

AREAS = {
    "certified_area": "证载面积",
    "unregistered_area": "未登记面积",
    "recognised_area": "认定合法面积",
    "land_area": "土地面积",
    "shop_area": "住改商面积",
}


def period_end(built_on: date, precision: str) -> date:
    """The last day the build date may stand for: the day, the month's end, the year's end."""
    if precision == DatePrecision.YEAR:
        return date(built_on.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return date(built_on.year, built_on.month, calendar.monthrange(built_on.year, built_on.month)[1])
    return built_on


def _freezes(project_ids: list[int] | None) -> dict[int, date]:
    projects = Project.objects.all() if project_ids is None else Project.objects.filter(pk__in=project_ids)
    return dict(projects.values_list("id", "freeze_date"))


def built_after_freeze(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    freezes = _freezes(project_ids)
    if freezes:
        yield from _built(freezes)
        yield from _increased(freezes)


def _built(freezes: dict[int, date]) -> Iterator[Found]:
    """One pass over the properties built in or after the earliest freeze year; each against its project's date."""
    candidates = Property.objects.filter(
        household__project_id__in=list(freezes), built_on__gte=date(min(freezes.values()).year, 1, 1)
    )
    rows = candidates.order_by("id").values_list(
        "id", "household_id", "household__project_id", "seq", "location", "built_on", "built_precision"
    )
    for pk, household_id, project_id, seq, location, built_on, precision in rows.iterator(chunk_size=5000):
        freeze = freezes[project_id]
        if period_end(built_on, precision) <= freeze:
            continue
        certain = built_on > freeze
        shown = {DatePrecision.YEAR: f"{built_on.year}年", DatePrecision.MONTH: f"{built_on:%Y年%m月}"}.get(
            precision, str(built_on)
        )
        yield Found(
            key=f"built:{pk}",
            household_id=household_id,
            severity="high" if certain else "low",
            summary=f"第{seq}处房屋（{location}）建成于{shown}，"
            + ("晚于" if certain else "可能晚于")
            + f"征收范围冻结日 {freeze}",
            figures={
                "property": pk,
                "seq": seq,
                "built_on": str(built_on),
                "precision": precision or DatePrecision.DAY,
                "freeze_date": str(freeze),
                "certain": certain,
            },
        )


def _number(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def area_changes(changes: dict) -> list[dict]:
    """The increases in an event's changes: {"properties.2.certified_area": ["100.00", "130.00"]} → one increase;
    a property added ("properties.3": [None, location]) is one too."""
    found = []
    for name, values in changes.items():
        if not name.startswith("properties.") or not isinstance(values, list) or len(values) != 2:
            continue
        parts = name.split(".")
        if len(parts) == 2 and values[0] is None:
            found.append({"seq": parts[1], "what": "新增房屋", "before": None, "after": values[1]})
        elif len(parts) == 3 and parts[2] in AREAS and _number(values[1]) > _number(values[0]):
            found.append({"seq": parts[1], "what": AREAS[parts[2]], "before": values[0], "after": values[1]})
    return found


def _increased(freezes: dict[int, date]) -> Iterator[Found]:
    """Changes after the earliest freeze, read through the events' (district, kind, time) index; each against its
    project's freeze date."""
    districts = set(Project.objects.filter(pk__in=list(freezes)).values_list("district_id", flat=True))
    earliest = timezone.make_aware(datetime.combine(min(freezes.values()) + timedelta(days=1), time.min))
    events = (
        HouseholdEvent.objects.filter(
            district_id__in=districts,
            kind__in=(EventKind.IMPORTED, EventKind.UPDATED),
            at__gte=earliest,
            project_id__in=list(freezes),
        )
        .annotate(text=Cast("changes", TextField()))
        .filter(text__contains="properties.")
        .order_by("id")
    )
    rows = events.values_list("id", "household_id", "project_id", "at", "text")
    for pk, household_id, project_id, at, text in rows.iterator(chunk_size=5000):
        freeze = freezes[project_id]
        if timezone.localtime(at).date() <= freeze:
            continue
        increases = area_changes(json.loads(text))
        if not increases:
            continue
        added = all(i["what"] == "新增房屋" for i in increases)
        described = "；".join(
            f"第{i['seq']}处{i['what']}" + (f" {i['before']}→{i['after']}㎡" if i["before"] is not None else "")
            for i in increases
        )
        yield Found(
            key=f"increase:{pk}",
            household_id=household_id,
            severity="low" if added else "medium",
            summary=f"{timezone.localtime(at):%Y-%m-%d} 冻结日（{freeze}）后台账面积增加：{described}",
            figures={"event": pk, "at": at.isoformat(), "freeze_date": str(freeze), "increases": increases},
        )
