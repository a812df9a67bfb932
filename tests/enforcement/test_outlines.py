"""Survey outlines: reading GeoJSON layers (and refusing bad ones, feature by feature) and comparing two dates.

Rectangles are laid out in metres around 118.8°E 32.0°N and turned into degrees with the WGS84 ellipsoid's
lengths of a degree there, so the areas check the module's spherical projection against the ground.
"""

import json
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.enforcement.outlines import OutlineError, area_m2, compare, read_layer, to_geojson

LNG, LAT = 118.8, 32.0
PHI = math.radians(LAT)
M_PER_DEG_LAT = 111132.92 - 559.82 * math.cos(2 * PHI) + 1.175 * math.cos(4 * PHI)
M_PER_DEG_LNG = 111412.84 * math.cos(PHI) - 93.5 * math.cos(3 * PHI)
GK_X, GK_Y = 40_500_000.0, 3_540_000.0  # a CGCS2000 3° Gauss-Krüger position, in metres


def rect(x: float, y: float, w: float, h: float) -> list[list[float]]:
    """A w × h metre rectangle whose south-west corner is x, y metres east and north of 118.8°E 32.0°N."""
    corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
    return [[LNG + cx / M_PER_DEG_LNG, LAT + cy / M_PER_DEG_LAT] for cx, cy in corners]


def rect_m(x: float, y: float, w: float, h: float) -> list[list[float]]:
    return [[GK_X + cx, GK_Y + cy] for cx, cy in [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]]


def feature(*rings: list, fid: str | None = None, kind: str = "Polygon", **properties) -> dict:
    result = {"type": "Feature", "properties": properties, "geometry": {"type": kind, "coordinates": list(rings)}}
    return result | ({"id": fid} if fid is not None else {})


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def assert_close(coordinates: list, expected: list) -> None:
    """The same nesting and numbers to 1e-9 (degrees: 0.1 mm)."""
    if isinstance(expected, float):
        assert abs(coordinates - expected) < 1e-9, (coordinates, expected)
        return
    assert len(coordinates) == len(expected)
    for got, wanted in zip(coordinates, expected, strict=True):
        assert_close(got, wanted)


def problems(data: bytes) -> list[str]:
    with pytest.raises(OutlineError) as caught:
        read_layer(data, name="测试.geojson")
    return caught.value.problems


def test_areas_in_degrees_and_in_metres():
    degrees = read_layer(collection(feature(rect(0, 0, 10, 20))), name="d")
    assert degrees.origin == pytest.approx((LNG + 5 / M_PER_DEG_LNG, LAT + 10 / M_PER_DEG_LAT))
    assert float(area_m2(degrees.geometries[0])) == pytest.approx(200, rel=0.005)
    metres = read_layer(collection(feature(rect_m(0, 0, 10, 20))), name="m")
    assert metres.origin is None
    assert area_m2(metres.geometries[0]) == Decimal("200.00")
    assert list(metres.areas) == [200.0]


def test_ids_properties_multipolygons_and_heights_are_read():
    parts = [[[*p, 12.5] for p in rect(0, 0, 10, 10)]], [rect(20, 0, 5, 4)]
    layer = read_layer(collection(feature(*parts, fid=7, kind="MultiPolygon", 用途="住宅")), name="d")
    assert (layer.ids, layer.properties) == (["7"], [{"用途": "住宅"}])
    assert layer.geometries[0].geom_type == "MultiPolygon"
    assert float(area_m2(layer.geometries[0])) == pytest.approx(120, rel=0.005)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", "文件不是有效的 JSON（第 1 行第 2 列附近）"),
        ("{}".encode("utf-16"), "文件不是 GeoJSON 要素集合（FeatureCollection）"),
        (b'{"type": "Feature", "geometry": null}', "文件不是 GeoJSON 要素集合（FeatureCollection），而是 Feature"),
        (b"[1, 2]", "文件不是 GeoJSON 要素集合（FeatureCollection）"),
        (b'{"type": "FeatureCollection", "features": []}', "文件里没有任何要素"),
        (
            '{"type": "FeatureCollection", "名": "中"}'.encode("gbk"),
            "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后重新导入",
        ),
    ],
)
def test_refuses_what_is_not_a_feature_collection(data, expected):
    assert problems(data) == [expected]


