from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaizao.ledger.workbook.cells import (
    CellError,
    is_blank,
    parse_choice,
    parse_date_or_year,
    parse_decimal,
    parse_int,
    parse_phone,
    parse_text,
)

STRUCTURES = {
    "框架": "frame",
    "框架结构": "frame",
    "砖混": "brick_concrete",
    "砖木": "brick_wood",
    "简易": "simple",
}
CENT = Decimal("0.01")


def full_width(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def reason(func, *args, **kwargs) -> str:
    with pytest.raises(CellError) as caught:
        func(*args, **kwargs)
    assert isinstance(caught.value, ValueError)
    assert caught.value.reason == str(caught.value)
    return caught.value.reason


# ---- blanks and text -----------------------------------------------------


@pytest.mark.parametrize("value", [None, "", " ", "\t\n", "\u3000", "\xa0", "\u200b", " \ufeff "])
def test_blank_cells(value):
    assert is_blank(value)
    assert parse_text(value) is None
    assert parse_decimal(value, unit="㎡") is None
    assert parse_int(value) is None
    assert parse_date_or_year(value) is None
    assert parse_phone(value) is None
    assert parse_choice(value, choices=STRUCTURES) is None


@pytest.mark.parametrize("value", ["0", "a", 0.0, 0, False, date(2026, 1, 5)])
def test_not_blank(value):
    assert not is_blank(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" 张三 ", "张三"),
        ("\u3000张 三\u3000", "张 三"),
        ("\u200b王五\ufeff", "王五"),
        ("007", "007"),
        ("  0012 ", "0012"),
        (12.0, "12"),
        (12, "12"),
        (0.0, "0"),
        (-3.0, "-3"),
        (12.5, "12.5"),
        (0.1 + 0.2, "0.3"),
        (1e-05, "0.00001"),
        (1e20, "100000000000000000000"),
        (True, "是"),
        (False, "否"),
        (datetime(2026, 1, 5), "2026-01-05"),
        (datetime(2026, 1, 5, 8, 30), "2026-01-05 08:30"),
        (datetime(2026, 1, 5, 8, 30, 15), "2026-01-05 08:30:15"),
        (date(2026, 1, 5), "2026-01-05"),
        (time(8, 30), "08:30"),
        (Decimal("12.50"), "12.50"),
    ],
)
def test_parse_text(value, expected):
    assert parse_text(value) == expected


