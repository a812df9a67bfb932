"""作战地图: households placed from a GeoJSON the office imports, drawn on the project's boundary by stage.

No tile server (the machines are offline): ECharts draws the boundary as its own map and the households as
points. The data for a 20,000-household project is sent as compact rows, not as GeoJSON features."""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gaizao.core.bulk import insert_rows
from gaizao.ledger.models import Household
from gaizao.ledger.stages import ORDER, Stage
from gaizao.org.access import can_change, scope_households
from gaizao.progress.models import Place
from gaizao.progress.services import record_event
from gaizao.projects.models import Project

NUMBER_KEYS = ("户号", "number", "household")
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Located:
    number: str
    lon: float
    lat: float
    outline: dict | None


def _coordinate(value, where: str) -> tuple[float, float]:
    if not (isinstance(value, list | tuple) and len(value) >= 2 and all(isinstance(v, int | float) for v in value[:2])):
        raise ValidationError(f"{where}：坐标应为 [经度, 纬度]")
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(f"{where}：坐标 [{lon}, {lat}] 超出经纬度范围")
    return lon, lat


def _centre(geometry: dict, where: str) -> tuple[float, float]:
    kind = geometry.get("type")
    if kind == "Point":
        return _coordinate(geometry.get("coordinates"), where)
    rings = []
    if kind == "Polygon":
        rings = [geometry.get("coordinates", [[]])[0]]
    elif kind == "MultiPolygon":
        rings = [polygon[0] for polygon in geometry.get("coordinates", []) if polygon]
    else:
        raise ValidationError(f"{where}：几何类型应为 Point、Polygon 或 MultiPolygon，而不是“{kind}”")
    points = []
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
            raise ValidationError(f"{where}：房屋轮廓的每个环至少4个点，且首尾相同")
        points += [_coordinate(p, where) for p in ring[:-1]]
    if not points:
        raise ValidationError(f"{where}：房屋轮廓为空")
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def parse(content: bytes) -> list[Located]:
    """The features of a GeoJSON FeatureCollection, each with its household number; refused by feature if wrong."""
    if len(content) > MAX_BYTES:
        raise ValidationError("文件过大（超过 200MB）")
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"不是有效的 GeoJSON 文件：{error}") from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ValidationError("GeoJSON 应为要素集合（FeatureCollection），每个要素的属性中写明户号")
    found, problems = [], []
    for n, feature in enumerate(data["features"], start=1):
        where = f"第 {n} 个要素"
        try:
            if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
                raise ValidationError(f"{where}：缺少几何信息（geometry）")
            properties = feature.get("properties") or {}
            number = next((str(properties[k]).strip() for k in NUMBER_KEYS if properties.get(k)), "")
            if not number:
                raise ValidationError(f"{where}：属性中没有户号（{'、'.join(NUMBER_KEYS)}）")
            lon, lat = _centre(feature["geometry"], f"{where}（户号 {number}）")
            outline = feature["geometry"] if feature["geometry"]["type"] != "Point" else None
            found.append(Located(number, lon, lat, outline))
        except ValidationError as error:
            problems += error.messages
    if problems:
        raise ValidationError(problems[:50] + ([f"……共 {len(problems)} 处错误"] if len(problems) > 50 else []))
    return found


@transaction.atomic
def places_import(*, by, project: Project, content: bytes) -> int:
    """Places the project's households; a number not in the project, or twice in the file, refuses the whole file."""
    if not can_change(by):
        raise PermissionDenied("您无权导入户位置")
    located = parse(content)
    households = dict(scope_households(Household.objects.filter(project=project), by).values_list("number", "id"))
    seen, problems = set(), []
    for item in located:
        if item.number not in households:
            problems.append(f"户号“{item.number}”不是本项目中您可修改的户")
        if item.number in seen:
            problems.append(f"户号“{item.number}”在文件中出现了不止一次")
        seen.add(item.number)
    if problems:
        raise ValidationError(problems[:50])
    ids = [households[item.number] for item in located]
    Place.objects.filter(household_id__in=ids).delete()
    insert_rows(
        Place,
        ["household_id", "project_id", "lon", "lat", "outline"],
        ((households[i.number], project.pk, i.lon, i.lat, i.outline) for i in located),
    )
    record_event(
        by=by,
        kind="places_import",
        subject=f"{project.name} 户位置",
        project=project,
        changes={"households": [None, len(located)]},
    )
    return len(located)


def map_data(*, user, project: Project) -> dict:
    """The boundary, and one row per household in view: [lon, lat, stage index, hard case 0/1, id]."""
    rows = scope_households(Place.objects.filter(project=project), user, prefix="household__").values_list(
        "lon", "lat", "household__stage", "household__hard_case", "household_id"
    )
    index = {stage: n for n, stage in enumerate(ORDER)}
    points = [[round(lon, 6), round(lat, 6), index[stage], 1 if hard else 0, pk] for lon, lat, stage, hard, pk in rows]
    return {
        "boundary": project.boundary,
        "stages": [Stage(s).label for s in ORDER],
        "points": points,
    }
