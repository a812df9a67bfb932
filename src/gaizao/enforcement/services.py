"""Writes of illegal-building control: a case registered, confirmed or dismissed, stopped, served, removed,
corrected; the land's reuse; "no illegal building" creation. The survey comparison's job is surveys.py.

Every write checks that the official works for the case's place (or the office above it), keeps the case's
status table (procedure.TRANSITIONS), and leaves a dated step with its evidence; the audit trail records each
saved row by itself (audit/recording.py).
"""

from datetime import date, datetime, time
from decimal import Decimal

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.core.feedback import form_degrees, plain
from gaizao.core.models import Evidence
from gaizao.core.numbering import next_code
from gaizao.enforcement import procedure
from gaizao.enforcement.models import (
    PROCEDURE_STEPS,
    Case,
    CaseKind,
    CaseSource,
    CaseStatus,
    CaseStep,
    Creation,
    LandReuse,
    RemovalMethod,
    ReuseKind,
    ReuseReport,
    StepKind,
)
from gaizao.enforcement.outlines import OutlineError, outline_point, read_layer
from gaizao.enforcement.selectors import creation_figures, served
from gaizao.org.access import can_change, official_of, root_units
from gaizao.org.models import LOCAL_KINDS, Official, Role, Unit, UnitKind
from gaizao.supervision.models import Checklist, PreAcceptance

STATUS_NAMES = dict(CaseStatus.choices)


def require_place_staff(by, unit: Unit) -> None:
    """The place's own staff, or an office above it (the district's 三改一拆办), record its cases."""
    official = official_of(by)
    if official is None or not can_change(by) or not _reaches(official, unit):
        raise PermissionDenied(f"只有{unit.name}或其上级单位的工作人员可以办理")


def _reaches(official: Official, unit: Unit) -> bool:
    """The unit is the official's own, below it, or in the jurisdiction of their headquarters."""
    return any(unit.path.startswith(root.path) for root in root_units(official))


def _moment(value: datetime | date | None) -> datetime:
    now = timezone.now()
    if value is None:
        return now
    if not isinstance(value, datetime):
        if value > timezone.localdate(now):
            raise ValidationError(f"日期 {value} 晚于今天")
        return min(timezone.make_aware(datetime.combine(value, time(12))), now)  # a day's step: at noon, or now
    if value > now:
        raise ValidationError(f"时间 {timezone.localtime(value):%Y-%m-%d %H:%M} 晚于现在")
    return value


def _check_areas(*, footprint_area: Decimal, floors: int, area: Decimal, land_area: Decimal | None) -> None:
    if footprint_area <= 0:
        raise ValidationError("占地面积须大于 0")
    if floors < 1:
        raise ValidationError("层数至少为 1")
    if area <= 0:
        raise ValidationError("建筑面积须大于 0")
    if land_area is not None and footprint_area > land_area:
        raise ValidationError(f"占地面积（{footprint_area}㎡）大于所在宗地面积（{land_area}㎡）")
    if area > footprint_area * floors:
        raise ValidationError(f"建筑面积（{area}㎡）大于占地面积×层数（{footprint_area}㎡×{floors}）")


def check_outline(outline: dict | None) -> None:
    """One Polygon or MultiPolygon, valid (not self-intersecting), in degrees or metres."""
    if outline is None:
        return
    geometry = outline.get("geometry", outline) if isinstance(outline, dict) else outline
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    try:
        read_layer(orjson.dumps({"type": "FeatureCollection", "features": [feature]}), name="轮廓")
    except OutlineError as error:
        raise ValidationError([p.replace("第 1 个要素", "轮廓") for p in error.problems]) from None


def _place(unit: Unit, village: Unit | None) -> None:
    if unit.kind not in LOCAL_KINDS:
        raise ValidationError(f"“{unit.name}”不是街道或乡镇：案件登记在违建所在的街道（乡镇）")
    if village is not None and (
        village.kind not in (UnitKind.VILLAGE, UnitKind.COMMUNITY) or village.parent_id != unit.id
    ):
        raise ValidationError(f"“{village.name}”不是{unit.name}下属的村（社区）")


