"""Parsers for hand-typed ledger cells coming from python-calamine (xlsx/xls) or CSV."""

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from math import isfinite
from typing import Any

__all__ = [
    "CellError",
    "is_blank",
    "parse_choice",
    "parse_date_or_year",
    "parse_decimal",
    "parse_int",
    "parse_phone",
    "parse_text",
]


class CellError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_STRIP = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _INVISIBLE
_DROP_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE))
_QUOTE_LIMIT = 40


def _stripped(value: str) -> str:
    text = value.strip()
    return text.strip(_STRIP) if text and not text.isascii() else text


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DROP_INVISIBLE).strip()


def _float_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    if not isfinite(value):
        return repr(value)
    text = format(value, ".15g")
    return format(Decimal(text), "f") if "e" in text else text


def _time_text(value: time) -> str:
    return f"{value:%H:%M}" if value.second == 0 and value.microsecond == 0 else f"{value:%H:%M:%S}"


def _render(value: Any) -> str:
    if type(value) is float:
        return _float_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return f"{value:%Y-%m-%d}"
        return f"{value:%Y-%m-%d} {_time_text(value.time())}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _time_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip(_STRIP)


def _show(value: Any) -> str:
    text = value.strip(_STRIP) if type(value) is str else _render(value)
    if len(text) > _QUOTE_LIMIT:
        return text[: _QUOTE_LIMIT - 1] + "…"
    return text


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    return type(value) is str and not _stripped(value)


def parse_text(value: Any) -> str | None:
    if type(value) is str:
        return _stripped(value) or None
    if value is None:
        return None
    return _render(value) or None


# ---- decimals -------------------------------------------------------------

_CTX = Context(prec=40, rounding=ROUND_HALF_UP)
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
_MESSY_NUMBER = re.compile(
    r"(?P<cur>¥)?(?P<sign>[-+\u2212])?(?P<cur2>¥)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<wan>万)?(?P<unit>\D.*)?"
)
_COLUMN_KINDS = {"㎡": "area", "m²": "area", "m2": "area", "元": "money", "元/㎡": "price", "元/m²": "price"}
_COLUMN_NAMES = {"area": "面积（㎡）", "money": "金额（元）", "price": "单价（元/㎡）"}
_UNIT_NAMES = {"area": "面积", "money": "金额", "price": "单价"}
_ACCEPTED_UNITS = {"area": ("area",), "money": ("money",), "price": ("price", "money")}
_LIMITS = {"area": Decimal("1e10"), "money": Decimal("1e14"), "price": Decimal("1e14")}
_AREA_WORDS = ("m2", "平方米", "平米", "平方", "平")
_UNITS = {word: "area" for word in _AREA_WORDS}
_UNITS.update({"元": "money", "元整": "money"})
_UNITS.update({f"元{sep}{word}": "price" for sep in ("/", "每") for word in _AREA_WORDS})
_WAN = Decimal(10000)
_MISSING = object()
_CACHE_SIZE = 16384
_CACHES: dict[str, dict[Any, Decimal | None]] = {column: {} for column in _COLUMN_NAMES}


def _not_number(value: Any) -> CellError:
    return CellError(f"“{_show(value)}”不是数字")


def _float_decimal(value: float, raw: Any) -> Decimal:
    if not isfinite(value):
        raise _not_number(raw)
    text = repr(value)
    if len(text) > 15:
        text = format(value, ".15g")
    return Decimal(text)


def _unit_kind(match: re.Match[str], raw: Any) -> str | None:
    unit = match["unit"]
    kind = None
    if unit:
        kind = _UNITS.get(unit.replace(" ", ""))
        if kind is None:
            raise _not_number(raw)
    if match["cur"] or match["cur2"]:
        if kind == "area":
            raise _not_number(raw)
        kind = kind or "money"
    return kind


def _decimal_from_text(text: str, column: str, raw: Any) -> Decimal:
    if not text.isascii():
        text = _normalize(text)
    text = text.lower().replace(" ", "")
    match = _MESSY_NUMBER.fullmatch(text)
    if match is None:
        raise _not_number(raw)
    kind = _unit_kind(match, raw)
    if kind is not None and kind not in _ACCEPTED_UNITS[column]:
        raise CellError(f"“{_show(raw)}”是{_UNIT_NAMES[kind]}，本列应填{_COLUMN_NAMES[column]}")
    number = Decimal(match["num"].replace(",", ""))
    if match["wan"]:
        number = _CTX.multiply(number, _WAN)
    if match["sign"] and match["sign"] != "+" and number:
        raise CellError(f"“{_show(raw)}”不能为负数")
    return number


def _decimal_from_str(value: str, column: str) -> Decimal | None:
    text = value.strip()
    if text.isascii() and text.replace(".", "", 1).isdigit():
        return _checked_decimal(Decimal(text), column, value)
    text = _stripped(text)
    if not text:
        return None
    return _checked_decimal(_decimal_from_text(text, column, value), column, value)


