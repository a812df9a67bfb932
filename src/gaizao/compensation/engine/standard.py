"""A compensation standard (补偿方案) as data: read from TOML, checked whole, errors pointing at line and column."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from gaizao.compensation.engine import expression
from gaizao.compensation.engine.facts import ALIASES, CHOICES, FACT_NAMES, NUMERIC_FACTS, choice_code
from gaizao.compensation.engine.locator import Locator, Place

RESERVED = expression.KEYWORDS | expression.FUNCTIONS
LINE_KEYS = {
    "name",
    "label",
    "formula",
    "when",
    "options",
    "minimum",
    "maximum",
    "tier_by",
    "tiers",
    "rule",
    "in_total",
}


class StandardError(ValueError):
    """A mistake in a standard, with where it is: 1-based line and column of the TOML text."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        self.message, self.line, self.column = message, line, column
        where = f"第{line}行" + (f"第{column}列" if column else "") + "：" if line else ""
        super().__init__(where + message)


@dataclass(frozen=True)
class Formula:
    text: str
    node: expression.Node
    line: int
    column: int  # where the formula's text starts in the file
    columns: tuple[int, ...] = field(repr=False, compare=False, default=())  # file column of each character
    run: Callable[[dict[str, Any]], Any] = field(repr=False, compare=False, default=None)
    read: tuple[str, ...] = field(repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "run", expression.compile_node(self.node))
        object.__setattr__(self, "read", tuple(n.name for n in expression.names(self.node)))

    def at(self, column: int) -> tuple[int, int]:
        """The file's line and column of the formula's `column`-th character (1-based)."""
        if not self.columns:
            return self.line, self.column
        return self.line, self.columns[min(column, len(self.columns)) - 1]

    def compile_with(self, compiler: expression.Compiler) -> None:
        object.__setattr__(self, "run", compiler.compile(self.node))

    def names(self) -> list[str]:
        return list(self.read)


@dataclass(frozen=True)
class Tier:
    low: Decimal
    high: Decimal
    value: Formula


@dataclass(frozen=True)
class Line:
    name: str
    label: str
    formula: Formula | None
    when: Formula | None = None
    options: frozenset[str] = frozenset(CHOICES)
    minimum: Formula | None = None
    maximum: Formula | None = None
    tier_by: str | None = None
    tiers: tuple[Tier, ...] = ()
    rule: str = ""
    in_total: bool = True
    source_line: int = 0

    def formulas(self) -> list[Formula]:
        parts = [self.formula, self.when, self.minimum, self.maximum, *(t.value for t in self.tiers)]
        return [f for f in parts if f is not None]

    def references(self) -> set[str]:
        refs = {n for f in self.formulas() for n in f.names()}
        return refs | ({self.tier_by} if self.tier_by else set())


@dataclass(frozen=True)
class Standard:
    name: str
    project: str
    version: str
    published_on: date | None
    land: str
    options: frozenset[str]
    constants: dict[str, Decimal]
    lines: tuple[Line, ...]  # in evaluation order: every line after the lines it reads
    source: str = field(repr=False, default="")

    def line(self, name: str) -> Line:
        return next(line for line in self.lines if line.name == name)


def _decimal(value: Any, what: str, place: Place) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise StandardError(f"{what}应为数值", place.line, place.column)
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation as error:
        raise StandardError(f"{what}“{value}”不是数值", place.line, place.column) from error


def _formula(value: Any, what: str, place: Place) -> Formula:
    text = value if isinstance(value, str) else str(value) if isinstance(value, int | float) else None
    if text is None or isinstance(value, bool):
        raise StandardError(f"{what}应为公式文字或数值", place.line, place.column)
    columns = tuple(place.string_columns()) if isinstance(value, str) else ()
    formula_place = Formula(text, expression.Number(0, Decimal(0)), place.line, place.value_column, columns)
    try:
        node = expression.parse(text)
    except expression.ExpressionError as error:
        raise StandardError(f"{what}有误：{error.message}", *formula_place.at(error.column)) from error
    return Formula(text, node, place.line, columns[0] if columns else place.value_column, columns)