def _coordinates(longitude, latitude, outline: dict | None) -> tuple[Decimal | None, Decimal | None]:
    """Where the case is on the map: the longitude and latitude given (both or neither), else a point inside its
    outline when that is in degrees."""
    longitude, latitude = form_degrees(longitude, "经度", 180), form_degrees(latitude, "纬度", 90)
    if (longitude is None) != (latitude is None):
        raise ValidationError("经度和纬度须同时填写，或都不填")
    if longitude is None:
        return outline_point(outline) or (None, None)
    return longitude, latitude


def _next_code(district: Unit, year: int) -> str:
    return next_code(Case, "WJ", district, year)


def responsible_officials(unit: Unit) -> list[str]:
    """Who answers for the place: its leaders first, then its staff (the first three)."""
    people = Official.objects.filter(unit=unit).exclude(role__in=[Role.INSPECTOR, Role.AUDITOR])
    ranked = sorted(people, key=lambda o: (o.role != Role.LEADER, o.pk))
    return [f"{o.name}（{o.title}）" if o.title else o.name for o in ranked[:3]]


def _step(case: Case, kind: str, *, by, at: datetime, note: str = "", evidence=None, **fields) -> CaseStep:
    return CaseStep.objects.create(
        case=case, district_id=case.district_id, kind=kind, at=at, note=note, evidence=evidence, by=by, **fields
    )


@transaction.atomic
def case_create(
    *,
    by,
    unit: Unit,
    source: str,
    kind: str,
    location: str,
    footprint_area: Decimal,
    area: Decimal,
    floors: int = 1,
    land_area: Decimal | None = None,
    village: Unit | None = None,
    owner_name: str = "",
    description: str = "",
    found_at: datetime | date | None = None,
    outline: dict | None = None,
    longitude: Decimal | None = None,
    latitude: Decimal | None = None,
    evidence: Evidence | None = None,
    survey=None,
) -> Case:
    """A case registered. Found on site it needs a photo; a survey comparison's find waits as 待核实 until checked.
    A new building (新增) starts the accountability of the place's officials at once (the ladder climbs from it)."""
    require_place_staff(by, unit)
    _place(unit, village)
    if source not in CaseSource.values or kind not in CaseKind.values:
        raise ValidationError("来源或类别不在可选范围内")
    if not location.strip():
        raise ValidationError("须写明违建位置")
    _check_areas(footprint_area=footprint_area, floors=floors, area=area, land_area=land_area)
    check_outline(outline)
    longitude, latitude = _coordinates(longitude, latitude, outline)
    at = _moment(found_at)
    candidate = source == CaseSource.SURVEY and evidence is None
    if evidence is None and not candidate:
        raise ValidationError("发现违建须上传现场照片")
    case = Case.objects.create(
        code=_next_code(unit.district or unit, timezone.localtime(at).year),
        district_id=unit.district_id or unit.pk,
        unit=unit,
        village=village,
        source=source,
        kind=kind,
        status=CaseStatus.CANDIDATE if candidate else CaseStatus.FOUND,
        location=location.strip()[:200],
        outline=outline,
        longitude=longitude,
        latitude=latitude,
        footprint_area=footprint_area,
        floors=floors,
        area=area,
        land_area=land_area,
        owner_name=owner_name.strip()[:100],
        description=description.strip(),
        found_on=timezone.localdate(at),
        survey=survey,
        created_by=by,
    )
    if not candidate:
        _found(case, by=by, at=at, evidence=evidence, note=CaseSource(source).label)
    return case


