"""The ledger workbook's columns (LEDGER-TEMPLATE.md): headers, aliases and how each cell is read."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from gaizao.core.money import money
from gaizao.ledger.workbook import cells

HOUSEHOLD = "household"
PROPERTY = "property"

USE_CHOICES = {"住宅": "residential", "非住宅": "non_residential", "经营": "business", "经营性": "business"}
STRUCTURE_CHOICES = {
    "框架": "frame",
    "框架结构": "frame",
    "钢混": "frame",
    "砖混": "brick_concrete",
    "砖混结构": "brick_concrete",
    "砖木": "brick_wood",
    "砖木结构": "brick_wood",
    "简易": "simple",
    "简易结构": "simple",
}
WISH_CHOICES = {"同意": "agree", "不同意": "disagree", "观望": "undecided", "未定": "undecided"}
CHOICE_CHOICES = {"货币补偿": "money", "货币": "money", "产权调换": "swap", "房票": "voucher", "房票安置": "voucher"}


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple[str, ...]
    level: str
    parse: Callable[[Any], Any]
    required: bool = False
    unit: str = ""


def text(value: Any) -> str | None:
    return cells.parse_text(value)


def as_typed(value: Any) -> Any:
    """ID numbers go to their own check whole, so a number-typed cell gets the right message."""
    return value


def choice(choices: dict[str, str]) -> Callable[[Any], str | None]:
    return partial(cells.parse_choice, choices=choices)


def decimal(unit: str) -> Callable[[Any], Any]:
    return partial(cells.parse_decimal, unit=unit)


COLUMNS: tuple[Column, ...] = (
    Column("number", "户号", ("编号", "户编号"), HOUSEHOLD, text, required=True),
    Column("owner_name", "户主姓名", ("户主", "被征收人", "姓名"), HOUSEHOLD, text, required=True),
    Column("id_number", "身份证号", ("身份证号码", "证件号码"), HOUSEHOLD, as_typed),
    Column("phone", "联系电话", ("电话", "手机号"), HOUSEHOLD, cells.parse_phone),
    Column("persons", "家庭人口", ("人口", "在册人口"), HOUSEHOLD, partial(cells.parse_int, minimum=1), unit="人"),
    Column("street", "所属街道", ("街道", "乡镇", "街道(乡镇)", "街道（乡镇）"), HOUSEHOLD, text),
    Column("location", "房屋坐落", ("坐落", "地址"), PROPERTY, text, required=True),
    Column("certificate_no", "产权证号", ("不动产权证号", "房产证号", "土地证号"), PROPERTY, text),
    Column("use", "房屋用途", ("用途",), PROPERTY, choice(USE_CHOICES)),
    Column("structure", "结构", ("房屋结构",), PROPERTY, choice(STRUCTURE_CHOICES)),
    Column("floors", "层数", (), PROPERTY, partial(cells.parse_int, minimum=1), unit="层"),
    Column("certified_area", "证载面积", ("合法面积", "产权面积"), PROPERTY, decimal("㎡"), unit="㎡"),
    Column("unregistered_area", "未登记面积", ("无证面积",), PROPERTY, decimal("㎡"), unit="㎡"),
    Column("recognised_area", "认定合法面积", ("认定面积",), PROPERTY, decimal("㎡"), unit="㎡"),
    Column("land_area", "土地面积", ("占地面积",), PROPERTY, decimal("㎡"), unit="㎡"),
    Column("built_on", "建成时间", ("建成年份", "建造时间"), PROPERTY, cells.parse_date_or_year),
    Column("appraised_unit_price", "评估单价", ("评估价格",), PROPERTY, decimal("元/㎡"), unit="元/㎡"),
    Column("decoration_value", "装修评估", ("装修补偿",), PROPERTY, decimal("元"), unit="元"),
    Column("attachments_value", "附属物评估", ("附属物",), PROPERTY, decimal("元"), unit="元"),
    Column("wish", "意愿", ("征收意愿", "群众意愿"), HOUSEHOLD, choice(WISH_CHOICES)),
    Column("choice", "安置方式", ("补偿方式",), HOUSEHOLD, choice(CHOICE_CHOICES)),
    Column("holder_unit", "包户单位", ("包保单位", "协保单位"), HOUSEHOLD, text),
    Column("holder_name", "包户责任人", ("包保责任人",), HOUSEHOLD, text),
    Column("remark", "备注", ("说明",), PROPERTY, text),
)

BY_FIELD = {c.field: c for c in COLUMNS}
HOUSEHOLD_FIELDS = tuple(c.field for c in COLUMNS if c.level == HOUSEHOLD)
PROPERTY_FIELDS = tuple(c.field for c in COLUMNS if c.level == PROPERTY)
SUMMED_FIELDS = tuple(c.field for c in COLUMNS if c.unit in ("㎡", "元"))
CHOICE_LABELS = {
    "use": {v: k for k, v in reversed(USE_CHOICES.items())},
    "structure": {v: k for k, v in reversed(STRUCTURE_CHOICES.items())},
    "wish": {v: k for k, v in reversed(WISH_CHOICES.items())},
    "choice": {v: k for k, v in reversed(CHOICE_CHOICES.items())},
}

_UNIT_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")
_SPACES = re.compile(r"\s+")


def normalise_header(raw: Any) -> str:
    """ "证载面积（㎡）" and " 证载 面积 " both become "证载面积"."""
    if raw is None:
        return ""
    name = _SPACES.sub("", str(raw))
    stripped = _UNIT_SUFFIX.sub("", name)
    return stripped or name


_LOOKUP: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _LOOKUP[normalise_header(_name)] = _column


def column_for_header(raw: Any) -> Column | None:
    name = normalise_header(raw)
    return _LOOKUP.get(name) or _LOOKUP.get(_UNIT_SUFFIX.sub("", name))


def _in_ten_thousands(parse: Callable[[Any], Any], value: Any) -> Any:
    amount = parse(value)
    if amount is None or (isinstance(value, str) and "万" in value):
        return amount
    return money(amount * 10000)


def parser_for(column: Column, written: str) -> Callable[[Any], Any]:
    """A money column headed in 万元 ("装修评估（万元）") holds ten-thousands of yuan."""
    if column.unit == "元" and "万" in written:
        return partial(_in_ten_thousands, column.parse)
    return column.parse