def _decimal(value: Any, column: str) -> Decimal | None:
    kind = type(value)
    if kind is str:
        return _decimal_from_str(value, column)
    if kind is float:
        number = _float_decimal(value, value)
    elif kind is int:
        number = Decimal(value)
    elif value is None:
        return None
    elif isinstance(value, Decimal) and value.is_finite():
        number = value
    else:
        raise _not_number(value)
    return _checked_decimal(number, column, value)


def _checked_decimal(number: Decimal, column: str, value: Any) -> Decimal:
    if number.is_signed():
        if number:
            raise CellError(f"“{_show(value)}”不能为负数")
        return _ZERO
    if number >= _LIMITS[column]:
        raise CellError(f"“{_show(value)}”数值过大")
    return number.quantize(_CENT, ROUND_HALF_UP, _CTX)


def parse_decimal(value: Any, *, unit: str) -> Decimal | None:
    """Parse an area (unit="㎡"), money (unit="元") or unit price (unit="元/㎡") cell, two places half up."""
    column = _COLUMN_KINDS.get(unit)
    if column is None:
        raise ValueError(f"未知的单位：{unit}")
    kind = type(value)
    if kind is not float and kind is not str:
        return _decimal(value, column)
    cache = _CACHES[column]
    found = cache.get(value, _MISSING)
    if found is _MISSING:
        found = _decimal(value, column)
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[value] = found
    return found


# ---- integers -------------------------------------------------------------

_INT_TEXT = re.compile(r"(?P<sign>[-+\u2212])?(?P<num>\d{1,18})(?:\.(?P<frac>\d+))?(?P<unit>\D*)")
_COUNT_UNITS = frozenset("人口名位个户间层套栋幢处岁年") | {""}


def _int_from_text(text: str, raw: Any) -> int:
    if not text.isascii():
        text = _normalize(text)
    match = _INT_TEXT.fullmatch(text.replace(" ", ""))
    if match is None or match["unit"] not in _COUNT_UNITS:
        raise CellError(f"“{_show(raw)}”不是整数")
    if match["frac"] and match["frac"].strip("0"):
        raise CellError(f"“{_show(raw)}”应为整数")
    number = int(match["num"])
    return -number if match["sign"] and match["sign"] != "+" else number


def parse_int(value: Any, *, minimum: int | None = None) -> int | None:
    kind = type(value)
    if kind is float:
        if not value.is_integer():
            raise CellError(f"“{_show(value)}”应为整数")
        number = int(value)
    elif kind is str:
        text = value.strip()
        if len(text) <= 18 and text.isascii() and text.isdigit():
            number = int(text)
        else:
            text = _stripped(text)
            if not text:
                return None
            number = _int_from_text(text, value)
    elif kind is int:
        number = value
    elif value is None:
        return None
    else:
        raise CellError(f"“{_show(value)}”不是整数")
    if minimum is not None and number < minimum:
        raise CellError(f"“{_show(value)}”不能小于{minimum}")
    return number


# ---- dates ----------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_TIME_TAIL = r"(?:[\sTt]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DAY_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME_TAIL)
_MONTH_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_YEAR_TEXT = re.compile(r"(\d{4})\s*年")
_NUMBER_TEXT = re.compile(r"(\d{1,8})(?:\.0+)?")


def _checked_year(year: int, raw: Any, what: str) -> None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise CellError(f"“{_show(raw)}”不是有效{what}（年份应在{_MIN_YEAR}–{_MAX_YEAR}之间）")


def _checked_month(year: int, month: int, raw: Any) -> None:
    _checked_year(year, raw, "日期")
    if not 1 <= month <= 12:
        raise CellError(f"“{_show(raw)}”不是有效日期（月份应为1–12）")


def _day(year: int, month: int, day: int, raw: Any) -> tuple[date, str]:
    _checked_month(year, month, raw)
    try:
        return date(year, month, day), "day"
    except ValueError:
        raise CellError(f"“{_show(raw)}”不是有效日期") from None