def _found(case: Case, *, by, at: datetime, evidence, note: str) -> None:
    _step(case, StepKind.FOUND, by=by, at=at, note=note, evidence=evidence)
    if case.kind == CaseKind.NEW:
        _accountable(case, by=by, at=at)


def _accountable(case: Case, *, by, at: datetime) -> None:
    """A new illegal building: the place's officials answer for it from now (the ladder climbs from it)."""
    named = "、".join(responsible_officials(case.unit)) or "（该单位尚无登记的工作人员）"
    _step(case, StepKind.ACCOUNTABILITY, by=by, at=at, note=f"新增违建，启动属地责任追究：{case.unit.name} {named}")


def _locked(case: Case, by) -> Case:
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    require_place_staff(by, case.unit)
    return case


def _move(case: Case, status: str) -> None:
    try:
        procedure.check_transition(case.status, status, STATUS_NAMES)
    except procedure.ProcedureError as error:
        raise ValidationError(str(error)) from None
    case.status = status


@transaction.atomic
def case_confirm(
    *, by, case: Case, evidence: Evidence | None, kind: str | None = None, at=None, measured: dict | None = None
) -> Case:
    """A survey comparison's find or a tip-off checked on site: it is an illegal building (with the photo that shows
    it), its areas measured there when given (footprint_area, floors, area)."""
    case = _locked(case, by)
    _move(case, CaseStatus.FOUND)
    if evidence is None:
        raise ValidationError("核实立案须上传现场照片")
    if kind is not None:
        case.kind = kind
    if measured:
        for name in ("footprint_area", "floors", "area"):
            if measured.get(name) is not None:
                setattr(case, name, measured[name])
        _check_areas(footprint_area=case.footprint_area, floors=case.floors, area=case.area, land_area=case.land_area)
    moment = _moment(at)
    case.found_on = timezone.localdate(moment)
    case.save(update_fields=["status", "kind", "found_on", "footprint_area", "floors", "area"])
    _found(case, by=by, at=moment, evidence=evidence, note=f"{CaseSource(case.source).label}核实")
    return case


@transaction.atomic
def case_dismiss(*, by, case: Case, reason: str) -> Case:
    """A survey comparison's find that is not an illegal building (a permitted house, a shadow, a greenhouse)."""
    case = _locked(case, by)
    _move(case, CaseStatus.DISMISSED)
    if not reason.strip():
        raise ValidationError("不予立案须写明理由")
    case.save(update_fields=["status"])
    _step(case, StepKind.DISMISSED, by=by, at=timezone.now(), note=reason.strip())
    return case


@transaction.atomic
def case_stop(*, by, case: Case, evidence: Evidence | None, document_no: str = "", at=None, note: str = "") -> Case:
    """第一时间制止: the building stopped, with the served order or a photo of the site."""
    case = _locked(case, by)
    _move(case, CaseStatus.STOPPED)
    if evidence is None:
        raise ValidationError("制止须上传责令停止通知书或现场照片")
    moment = _moment(at)
    _after_found(case, moment)
    case.save(update_fields=["status"])
    _step(case, StepKind.STOPPED, by=by, at=moment, note=note.strip(), evidence=evidence, document_no=document_no[:60])
    return case


def _after_found(case: Case, moment: datetime) -> None:
    if timezone.localdate(moment) < case.found_on:
        raise ValidationError(f"日期早于发现日期（{case.found_on}）")


