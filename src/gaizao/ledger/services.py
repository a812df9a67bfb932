"""Every change to a household goes through here, and leaves its event in the same transaction."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.core.feedback import plain
from gaizao.core.groups import SPECIAL_GROUPS
from gaizao.core.idcard import IdNumberError, normalize_id_number
from gaizao.core.models import Evidence
from gaizao.ledger.history import sealed
from gaizao.ledger.models import EventKind, Household, HouseholdEvent, Member, Property
from gaizao.ledger.stages import Stage, TransitionRefused, check_transition
from gaizao.ledger.tally import count_new, recounted
from gaizao.org.access import can_change, scope_households, visible_unit_ids
from gaizao.org.models import LOCAL_KINDS, Unit
from gaizao.projects.models import Project

# Surveyed facts: after the lock they change only after an unlock by a second official.
LOCKED_FIELDS = frozenset({"owner_name", "id_number", "persons", "street"})
EDITABLE_FIELDS = frozenset(
    {
        "owner_name",
        "id_number",
        "phone",
        "persons",
        "wish",
        "choice",
        "hard_case",
        "hard_case_plan",
        "holder_unit",
        "holder_name",
        "remark",
    }
)


def require_change(by, household: Household) -> None:
    if not can_change(by) or not scope_households(Household.objects.filter(pk=household.pk), by).exists():
        raise PermissionDenied("您无权修改该户")


def _event(household: Household, *, by, kind: str, changes=None, note="", evidence=None, at=None) -> HouseholdEvent:
    return HouseholdEvent.objects.create(
        household=household,
        project_id=household.project_id,
        district_id=household.district_id,
        kind=kind,
        at=at or timezone.now(),
        by=by,
        changes=sealed(changes or {}),
        note=note,
        evidence=evidence,
    )


def dated(day: date):
    """The moment for a step done on an earlier day (a signing entered afterwards): that day, now's time; else now."""
    now = timezone.localtime()
    return now.replace(year=day.year, month=day.month, day=day.day) if day < now.date() else now


@transaction.atomic
def household_create(
    *, by, project: Project, street: Unit, number: str, owner_name: str, properties: list[dict] = (), **fields: Any
) -> Household:
    """One household entered by hand (the workbook import is the bulk way in)."""
    if by is not None and (not can_change(by) or street.id not in (visible_unit_ids(by) or {street.id})):
        raise PermissionDenied("您无权在该街道建档")
    if street.kind not in LOCAL_KINDS or not street.path.startswith(project.district.path):
        raise ValidationError(f"“{street}”不是项目所在区县的街道或乡镇")
    if Household.objects.filter(project=project, number=number).exists():
        raise ValidationError(f"户号“{number}”在本项目中已存在")
    now = timezone.now()
    household = Household.objects.create(
        project=project,
        district_id=project.district_id,
        street=street,
        number=number,
        owner_name=owner_name,
        stage=fields.pop("stage", Stage.SURVEYED),
        created_at=now,
        updated_at=now,
        **fields,
    )
    for seq, values in enumerate(properties, start=1):
        Property.objects.create(household=household, district_id=project.district_id, seq=seq, **values)
    _event(household, by=by, kind=EventKind.CREATED, note="手工建档")
    count_new([household.pk])
    return household


