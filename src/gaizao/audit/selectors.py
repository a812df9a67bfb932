from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from gaizao.audit.models import TrailEntry
from gaizao.org.access import user_capabilities

PAGE = 100


@dataclass(frozen=True)
class TrailFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None
    before: int | None = None  # the page ends before this entry (newest first)


def _micros(day: date) -> int:
    return int(timezone.make_aware(datetime.combine(day, time.min)).timestamp() * 1_000_000)


def trail_page(*, fetched_by, filters: TrailFilters) -> QuerySet[TrailEntry]:
    """The newest entries first, a page at a time; only for who may read the trail."""
    if not user_capabilities(fetched_by).read_trail:
        raise PermissionDenied("只有纪检监察、审计人员可查看审计日志")
    entries = TrailEntry.objects.order_by("-seq")
    for name in ("actor", "action", "object_type", "object_id"):
        if value := getattr(filters, name):
            entries = entries.filter(**{name: value})
    if filters.since:
        entries = entries.filter(at_us__gte=_micros(filters.since))
    if filters.until:
        entries = entries.filter(at_us__lt=_micros(filters.until) + 86_400_000_000)
    if filters.before:
        entries = entries.filter(seq__lt=filters.before)
    return entries[:PAGE]
