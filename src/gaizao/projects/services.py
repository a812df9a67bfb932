from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.org.access import is_command_office
from gaizao.org.models import Unit, UnitKind
from gaizao.projects.models import (
    RENOVATION_KINDS,
    Campaign,
    PipelineStage,
    Project,
    ProjectKind,
    ProjectStageChange,
)
from gaizao.projects.selectors import project_visible


def validate_boundary(boundary: dict | None) -> None:
    if boundary is None:
        return
    kind = boundary.get("type") if isinstance(boundary, dict) else None
    if kind == "Feature":
        return validate_boundary(boundary.get("geometry"))
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValidationError("项目范围应为 GeoJSON 的 Polygon 或 MultiPolygon")
    polygons = boundary["coordinates"] if kind == "MultiPolygon" else [boundary["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise ValidationError("项目范围的每个环至少4个点，且首尾相同")


@transaction.atomic
def project_create(
    *,
    code: str,
    name: str,
    kind: str,
    district: Unit,
    freeze_date: date | None = None,
    campaign: Campaign | None = None,
    boundary: dict | None = None,
    signing_start: date | None = None,
    signing_end: date | None = None,
    stage: str = PipelineStage.SURVEY,
    estimated_households: int | None = None,
    estimated_area=None,
    planned_start: date | None = None,
    brief: str = "",
    scope: str = "",
) -> Project:
    if kind not in ProjectKind.values:
        allowed = "、".join(f"{k}（{label}）" for k, label in ProjectKind.choices)
        raise ValidationError(f"项目类型“{kind}”无效，可选：{allowed}")
    if freeze_date is None and kind not in RENOVATION_KINDS:
        raise ValidationError("征收类项目须填写征收范围冻结日")
    if stage not in pipeline_of(kind):
        raise ValidationError(f"{ProjectKind(kind).label}项目没有“{PipelineStage(stage).label}”阶段")
    if district.kind != UnitKind.DISTRICT:
        raise ValidationError(f"“{district}”不是区县")
    if Project.objects.filter(code=code).exists():
        raise ValidationError(f"项目编号“{code}”已存在")
    if signing_start and signing_end and signing_end < signing_start:
        raise ValidationError("签约期结束日早于开始日")
    validate_boundary(boundary)
    return Project.objects.create(
        code=code,
        name=name,
        kind=kind,
        district=district,
        campaign=campaign,
        boundary=boundary,
        freeze_date=freeze_date,
        signing_start=signing_start,
        signing_end=signing_end,
        stage=stage,
        estimated_households=estimated_households,
        estimated_area=estimated_area,
        planned_start=planned_start,
        brief=brief,
        scope=scope.strip(),
    )


STAGE_ORDER = list(PipelineStage.values)
# A renovation in place is surveyed, planned, started and completed: no decision, signing, clearing or land sale.
RENOVATION_ORDER = [PipelineStage.SURVEY, PipelineStage.PLANNING, PipelineStage.STARTED, PipelineStage.COMPLETED]


def pipeline_of(kind: str) -> list[str]:
    return RENOVATION_ORDER if kind in RENOVATION_KINDS else STAGE_ORDER


# Counted in the progress indicators (projects started, topped out, completed, returned): shown, not said.
EVIDENCE_REQUIRED = frozenset(
    {PipelineStage.STARTED, PipelineStage.TOPPED_OUT, PipelineStage.COMPLETED, PipelineStage.RETURNED}
)


@transaction.atomic
def project_advance(*, by, project: Project, stage: str, on: date, note: str = "", evidence=None) -> ProjectStageChange:
    """Moves a project one step along its pipeline, dated, with evidence where the step is counted."""
    if not is_command_office(by) or not project_visible(fetched_by=by, project_id=project.pk):
        raise PermissionDenied("只有指挥部办公室可变更本区项目的阶段")
    project = Project.objects.select_for_update().get(pk=project.pk)
    order = pipeline_of(project.kind)
    if stage not in order:
        label = PipelineStage(stage).label if stage in PipelineStage.values else stage
        raise ValidationError(f"{project.get_kind_display()}项目没有“{label}”阶段")
    position = order.index(project.stage)
    if order.index(stage) != position + 1:
        following = PipelineStage(order[position + 1]).label if position + 1 < len(order) else "无"
        raise ValidationError(f"项目只能从“{project.get_stage_display()}”进入下一阶段“{following}”")
    if stage in EVIDENCE_REQUIRED and evidence is None:
        raise ValidationError(f"进入“{PipelineStage(stage).label}”须上传佐证材料（照片、验收记录等）")
    if on > timezone.localdate():
        raise ValidationError("日期不能晚于今天")
    last = project.stage_changes.order_by("-on").first()
    if last and on < last.on:
        raise ValidationError(f"日期 {on} 早于上一阶段变更日期 {last.on}")
    change = ProjectStageChange.objects.create(
        project=project,
        district_id=project.district_id,
        before=project.stage,
        after=stage,
        on=on,
        by=by,
        note=note.strip(),
        evidence=evidence,
    )
    project.stage = stage
    project.save(update_fields=["stage"])
    return change