@transaction.atomic
def case_serve(
    *, by, case: Case, step: str, on: date, document_no: str, evidence: Evidence | None, deadline: date | None = None
) -> CaseStep:
    """A document of the removal procedure served or published: notice (with its deadline), reminder, decision,
    announcement."""
    case = _locked(case, by)
    if step not in PROCEDURE_STEPS:
        raise ValidationError("不是拆除程序中的文书")
    if case.status not in (CaseStatus.FOUND, CaseStatus.STOPPED):
        raise ValidationError(f"案件“{case.get_status_display()}”，不能再送达文书")
    if not document_no.strip():
        raise ValidationError("须填写文书编号")
    if evidence is None:
        raise ValidationError("须上传送达回证或公告照片")
    if step == StepKind.NOTICE:
        if deadline is None:
            raise ValidationError("限期拆除决定须载明拆除期限")
        if deadline < on:
            raise ValidationError(f"拆除期限（{deadline}）早于送达日期（{on}）")
        case.deadline = deadline
        case.save(update_fields=["deadline"])
    moment = _moment(on)
    _after_found(case, moment)
    served = procedure_steps(case) | {step: procedure.Served(on, deadline)}
    problems = [line.problem for line in procedure.checklist(served) if line.step == step and line.problem]
    if problems:
        raise ValidationError(f"{StepKind(step).label}：{problems[0]}")
    return _step(
        case, step, by=by, at=moment, evidence=evidence, document_no=document_no.strip()[:60], deadline=deadline
    )


def procedure_steps(case: Case) -> dict[str, procedure.Served]:
    return served(case.steps.filter(kind__in=PROCEDURE_STEPS).order_by("at", "pk"))


@transaction.atomic
def case_demolish(
    *,
    by,
    case: Case,
    on: date,
    method: str,
    removed_area: Decimal,
    before: Evidence | None,
    after: Evidence | None,
    note: str = "",
) -> Case:
    """第一时间拆除: the building down, measured, with photos before and after (only such area counts toward the
    targets). A removal by force needs its procedure complete, or it would lose in court."""
    case = _locked(case, by)
    _move(case, CaseStatus.DEMOLISHED)
    if before is None or after is None:
        raise ValidationError("拆除须上传拆除前和拆除后的照片")
    if before.pk == after.pk:
        raise ValidationError("拆除前和拆除后须是两张不同的照片")
    if method not in RemovalMethod.values:
        raise ValidationError("拆除方式不在可选范围内")
    if removed_area <= 0:
        raise ValidationError("拆除面积须大于 0")
    if removed_area > case.area:
        raise ValidationError(f"拆除面积（{removed_area}㎡）大于案件登记的建筑面积（{case.area}㎡）")
    moment = _moment(on)
    _after_found(case, moment)
    if method == RemovalMethod.FORCED:
        problems = procedure.forced_removal_problems(procedure_steps(case), on)
        if problems:
            raise ValidationError(["强制拆除的程序不完整，易致行政败诉：", *problems])
    case.removed_area, case.removed_on, case.removal_method = removed_area, on, method
    case.save(update_fields=["status", "removed_area", "removed_on", "removal_method"])
    _step(case, StepKind.DEMOLISHED, by=by, at=moment, note=note.strip(), evidence=before, after_evidence=after)
    return case


@transaction.atomic
def case_accountability(*, by, case: Case, note: str, evidence: Evidence | None) -> CaseStep:
    """What the accountability came to (约谈、通报、处分), recorded by the office or the inspectors' unit above."""
    case = _locked(case, by)
    if not note.strip():
        raise ValidationError("须写明问责情况")
    return _step(case, StepKind.ACCOUNTABILITY, by=by, at=timezone.now(), note=note.strip(), evidence=evidence)


# ---- the case's facts corrected (修改案件信息) ------------------------------------------------------------------

# What may be corrected after registration; after the removal only the description (what came down was measured).
CASE_FACTS = (
    "location",
    "village",
    "longitude",
    "latitude",
    "outline",
    "footprint_area",
    "floors",
    "area",
    "land_area",
    "owner_name",
    "description",
    "kind",
)
AFTER_REMOVAL = {"description"}
AREAS = {"footprint_area", "floors", "area", "land_area"}
PLACED = {"longitude", "latitude", "outline"}


def _label(name: str) -> str:
    return str(Case._meta.get_field(name).verbose_name)