def test_refuses_features_that_are_not_polygons_naming_them():
    line = {"type": "Feature", "id": "X", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [LNG, LAT]}}
    bare = {"type": "Feature", "id": "B-3", "properties": {}}
    data = collection(feature(rect(0, 0, 10, 10)), line, point, bare, "楼")
    assert problems(data) == [
        "第 2 个要素（编号 X）不是多边形，而是 LineString",
        "第 3 个要素不是多边形，而是 Point",
        "第 4 个要素（编号 B-3）没有几何图形（geometry）",
        "第 5 个要素不是 GeoJSON 要素（Feature）对象",
    ]


def test_refuses_short_and_open_rings():
    open_ring = rect(0, 0, 10, 10)[:-1] + [rect(0, 0, 10, 10)[1]]
    data = collection(
        feature(rect(0, 0, 10, 10)[:3], fid="B-1"),
        feature(rect(0, 0, 10, 10), rect(1, 1, 2, 2)[:3], fid="B-2"),
        feature(open_ring, fid="B-3"),
    )
    found = problems(data)
    assert found[:2] == [
        "第 1 个要素（编号 B-1）的外环只有 3 个坐标点，至少需要 4 个（首尾相同）",
        "第 2 个要素（编号 B-2）的第 1 个内环只有 3 个坐标点，至少需要 4 个（首尾相同）",
    ]
    assert found[2].startswith("第 3 个要素（编号 B-3）的外环没有闭合：首点 (118.8, 32)，末点 (118.800")


def test_refuses_a_bowtie_as_self_intersecting_with_its_location():
    bowtie = [[LNG, LAT], [LNG + 1e-4, LAT + 1e-4], [LNG + 1e-4, LAT], [LNG, LAT + 1e-4], [LNG, LAT]]
    [found] = problems(collection(feature(rect(0, 0, 10, 10)), feature(bowtie, fid="B-0012")))
    assert found == "第 2 个要素（编号 B-0012）的边界自相交，位置约在经度 118.8000500、纬度 32.0000500"


def test_refuses_invalid_outlines_in_metres_with_the_location_in_metres():
    shell, hole = rect_m(0, 0, 10, 10), rect_m(20, 20, 2, 2)
    [found] = problems(collection(feature(shell, hole)))
    assert found == "第 1 个要素的内环（洞）超出了外环，位置约在 (40500020.00, 3540020.00)"


def test_refuses_zero_area():
    assert problems(collection(feature(rect(0, 0, 10, 0), fid="B-1"))) == [
        "第 1 个要素（编号 B-1）的面积为零（不足 0.01 平方米）"
    ]


def test_refuses_coordinates_that_are_not_finite_numbers():
    nan = rect(0, 0, 10, 10)
    nan[2] = [math.nan, LAT]
    text = rect(0, 0, 10, 10)
    text[1] = [str(LNG), LAT]
    bare = rect(0, 0, 10, 10)
    bare[1] = 5
    flat = feature(*rect(0, 0, 10, 10))
    data = collection(feature(rect(0, 0, 10, 10)), feature(nan, fid="N"), feature(text), feature(bare), flat)
    assert b"NaN" in data
    assert problems(data) == [
        "第 2 个要素（编号 N）的外环第 3 个坐标点不是有限的数值：[NaN, 32.0]",
        '第 3 个要素的外环第 2 个坐标点含有非数字：["118.8", 32.0]',
        "第 4 个要素的外环第 2 个坐标点不是 [x, y] 的形式：5",
        "第 5 个要素的坐标（coordinates）不是 Polygon 的结构，应为 [[[x, y], …], …]",
    ]


def test_lists_twenty_problems_then_counts_the_rest():
    line = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
    with pytest.raises(OutlineError) as caught:
        read_layer(collection(*[line] * 25), name="d")
    assert len(caught.value.problems) == 25
    lines = str(caught.value).splitlines()
    assert len(lines) == 21
    assert lines[19] == "第 20 个要素不是多边形，而是 LineString"
    assert lines[20] == "……另有 5 处问题"


def test_to_geojson_gives_back_the_input_coordinates():
    shell, hole = rect(0, 0, 30, 20), rect(5, 5, 4, 4)
    data = collection(feature(rect(-50, -50, 10, 10)), feature([shell, hole], [rect(40, 0, 5, 5)], kind="MultiPolygon"))
    layer = read_layer(data, name="d")
    back = to_geojson(layer, 1)
    assert back["type"] == "MultiPolygon"
    assert [len(p) for p in back["coordinates"]] == [2, 1]
    assert_close(back["coordinates"], [[shell, hole], [rect(40, 0, 5, 5)]])
    assert to_geojson(read_layer(collection(feature(rect_m(0, 0, 10, 20))), name="m"), 0) == {
        "type": "Polygon",
        "coordinates": [rect_m(0, 0, 10, 20)],
    }


