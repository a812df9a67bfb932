"""Building outlines from aerial surveys: read a GeoJSON layer, and compare two survey dates for candidate cases.

A district office imports two layers of building outlines (GeoJSON FeatureCollections of Polygon/MultiPolygon
features, up to 200,000 each). Outlines of the later layer that have no counterpart in the earlier one are
candidate illegal buildings (新增); those that grew substantially are candidate extensions (扩建/加建). A person
checks every candidate: nothing here decides a case.

Coordinates in degrees (WGS84/CGCS2000) are projected to metres with a local equirectangular projection around
an origin, good to a few tenths of a percent over a county; coordinates outside the degree ranges are taken as
projected metres already. Pure module: no Django, so the speed script and the importers can share it.
"""

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import chain

import numpy as np
import orjson
import shapely
import shapely.geometry
from shapely.errors import ShapelyError

from gaizao.core.collector import collector_paused

EARTH_RADIUS = 6371008.8
MAX_LISTED = 20
ZERO_AREA = 0.005  # m²: rounds to 0.00
POLYGONAL = ("Polygon", "MultiPolygon")
CENT = Decimal("0.01")

_REASON = re.compile(r"^(?P<what>.*?)\s*\[(?P<x>\S+) (?P<y>\S+)\]$")
_REASONS = {
    "Self-intersection": "边界自相交",
    "Ring Self-intersection": "边界自相交（同一条环在此打结）",
    "Hole lies outside shell": "内环（洞）超出了外环",
    "Holes are nested": "内环（洞）相互嵌套",
    "Nested holes": "内环（洞）相互嵌套",
    "Interior is disconnected": "内部被内环分割成不相连的几块",
    "Nested shells": "多个部分相互嵌套",
    "Duplicate Rings": "有重复的环",
    "Too few points in geometry component": "有效顶点太少",
    "Invalid Coordinate": "坐标无效",
}


class OutlineError(ValueError):
    """Every problem found in a file or a comparison; the message lists the first MAX_LISTED."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        listed = self.problems[:MAX_LISTED]
        if len(self.problems) > MAX_LISTED:
            listed.append(f"……另有 {len(self.problems) - MAX_LISTED} 处问题")
        super().__init__("\n".join(listed))


@dataclass(frozen=True, eq=False)
class Layer:
    """One survey's outlines, in metres; `origin` is the (lng0, lat0) they were projected around, if degrees."""

    name: str
    ids: list[str]
    geometries: np.ndarray
    properties: list[dict]
    origin: tuple[float, float] | None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def in_degrees(self) -> bool:
        return self.origin is not None

    @cached_property
    def areas(self) -> np.ndarray:
        return shapely.area(self.geometries)

    def label(self, index: int) -> str:
        return _label(index, self.ids[index])


@dataclass(frozen=True)
class Candidate:
    index: int
    feature_id: str
    kind: str  # "new" (新增) or "extended" (扩建/加建)
    area: Decimal
    added_area: Decimal
    geometry: dict
    properties: dict
    before: tuple[int, ...] = field(default=())  # the earlier outlines an extension grew from


# Reading


def read_layer(data: bytes, *, name: str, origin: tuple[float, float] | None = None) -> Layer:
    """The outlines of a GeoJSON FeatureCollection, or OutlineError listing every problem in it.

    `origin` fixes the projection of a file in degrees (read the second survey with the first's origin);
    it is ignored for a file in metres.
    """
    with collector_paused():
        return _read(data, name, origin)


def _read(data: bytes, name: str, origin: tuple[float, float] | None) -> Layer:
    features = _features(data)
    parts = _Parts.collect(features)
    coords = parts.coordinates()
    parts.check_closed(coords)
    coords = coords[parts.keep_positions()]
    parts.keep_only_good()
    if parts.problems and not len(coords):
        raise OutlineError(parts.messages())
    origin = _origin(coords, origin)
    if origin is not None:
        coords = _project(coords, origin)
    geometries = parts.build(coords)
    _check_shapes(parts, geometries, origin)
    if parts.problems:
        raise OutlineError(parts.messages())
    return Layer(name=name, ids=parts.ids, geometries=geometries, properties=parts.properties, origin=origin)