@transaction.atomic
def case_edit(*, by, case: Case, **fields) -> Case:
    """The case's facts corrected, by whoever may record its steps, checked as at registration. Each changed
    field's before and after are kept in a step of the case (修改案件信息); nothing changed, nothing recorded."""
    case = _locked(case, by)
    unknown = sorted(set(fields) - set(CASE_FACTS))
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(unknown)}")
    wanted = _facts(case, fields)
    changed = {name: value for name, value in wanted.items() if _stored(case, name) != _stored_value(value)}
    if not changed:
        return case
    if case.status == CaseStatus.DEMOLISHED and set(changed) - AFTER_REMOVAL:
        names = "、".join(_label(name) for name in changed if name not in AFTER_REMOVAL)
        raise ValidationError(f"案件已拆除，只能修改情况说明，不能再修改{names}")
    diff = {name: [plain(getattr(case, name)), plain(value)] for name, value in changed.items()}
    note = "；".join(_change_line(name, case, value) for name, value in changed.items())
    was_new = case.kind == CaseKind.NEW
    for name, value in changed.items():
        setattr(case, name, value)
    case.save(update_fields=list(changed))
    now = timezone.now()
    _step(case, StepKind.EDITED, by=by, at=now, note=note, changes=diff)
    if not was_new and case.kind == CaseKind.NEW and case.status in (CaseStatus.FOUND, CaseStatus.STOPPED):
        if not case.steps.filter(kind=StepKind.ACCOUNTABILITY).exists():
            _accountable(case, by=by, at=now)
    return case


def _facts(case: Case, fields: dict) -> dict:
    """The facts as they would stand, each checked as case_create checks it (the fields not given as they are)."""
    facts = {name: fields.get(name, getattr(case, name)) for name in CASE_FACTS}
    facts["location"] = (facts["location"] or "").strip()[:200]
    if not facts["location"]:
        raise ValidationError("须写明违建位置")
    facts["owner_name"] = (facts["owner_name"] or "").strip()[:100]
    facts["description"] = (facts["description"] or "").strip()
    if facts["kind"] not in CaseKind.values:
        raise ValidationError("类别不在可选范围内")
    if "village" in fields:
        _place(case.unit, facts["village"])
    if AREAS & set(fields):
        _check_areas(**{name: facts[name] for name in AREAS})
    if "outline" in fields:
        check_outline(facts["outline"])
    given = set(fields)
    if PLACED & given:
        facts["longitude"], facts["latitude"] = _coordinates(facts["longitude"], facts["latitude"], facts["outline"])
        given |= PLACED
    return {name: facts[name] for name in CASE_FACTS if name in given}


def _stored(case: Case, name: str):
    return case.village_id if name == "village" else getattr(case, name)


def _stored_value(value):
    return value.pk if isinstance(value, Unit) else value


def _change_line(name: str, case: Case, value) -> str:
    if name == "outline":
        return f"{_label(name)}：{'已删除' if value is None else '已添加' if case.outline is None else '已修改'}"
    if name == "kind":
        before, after = case.get_kind_display(), CaseKind(value).label
    else:
        before, after = getattr(case, name), value
    return f"{_label(name)}：{_shown(before)} → {_shown(after)}"


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


# ---- after the removal (拆后利用) -------------------------------------------------------------------------


@transaction.atomic
def reuse_plan(*, by, case: Case, kind: str, area: Decimal, plan: str, due: date) -> LandReuse:
    """The freed land's use planned: greening, parking, a highlight project, back to farming …"""
    case = _locked(case, by)
    if case.status != CaseStatus.DEMOLISHED:
        raise ValidationError("违建拆除后才能规划拆后利用")
    if LandReuse.objects.filter(case=case).exists():
        raise ValidationError("该地块已有拆后利用方案")
    if kind not in ReuseKind.values:
        raise ValidationError("用途不在可选范围内")
    limit = case.land_area or case.footprint_area
    if area <= 0 or area > limit:
        raise ValidationError(f"利用面积须大于 0 且不超过腾出的土地（{limit}㎡）")
    if not plan.strip():
        raise ValidationError("须写明利用方案")
    if case.removed_on and due < case.removed_on:
        raise ValidationError(f"计划完成日期（{due}）早于拆除日期（{case.removed_on}）")
    return LandReuse.objects.create(
        case=case,
        district_id=case.district_id,
        unit_id=case.unit_id,
        kind=kind,
        area=area,
        plan=plan.strip(),
        due=due,
        planned_by=by,
    )