BEFORE = [
    feature(rect(0, 0, 10, 10), fid="A"),  # unchanged
    feature(rect(20, 0, 10, 10), fid="B"),  # grows from 100 to 150 m²
    feature(rect(40, 0, 12, 10), fid="C"),  # redrawn 0.5 m off
    feature(rect(60, 0, 10, 10), fid="G"),  # grows up to its neighbour's wall
    feature(rect(70, 0, 10, 10), fid="H"),  # that neighbour
]
AFTER = [
    feature(rect(0, 0, 10, 10), fid="A"),
    feature(rect(20, 0, 10, 15), fid="B"),
    feature(rect(40.5, 0.5, 12, 10), fid="C"),
    feature(rect(60, 0, 10.3, 15), fid="G"),
    feature(rect(70, 0, 10, 10), fid="H"),
    feature(rect(0, 30, 12, 10), fid="D", 地址="新村 1 号"),  # new
    feature(rect(20, 30, 2, 2), fid="E"),  # a 4 m² shed
    feature(rect(500, 500, 10, 10), fid="F"),  # new, outside the area searched
]
WITHIN = {"type": "Polygon", "coordinates": [rect(-100, -100, 300, 300)]}


def test_compare_finds_new_and_extended_outlines_in_the_area():
    before = read_layer(collection(*BEFORE), name="2024.geojson")
    after = read_layer(collection(*AFTER), name="2026.geojson", origin=before.origin)
    found = compare(before, after, within=WITHIN)
    assert [(c.index, c.feature_id, c.kind, c.before) for c in found] == [
        (1, "B", "extended", (1,)),
        (3, "G", "extended", (3,)),
        (5, "D", "new", ()),
    ]
    extension, _, new = found
    assert float(extension.area) == pytest.approx(150, rel=0.005)
    assert extension.added_area == extension.area - area_m2(before.geometries[1])
    assert float(new.area) == pytest.approx(120, rel=0.005)
    assert new.added_area == new.area
    assert new.properties == {"地址": "新村 1 号"}
    assert new.geometry["type"] == "Polygon"
    assert_close(new.geometry["coordinates"], [rect(0, 30, 12, 10)])
    assert [c.feature_id for c in compare(before, after)] == ["B", "G", "D", "F"]


def test_compare_reprojects_layers_read_with_different_origins():
    before = read_layer(collection(*BEFORE), name="2024.geojson")
    after = read_layer(collection(*AFTER), name="2026.geojson")
    assert before.origin != after.origin
    assert [(c.feature_id, c.kind) for c in compare(before, after, within=WITHIN)] == [
        ("B", "extended"),
        ("G", "extended"),
        ("D", "new"),
    ]


def test_compare_refuses_degrees_against_metres():
    degrees = read_layer(collection(feature(rect(0, 0, 10, 10))), name="2024.geojson")
    metres = read_layer(collection(feature(rect_m(0, 0, 10, 10))), name="2026.geojson")
    with pytest.raises(OutlineError) as caught:
        compare(degrees, metres)
    assert caught.value.problems == [
        "两个图层的坐标类型不同：“2024.geojson”是经纬度，“2026.geojson”是米制平面坐标；请使用同一坐标系的两个文件"
    ]
    with pytest.raises(OutlineError, match="查找范围的坐标是米制平面坐标，而图层是经纬度"):
        compare(degrees, degrees, within={"type": "Polygon", "coordinates": [rect_m(0, 0, 10, 10)]})


rectangles = st.lists(
    st.tuples(*[st.floats(0, 1000)] * 2, *[st.floats(1, 40)] * 2).map(lambda r: rect(*r)), min_size=1, max_size=30
)


@settings(max_examples=40, deadline=None)
@given(rings=rectangles, far=st.tuples(st.floats(3.2, 30), st.floats(3.2, 30)))
def test_a_layer_against_itself_finds_nothing_and_one_far_outline_more_is_new(rings, far):
    data = collection(*[feature(ring) for ring in rings])
    layer = read_layer(data, name="d")
    assert compare(layer, layer) == []
    later = read_layer(collection(*[feature(ring) for ring in rings], feature(rect(5000, 5000, *far))), name="d2")
    assert [(c.index, c.kind) for c in compare(layer, later)] == [(len(rings), "new")]