# ---- decimals ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (120.5, "120.50"),
        (96.0, "96.00"),
        (96, "96.00"),
        (0.0, "0.00"),
        (-0.0, "0.00"),
        (120.555, "120.56"),
        (2.675, "2.68"),
        (1.005, "1.01"),
        (Decimal("3.145"), "3.15"),
        ("120.5", "120.50"),
        ("120", "120.00"),
        ("120.", "120.00"),
        (".5", "0.50"),
        ("+120.5", "120.50"),
        ("-0", "0.00"),
        ("0120.5", "120.50"),
        (" 120.5 ", "120.50"),
        ("\u3000120.5\u3000", "120.50"),
        ("１２３．４５", "123.45"),
        ("1,234.5", "1234.50"),
        ("1，234.5", "1234.50"),
        ("1,234,567.891", "1234567.89"),
        ("120.5㎡", "120.50"),
        ("120.5 ㎡", "120.50"),
        ("120.5m²", "120.50"),
        ("120.5M²", "120.50"),
        ("120.5m2", "120.50"),
        ("120.5平方米", "120.50"),
        ("120.5平米", "120.50"),
        ("120.5平方", "120.50"),
        ("１２０．５平方米", "120.50"),
        ("1.2万", "12000.00"),
        ("1.2万㎡", "12000.00"),
        ("1.23456万", "12345.60"),
    ],
)
def test_parse_decimal_area(value, expected):
    result = parse_decimal(value, unit="㎡")
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3500元", "3500.00"),
        ("3500 元", "3500.00"),
        ("3500元整", "3500.00"),
        ("1.2万", "12000.00"),
        ("1.2万元", "12000.00"),
        ("¥3,500.00", "3500.00"),
        ("￥3500", "3500.00"),
        (406278.42499999993, "406278.43"),
        (1234567.891, "1234567.89"),
    ],
)
def test_parse_decimal_money(value, expected):
    assert parse_decimal(value, unit="元") == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3500元/㎡", "3500.00"),
        ("3500元/平方米", "3500.00"),
        ("3500元／平方米", "3500.00"),
        ("3500 元 / 平米", "3500.00"),
        ("3500元/m2", "3500.00"),
        ("3500元每平方米", "3500.00"),
        ("3500元", "3500.00"),
        ("0.35万元/㎡", "3500.00"),
        (3500.0, "3500.00"),
    ],
)
def test_parse_decimal_price(value, expected):
    assert parse_decimal(value, unit="元/㎡") == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        ("约120", "㎡", "“约120”不是数字"),
        ("120-130", "㎡", "“120-130”不是数字"),
        ("abc", "㎡", "“abc”不是数字"),
        ("1.2.3", "㎡", "“1.2.3”不是数字"),
        ("1,2", "㎡", "“1,2”不是数字"),
        ("12,34.5", "㎡", "“12,34.5”不是数字"),
        ("1e5", "㎡", "“1e5”不是数字"),
        ("NaN", "㎡", "“NaN”不是数字"),
        ("1_000", "㎡", "“1_000”不是数字"),
        ("120亩", "㎡", "“120亩”不是数字"),
        (" 约120 ", "㎡", "“约120”不是数字"),
        (float("nan"), "㎡", "“nan”不是数字"),
        (float("inf"), "元", "“inf”不是数字"),
        (True, "元", "“是”不是数字"),
        (date(2026, 1, 5), "元", "“2026-01-05”不是数字"),
        ("¥120㎡", "元", "“¥120㎡”不是数字"),
        ("3500元", "㎡", "“3500元”是金额，本列应填面积（㎡）"),
        ("1.2万元", "㎡", "“1.2万元”是金额，本列应填面积（㎡）"),
        ("3500元/㎡", "㎡", "“3500元/㎡”是单价，本列应填面积（㎡）"),
        ("120㎡", "元", "“120㎡”是面积，本列应填金额（元）"),
        ("120平方米", "元", "“120平方米”是面积，本列应填金额（元）"),
        ("3500元/㎡", "元", "“3500元/㎡”是单价，本列应填金额（元）"),
        ("120㎡", "元/㎡", "“120㎡”是面积，本列应填单价（元/㎡）"),
        ("-120", "㎡", "“-120”不能为负数"),
        ("－120", "㎡", "“－120”不能为负数"),
        ("\u2212120", "㎡", "“\u2212120”不能为负数"),
        ("-1.2万元", "元", "“-1.2万元”不能为负数"),
        (-1.0, "㎡", "“-1”不能为负数"),
        (-0.5, "元", "“-0.5”不能为负数"),
        (-3, "元", "“-3”不能为负数"),
        ("12345678901", "㎡", "“12345678901”数值过大"),
        (1e15, "元", "“1000000000000000”数值过大"),
    ],
)
def test_parse_decimal_errors(value, unit, message):
    assert reason(parse_decimal, value, unit=unit) == message


def test_parse_decimal_quotes_long_values_shortened():
    message = reason(parse_decimal, "约" + "1" * 100, unit="㎡")
    assert message.endswith("…”不是数字")
    assert len(message) < 60


def test_parse_decimal_rejects_unknown_column_unit():
    with pytest.raises(ValueError, match="未知的单位"):
        parse_decimal("1", unit="亩")


def test_parse_decimal_cache_keeps_columns_apart():
    assert parse_decimal("3500元", unit="元") == Decimal("3500.00")
    with pytest.raises(CellError):
        parse_decimal("3500元", unit="㎡")
    assert parse_decimal("12345678901", unit="元") == Decimal("12345678901.00")
    with pytest.raises(CellError):
        parse_decimal("12345678901", unit="㎡")


amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
raw_amounts = st.decimals(min_value=0, max_value=Decimal("1e9"), places=6)


@given(amounts)
def test_decimal_text_round_trip(amount):
    assert parse_decimal(str(amount), unit="㎡") == amount
    assert parse_decimal(f"{amount:,}", unit="㎡") == amount
    assert parse_decimal(full_width(f"{amount:,}") + "平方米", unit="㎡") == amount
    assert parse_decimal(f" {amount}元 ", unit="元") == amount
    assert parse_decimal(f"{amount}元/㎡", unit="元/㎡") == amount


@given(raw_amounts)
def test_decimal_rounds_half_up(value):
    expected = value.quantize(CENT, rounding=ROUND_HALF_UP)
    assert parse_decimal(str(value), unit="元") == expected
    assert parse_decimal(value, unit="元") == expected


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_decimal_from_float_matches_its_repr(value):
    result = parse_decimal(value, unit="元")
    assert result == Decimal(format(value, ".15g")).quantize(CENT, rounding=ROUND_HALF_UP)
    if len(repr(value)) <= 15:
        assert result == Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_decimal_wan(whole, fraction):
    text = f"{whole}.{fraction:02d}"
    assert parse_decimal(text + "万", unit="元") == Decimal(text) * 10000


