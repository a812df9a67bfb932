"""Builds ledger workbooks (.xlsx, old .xls) and CSVs for the tests from plain Python lists.

A sheet is a name, its rows (lists of cells; None is an empty cell) and the merged ranges written the
Excel way ("A1:X1"): the top-left cell's value fills the range, the other cells are left blank, as
Excel and WPS store them.
"""

import csv
import io
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol

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


def write_xls(path: Path, *sheets: Sheet) -> Path:
    """An old-style .xls (BIFF8 in an OLE2 compound file), as WPS and Excel 2003 save it.

    Just enough of the format for a reader: shared strings, text and number cells, no styles or merges.
    """
    strings: dict[str, int] = {}
    references = 0
    bodies = []
    for spec in sheets:
        cells = b""
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    cells += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))  # NUMBER
                else:
                    references += 1
                    index = strings.setdefault(str(value), len(strings))
                    cells += _record(0x00FD, struct.pack("<HHHI", r, c, 0, index))  # LABELSST
        width = max((len(row) for row in spec.rows), default=0)
        dimensions = _record(0x0200, struct.pack("<IIHHH", 0, len(spec.rows), 0, width, 0))
        bodies.append(_bof(0x0010) + dimensions + cells + _record(0x000A))
    shared = struct.pack("<II", references, len(strings))
    for text in strings:
        shared += struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")

    def boundsheet(name: str, offset: int) -> bytes:
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le"))

    tail = _record(0x00FC, shared) + _record(0x000A)
    offset = len(_bof(0x0005)) + sum(len(boundsheet(s.name, 0)) for s in sheets) + len(tail)
    globals_ = _bof(0x0005)
    for spec, body in zip(sheets, bodies, strict=True):
        globals_ += boundsheet(spec.name, offset)
        offset += len(body)
    stream = globals_ + tail + b"".join(bodies)
    # 4096 bytes or more keeps the stream out of the compound file's mini stream.
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")
    path.write_bytes(_compound_file(stream))
    return path


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _compound_file(stream: bytes) -> bytes:
    """Sector 0 holds the FAT, sector 1 the directory, sectors 2… the one "Workbook" stream."""
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    count = len(stream) // 512
    if count + 2 > 128:
        raise ValueError("workbook too large for this helper")
    fat = [fat_sector, end, *range(3, count + 2), end]
    fat += [free] * (128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *[free] * 108)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", none, none, child)
            + bytes(36)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, none, 2, len(stream))
    directory += entry("", 0, none, 0, 0) * 2
    return header + struct.pack("<128I", *fat) + directory + stream


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