def _date_from_number(number: float, raw: Any) -> tuple[date, str]:
    if not isfinite(number):
        raise CellError(f"“{_show(raw)}”不是有效日期或年份")
    whole = int(number)
    if _MAX_YEAR < number < 80000:
        return _EXCEL_EPOCH + timedelta(days=whole), "day"
    if whole == number:
        if 1000 <= whole <= _MAX_YEAR:
            _checked_year(whole, raw, "年份")
            return date(whole, 1, 1), "year"
        if 10000000 <= whole <= 99999999:
            return _day(whole // 10000, whole // 100 % 100, whole % 100, raw)
    raise CellError(f"“{_show(raw)}”不是有效日期或年份")


def _date_from_text(text: str, raw: Any) -> tuple[date, str]:
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None and _MIN_YEAR <= day.year <= _MAX_YEAR:
            return day, "day"
    if not text.isascii():
        text = _normalize(text)
    if match := _NUMBER_TEXT.fullmatch(text):
        digits = match[1]
        if len(digits) == 4:
            year = int(digits)
            _checked_year(year, raw, "年份")
            return date(year, 1, 1), "year"
        return _date_from_number(int(digits), raw)
    if match := _DAY_TEXT.fullmatch(text):
        return _day(int(match[1]), int(match[2]), int(match[3]), raw)
    if match := _MONTH_TEXT.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        _checked_month(year, month, raw)
        return date(year, month, 1), "month"
    if match := _YEAR_TEXT.fullmatch(text):
        year = int(match[1])
        _checked_year(year, raw, "年份")
        return date(year, 1, 1), "year"
    raise CellError(f"“{_show(raw)}”不是有效日期或年份")


def parse_date_or_year(value: Any) -> tuple[date, str] | None:
    """Return (date, precision) with precision "day", "month" or "year"."""
    kind = type(value)
    if kind is str:
        text = _stripped(value)
        return _date_from_text(text, value) if text else None
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if kind is float or kind is int:
        return _date_from_number(value, value)
    if isinstance(value, time | timedelta):
        raise CellError(f"“{_show(value)}”是时间，不是日期")
    raise CellError(f"“{_show(value)}”不是有效日期或年份")


# ---- phones ---------------------------------------------------------------

_PHONE_MESSAGE = "联系电话应为11位手机号或固定电话"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_WHITESPACE = re.compile(r"\s+")
_PHONE_NOISE = re.compile(r"[-()]")
_SEPARATED_LANDLINE = re.compile(r"\((0\d{2,3})\)-?([2-9]\d{6,7})|(0\d{2,3})-([2-9]\d{6,7})")
_COUNTRY_PREFIXES = ("+86", "0086")


def _phone_error(raw: Any) -> CellError:
    return CellError(f"{_PHONE_MESSAGE}，“{_show(raw)}”不符合")


def _compact_landline(digits: str) -> str | None:
    if digits[0] != "0":
        return digits if 7 <= len(digits) <= 8 and digits[0] not in "01" else None
    split = 3 if digits[1] in "12" else 4
    local = digits[split:]
    if 7 <= len(local) <= 8 and local[0] not in "01":
        return f"{digits[:split]}-{local}"
    return None


def _strip_country(text: str) -> tuple[str, bool]:
    for prefix in _COUNTRY_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :], True
    if len(text) == 13 and text.startswith("861"):
        return text[2:], True
    return text, False


def _phone_from_text(text: str, raw: Any, numeric: bool) -> str:
    if not text.isascii():
        text = _normalize(text)
    text, had_prefix = _strip_country(_WHITESPACE.sub("", text))
    digits = _PHONE_NOISE.sub("", text)
    if not (digits.isascii() and digits.isdigit()):
        raise _phone_error(raw)
    if _MOBILE.fullmatch(digits):
        return digits
    if match := _SEPARATED_LANDLINE.fullmatch(text):
        return f"{match[1] or match[3]}-{match[2] or match[4]}"
    found = _compact_landline(digits)
    if found is None and (numeric or had_prefix) and 9 <= len(digits) <= 11:
        found = _compact_landline("0" + digits)
    if found is None:
        raise _phone_error(raw)
    return found


def parse_phone(value: Any) -> str | None:
    kind = type(value)
    if kind is str:
        text = value.strip()
        if len(text) == 11 and text[0] == "1" and text.isdigit() and text.isascii() and text[1] in "3456789":
            return text
        text = _stripped(text)
        return _phone_from_text(text, value, numeric=False) if text else None
    if value is None:
        return None
    if (kind is float and value.is_integer() or kind is int) and value > 0:
        text = str(int(value))
        if len(text) == 11 and text[0] == "1" and text[1] in "3456789":
            return text
        return _phone_from_text(text, value, numeric=True)
    raise _phone_error(value)


# ---- choices --------------------------------------------------------------


def _choice_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _choice_labels(choices: dict[str, str]) -> str:
    first: dict[str, str] = {}
    for label, code in choices.items():
        first.setdefault(code, label)
    return "、".join(first.values())


def parse_choice(value: Any, *, choices: dict[str, str]) -> str | None:
    """Map a label (or one of its synonyms) to its code; choices maps labels to codes."""
    if type(value) is str:
        text = _stripped(value)
        if not text:
            return None
    elif value is None:
        return None
    else:
        text = _render(value)
    code = choices.get(text)
    if code is not None:
        return code
    key = _choice_key(text)
    for label, code in choices.items():
        if _choice_key(label) == key:
            return code
    raise CellError(f"“{_show(value)}”不是可选值（可选：{_choice_labels(choices)}）")
