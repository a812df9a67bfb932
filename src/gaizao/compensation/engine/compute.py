"""The engine: (standard, household facts, choice and dates) → lines, each with its amount, formula, inputs and rule.

Pure: no database, no clock. Every line is rounded to 0.01 yuan half up; later lines read the rounded
amounts, so the total is exactly the sum of the lines shown. What the household pays is a negative line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gaizao.compensation.engine import expression
from gaizao.compensation.engine.facts import ALIASES, CHOICES, Circumstances, HouseholdFacts, environment
from gaizao.compensation.engine.standard import Formula, Line, Standard

CENT = Decimal("0.01")


def shown(value: object) -> object:
    """An input as the card shows it: two places where that is exact, else four."""
    if not isinstance(value, Decimal):
        return value
    cents = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return cents if cents == value else value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class ComputeError(ValueError):
    def __init__(self, message: str, line: Line | None = None):
        self.line = line
        where = f"（补偿项“{line.label}”，方案第{line.source_line}行）" if line else ""
        super().__init__(message + where)


@dataclass(slots=True)
class ResultLine:
    name: str
    label: str
    amount: Decimal
    formula: str
    inputs: dict[str, object]
    rule: str
    in_total: bool
    note: str = ""


@dataclass(slots=True)
class Result:
    standard: str
    version: str
    choice: str
    lines: tuple[ResultLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.in_total), Decimal(0))

    def amount(self, name: str) -> Decimal:
        return next(line.amount for line in self.lines if line.name == name)


def compute(standard: Standard, facts: HouseholdFacts, when: Circumstances) -> Result:
    if when.choice not in standard.options:
        offered = "、".join(CHOICES[o] for o in sorted(standard.options))
        raise ComputeError(f"本方案不提供“{CHOICES.get(when.choice, when.choice)}”，可选：{offered}")
    env = environment(facts, when) | dict(standard.constants)
    results = []
    for line in standard.lines:
        unsigned = line.tier_by in ("signing_day", "签约天数") and when.signed_on is None  # a decision: no reward
        if unsigned or when.choice not in line.options or (line.when and not _condition(line, line.when, env)):
            env[line.name] = Decimal(0)
            continue
        amount, formula, note = _amount(line, env)
        env[line.name] = amount
        inputs = {name: env[ALIASES.get(name, name)] for name in dict.fromkeys(_read_names(line, formula))}
        results.append(ResultLine(line.name, line.label, amount, formula.text, inputs, line.rule, line.in_total, note))
    return Result(standard.name, standard.version, when.choice, tuple(results))


def _read_names(line: Line, formula: Formula) -> tuple[str, ...]:
    names = formula.read
    if line.tier_by:
        names = (line.tier_by, *names)
    for bound in (line.minimum, line.maximum):
        if bound is not None:
            names += bound.read
    return names


def _evaluate(line: Line, formula: Formula, env: dict[str, object]) -> object:
    try:
        return formula.run(env)
    except expression.ExpressionError as error:
        row, column = formula.at(error.column)
        raise ComputeError(f"{error.message}（第{row}行第{column}列）", line) from error


def _number(line: Line, formula: Formula, env: dict[str, object]) -> Decimal:
    value = _evaluate(line, formula, env)
    if not isinstance(value, Decimal) or isinstance(value, bool):
        raise ComputeError(f"公式“{formula.text}”的结果应为数值", line)
    return value


def _condition(line: Line, formula: Formula, env: dict[str, object]) -> bool:
    value = _evaluate(line, formula, env)
    if not isinstance(value, bool):
        raise ComputeError(f"适用条件“{formula.text}”的结果应为是/否", line)
    return value


def _amount(line: Line, env: dict[str, object]) -> tuple[Decimal, Formula, str]:
    formula = line.formula or _tier(line, env)
    value, note = _number(line, formula, env), ""
    if line.minimum is not None and value < (low := _number(line, line.minimum, env)):
        value, note = low, f"不足最低额，按最低 {low.quantize(CENT, ROUND_HALF_UP)} 元"
    if line.maximum is not None and value > (high := _number(line, line.maximum, env)):
        value, note = high, f"超过最高额，按最高 {high.quantize(CENT, ROUND_HALF_UP)} 元"
    amount = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return (amount.copy_abs() if amount.is_zero() else amount), formula, note  # never "-0.00"


def _tier(line: Line, env: dict[str, object]) -> Formula:
    by = env.get(line.tier_by)
    if not isinstance(by, Decimal):
        raise ComputeError(f"分档依据“{line.tier_by}”没有数值", line)
    for tier in line.tiers:
        if tier.low <= by <= tier.high:
            return tier.value
    ranges = "、".join(f"{t.low}–{t.high}" for t in line.tiers)
    raise ComputeError(f"“{line.tier_by}”为 {by}，不在任何分档内（{ranges}）", line)
