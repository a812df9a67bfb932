"""Turns sheets of cells into household drafts, rejected rows and warnings. No database here."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gaizao.core.idcard import IdNumberError, normalize_id_number
from gaizao.ledger.workbook import cells
from gaizao.ledger.workbook.columns import (
    BY_FIELD,
    COLUMNS,
    HOUSEHOLD,
    HOUSEHOLD_FIELDS,
    SUMMED_FIELDS,
    Column,
    column_for_header,
    parser_for,
)
from gaizao.ledger.workbook.reader import Sheet

HEADER_SEARCH_ROWS = 10
TOTAL_MARKERS = ("合计", "小计", "总计")
UNIT_WORDS = frozenset(
    ("㎡", "m²", "m2", "平方米", "平米", "元", "万元", "元/㎡", "元/m²", "元/m2", "元/平方米")
    + ("人", "层", "年", "亩", "户")
)
_BRACKETS = str.maketrans("", "", "()（）[]【】 \u3000")
REQUIRED = tuple(c for c in COLUMNS if c.required)
# The stored columns' sizes: longer text is a rejected cell, not a database error.
MAX_LENGTHS = {
    "number": 40,
    "owner_name": 50,
    "phone": 20,
    "street": 100,
    "location": 200,
    "certificate_no": 60,
    "holder_unit": 100,
    "holder_name": 50,
}
MEMOISED = frozenset(
    {"street", "use", "structure", "wish", "choice", "holder_unit", "holder_name", "floors", "persons"}
)


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    reason: str

    def as_rejection(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}

    def as_warning(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.reason}


@dataclass
class PropertyDraft:
    sheet: str
    row: int
    values: dict[str, Any]
    extra: dict[str, Any]
    present: frozenset[str]
    extra_present: frozenset[str]


@dataclass
class HouseholdDraft:
    number: str
    values: dict[str, Any]
    properties: list[PropertyDraft] = field(default_factory=list)
    # where the household was first read (sheet, row, headers as written there), and where each value
    # that a later row brought was read: field -> (sheet, row, header as written)
    first: tuple[str, int, dict[str, str]] = ("", 0, {})
    origin: dict[str, tuple[str, int, str]] = field(default_factory=dict)

    def where(self, name: str) -> tuple[str, int, str]:
        if name in self.origin:
            return self.origin[name]
        sheet, row, headers = self.first
        return sheet, row, headers.get(name, BY_FIELD[name].header)

    # the fields whose column the household's sheets have: a missing column leaves the stored value alone
    present: set[str] = field(default_factory=set)

    @property
    def rows(self) -> list[tuple[str, int]]:
        return [(p.sheet, p.row) for p in self.properties]


@dataclass
class ParseResult:
    households: dict[str, HouseholdDraft]
    rejected: list[Problem]
    warnings: list[Problem]
    extra_columns: list[str]
    rejected_numbers: set[str]
    sheet_order: list[str] = field(default_factory=list)
    rows_read: int = 0

    def sort_rejected(self) -> None:
        position = {name: i for i, name in enumerate(self.sheet_order)}
        self.rejected.sort(key=lambda p: (position.get(p.sheet, 0), p.row))


@dataclass
class Table:
    header_row: int
    mapped: list[tuple[int, Column, str]]
    extra: list[tuple[int, str]]


def find_table(sheet: Sheet) -> Table | None:
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if not any(column_for_header(cell) for cell in row if isinstance(cell, str)):
            continue
        mapped, extra, seen = [], [], set()
        for col, cell in enumerate(row):
            written = str(cell).strip() if cell is not None else ""
            if not written:
                continue
            column = column_for_header(written)
            if column and column.field not in seen:
                seen.add(column.field)
                mapped.append((col, column, written))
            else:
                extra.append((col, written))
        return Table(index, mapped, extra)
    return None


def is_blank_row(row: list[Any]) -> bool:
    return all(c is None or c == "" or (c.__class__ is str and not c.strip()) for c in row)


def is_units_row(row: list[Any]) -> bool:
    """The second header row of units: "㎡", "（元/㎡）", "(人)", "元/m²" …"""
    texts = [str(c).translate(_BRACKETS) for c in row if not cells.is_blank(c)]
    return bool(texts) and all(t in UNIT_WORDS for t in texts)


def total_marker(row: list[Any]) -> str | None:
    head = row[:4]
    if not any(cell.__class__ is str and "计" in cell for cell in head):
        return None
    for cell in head:
        if isinstance(cell, str):
            compact = cell.replace(" ", "").replace("\u3000", "")
            for marker in TOTAL_MARKERS:
                if marker in compact:
                    return marker
    return None


class SheetParser:
    """Reads one sheet's table into drafts on the shared result."""

    def __init__(self, sheet: Sheet, table: Table, result: ParseResult, freeze_date: date | None):
        self.sheet = sheet
        self.table = table
        self.result = result
        self.freeze_date = freeze_date
        # (column index, field, header as written, parser, memo of parsed strings or None)
        self.readers = [
            (col, column.field, written, parser_for(column, written), {} if column.field in MEMOISED else None)
            for col, column, written in table.mapped
        ]
        self.read_values: list[dict[str, Any]] = []
        self.subtotal_from = 0
        self.headers = {c.field: written for _, c, written in table.mapped}
        self.present = frozenset(self.headers) | ({"built_precision"} if "built_on" in self.headers else set())
        self.extra_present = frozenset(header for _, header in table.extra)
        if "street" not in self.headers:
            self.present |= {"street"}

    def problem(self, row: int, column: str, reason: str) -> Problem:
        return Problem(self.sheet.name, row, column, reason)

    def run(self) -> None:
        rows = self.sheet.rows
        self.fill_merged(rows)
        start = self.table.header_row + 1
        if start < len(rows) and is_units_row(rows[start]):
            start += 1
        previous: dict[str, Any] | None = None
        for index in range(start, len(rows)):
            row = rows[index]
            if is_blank_row(row):
                continue
            marker = total_marker(row)
            if marker:
                self.check_total(row, index + 1, marker)
                continue
            previous = self.read_row(row, index + 1, previous)

    def fill_merged(self, rows: list[list[Any]]) -> None:
        household_cols = {i for i, c, _ in self.table.mapped if c.level == HOUSEHOLD}
        for (top, left), (bottom, right) in self.sheet.merged:
            for col in range(left, right + 1):
                if col not in household_cols or top >= len(rows):
                    continue
                value = rows[top][col] if col < len(rows[top]) else ""
                for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
                    if col < len(rows[r]) and cells.is_blank(rows[r][col]):
                        rows[r][col] = value

    def read_row(self, row: list[Any], excel_row: int, previous: dict[str, Any] | None) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        warnings = self.result.warnings
        width = len(row)
        for col, field_name, written, parse, memo in self.readers:
            raw = row[col] if col < width else None
            if raw is None or raw == "" or (raw.__class__ is str and not raw.strip()):
                continue
            try:
                if memo is None or raw.__class__ is not str:
                    values[field_name] = parse(raw)
                    continue
                hit = memo.get(raw, memo)
                if hit is memo:
                    try:
                        hit = parse(raw)
                    except cells.CellError as error:
                        hit = error
                    memo[raw] = hit
                if hit.__class__ is cells.CellError:
                    raise hit
                values[field_name] = hit
            except cells.CellError as error:
                problems.append(self.problem(excel_row, written, str(error)))
        if "street" not in self.headers:
            values["street"] = self.sheet.name
        if values.get("number") is None and previous is not None:
            for name in HOUSEHOLD_FIELDS:
                if values.get(name) is None and previous.get(name) is not None:
                    values[name] = previous[name]
        self.check_values(values, excel_row, problems, warnings)
        extra = {
            header: cells.parse_text(row[col])
            for col, header in self.table.extra
            if col < width and not cells.is_blank(row[col])
        }
        self.read_values.append(values)
        self.result.rows_read += 1
        number = values.get("number")
        if number is None:
            self.result.rejected.extend(problems)
            return previous
        draft = self.result.households.get(number)
        if draft is None:
            known = {name: values[name] for name in HOUSEHOLD_FIELDS if values.get(name) is not None}
            self.result.households[number] = draft = HouseholdDraft(
                number, known, present=set(self.present), first=(self.sheet.name, excel_row, self.headers)
            )
        else:
            draft.present |= self.present
            self.merge_household(draft, values, excel_row, problems)
        draft.properties.append(
            PropertyDraft(self.sheet.name, excel_row, values, extra, self.present, self.extra_present)
        )
        if problems:
            self.result.rejected.extend(problems)
            self.result.rejected_numbers.add(number)
        return values

    def check_values(self, values: dict[str, Any], row: int, problems: list[Problem], warnings: list[Problem]) -> None:
        header = self.headers.get
        for column in REQUIRED:
            if values.get(column.field) is None and not any(p.column == header(column.field) for p in problems):
                problems.append(self.problem(row, header(column.field, column.header), f"{column.header}不能为空"))
        for name, limit in MAX_LENGTHS.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                problems.append(
                    self.problem(row, header(name, BY_FIELD[name].header), f"{BY_FIELD[name].header}超过{limit}个字")
                )
        raw_id = values.get("id_number")
        if raw_id is not None:
            try:
                values["id_number"], warning = normalize_id_number(raw_id)
                if warning:
                    warnings.append(self.problem(row, header("id_number"), warning))
            except IdNumberError as error:
                problems.append(self.problem(row, header("id_number"), str(error)))
        unregistered, recognised = values.get("unregistered_area"), values.get("recognised_area")
        if recognised is not None and recognised > (unregistered or 0):
            problems.append(
                self.problem(
                    row, header("recognised_area"), f"认定合法面积（{recognised}）大于未登记面积（{unregistered or 0}）"
                )
            )
        built = values.get("built_on")
        if built is not None:
            values["built_on"], values["built_precision"] = built
            if self.freeze_date and built[0] > self.freeze_date:
                warnings.append(
                    self.problem(
                        row,
                        header("built_on"),
                        f"建成时间晚于征收范围冻结日（{self.freeze_date}），依法不予补偿，请核实",
                    )
                )

    def merge_household(self, draft: HouseholdDraft, values: dict[str, Any], row: int, problems: list[Problem]) -> None:
        for name in HOUSEHOLD_FIELDS:
            value = values.get(name)
            if value is None:
                continue
            known = draft.values.get(name)
            if known is None:
                draft.values[name] = value
                draft.origin[name] = (self.sheet.name, row, self.headers.get(name, BY_FIELD[name].header))
            elif known != value:
                sheet, first_row, _ = draft.where(name)
                what = "所属街道" if name == "street" else BY_FIELD[name].header
                problems.append(
                    self.problem(
                        row,
                        self.headers.get(name, BY_FIELD[name].header),
                        f"户号“{draft.number}”的{what}不一致：工作表“{sheet}”第{first_row}行为“{known}”，本行为“{value}”",
                    )
                )

    def sums_since(self, start: int) -> dict[str, Decimal]:
        sums = dict.fromkeys(SUMMED_FIELDS, Decimal(0))
        for values in self.read_values[start:]:
            for name in SUMMED_FIELDS:
                value = values.get(name)
                if value is not None:
                    sums[name] += value
        return sums

    def check_total(self, row: list[Any], excel_row: int, marker: str) -> None:
        running = self.sums_since(self.subtotal_from if marker == "小计" else 0)
        for col, column, written in self.table.mapped:
            if column.field not in running or col >= len(row) or cells.is_blank(row[col]):
                continue
            try:
                stated = parser_for(column, written)(row[col])
            except cells.CellError:
                continue
            if stated != running[column.field]:
                self.result.warnings.append(
                    self.problem(
                        excel_row,
                        written,
                        f"{marker}行的{column.header}为{stated}，逐行相加为{running[column.field]}，不一致",
                    )
                )
        if marker == "小计":
            self.subtotal_from = len(self.read_values)