def _features(data: bytes | str) -> list:
    document = _loads(data)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        kind = document.get("type") if isinstance(document, dict) else None
        found = f"，而是 {kind}" if isinstance(kind, str) else ""
        raise OutlineError([f"文件不是 GeoJSON 要素集合（FeatureCollection）{found}"])
    features = document.get("features")
    if not isinstance(features, list):
        raise OutlineError(["要素集合缺少 features 列表"])
    if not features:
        raise OutlineError(["文件里没有任何要素"])
    return features


def _loads(data: bytes | str) -> object:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        first = error
    try:
        return json.loads(data)  # also reads NaN and Infinity, so they can be reported by feature
    except UnicodeDecodeError:
        raise OutlineError(["文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后重新导入"]) from None
    except ValueError:
        raise OutlineError([f"文件不是有效的 JSON（第 {first.lineno} 行第 {first.colno} 列附近）"]) from None


def _label(index: int, feature_id: str) -> str:
    return f"第 {index + 1} 个要素" + (f"（编号 {feature_id}）" if feature_id else "")


def _ring_name(multi: bool, part: int, ring: int) -> str:
    name = "外环" if ring == 0 else f"第 {ring} 个内环"
    return f"第 {part + 1} 个多边形的{name}" if multi else name


@dataclass
class _Parts:
    """The features' rings, flattened, with what is wrong so far by feature."""

    ids: list[str] = field(default_factory=list)
    properties: list[dict] = field(default_factory=list)
    multi: list[bool] = field(default_factory=list)
    rings: list[list] = field(default_factory=list)
    ring_feature: list[int] = field(default_factory=list)
    ring_part: list[int] = field(default_factory=list)
    ring_number: list[int] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def collect(cls, features: list) -> "_Parts":
        parts = cls()
        for index, feature in enumerate(features):
            parts.add(index, feature)
        return parts

    def add(self, index: int, feature: object) -> None:
        if not isinstance(feature, dict):
            self.ids.append("")
            self.properties.append({})
            self.multi.append(False)
            self.problems.append((index, f"{_label(index, '')}不是 GeoJSON 要素（Feature）对象"))
            return
        feature_id = feature.get("id")
        self.ids.append("" if feature_id is None else str(feature_id))
        properties = feature.get("properties")
        self.properties.append(properties if isinstance(properties, dict) else {})
        geometry = feature.get("geometry")
        multi = isinstance(geometry, dict) and geometry.get("type") == "MultiPolygon"
        self.multi.append(multi)
        polygons = _polygons(geometry)
        if isinstance(polygons, str):
            self.problems.append((index, f"{_label(index, self.ids[-1])}{polygons}"))
        else:
            self.add_rings(index, multi, polygons)

    def add_rings(self, index: int, multi: bool, polygons: list[list]) -> None:
        label = _label(index, self.ids[-1])
        short = [
            f"{label}的{_ring_name(multi, p, r)}{_short_ring(ring)}"
            for p, polygon in enumerate(polygons)
            for r, ring in enumerate(polygon)
            if not isinstance(ring, list) or len(ring) < 4
        ]
        if short:
            self.problems.extend((index, message) for message in short)
            return
        for p, polygon in enumerate(polygons):
            self.rings.extend(polygon)
            self.ring_feature.extend([index] * len(polygon))
            self.ring_part.extend([p] * len(polygon))
            self.ring_number.extend(range(len(polygon)))

    def ring_label(self, ring: int) -> str:
        index = self.ring_feature[ring]
        where = _ring_name(self.multi[index], self.ring_part[ring], self.ring_number[ring])
        return f"{_label(index, self.ids[index])}的{where}"

    def coordinates(self) -> np.ndarray:
        """All positions as an (n, 2) array; bad ones are found ring by ring, reported, and their features dropped."""
        coords = _fast_coordinates(self.rings)
        if coords is None:
            for ring, positions in enumerate(self.rings):
                problem = _position_problem(positions)
                if problem:
                    self.problems.append((self.ring_feature[ring], f"{self.ring_label(ring)}{problem}"))
            self.keep_only_good()
            coords = _fast_coordinates(self.rings)
        return coords if coords is not None else np.empty((0, 2))

    @cached_property
    def ring_offsets(self) -> np.ndarray:
        sizes = np.fromiter(map(len, self.rings), np.intp, len(self.rings))
        return np.concatenate(([0], np.cumsum(sizes)))

    def check_closed(self, coords: np.ndarray) -> None:
        first, last = coords[self.ring_offsets[:-1]], coords[self.ring_offsets[1:] - 1]
        for ring in np.flatnonzero((first != last).any(axis=1)):
            message = f"{self.ring_label(ring)}没有闭合：首点 {_point(first[ring])}，末点 {_point(last[ring])}"
            self.problems.append((self.ring_feature[ring], message))

    def bad_features(self) -> np.ndarray:
        bad = np.zeros(len(self.ids), bool)
        bad[[index for index, _ in self.problems]] = True
        return bad

    def keep_positions(self) -> np.ndarray:
        kept = ~self.bad_features()[np.asarray(self.ring_feature, np.intp)]
        return np.repeat(kept, np.diff(self.ring_offsets))

    def keep_only_good(self) -> None:
        bad = self.bad_features()
        kept = [ring for ring, index in enumerate(self.ring_feature) if not bad[index]]
        if len(kept) < len(self.rings):
            for name in ("rings", "ring_feature", "ring_part", "ring_number"):
                values = getattr(self, name)
                setattr(self, name, [values[ring] for ring in kept])
        self.__dict__.pop("ring_offsets", None)

    def build(self, coords: np.ndarray) -> np.ndarray:
        """One geometry per feature (None where the feature is bad), from the flattened rings."""
        ring_feature = np.asarray(self.ring_feature, np.intp)
        rings = shapely.linearrings(coords, indices=np.repeat(np.arange(len(self.rings)), np.diff(self.ring_offsets)))
        shells = np.flatnonzero(np.asarray(self.ring_number) == 0)
        polygons = shapely.polygons(rings, indices=np.cumsum(np.asarray(self.ring_number) == 0) - 1)
        part_feature = ring_feature[shells]
        multi = np.asarray(self.multi, bool)[part_feature]
        geometries = np.full(len(self.ids), None, dtype=object)
        geometries[part_feature[~multi]] = polygons[~multi]
        if multi.any():
            shapely.multipolygons(polygons[multi], indices=part_feature[multi], out=geometries)
        return geometries

    def messages(self) -> list[str]:
        return [message for _, message in sorted(self.problems, key=lambda problem: problem[0])]


