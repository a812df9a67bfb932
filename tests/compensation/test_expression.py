"""The formula language: parsing, evaluating (tree walk and compiled closures alike), and its errors with columns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.compensation.engine.expression import ExpressionError, compile_node, evaluate, names, parse
from tests.compensation.support import CJK, D

EVALUATORS = {
    "evaluate": lambda text, env: evaluate(parse(text), env),
    "compiled": lambda text, env: compile_node(parse(text))(env),
}


@pytest.fixture(params=sorted(EVALUATORS))
def calc(request):
    """Both ways of running a formula: they must agree on values and on errors."""
    run = EVALUATORS[request.param]
    return lambda text, env=None: run(text, env or {})


def expression_error(action) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        action()
    error = caught.value
    assert CJK.search(error.message), f"message should be Chinese: {error.message!r}"
    assert str(error) == error.message
    return error


# ---- arithmetic and precedence ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2 + 3 * 4", "14"),
        ("(2 + 3) * 4", "20"),
        ("2 * 3 + 4", "10"),
        ("2 * (3 + 4)", "14"),
        ("10 - 4 - 3", "3"),  # left-associative: (10 - 4) - 3
        ("12 / 3 / 2", "2"),  # (12 / 3) / 2
        ("2 + 12 / 4 * 3", "11"),  # 12 / 4 = 3, × 3 = 9, + 2
        ("((((7))))", "7"),
        ("  1+2*3  ", "7"),
        ("1.50 * 2", "3.00"),
    ],
)
def test_arithmetic_follows_the_usual_precedence(calc, text, expected):
    value = calc(text)
    assert isinstance(value, Decimal)
    assert value == D(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("-2", "-2"),
        ("-2 * 3", "-6"),
        ("--2", "2"),
        ("2 - -3", "5"),
        ("-(2 + 3)", "-5"),
        ("-2 + 5", "3"),  # unary minus binds tighter than +
        ("4 * -2.5", "-10"),
        ("-min(3, 5) * 2", "-6"),
    ],
)
def test_unary_minus(calc, text, expected):
    assert calc(text) == D(expected)


def test_decimal_arithmetic_is_exact(calc):
    assert calc("0.1 + 0.2 == 0.3") is True
    assert calc("0.1 + 0.2") == D("0.3")
    assert str(calc("0.1 + 0.2")) == "0.3"
    assert calc("1.10 * 3") == D("3.30")
    assert calc("1 / 4") == D("0.25")


# ---- comparisons and logic ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 < 2", True),
        ("2 < 1", False),
        ("2 <= 2", True),
        ("3 > 2", True),
        ("2 >= 3", False),
        ("1 == 1.00", True),
        ("1 != 2", True),
        ("2 != 2", False),
        ("1 + 1 == 2", True),  # arithmetic before comparison
        ("2 * 3 > 5", True),
    ],
)
def test_comparisons(calc, text, expected):
    assert calc(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("true and false", False),
        ("true and true", True),
        ("false or true", True),
        ("false or false", False),
        ("not true", False),
        ("not not true", True),
        ("not 1 < 2", False),  # not binds looser than the comparison
        ("true or false and false", True),  # and binds tighter than or
        ("(true or false) and false", False),
        ("1 < 2 and 3 < 4", True),
        ("1 + 2 * 3 > 6 and not (4 < 3)", True),
    ],
)
def test_logic(calc, text, expected):
    assert calc(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("false and 1 / 0 > 0", False),
        ("true or 1 / 0 > 0", True),
        ("false and missing", False),  # the right side is not even read
        ("true or missing", True),
        ("1 > 2 and 1 / 0 > 0", False),
    ],
)
def test_and_or_short_circuit(calc, text, expected):
    assert calc(text) is expected


def test_and_or_still_evaluate_the_right_side_when_needed(calc):
    with pytest.raises(ExpressionError):
        calc("true and 1 / 0 > 0")
    with pytest.raises(ExpressionError):
        calc("false or missing")


# ---- functions ---------------------------------------------------------------------------------


def test_if_picks_a_branch_and_evaluates_only_that_one(calc):
    assert calc("if(1 < 2, 10, 20)") == 10
    assert calc("if(2 < 1, 10, 20)") == 20
    assert calc("if(true, 7, 1 / 0)") == 7
    assert calc("if(false, 1 / 0, 7)") == 7
    assert calc("if(false, missing, 3)") == 3
    assert calc('if(true, "是", "否")') == "是"
    assert calc("if(1 < 2, if(2 < 3, 1, 2), 3)") == 1


def test_min_and_max_take_many_arguments(calc):
    assert calc("min(5, 3, 9, 1.5, 7)") == D("1.5")
    assert calc("max(5, 3, 9, 1.5, 7)") == 9
    assert calc("min(4)") == 4
    assert calc("max(-1, -2)") == -1
    assert calc("min(max(12 - 5, 0), 10)") == 7
    assert calc("min(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0.5)") == D("0.5")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("round(2.345, 2)", "2.35"),  # half up, not banker's rounding
        ("round(2.5)", "3"),
        ("round(3.5)", "4"),
        ("round(2.4)", "2"),
        ("round(2.344, 2)", "2.34"),
        ("round(2.335, 2)", "2.34"),
        ("round(1234.5678, 1)", "1234.6"),
        ("round(-2.5)", "-3"),  # 四舍五入 on the absolute value
        ("round(10 / 3, 2)", "3.33"),
        ("round(0.005, 2)", "0.01"),
    ],
)
def test_round_is_half_up(calc, text, expected):
    value = calc(text)
    assert value == D(expected)
    assert str(value) == expected


def test_abs(calc):
    assert calc("abs(-3.5)") == D("3.5")
    assert calc("abs(3.5)") == D("3.5")
    assert calc("abs(2 - 5) * 2") == 6


# ---- strings and Chinese ------------------------------------------------------------------------


def test_strings_compare_with_chinese_text(calc):
    assert calc('use == "经营"', {"use": "经营"}) is True
    assert calc('use == "经营"', {"use": "住宅"}) is False
    assert calc('use != "经营"', {"use": "住宅"}) is True
    assert calc("用途 == '经营'", {"用途": "经营"}) is True
    assert calc('choice == "产权调换" and not 低保', {"choice": "产权调换", "低保": False}) is True


def test_chinese_identifiers(calc):
    assert calc("证载面积 * 2", {"证载面积": D("50.25")}) == D("100.50")
    assert calc("证载面积 + 认定合法面积", {"证载面积": D(40), "认定合法面积": D("12.5")}) == D("52.5")
    assert calc("if(失独户, 20000, 0)", {"失独户": True}) == 20000


def test_names_lists_every_name_read_in_order():
    assert [n.name for n in names(parse("a + b * min(c, 证载面积) - if(d, a, 1)"))] == [
        "a",
        "b",
        "c",
        "证载面积",
        "d",
        "a",
    ]
    assert [n.column for n in names(parse("a + bb"))] == [1, 5]
    assert names(parse("1 + 2")) == []
    assert names(parse("true and false")) == []


# ---- errors, with their columns ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, column, words",
    [
        ("a $ b", 3, "$"),  # unknown character
        ("1 + 2 ？", 7, "？"),
        ("(1 + 2", 7, ")"),  # missing ")": at the end of the formula
        ("min(1, 2", 9, ")"),
        ("1 2", 3, "多余"),  # a trailing token
        ("(1 + 2))", 8, "多余"),
        ("1 < 2 < 3", 7, "比较"),  # chained comparison
        ("1 == 1 == 1", 8, "比较"),
        ("foo(1)", 1, "foo"),  # unknown function
        ("2 * bar(1)", 5, "bar"),
        ("if(1, 2)", 1, "if"),  # wrong arity
        ("abs(1, 2)", 1, "abs"),
        ("round(1, 2, 3)", 1, "round"),
        ("min()", 1, "min"),
        ("", 1, "空"),  # empty formula
        ("   ", 1, "空"),
        ("1 +", 4, "公式结尾"),
        ("* 2", 1, "*"),
        ("1 + and", 5, "and"),
        ('"abc', 1, '"'),  # an unterminated string is an unknown character
    ],
)
def test_parse_errors_point_at_the_column(text, column, words):
    error = expression_error(lambda: parse(text))
    assert error.column == column, error.message
    assert words in error.message


def test_the_list_of_functions_is_named_when_one_is_unknown():
    error = expression_error(lambda: parse("foo(1)"))
    for function in ("min", "max", "if", "round", "abs"):
        assert function in error.message


def test_division_by_zero_at_evaluation(calc):
    error = expression_error(lambda: calc("1 / 0"))
    assert error.column == 3
    assert "除数为零" in error.message
    error = expression_error(lambda: calc("10 + 5 / (2 - 2)"))
    assert error.column == 8


def test_a_number_where_a_condition_is_needed(calc):
    error = expression_error(lambda: calc("if(1, 2, 3)"))
    assert error.column == 4
    assert "条件" in error.message
    error = expression_error(lambda: calc("true and 2"))
    assert error.column == 10
    error = expression_error(lambda: calc("not 5"))
    assert error.column == 5


def test_a_condition_or_text_where_a_number_is_needed(calc):
    error = expression_error(lambda: calc("1 + true"))
    assert error.column == 5
    assert "数值" in error.message
    error = expression_error(lambda: calc('-"经营"'))
    assert error.column == 2
    error = expression_error(lambda: calc("min(1, x)", {"x": "住宅"}))
    assert error.column == 8


def test_unknown_name_at_evaluation(calc):
    error = expression_error(lambda: calc("x + 证载面积", {"x": D(1)}))
    assert error.column == 5
    assert "证载面积" in error.message
    assert "未知" in error.message


# ---- a property: random arithmetic equals Decimal arithmetic ------------------------------------

SUM, TERM, UNARY, ATOM = 1, 2, 3, 4
LEVEL = {"+": SUM, "-": SUM, "*": TERM, "/": TERM}


def small_decimal():
    """0 … 99.99 with at most two places, written plainly (never with an exponent)."""
    return st.integers(0, 9999).map(lambda n: Decimal(f"{n // 100}.{n % 100:02d}") if n % 100 else Decimal(n // 100))


@st.composite
def trees(draw, depth=4):
    """One random tree, drawn once, giving both its text and its value computed directly in Decimal.

    Returns (text, value, level) where level is the precedence of the outermost construct.
    """
    kind = draw(st.sampled_from(["number"] if depth == 0 else ["number", "binary", "binary", "negate", "call"]))
    if kind == "number":
        value = draw(small_decimal())
        return str(value), value, ATOM
    if kind == "negate":
        text, value, level = draw(trees(depth - 1))
        return "-" + (f"({text})" if level < UNARY else text), -value, UNARY
    if kind == "call":
        function = draw(st.sampled_from(["min", "max", "abs"]))
        args = draw(st.lists(trees(depth - 1), min_size=1, max_size=1 if function == "abs" else 4))
        values = [value for _, value, _ in args]
        value = {"min": min, "max": max, "abs": lambda v: abs(v[0])}[function](values)
        return f"{function}({', '.join(text for text, _, _ in args)})", value, ATOM
    op = draw(st.sampled_from(["+", "-", "*", "/"]))
    left_text, left, left_level = draw(trees(depth - 1))
    right_text, right, right_level = draw(trees(depth - 1))
    if op == "/" and right == 0:
        op = "*"  # never divide by zero
    level = LEVEL[op]
    left_text = f"({left_text})" if left_level < level else left_text  # left-associative: a - b - c
    right_text = f"({right_text})" if right_level <= level else right_text  # a - (b - c) needs its brackets
    space = " " if draw(st.booleans()) else ""
    match op:
        case "+":
            value = left + right
        case "-":
            value = left - right
        case "*":
            value = left * right
        case _:
            value = left / right
    return f"{left_text}{space}{op}{space}{right_text}", value, level


@settings(max_examples=300, deadline=None)
@given(trees())
def test_random_arithmetic_equals_decimal_arithmetic(tree):
    text, expected, _ = tree
    node = parse(text)
    assert evaluate(node, {}) == expected, text
    assert compile_node(node)({}) == expected, text


def test_a_number_never_equals_a_condition():
    from gaizao.compensation.engine.expression import compile_node, evaluate, parse

    for text in ("1 == true", "0 == false", "1 != true"):
        node = parse(text)
        assert evaluate(node, {}) == compile_node(node)({}) == (text == "1 != true")
