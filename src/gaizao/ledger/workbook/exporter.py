"""Writes a project's ledger in the template's shape: one sheet per street, extra columns kept."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from django.db.models import QuerySet

from gaizao.core.masking import mask_id_number, mask_phone
from gaizao.ledger.models import Household, Property
from gaizao.ledger.workbook.columns import CHOICE_LABELS, COLUMNS, HOUSEHOLD, Column

TEXT_FIELDS = {"number", "id_number", "phone", "certificate_no"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name)[:31] or "台账"
    title, n = base, 1
    while title in taken:
        n += 1
        title = f"{base[:28]}({n})"
    taken.add(title)
    return title


def built_text(value: date | None, precision: str) -> str | None:
    if value is None:
        return None
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{value.year}-{value.month:02d}"
    return value.isoformat()


def cell_value(column: Column, household: Household, prop: Property, reveal: bool) -> Any:
    field = column.field
    if field == "street":
        return household.street.name
    if field == "holder_unit":
        return household.holder_unit.name if household.holder_unit_id else None
    if field == "built_on":
        return built_text(prop.built_on, prop.built_precision)
    value = getattr(household if column.level == HOUSEHOLD else prop, field)
    if field in CHOICE_LABELS:
        return CHOICE_LABELS[field].get(value) if value else None
    if not reveal and field == "id_number":
        return mask_id_number(value)
    if not reveal and field == "phone":
        return mask_phone(value)
    return value


def export_ledger(households: QuerySet[Household], path: Path, *, reveal: bool) -> int:
    """Writes the households (already scoped by the caller) and returns how many rows were written."""
    properties = (
        Property.objects.filter(household__in=households)
        .select_related("household", "household__street", "household__holder_unit")
        .order_by("household__street__name", "household__number", "seq")
    )
    extra_headers: list[str] = []
    for extra in properties.exclude(extra={}).values_list("extra", flat=True).iterator():
        extra_headers.extend(k for k in extra if k not in extra_headers)
    headers = [c.header for c in COLUMNS] + extra_headers
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    taken: set[str] = set()
    sheet, street_id, row_index, written = None, None, 0, 0
    for prop in properties.iterator(chunk_size=5000):
        household = prop.household
        if household.street_id != street_id:
            street_id = household.street_id
            sheet = workbook.add_worksheet(sheet_title(household.street.name, taken))
            sheet.write_row(0, 0, headers, bold)
            sheet.freeze_panes(1, 0)
            row_index = 1
        for col, column in enumerate(COLUMNS):
            write_cell(sheet, row_index, col, column.field, cell_value(column, household, prop, reveal))
        for offset, header in enumerate(extra_headers, start=len(COLUMNS)):
            value = prop.extra.get(header)
            if value is not None:
                sheet.write_string(row_index, offset, str(value))
        row_index += 1
        written += 1
    if sheet is None:
        workbook.add_worksheet("台账").write_row(0, 0, headers, bold)
    workbook.close()
    return written


def write_cell(sheet, row: int, col: int, field: str, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Decimal):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, int) and field not in TEXT_FIELDS:
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))