# ---- integers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3),
        (3.0, 3),
        (3, 3),
        ("３", 3),
        ("3人", 3),
        ("3 人", 3),
        ("3层", 3),
        ("３层", 3),
        ("3.0", 3),
        (" 12 ", 12),
        ("+2", 2),
        ("-2", -2),
        ("0", 0),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "minimum", "message"),
    [
        (3.5, None, "“3.5”应为整数"),
        ("3.5", None, "“3.5”应为整数"),
        ("3.5人", None, "“3.5人”应为整数"),
        ("三", None, "“三”不是整数"),
        ("3-4", None, "“3-4”不是整数"),
        ("3米", None, "“3米”不是整数"),
        ("1" * 30, None, f"“{'1' * 30}”不是整数"),
        (True, None, "“是”不是整数"),
        ("0", 1, "“0”不能小于1"),
        (0.0, 1, "“0”不能小于1"),
        ("-2", 0, "“-2”不能小于0"),
    ],
)
def test_parse_int_errors(value, minimum, message):
    assert reason(parse_int, value, minimum=minimum) == message


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_int_round_trip(number):
    assert parse_int(str(number)) == number
    assert parse_int(float(number)) == number if number < 2**53 else True
    assert parse_int(full_width(str(number)) + "人", minimum=0) == number


# ---- dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 1, 5), (date(2026, 1, 5), "day")),
        (datetime(2026, 1, 5, 9, 30), (date(2026, 1, 5), "day")),
        ("2026-01-05", (date(2026, 1, 5), "day")),
        ("2026/1/5", (date(2026, 1, 5), "day")),
        ("2026.01.05", (date(2026, 1, 5), "day")),
        ("2026年1月5日", (date(2026, 1, 5), "day")),
        ("2026年01月05号", (date(2026, 1, 5), "day")),
        ("２０２６年１月５日", (date(2026, 1, 5), "day")),
        ("2026 - 1 - 5", (date(2026, 1, 5), "day")),
        ("20260105", (date(2026, 1, 5), "day")),
        ("2026-01-05 00:00:00", (date(2026, 1, 5), "day")),
        ("2026/1/5 8:30", (date(2026, 1, 5), "day")),
        ("2026-01-05T08:30:00", (date(2026, 1, 5), "day")),
        ("2026-1", (date(2026, 1, 1), "month")),
        ("2026年1月", (date(2026, 1, 1), "month")),
        ("2026.1", (date(2026, 1, 1), "month")),
        ("2026.10", (date(2026, 10, 1), "month")),
        ("1998", (date(1998, 1, 1), "year")),
        ("1998年", (date(1998, 1, 1), "year")),
        ("1998.0", (date(1998, 1, 1), "year")),
        (1998.0, (date(1998, 1, 1), "year")),
        (1998, (date(1998, 1, 1), "year")),
        (1900.0, (date(1900, 1, 1), "year")),
        (2100.0, (date(2100, 1, 1), "year")),
        (46027.0, (date(2026, 1, 5), "day")),
        (46027.75, (date(2026, 1, 5), "day")),
        (2101.0, (date(1905, 10, 1), "day")),
        ("46027", (date(2026, 1, 5), "day")),
        (20260105.0, (date(2026, 1, 5), "day")),
    ],
)
def test_parse_date_or_year(value, expected):
    assert parse_date_or_year(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026.13.01", "“2026.13.01”不是有效日期（月份应为1–12）"),
        ("2026-00-10", "“2026-00-10”不是有效日期（月份应为1–12）"),
        ("2026.02.30", "“2026.02.30”不是有效日期"),
        ("2026-02-30", "“2026-02-30”不是有效日期"),
        ("20260230", "“20260230”不是有效日期"),
        ("2026年13月", "“2026年13月”不是有效日期（月份应为1–12）"),
        ("1850-01-01", "“1850-01-01”不是有效日期（年份应在1900–2100之间）"),
        ("1850", "“1850”不是有效年份（年份应在1900–2100之间）"),
        ("2200年", "“2200年”不是有效年份（年份应在1900–2100之间）"),
        (1850.0, "“1850”不是有效年份（年份应在1900–2100之间）"),
        (1998.5, "“1998.5”不是有效日期或年份"),
        (0.0, "“0”不是有效日期或年份"),
        (123456789.0, "“123456789”不是有效日期或年份"),
        (float("nan"), "“nan”不是有效日期或年份"),
        ("abc", "“abc”不是有效日期或年份"),
        ("98年", "“98年”不是有效日期或年份"),
        ("5/1/2026", "“5/1/2026”不是有效日期或年份"),
        ("约1998年", "“约1998年”不是有效日期或年份"),
        (time(8, 0), "“08:00”是时间，不是日期"),
        (timedelta(hours=30), "“1 day, 6:00:00”是时间，不是日期"),
        (True, "“是”不是有效日期或年份"),
    ],
)
def test_parse_date_or_year_errors(value, message):
    assert reason(parse_date_or_year, value) == message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_date_formats_round_trip(day):
    y, m, d = day.year, day.month, day.day
    for text in (
        day.isoformat(),
        f"{y}/{m}/{d}",
        f"{y}.{m:02d}.{d:02d}",
        f"{y}年{m}月{d}日",
        f"{day:%Y%m%d}",
    ):
        assert parse_date_or_year(text) == (day, "day")
    assert parse_date_or_year(f"{y}年{m}月") == (date(y, m, 1), "month")
    assert parse_date_or_year(f"{y}") == (date(y, 1, 1), "year")