@transaction.atomic
def reuse_report(*, by, reuse: LandReuse, percent: int, evidence: Evidence | None, note: str = "") -> LandReuse:
    """Progress of the reuse with a photo of the site; 100% is done."""
    reuse = LandReuse.objects.select_for_update().select_related("unit").get(pk=reuse.pk)
    require_place_staff(by, reuse.unit)
    if reuse.done_on is not None:
        raise ValidationError("该地块的拆后利用已完成")
    if evidence is None:
        raise ValidationError("须上传现场照片")
    if not reuse.percent <= percent <= 100:
        raise ValidationError(f"完成进度应在 {reuse.percent}% 至 100% 之间")
    ReuseReport.objects.create(
        reuse=reuse, district_id=reuse.district_id, percent=percent, note=note.strip(), evidence=evidence, by=by
    )
    reuse.percent = percent
    if percent == 100:
        reuse.done_on = timezone.localdate()
    reuse.save(update_fields=["percent", "done_on"])
    return reuse


# ---- "no illegal building" creation (无违建创建) -------------------------------------------------------------

CREATION_KINDS = (UnitKind.VILLAGE, UnitKind.COMMUNITY, UnitKind.STREET, UnitKind.TOWNSHIP, UnitKind.DISTRICT)


def _require_office(by, unit: Unit) -> None:
    official = official_of(by)
    if official is None or official.role != Role.OFFICE or not _reaches(official, unit):
        raise PermissionDenied("只有指挥部（三改一拆办）可部署、命名无违建创建")


@transaction.atomic
def creation_declare(*, by, unit: Unit, year: int, checklist: Checklist) -> Creation:
    _require_office(by, unit)
    if unit.kind not in CREATION_KINDS:
        raise ValidationError(f"“{unit.name}”不能作为创建单位：应为村（社区）、乡镇（街道）或县（区）")
    if Creation.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(f"{unit.name}已部署{year}年度无违建创建")
    return Creation.objects.create(
        unit=unit, district_id=unit.district_id or unit.pk, year=year, checklist=checklist, declared_by=by
    )


@transaction.atomic
def creation_apply(*, by, creation: Creation, on: date | None = None) -> Creation:
    """申报预验收: only when the unit's figures allow it (selectors.creation_figures says what is missing)."""
    creation = Creation.objects.select_for_update().select_related("unit").get(pk=creation.pk)
    require_place_staff(by, creation.unit)
    figures = creation_figures(creation)
    if not figures.ready:
        raise ValidationError(["尚不具备申报预验收条件：", *figures.missing])
    creation.applied_on = on or timezone.localdate()
    creation.save(update_fields=["applied_on"])
    return creation


@transaction.atomic
def creation_name(*, by, creation: Creation, on: date) -> Creation:
    """Named "no illegal building" after a passed pre-acceptance."""
    creation = Creation.objects.select_for_update().select_related("unit").get(pk=creation.pk)
    _require_office(by, creation.unit)
    latest = PreAcceptance.objects.filter(checklist=creation.checklist, unit=creation.unit).first()
    if latest is None or not latest.passed:
        raise ValidationError("预验收通过后才能命名")
    if on < latest.held_on:
        raise ValidationError(f"命名日期早于预验收日期（{latest.held_on}）")
    creation.named_on = on
    creation.save(update_fields=["named_on"])
    return creation
