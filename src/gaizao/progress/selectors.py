"""Reads of targets, agreements and milestones: each starts from the scoping layer."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from gaizao.org.access import ALL, get_for_user_or_404, scope_units, visible_unit_ids
from gaizao.org.models import Unit
from gaizao.progress.models import (
    ActionItem,
    Bulletin,
    Contest,
    Indicator,
    Meeting,
    Milestone,
    ResponsibilityAgreement,
    Summary,
    Target,
)
from gaizao.progress.schedule import Planned, plan
from gaizao.projects.models import Project
from gaizao.projects.selectors import project_visible


def target_list(*, fetched_by, on: date | None = None, unit: int | None = None) -> QuerySet[Target]:
    qs = scope_units(Target.objects.select_related("indicator", "unit", "project", "parent"), fetched_by)
    if on is not None:
        # the periods that touch the day's year: in force, ended, or still to come
        qs = qs.filter(start__lte=date(on.year, 12, 31), end__gte=date(on.year, 1, 1))
    if unit is not None:
        qs = qs.filter(Q(unit_id=unit) | Q(parent__unit_id=unit))
    return qs.order_by("indicator__order", "end", "unit__path", "project__code")


def target_get(*, fetched_by, pk: int) -> Target:
    qs = Target.objects.select_related("indicator", "unit", "unit__jurisdiction", "project")
    return get_for_user_or_404(qs, fetched_by, scope=scope_units, pk=pk)


def indicator_list(*, fetched_by) -> QuerySet[Indicator]:
    ids = visible_unit_ids(fetched_by)
    qs = Indicator.objects.select_related("district")
    if ids is ALL:
        return qs
    return qs.filter(Q(district__isnull=True) | Q(district_id__in=ids or []))


def agreement_list(*, fetched_by) -> QuerySet[ResponsibilityAgreement]:
    return scope_units(ResponsibilityAgreement.objects.select_related("unit", "leader"), fetched_by)


def agreement_get(*, fetched_by, pk: int) -> ResponsibilityAgreement:
    qs = ResponsibilityAgreement.objects.select_related("unit", "leader", "signed_evidence")
    return get_for_user_or_404(qs, fetched_by, scope=scope_units, pk=pk)


def battle_plan(*, project: Project, today: date) -> list[tuple[Milestone, Planned]]:
    """The project's milestones in schedule order, each with its backward-scheduled dates and status."""
    milestones = {m.pk: m for m in project.milestones.select_related("unit").prefetch_related("depends_on")}
    specs = [m.spec() for m in milestones.values()]
    return [(milestones[row.key], row) for row in plan(specs, today)]


def milestone_get(*, fetched_by, pk: int) -> Milestone:
    milestone = Milestone.objects.select_related("project").filter(pk=pk).first()
    if milestone is None or not project_visible(fetched_by=fetched_by, project_id=milestone.project_id):
        raise Http404("没有找到该节点，或您无权查看。")
    return milestone


def summary_list(*, fetched_by) -> QuerySet[Summary]:
    return scope_units(Summary.objects.select_related("unit", "published_by"), fetched_by)


def summary_get(*, fetched_by, pk: int) -> Summary:
    return get_for_user_or_404(Summary.objects.select_related("unit"), fetched_by, scope=scope_units, pk=pk)


def meeting_list(*, fetched_by) -> QuerySet[Meeting]:
    return scope_units(Meeting.objects.select_related("unit"), fetched_by)


def meeting_get(*, fetched_by, pk: int) -> Meeting:
    return get_for_user_or_404(Meeting.objects.select_related("unit"), fetched_by, scope=scope_units, pk=pk)


def action_get(*, fetched_by, pk: int) -> ActionItem:
    """An item is seen by its owner unit and by whoever sees the meeting."""
    qs = ActionItem.objects.select_related("meeting", "owner")
    return get_for_user_or_404(
        qs, fetched_by, scope=lambda q, user: scope_units(q, user, "owner_id", "meeting__unit_id"), pk=pk
    )


def actions_of(*, fetched_by, unit: Unit) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(owner=unit).select_related("meeting").order_by("status", "deadline")


def contest_list(*, fetched_by) -> QuerySet[Contest]:
    return scope_units(Contest.objects.select_related("unit"), fetched_by)


def contest_get(*, fetched_by, pk: int) -> Contest:
    return get_for_user_or_404(Contest.objects.select_related("unit"), fetched_by, scope=scope_units, pk=pk)


def bulletin_get(*, fetched_by, pk: int) -> Bulletin:
    qs = Bulletin.objects.select_related("contest", "contest__unit", "published_by")
    return get_for_user_or_404(qs, fetched_by, scope=lambda q, user: scope_units(q, user, "contest__unit_id"), pk=pk)