@given(st.dates(min_value=date(1905, 10, 1), max_value=date(2118, 12, 31)))
def test_excel_serial_round_trip(day):
    serial = (day - date(1899, 12, 30)).days
    assert parse_date_or_year(float(serial)) == (day, "day")


# ---- phones --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 13812345678 ", "13812345678"),
        (13812345678.0, "13812345678"),
        (13812345678, "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("0551-62345678", "0551-62345678"),
        ("0551 62345678", "0551-62345678"),
        ("055162345678", "0551-62345678"),
        ("(0551)62345678", "0551-62345678"),
        ("（0551）62345678", "0551-62345678"),
        ("(0551)-62345678", "0551-62345678"),
        ("0551－62345678", "0551-62345678"),
        ("0551-6234-5678", "0551-62345678"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("021-6234567", "021-6234567"),
        ("62345678", "62345678"),
        ("6234567", "6234567"),
        (62345678.0, "62345678"),
        (55162345678.0, "0551-62345678"),
        (1062345678.0, "010-62345678"),
        ("+86 551 6234 5678", "0551-62345678"),
    ],
)
def test_parse_phone(value, expected):
    assert parse_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "12345",
        "1381234567",
        "138123456789",
        "12812345678",
        "13812345678/13987654321",
        "13812345678 转 801",
        "0551-02345678",
        "0551-623456789",
        "无",
        "abc",
        -13812345678.0,
        0.0,
        1.5,
        True,
        date(2026, 1, 5),
    ],
)
def test_parse_phone_errors(value):
    message = reason(parse_phone, value)
    assert message.startswith("联系电话应为11位手机号或固定电话，“")
    assert message.endswith("”不符合")


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_shapes_round_trip(mobile):
    shapes = [
        mobile,
        f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
        f"+86-{mobile}",
        full_width(mobile),
        float(mobile),
    ]
    for shape in shapes:
        assert parse_phone(shape) == mobile


@given(st.sampled_from(["010", "021", "0551", "0755"]), st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True))
def test_landline_shapes_round_trip(area_code, local):
    expected = f"{area_code}-{local}"
    for shape in (expected, f"({area_code}){local}", f"{area_code} {local}", area_code + local):
        assert parse_phone(shape) == expected


# ---- choices -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("框架", "frame"),
        ("框架结构", "frame"),
        (" 砖混 ", "brick_concrete"),
        ("砖 混", "brick_concrete"),
        ("\u3000砖木\u3000", "brick_wood"),
        ("简易", "simple"),
    ],
)
def test_parse_choice(value, expected):
    assert parse_choice(value, choices=STRUCTURES) == expected


def test_parse_choice_normalises_width_and_case():
    assert parse_choice("ａ", choices={"A": "a"}) == "a"
    assert parse_choice("b", choices={"B级": "b", "b": "b"}) == "b"
    assert parse_choice(True, choices={"是": "yes", "否": "no"}) == "yes"
    assert parse_choice(False, choices={"是": "yes", "否": "no"}) == "no"
    assert parse_choice(1.0, choices={"1": "one"}) == "one"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("平房", "“平房”不是可选值（可选：框架、砖混、砖木、简易）"),
        (" 钢结构 ", "“钢结构”不是可选值（可选：框架、砖混、砖木、简易）"),
        (3.0, "“3”不是可选值（可选：框架、砖混、砖木、简易）"),
    ],
)
def test_parse_choice_errors(value, message):
    assert reason(parse_choice, value, choices=STRUCTURES) == message