@transaction.atomic
def household_transition(
    *, by, household: Household, stage: str, evidence: Evidence | None = None, note: str = "", at=None
) -> HouseholdEvent:
    require_change(by, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    try:
        check_transition(
            household.stage, stage, has_evidence=evidence is not None, reviewed=household.reviewed_at is not None
        )
    except TransitionRefused as error:
        raise ValidationError(str(error)) from error
    if stage in (Stage.VACATED, Stage.DEMOLISHED):
        # The rule lives with the money; the ledger asks it (an import here would be circular).
        from gaizao.compensation.payments import moving_refusal

        if refusal := moving_refusal(household):
            raise ValidationError(refusal)
    previous = household.stage
    with recounted([household.pk]):
        household.stage = stage
        household.updated_at = at or timezone.now()
        household.save(update_fields=["stage", "updated_at"])
        return _event(
            household,
            by=by,
            kind=EventKind.STAGE,
            changes={"stage": [previous, stage]},
            note=note,
            evidence=evidence,
            at=at,
        )


@transaction.atomic
def household_update(
    *, by, household: Household, changes: dict[str, Any], note: str = "", evidence: Evidence | None = None
) -> HouseholdEvent | None:
    require_change(by, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    diff = {}
    for name, value in changes.items():
        old = getattr(household, name)
        if old != value:
            diff[name] = [plain(old), plain(value)]
            setattr(household, name, value)
    if not diff:
        return None
    locked = sorted(set(diff) & LOCKED_FIELDS)
    if household.locked and locked:
        labels = "、".join(str(Household._meta.get_field(n).verbose_name) for n in locked)
        raise ValidationError(f"调查数据已锁定，{labels}须先由第二人解锁后才能修改")
    household.updated_at = timezone.now()
    # the street and the holding unit are where the household's progress is counted
    with recounted([household.pk] if {"street", "holder_unit"} & set(diff) else []):
        household.save()
        return _event(household, by=by, kind=EventKind.UPDATED, changes=diff, note=note, evidence=evidence)


@transaction.atomic
def household_review(*, by, household: Household, note: str = "") -> HouseholdEvent:
    require_change(by, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.locked:
        raise ValidationError("该户已锁定，无需复核")
    household.reviewed_at = timezone.now()
    household.reviewed_by = by
    household.save(update_fields=["reviewed_at", "reviewed_by"])
    return _event(household, by=by, kind=EventKind.REVIEWED, note=note)


@transaction.atomic
def household_lock(*, by, household: Household) -> HouseholdEvent:
    require_change(by, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.locked:
        raise ValidationError("该户已经锁定")
    if household.reviewed_at is None:
        raise ValidationError("调查数据须先复核，才能锁定")
    household.locked_at = timezone.now()
    household.locked_by = by
    household.save(update_fields=["locked_at", "locked_by"])
    return _event(household, by=by, kind=EventKind.LOCKED)


@transaction.atomic
def household_unlock(*, by, household: Household, reason: str) -> HouseholdEvent:
    require_change(by, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not household.locked:
        raise ValidationError("该户没有锁定")
    if not reason.strip():
        raise ValidationError("解锁须写明理由")
    if household.locked_by_id == by.pk:
        raise ValidationError("解锁须由锁定人以外的第二人办理")
    household.locked_at = None
    household.locked_by = None
    household.reviewed_at = None
    household.reviewed_by = None
    household.save(update_fields=["locked_at", "locked_by", "reviewed_at", "reviewed_by"])
    return _event(household, by=by, kind=EventKind.UNLOCKED, note=reason.strip())


@transaction.atomic
def household_add_evidence(*, by, household: Household, evidence: Evidence, note: str = "") -> HouseholdEvent:
    require_change(by, household)
    return _event(household, by=by, kind=EventKind.EVIDENCE, note=note, evidence=evidence)


def _groups(groups: list[str]) -> list[str]:
    unknown = [g for g in groups if g not in SPECIAL_GROUPS]
    if unknown:
        raise ValidationError(f"困难群体“{'、'.join(unknown)}”无效，可选：{'、'.join(SPECIAL_GROUPS.values())}")
    return sorted(set(groups))


@transaction.atomic
def member_create(
    *, by, household: Household, name: str, relation: str = "", id_number: str = "", special_groups: list[str] = ()
) -> Member:
    """A family member (家庭成员); part of the surveyed facts, so not while they are locked."""
    require_change(by, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.locked:
        raise ValidationError("调查数据已锁定，增加家庭成员须先由第二人解锁")
    if not name.strip() or len(name.strip()) > 50 or len(relation.strip()) > 20:
        raise ValidationError("家庭成员姓名不能为空（50字以内），关系20字以内")
    if id_number:
        try:
            id_number, _ = normalize_id_number(id_number)
        except IdNumberError as error:
            raise ValidationError(f"家庭成员身份证号：{error}") from error
    member = Member.objects.create(
        household=household,
        district_id=household.district_id,
        name=name.strip(),
        relation=relation.strip(),
        id_number=id_number,
        special_groups=_groups(list(special_groups)),
    )
    _event(
        household,
        by=by,
        kind=EventKind.UPDATED,
        changes={"members": [None, member.name]},
        note=f"增加家庭成员 {member.name}（{member.relation or '关系未填'}）",
    )
    return member


@transaction.atomic
def member_set_groups(*, by, member: Member, special_groups: list[str]) -> Member:
    """Special groups (低保、残疾…) decide subsidies in the standards: every change is an event."""
    require_change(by, member.household)
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    groups = _groups(list(special_groups))
    if groups == member.special_groups:
        return member
    before = "、".join(SPECIAL_GROUPS[g] for g in member.special_groups) or "无"
    after = "、".join(SPECIAL_GROUPS[g] for g in groups) or "无"
    member.special_groups = groups
    member.save(update_fields=["special_groups"])
    _event(
        member.household, by=by, kind=EventKind.UPDATED, note=f"家庭成员 {member.name} 的困难群体：{before} → {after}"
    )
    return member