def parse_sheets(sheets: list[Sheet], freeze_date: date | None = None) -> ParseResult:
    result = ParseResult({}, [], [], [], set(), [s.name for s in sheets])
    tables = 0
    for sheet in sheets:
        if all(is_blank_row(row) for row in sheet.rows):
            result.warnings.append(Problem(sheet.name, 0, "", "工作表为空，已跳过"))
            continue
        table = find_table(sheet)
        if table is None:
            result.rejected.append(
                Problem(
                    sheet.name, 1, "", f"前{HEADER_SEARCH_ROWS}行中没有找到表头（应有“户号”“户主姓名”“房屋坐落”等列）"
                )
            )
            continue
        missing = [c.header for c in COLUMNS if c.required and c.field not in {m.field for _, m, _ in table.mapped}]
        if missing:
            result.rejected.append(
                Problem(sheet.name, table.header_row + 1, "、".join(missing), f"表头缺少必填列：{'、'.join(missing)}")
            )
            continue
        tables += 1
        for _, header in table.extra:
            if header not in result.extra_columns:
                result.extra_columns.append(header)
        SheetParser(sheet, table, result, freeze_date).run()
    if not tables and not result.rejected:
        result.rejected.append(Problem(sheets[0].name if sheets else "", 0, "", "工作簿中没有任何数据"))
    check_certificates(result)
    reject_whole_households(result)
    return result


def check_certificates(result: ParseResult) -> None:
    seen: dict[str, tuple[str, str, int]] = {}
    for draft in result.households.values():
        for prop in draft.properties:
            number = prop.values.get("certificate_no")
            if not number:
                continue
            first = seen.setdefault(number, (draft.number, prop.sheet, prop.row))
            if first[0] != draft.number:
                header = BY_FIELD["certificate_no"].header
                result.rejected.append(
                    Problem(
                        prop.sheet,
                        prop.row,
                        header,
                        f"产权证号“{number}”已用于户号“{first[0]}”（工作表“{first[1]}”第{first[2]}行），同一证号不能属于两户",
                    )
                )
                result.rejected_numbers.add(draft.number)


def reject_whole_households(result: ParseResult) -> None:
    """A household is imported whole or not at all: its other rows are rejected with it."""
    bad_rows = {(p.sheet, p.row) for p in result.rejected}
    for number in result.rejected_numbers:
        for sheet, row in result.households[number].rows:
            if (sheet, row) not in bad_rows:
                result.rejected.append(Problem(sheet, row, "户号", f"户号“{number}”的其他行有错误，整户未导入"))
    result.sort_rejected()