def _polygons(geometry: object) -> list[list] | str:
    """The geometry's polygons as lists of rings, or what is wrong with it."""
    if not isinstance(geometry, dict):
        return "没有几何图形（geometry）"
    kind = geometry.get("type")
    if kind not in POLYGONAL:
        return f"不是多边形，而是 {kind}" if isinstance(kind, str) and kind else "的几何图形没有类型（type）"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not _nested(polygons):
        shape = "[[[x, y], …], …]" if kind == "Polygon" else "[[[[x, y], …], …], …]"
        return f"的坐标（coordinates）不是 {kind} 的结构，应为 {shape}"
    return polygons


def _nested(polygons: object) -> bool:
    """Whether this is a non-empty list of non-empty lists of rings, as far as the first position shows."""
    if not isinstance(polygons, list) or not polygons or not all(isinstance(p, list) and p for p in polygons):
        return False
    ring = polygons[0][0]
    return isinstance(ring, list) and (not ring or isinstance(ring[0], list))


def _short_ring(ring: object) -> str:
    if not isinstance(ring, list) or not all(isinstance(position, list) for position in ring):
        return "不是坐标点的列表（坐标的方括号层数不对）"
    return f"只有 {len(ring)} 个坐标点，至少需要 4 个（首尾相同）"


def _fast_coordinates(rings: list[list]) -> np.ndarray | None:
    """Every position as [x, y] (a third value, the height, dropped), or None if any is not two or three numbers."""
    positions = list(chain.from_iterable(rings))
    if not positions:
        return np.empty((0, 2))
    if set(map(type, positions)) != {list}:
        return None
    sizes = np.fromiter(map(len, positions), np.intp, len(positions))
    if not (sizes == 2).all():
        if not ((sizes == 2) | (sizes == 3)).all():
            return None
        positions = [position[:2] for position in positions]
    values = list(chain.from_iterable(positions))
    if not set(map(type, values)) <= {float, int}:
        return None
    try:
        coords = np.array(values, dtype=float).reshape(-1, 2)
    except OverflowError:
        return None
    return coords if np.isfinite(coords).all() else None


