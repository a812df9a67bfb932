"""Rules on the archive (档案): a house marked demolished without evidence; a document its stage requires missing.

What an archive must hold is configurable (audit.RequiredDocument, edited by the command office). A document
is an event of the household carrying evidence: a stage change into the stage (the ledger refuses most of
those without a file), a payment with its voucher, or a file uploaded on the household page whose note
names the document (the keyword)."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from gaizao.audit.models import RequiredDocument
from gaizao.audit.rules import Found, in_projects
from gaizao.ledger.models import EventKind, Household, HouseholdEvent
from gaizao.ledger.stages import TRANSITIONS, Stage, label
from gaizao.org.access import is_command_office


def demolished_no_evidence(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    """A household at 已拆除 whose stage change into it carries no evidence (or that has no such change at all)."""
    into = HouseholdEvent.objects.filter(
        household_id=OuterRef("pk"), kind=EventKind.STAGE, changes__stage__1=Stage.DEMOLISHED
    )
    households = in_projects(Household.objects.filter(stage=Stage.DEMOLISHED), project_ids)
    flagged = list(households.exclude(Exists(into.filter(evidence__isnull=False))).values_list("id", flat=True))
    events: dict[int, tuple] = {}
    unproven = HouseholdEvent.objects.filter(
        household_id__in=flagged, kind=EventKind.STAGE, changes__stage__1=Stage.DEMOLISHED
    ).order_by("at")
    for household_id, at, username in unproven.values_list("household_id", "at", "by__username").iterator():
        events[household_id] = (at, username)
    for household_id in flagged:
        at, username = events.get(household_id, (None, None))
        yield Found(
            key=str(household_id),
            household_id=household_id,
            severity="high",
            summary="标为“已拆除”，拆除记录没有佐证材料" if at else "标为“已拆除”，但没有拆除的阶段变更记录",
            figures={"stage_changed_at": at.isoformat() if at else None, "by": username or ""},
        )


def reached_through(stage: str) -> tuple[frozenset[str], frozenset[str]]:
    """(stages a household can be at once it has passed `stage`; those of them it may also have reached without
    passing it, e.g. 已腾空 by a decision instead of a signature)."""
    after, todo = {stage}, [stage]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in after:
                after.add(nxt)
                todo.append(nxt)
    bypassed, todo = {Stage.UNSURVEYED.value}, [Stage.UNSURVEYED.value]
    while todo:  # what is reachable from the start without going through `stage`
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt != stage and nxt not in bypassed:
                bypassed.add(nxt)
                todo.append(nxt)
    return frozenset(after), frozenset(after & bypassed)


def missing_documents(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    """档案缺件: for each active required document, the households that reached its stage and hold no such document.
    One finding a household, listing every document it lacks."""
    missing: dict[int, list[RequiredDocument]] = defaultdict(list)
    stages: dict[int, str] = {}
    for required in RequiredDocument.objects.filter(active=True).order_by("stage", "name"):
        after, bypassable = reached_through(required.stage)
        households = in_projects(Household.objects.filter(stage__in=after), project_ids)
        if bypassable:
            passed = HouseholdEvent.objects.filter(
                household_id=OuterRef("pk"), kind=EventKind.STAGE, changes__stage__1=required.stage
            )
            households = households.filter(Q(stage__in=after - bypassable) | Exists(passed))
        documents = HouseholdEvent.objects.filter(
            household_id=OuterRef("pk"), kind=required.event_kind, evidence__isnull=False
        )
        if required.event_kind == EventKind.STAGE:
            documents = documents.filter(changes__stage__1=required.stage)
        if required.keyword:
            documents = documents.filter(note__contains=required.keyword)
        lacking = households.exclude(Exists(documents)).values_list("id", "stage")
        for household_id, stage in lacking.iterator(chunk_size=5000):
            missing[household_id].append(required)
            stages[household_id] = stage
    for household_id in sorted(missing):
        documents = missing[household_id]
        names = "、".join(d.name for d in documents)
        yield Found(
            key=str(household_id),
            household_id=household_id,
            severity="medium",
            summary=f"“{label(stages[household_id])}”户的档案缺少：{names}",
            figures={
                "stage": stages[household_id],
                "missing": [{"stage": d.stage, "document": d.name} for d in documents],
            },
        )


# ---- the office keeps the list ------------------------------------------------------------------------


def _require_office(by) -> None:
    if not is_command_office(by):
        raise PermissionDenied("档案必备材料由指挥部办公室设置")


@transaction.atomic
def required_document_save(
    *, by, stage: str, name: str, event_kind: str = EventKind.STAGE, keyword: str = ""
) -> RequiredDocument:
    """A new required document, or the same one (stage and name) changed; switched on."""
    _require_office(by)
    name, keyword = name.strip(), keyword.strip()
    if stage not in Stage.values:
        raise ValidationError(f"阶段“{stage}”无效")
    if event_kind not in EventKind.values:
        raise ValidationError(f"所附事件“{event_kind}”无效")
    if not name or len(name) > 60 or len(keyword) > 60:
        raise ValidationError("材料名称不能为空（60字以内），说明关键词60字以内")
    if event_kind == EventKind.EVIDENCE and not keyword:
        raise ValidationError(f"“{name}”以上传佐证认定时，须写明说明中须含的关键词（如“{name}”）")
    document, _ = RequiredDocument.objects.update_or_create(
        stage=stage, name=name, defaults={"event_kind": event_kind, "keyword": keyword, "active": True}
    )
    return document


@transaction.atomic
def required_document_switch(*, by, document: RequiredDocument, active: bool) -> RequiredDocument:
    _require_office(by)
    document = RequiredDocument.objects.select_for_update().get(pk=document.pk)
    if document.active != active:
        document.active = active
        document.save(update_fields=["active"])
    return document
