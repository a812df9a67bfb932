"""Reads an uploaded file into sheets of rows: .xlsx/.xls through calamine, .csv in UTF-8 or GBK."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from gaizao.core.uploads import MB, FileType, check_upload


class WorkbookError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]


WORKBOOK_TYPES = (".xlsx", ".xls", ".xlsm", ".csv")
MAX_WORKBOOK_BYTES = 100 * MB
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


def read_workbook(path: Path, original_name: str | None = None) -> list[Sheet]:
    name = (original_name or path.name).lower()
    data_head = path.read_bytes()[:8]
    if not data_head:
        raise WorkbookError("文件是空的")
    if data_head.startswith(XLSX_MAGIC) or data_head.startswith(XLS_MAGIC):
        return _read_excel(path, original_name or path.name)
    if name.endswith((".xlsx", ".xls", ".xlsm")):
        raise WorkbookError(f"“{original_name or path.name}”不是有效的 Excel 工作簿（文件内容无法识别）")
    return [_read_csv(path, original_name or path.name)]


def _read_excel(path: Path, original_name: str) -> list[Sheet]:
    """By content, not by name: WPS saves .xls-era files as .xlsx and the other way round."""
    try:
        with path.open("rb") as handle:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
            sheets = []
            for sheet_name in workbook.sheet_names:
                sheet = workbook.get_sheet_by_name(sheet_name)
                rows = sheet.to_python(skip_empty_area=False)
                merged = [tuple(r) for r in (sheet.merged_cell_ranges or [])]
                sheets.append(Sheet(sheet_name, rows, merged))
    except Exception as error:  # calamine raises several error types for broken files
        raise WorkbookError(
            f"“{original_name}”无法作为 Excel 工作簿读取，文件可能已损坏，请重新保存后再上传"
        ) from error
    return sheets


def _read_csv(path: Path, original_name: str) -> Sheet:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WorkbookError(f"“{original_name}”既不是 UTF-8 也不是 GBK 编码的 CSV 文件，也不是 Excel 工作簿")
    if "\x00" in text:
        raise WorkbookError(f"“{original_name}”不是文本格式的 CSV 文件，也不是 Excel 工作簿")
    rows = [list(r) for r in csv.reader(io.StringIO(text))]
    return Sheet(Path(original_name).stem, rows, [])


def check_workbook_upload(upload) -> FileType:
    return check_upload(upload, allowed=WORKBOOK_TYPES, max_bytes=MAX_WORKBOOK_BYTES, what="台账文件")
