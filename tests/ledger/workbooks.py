"""Builds ledger workbooks (.xlsx) and CSVs for the tests from plain Python lists.

A sheet is a name, its rows (lists of cells; None is an empty cell) and the merged ranges written the
Excel way ("A1:X1"): the top-left cell's value fills the range, the other cells are left blank, as
Excel and WPS store them.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from gaizao.core.idcard import make_id_number
from gaizao.ledger.models import Household, HouseholdEvent, ImportBatch, Property
from gaizao.org.models import Unit

# The template's headers, in the order of LEDGER-TEMPLATE.md.
HEADERS = (
    "户号",
    "户主姓名",
    "身份证号",
    "联系电话",
    "家庭人口",
    "所属街道",
    "房屋坐落",
    "产权证号",
    "房屋用途",
    "结构",
    "层数",
    "证载面积",
    "未登记面积",
    "认定合法面积",
    "土地面积",
    "建成时间",
    "评估单价",
    "装修评估",
    "附属物评估",
    "意愿",
    "安置方式",
    "包户单位",
    "包户责任人",
    "备注",
)
TITLE = "北站片区房屋征收入户调查台账"


def person_id(sequence: int, *, born: date = date(1968, 4, 12), male: bool = True, region: str = "330102") -> str:
    """A valid 18-digit ID number; different sequences give different numbers."""
    return make_id_number(region, born, sequence, male)


def record(number: str, owner: str, location: str, *, street: str | None = "城关街道", **more: Any) -> dict[str, Any]:
    """One ledger row as {header: value}; `more` uses the template's Chinese headers as keywords."""
    values: dict[str, Any] = {"户号": number, "户主姓名": owner, "房屋坐落": location}
    if street is not None:
        values["所属街道"] = street
    return values | more


def table(
    records: Iterable[dict[str, Any]], headers: Sequence[str] = HEADERS, *, above: Sequence[list] = ()
) -> list[list[Any]]:
    """Rows for a sheet: the rows `above` (titles), the header row, then one row per record."""
    rows = [list(r) for r in above]
    rows.append(list(headers))
    for values in records:
        unknown = set(values) - set(headers)
        if unknown:
            raise ValueError(f"headers not in this table: {sorted(unknown)}")
        rows.append([values.get(h) for h in headers])
    return rows


def column_letter(headers: Sequence[str], header: str) -> str:
    """The Excel column letter of a header in this table: column_letter(HEADERS, "户号") == "A"."""
    return xl_col_to_name(list(headers).index(header))


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    merged: list[str] = field(default_factory=list)


def write_xlsx(path: Path, *sheets: Sheet) -> Path:
    """Writes the sheets; strings stay strings ("0012" is text), numbers numbers, dates dates."""
    workbook = xlsxwriter.Workbook(str(path))
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.name)
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                _write(sheet, r, c, value, day)
        for cells in spec.merged:
            first, _, last = cells.partition(":")
            (r0, c0), (r1, c1) = xl_cell_to_rowcol(first), xl_cell_to_rowcol(last)
            value = spec.rows[r0][c0] if r0 < len(spec.rows) and c0 < len(spec.rows[r0]) else None
            sheet.merge_range(r0, c0, r1, c1, "" if value is None else value)
    workbook.close()
    return path


def _write(sheet, row: int, col: int, value: Any, day) -> None:
    if value is None:
        return
    if isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, day)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value))
    else:
        sheet.write_string(row, col, str(value))


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    """A CSV as the offices save it: UTF-8 (optionally with BOM, encoding="utf-8-sig") or GBK."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def database_state() -> dict[str, Any]:
    """Everything an import may touch, to compare before and after an import that must write nothing."""
    return {
        "households": list(Household.objects.order_by("id").values()),
        "properties": list(Property.objects.order_by("id").values()),
        "events": HouseholdEvent.objects.count(),
        "batches": ImportBatch.objects.count(),
        "units": Unit.objects.count(),
    }