def _position_problem(ring: list) -> str | None:
    for number, position in enumerate(ring, 1):
        if not isinstance(position, list) or not 2 <= len(position) <= 3:
            return f"第 {number} 个坐标点不是 [x, y] 的形式：{_shown(position)}"
        if not all(type(value) in (int, float) for value in position):
            return f"第 {number} 个坐标点含有非数字：{_shown(position)}"
        if not all(_finite(value) for value in position):
            return f"第 {number} 个坐标点不是有限的数值：{_shown(position)}"
    return None


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "……"


def _point(xy: np.ndarray) -> str:
    return f"({xy[0]:.10g}, {xy[1]:.10g})"


# Projection


def _looks_like_degrees(coords: np.ndarray) -> bool:
    low, high = coords.min(axis=0), coords.max(axis=0)
    return bool(low[0] >= -180 and high[0] <= 180 and low[1] >= -90 and high[1] <= 90)


def _origin(coords: np.ndarray, origin: tuple[float, float] | None) -> tuple[float, float] | None:
    if not _looks_like_degrees(coords):
        return None
    if origin is not None:
        lng, lat = float(origin[0]), float(origin[1])
        if not (-180 <= lng <= 180 and -90 < lat < 90):
            raise ValueError(f"origin 应为 (经度, 纬度)：{origin!r}")
        return lng, lat
    low, high = coords.min(axis=0), coords.max(axis=0)
    return float(low[0] + high[0]) / 2, float(low[1] + high[1]) / 2


def _scale(origin: tuple[float, float]) -> np.ndarray:
    metres_per_degree = EARTH_RADIUS * math.pi / 180
    return np.array([metres_per_degree * math.cos(math.radians(origin[1])), metres_per_degree])