def _options(values: Any, place: Place) -> frozenset[str]:
    if not isinstance(values, list) or not values:
        raise StandardError('options 应为安置方式的列表，如 ["货币补偿", "产权调换"]', place.line, place.column)
    try:
        return frozenset(choice_code(str(v)) for v in values)
    except ValueError as error:
        raise StandardError(str(error), place.line, place.column) from error


def load(source: str) -> Standard:
    """Parse and check a whole standard; the first mistake raises StandardError."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(match[1]), int(match[2])) if match else (0, 0)
        raise StandardError(f"TOML 格式错误：{error}", line, column) from error
    head = data.get("standard")
    if not isinstance(head, dict):
        raise StandardError("缺少 [standard] 段（方案名称、项目、版本）", 1)
    for key in ("name", "version"):
        if not head.get(key):
            raise StandardError(f"[standard] 段缺少 {key}", 1)
    locator = Locator(source)
    constants = {}
    for name, value in (data.get("constants") or {}).items():
        place = locator.at("constants", name)
        if name in FACT_NAMES:
            raise StandardError(f"常量名“{name}”与户的数据同名，请换一个名字", place.line, place.column)
        constants[name] = _decimal(value, f"常量 {name}", place)
    options = _options(head.get("options", list(CHOICES)), locator.at("standard", "options"))
    raw_lines = data.get("line") or []
    if not raw_lines:
        raise StandardError("方案中没有任何补偿项（[[line]]）", 1)
    lines = [_line(raw, i, locator, options) for i, raw in enumerate(raw_lines)]
    ordered = order_lines(lines, set(FACT_NAMES) | set(constants))
    compiler = expression.Compiler(NUMERIC_FACTS | frozenset(constants) | {line.name for line in lines}, ALIASES)
    for line in lines:
        for formula in line.formulas():
            formula.compile_with(compiler)
    published = head.get("published_on")
    if published is not None and not isinstance(published, date):
        raise StandardError("published_on 应为日期，如 2026-07-20", 1)
    return Standard(
        name=head["name"],
        project=head.get("project", ""),
        version=str(head["version"]),
        published_on=published,
        land=head.get("land", "state"),
        options=options,
        constants=constants,
        lines=tuple(ordered),
        source=source,
    )


def _line(raw: dict, index: int, locator: Locator, options: frozenset[str]) -> Line:
    start = locator.at("line", index)

    def place(*key) -> Place:
        return locator.at("line", index, *key)

    name = raw.get("name")
    if not isinstance(name, str) or not name.isidentifier() or name in RESERVED:
        where = place("name")
        raise StandardError(
            "补偿项的 name 应为英文或中文的名称（字母开头，不含空格和符号，不用 and、or、not、true、false 及函数名）",
            where.line,
            where.column,
        )
    for key in raw:
        if key not in LINE_KEYS:
            where = place(key)
            raise StandardError(f"补偿项“{name}”有未知的键：{key}", where.line, where.column)
    label = raw.get("label", name)
    tiers = _tiers(raw, name, index, locator)
    formula = _formula(raw["formula"], f"“{label}”的公式", place("formula")) if "formula" in raw else None
    if (formula is None) == (not tiers):
        raise StandardError(f"补偿项“{label}”应有 formula（公式）或 tiers（分档），二者选一", start.line, start.column)
    line_options = _options(raw["options"], place("options")) if "options" in raw else options
    if not line_options <= options:
        where = place("options")
        extra = next(str(o) for o in raw["options"] if choice_code(str(o)) not in options)
        column = where.text.find(f'"{extra}"', where.value_column - 1) + 1 or where.column
        raise StandardError(f"补偿项“{label}”适用的“{extra}”不在方案的 options 中", where.line, column)
    in_total = raw.get("in_total", True)
    if not isinstance(in_total, bool):
        where = place("in_total")
        raise StandardError(f"补偿项“{label}”的 in_total 应为 true 或 false（不加引号）", where.line, where.column)

    def optional(key: str, what: str) -> Formula | None:
        return _formula(raw[key], f"“{label}”的{what}", place(key)) if key in raw else None

    return Line(
        name=name,
        label=label,
        formula=formula,
        when=optional("when", "适用条件"),
        options=line_options,
        minimum=optional("minimum", "最低额"),
        maximum=optional("maximum", "最高额"),
        tier_by=raw.get("tier_by") if tiers else None,
        tiers=tiers,
        rule=raw.get("rule", ""),
        in_total=in_total,
        source_line=start.line,
    )


def _tiers(raw: dict, name: str, index: int, locator: Locator) -> tuple[Tier, ...]:
    if "tiers" not in raw:
        return ()
    if not isinstance(raw.get("tier_by"), str):
        where = locator.at("line", index, "tiers")
        raise StandardError(
            f"补偿项“{name}”分档须写明 tier_by（按哪个数分档，如 signing_day）", where.line, where.column
        )
    tiers = []
    for n, tier in enumerate(raw["tiers"]):
        where = locator.at("line", index, "tiers", n)
        if not isinstance(tier, dict) or not {"from", "to", "value"} <= set(tier):
            raise StandardError(
                f"补偿项“{name}”的第{n + 1}档应写成 {{ from = …, to = …, value = … }}", where.line, where.column
            )
        low = _decimal(tier["from"], "分档起点", where)
        high = _decimal(tier["to"], "分档终点", where)
        if high < low:
            raise StandardError(f"补偿项“{name}”的第{n + 1}档起点 {low} 大于终点 {high}", where.line, where.column)
        value = _formula(tier["value"], f"“{name}”第{n + 1}档的值", locator.at("line", index, "tiers", n, "value"))
        tiers.append((Tier(low, high, value), where))
    tiers.sort(key=lambda pair: pair[0].low)
    for (before, _), (after, where) in zip(tiers, tiers[1:], strict=False):
        if after.low <= before.high:
            raise StandardError(
                f"补偿项“{name}”的分档重叠：{before.low}–{before.high} 与 {after.low}–{after.high}",
                where.line,
                where.column,
            )
        if after.low > before.high + 1:
            raise StandardError(
                f"补偿项“{name}”的分档有空档：{before.high} 与 {after.low} 之间（分档按整数天/整数值衔接）",
                where.line,
                where.column,
            )
    return tuple(tier for tier, _ in tiers)


def order_lines(lines: list[Line], known: set[str]) -> list[Line]:
    """Every line after the lines it reads; unknown names and circular references are refused."""
    by_name: dict[str, Line] = {}
    for line in lines:
        if line.name in by_name:
            raise StandardError(f"补偿项名称“{line.name}”重复", line.source_line)
        if line.name in known:
            raise StandardError(f"补偿项名称“{line.name}”与户的数据或常量同名", line.source_line)
        by_name[line.name] = line
    for line in lines:
        for formula in line.formulas():
            for node in expression.names(formula.node):
                if node.name not in known and node.name not in by_name:
                    raise StandardError(f"“{line.label}”引用了未知的名称“{node.name}”", *formula.at(node.column))
        if line.tier_by and line.tier_by not in known and line.tier_by not in by_name:
            raise StandardError(f"“{line.label}”的 tier_by 引用了未知的名称“{line.tier_by}”", line.source_line)
    ordered: list[Line] = []
    state: dict[str, str] = {}

    def visit(line: Line, trail: list[str]) -> None:
        if state.get(line.name) == "done":
            return
        if state.get(line.name) == "visiting":
            cycle = trail[trail.index(line.name) :] + [line.name]
            raise StandardError(f"补偿项循环引用：{' → '.join(cycle)}", line.source_line)
        state[line.name] = "visiting"
        for ref in sorted(line.references() & set(by_name)):
            visit(by_name[ref], [*trail, line.name])
        state[line.name] = "done"
        ordered.append(line)

    for line in lines:
        visit(line, [])
    return ordered
