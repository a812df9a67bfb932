"""Reads of supervision: a unit sees what is addressed to it or issued by it; inspectors see everything."""

from django.db.models import Q, QuerySet
from django.http import Http404

from gaizao.org.access import ALL, scope_units, visible_unit_ids
from gaizao.supervision.models import (
    Checklist,
    Escalation,
    Exemption,
    Notice,
    PreAcceptance,
    Rectification,
    Speech,
    SupervisionItem,
)


def _one(qs: QuerySet, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该记录，或您无权查看。")
    return found


def item_list(*, fetched_by) -> QuerySet[SupervisionItem]:
    return scope_units(
        SupervisionItem.objects.select_related("unit", "official"), fetched_by, "unit_id", "issuing_unit_id"
    )


def item_get(*, fetched_by, pk: int) -> SupervisionItem:
    return _one(item_list(fetched_by=fetched_by).select_related("issuing_unit"), pk)


def notice_list(*, fetched_by) -> QuerySet[Notice]:
    named = Rectification.objects.values("notice_id")
    ids = visible_unit_ids(fetched_by)
    qs = Notice.objects.select_related("issuing_unit")
    if ids is ALL:
        return qs
    return qs.filter(Q(issuing_unit_id__in=ids or []) | Q(pk__in=named.filter(unit_id__in=ids or [])))


def notice_get(*, fetched_by, pk: int) -> Notice:
    return _one(notice_list(fetched_by=fetched_by), pk)


def rectification_get(*, fetched_by, pk: int) -> Rectification:
    qs = Rectification.objects.select_related("notice", "unit")
    return _one(scope_units(qs, fetched_by, "unit_id", "notice__issuing_unit_id"), pk)


def escalation_list(*, fetched_by) -> QuerySet[Escalation]:
    return scope_units(Escalation.objects.select_related("unit"), fetched_by, "unit_id")


def exemption_list(*, fetched_by) -> QuerySet[Exemption]:
    return scope_units(Exemption.objects.select_related("unit", "by"), fetched_by, "unit_id")


def speech_list(*, fetched_by) -> QuerySet[Speech]:
    return scope_units(Speech.objects.select_related("unit"), fetched_by, "unit_id")


def speech_get(*, fetched_by, pk: int) -> Speech:
    return _one(speech_list(fetched_by=fetched_by), pk)


def checklist_list(*, fetched_by) -> QuerySet[Checklist]:
    """The office's checklists, for the office and the inspectors."""
    return scope_units(Checklist.objects.all(), fetched_by, "unit_id")


def checklist_get(*, fetched_by, pk: int) -> Checklist:
    return _one(checklist_list(fetched_by=fetched_by), pk)


def preacceptance_list(*, fetched_by) -> QuerySet[PreAcceptance]:
    return scope_units(PreAcceptance.objects.select_related("unit", "by"), fetched_by, "unit_id")