def _project(coords: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    return (coords - np.asarray(origin)) * _scale(origin)


def _unproject(coords: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    return coords / _scale(origin) + np.asarray(origin)


def _check_shapes(parts: _Parts, geometries: np.ndarray, origin: tuple[float, float] | None) -> None:
    built = np.flatnonzero(shapely.is_geometry(geometries))
    areas = shapely.area(geometries[built])
    invalid = ~shapely.is_valid(geometries[built])
    suspect = built[invalid | (areas < ZERO_AREA)]
    flat = shapely.area(shapely.convex_hull(geometries[suspect])) < ZERO_AREA
    reasons = shapely.is_valid_reason(geometries[suspect])
    for index, is_flat, reason in zip(suspect.tolist(), flat, reasons, strict=True):
        label = _label(index, parts.ids[index])
        if is_flat or reason == "Valid Geometry":
            parts.problems.append((index, f"{label}的面积为零（不足 0.01 平方米）"))
        else:
            parts.problems.append((index, f"{label}{_reason(reason, origin)}"))


def _reason(reason: str, origin: tuple[float, float] | None) -> str:
    match = _REASON.match(reason)
    if not match:
        return f"的图形无效：{reason}"
    what = "的" + _REASONS.get(match["what"], f"图形无效（{match['what']}）")
    xy = np.array([float(match["x"]), float(match["y"])])
    if origin is None:
        return f"{what}，位置约在 ({xy[0]:.2f}, {xy[1]:.2f})"
    lng, lat = _unproject(xy, origin)
    return f"{what}，位置约在经度 {lng:.7f}、纬度 {lat:.7f}"


# Areas and GeoJSON


def area_m2(geometry: shapely.Geometry) -> Decimal:
    """The area in m², two places, half up (geometry in metres, as in a Layer)."""
    return _two_places(shapely.area(geometry))


def _two_places(value: float) -> Decimal:
    return Decimal(format(float(value), ".15g")).quantize(CENT, rounding=ROUND_HALF_UP)


def to_geojson(layer: Layer, index: int) -> dict:
    """The outline as a GeoJSON geometry in the file's own coordinates (degrees if it came in degrees)."""
    geometry = layer.geometries[index]
    if layer.origin is not None:
        origin = layer.origin
        geometry = shapely.transform(geometry, lambda coords: _unproject(coords, origin))
    if geometry.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": _rings(geometry)}
    return {"type": "MultiPolygon", "coordinates": [_rings(polygon) for polygon in geometry.geoms]}


def outline_point(outline: dict | None) -> tuple[Decimal, Decimal] | None:
    """A point inside an outline in degrees (a GeoJSON geometry or Feature), as (longitude, latitude) to six
    places: where a case found by its outline is put on the map. None for no outline, or one in metres."""
    geometry = polygonal(outline)
    parsed = _shape(geometry) if geometry is not None else None
    if parsed is None or not _looks_like_degrees(parsed[1]):
        return None
    shape = parsed[0]
    point = shapely.point_on_surface(shape) if shape.is_valid else shapely.centroid(shape)
    six = Decimal("0.000001")
    return Decimal(repr(point.x)).quantize(six), Decimal(repr(point.y)).quantize(six)


def _rings(polygon: shapely.Polygon) -> list:
    return [shapely.get_coordinates(ring).tolist() for ring in (polygon.exterior, *polygon.interiors)]


# Comparing


def compare(
    before: Layer,
    after: Layer,
    *,
    within: dict | None = None,
    overlap: float = 0.5,
    min_added_m2: float = 5.0,
    growth: float = 0.2,
) -> list[Candidate]:
    """The later layer's new and extended outlines, in file order: candidates for a person to check.

    New: the earlier outlines cover less than `overlap` of it, and it measures at least `min_added_m2`.
    Extended: not new, and larger by at least `min_added_m2` and by `growth` of the earlier outlines it
    replaces: those that match it better than any other later outline (by intersection over union). So the
    neighbour it touches or overlaps a little behind a shared wall is not counted as part of it.
    Layers in degrees read with different origins are compared in the later layer's projection.
    """
    _check_comparable(before, after, overlap, min_added_m2, growth)
    earlier = _reprojected(before, after.origin)
    rows = _inside(after, within)
    later_index, earlier_index = shapely.STRtree(earlier).query(after.geometries[rows], predicate="intersects")
    later_index = rows[later_index]
    shared = shapely.area(shapely.intersection(after.geometries[later_index], earlier[earlier_index]))
    areas = after.areas
    covered = np.bincount(later_index, weights=shared, minlength=len(after))
    considered = np.zeros(len(after), bool)
    considered[rows] = True
    new = considered & (covered < overlap * areas) & (areas >= min_added_m2)
    earlier_areas = shapely.area(earlier)[earlier_index]
    best = _best_matches(earlier_index, shared / (areas[later_index] + earlier_areas - shared))
    replaced = np.bincount(later_index[best], weights=earlier_areas[best], minlength=len(after))
    grown = areas - replaced
    has_predecessor = np.bincount(later_index[best], minlength=len(after)) > 0
    extended = considered & ~new & has_predecessor & (grown >= min_added_m2) & (grown >= growth * replaced)
    predecessors = _grouped(later_index[best], earlier_index[best], extended)
    return [
        _candidate(after, index, "new" if new[index] else "extended", replaced[index], predecessors.get(index, ()))
        for index in np.flatnonzero(new | extended).tolist()
    ]


def _check_comparable(before: Layer, after: Layer, overlap: float, min_added_m2: float, growth: float) -> None:
    if before.in_degrees != after.in_degrees:
        kinds = {True: "经纬度", False: "米制平面坐标"}
        raise OutlineError(
            [
                f"两个图层的坐标类型不同：“{before.name}”是{kinds[before.in_degrees]}，"
                f"“{after.name}”是{kinds[after.in_degrees]}；请使用同一坐标系的两个文件"
            ]
        )
    if not 0 < overlap <= 1 or min_added_m2 < 0 or growth < 0:
        raise ValueError("overlap 应在 (0, 1] 之间，min_added_m2 与 growth 不能为负")


def _reprojected(layer: Layer, origin: tuple[float, float] | None) -> np.ndarray:
    if layer.origin == origin:
        return layer.geometries
    own = layer.origin
    return shapely.transform(layer.geometries, lambda coords: _project(_unproject(coords, own), origin))


def _inside(layer: Layer, within: dict | None) -> np.ndarray:
    """The positions of the outlines whose representative point lies inside `within` (all without it)."""
    if within is None:
        return np.arange(len(layer))
    area = _area(within, layer.origin)
    shapely.prepare(area)
    return np.flatnonzero(shapely.covers(area, shapely.point_on_surface(layer.geometries)))


def _area(within: dict, origin: tuple[float, float] | None) -> shapely.Geometry:
    geometry = polygonal(within)
    if geometry is None:
        raise OutlineError(["查找范围应为 GeoJSON 多边形（Polygon 或 MultiPolygon）"])
    parsed = _shape(geometry)
    if parsed is None:
        raise OutlineError(["查找范围的坐标无法读取"])
    area, coords = parsed
    if _looks_like_degrees(coords) != (origin is not None):
        kinds = ("米制平面坐标", "经纬度")
        raise OutlineError(
            [f"查找范围的坐标是{kinds[_looks_like_degrees(coords)]}，而图层是{kinds[origin is not None]}"]
        )
    if origin is not None:
        area = shapely.transform(area, lambda xy: _project(xy, origin))
    if not area.is_valid:
        raise OutlineError([f"查找范围{_reason(shapely.is_valid_reason(area), origin)}"])
    return area


def polygonal(value: object) -> dict | None:
    """The geometry of a GeoJSON Polygon or MultiPolygon, or of a Feature holding one; None for anything else."""
    geometry = value.get("geometry") if isinstance(value, dict) and value.get("type") == "Feature" else value
    return geometry if isinstance(geometry, dict) and geometry.get("type") in POLYGONAL else None


def _shape(geometry: dict) -> tuple[shapely.Geometry, np.ndarray] | None:
    """The shape and its coordinates, or None when they cannot be read or are not all finite."""
    try:
        shape = shapely.geometry.shape(geometry)
        coords = shapely.get_coordinates(shape)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ShapelyError):
        return None
    if not len(coords) or not np.isfinite(coords).all():
        return None
    return shape, coords


def _best_matches(earlier_index: np.ndarray, match: np.ndarray) -> np.ndarray:
    """For each earlier outline overlapping a later one, the position of the pair that matches best."""
    overlapping = np.flatnonzero(match > 0)
    order = overlapping[np.lexsort((match[overlapping], earlier_index[overlapping]))]
    grouped = earlier_index[order]
    return order[np.append(grouped[1:] != grouped[:-1], True)] if len(order) else order


def _grouped(later_index: np.ndarray, earlier_index: np.ndarray, wanted: np.ndarray) -> dict[int, tuple[int, ...]]:
    pairs = wanted[later_index]
    found: dict[int, tuple[int, ...]] = {}
    for later, earlier in sorted(zip(later_index[pairs].tolist(), earlier_index[pairs].tolist(), strict=True)):
        found[later] = (*found.get(later, ()), earlier)
    return found


def _candidate(after: Layer, index: int, kind: str, replaced: float, before: tuple[int, ...]) -> Candidate:
    area = _two_places(after.areas[index])
    return Candidate(
        index=index,
        feature_id=after.ids[index],
        kind=kind,
        area=area,
        added_area=area if kind == "new" else area - _two_places(replaced),
        geometry=to_geojson(after, index),
        properties=after.properties[index],
        before=before if kind == "extended" else (),
    )
