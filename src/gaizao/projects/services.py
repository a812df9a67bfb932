from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gaizao.org.models import Unit, UnitKind
from gaizao.projects.models import Campaign, PipelineStage, Project, ProjectKind


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
    freeze_date: date,
    campaign: Campaign | None = None,
    boundary: dict | None = None,
    signing_start: date | None = None,
    signing_end: date | None = None,
    stage: str = PipelineStage.SURVEY,
) -> Project:
    if kind not in ProjectKind.values:
        allowed = "、".join(f"{k}（{label}）" for k, label in ProjectKind.choices)
        raise ValidationError(f"项目类型“{kind}”无效，可选：{allowed}")
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
    )
