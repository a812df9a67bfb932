"""A small, safe expression language for compensation formulas — parsed by hand, never eval'd.

    legal_area * unit_price
    if(persons * 15 > legal_area, (persons * 15 - legal_area) * 3000, 0)
    min(max(flat_area - legal_area, 0), 10) * cost_price
    use == "business" and not 低保

Numbers are Decimal; names are facts of the household, constants of the standard or earlier lines;
strings compare with == and !=. Errors carry the 1-based column of the mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

FUNCTIONS = {"min", "max", "if", "round", "abs"}
KEYWORDS = {"and", "or", "not", "true", "false"}
COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}


class ExpressionError(ValueError):
    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, op, end
    text: str
    column: int  # 1-based


_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>\"[^\"]*\"|'[^']*')|(?P<name>[^\W\d]\w*)"
    r"|(?P<op><=|>=|==|!=|[-+*/(),<>]))"
)


def tokenize(text: str) -> list[Token]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            column = len(text) - len(text[position:].lstrip()) + 1
            raise ExpressionError(f"无法识别的字符“{text[column - 1]}”", column)
        kind = match.lastgroup
        start = match.start(kind)
        tokens.append(Token(kind, match.group(kind), start + 1))
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# ---- the tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    column: int


@dataclass(frozen=True)
class Number(Node):
    value: Decimal


@dataclass(frozen=True)
class Text(Node):
    value: str


@dataclass(frozen=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    function: str
    args: tuple[Node, ...]


class Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, *texts: str) -> Token | None:
        if self.token.kind in ("op", "name") and self.token.text in texts:
            return self.advance()
        return None

    def expect(self, text: str) -> Token:
        token = self.accept(text)
        if token is None:
            raise ExpressionError(f"此处应为“{text}”，而不是{self.describe(self.token)}", self.token.column)
        return token

    @staticmethod
    def describe(token: Token) -> str:
        return "公式结尾" if token.kind == "end" else f"“{token.text}”"

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ExpressionError("公式是空的", 1)
        node = self.or_()
        if self.token.kind != "end":
            raise ExpressionError(f"多余的{self.describe(self.token)}", self.token.column)
        return node

    def or_(self) -> Node:
        node = self.and_()
        while token := self.accept("or"):
            node = Binary(token.column, "or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while token := self.accept("and"):
            node = Binary(token.column, "and", node, self.not_())
        return node

    def not_(self) -> Node:
        if token := self.accept("not"):
            return Unary(token.column, "not", self.not_())
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        if self.token.kind == "op" and self.token.text in COMPARISONS:
            token = self.advance()
            node = Binary(token.column, token.text, node, self.sum())
            if self.token.kind == "op" and self.token.text in COMPARISONS:
                raise ExpressionError("比较不能连写，请用 and 连接", self.token.column)
        return node

    def sum(self) -> Node:
        node = self.term()
        while token := self.accept("+", "-"):
            node = Binary(token.column, token.text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while token := self.accept("*", "/"):
            node = Binary(token.column, token.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if token := self.accept("-"):
            return Unary(token.column, "-", self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Number(token.column, Decimal(token.text))
        if token.kind == "string":
            self.advance()
            return Text(token.column, token.text[1:-1])
        if token.kind == "name":
            return self.name()
        if self.accept("("):
            node = self.or_()
            self.expect(")")
            return node
        raise ExpressionError(f"此处应为数字、名称或“(”，而不是{self.describe(token)}", token.column)

    def name(self) -> Node:
        token = self.advance()
        if token.text in ("true", "false"):
            return Bool(token.column, token.text == "true")
        if token.text in KEYWORDS:
            raise ExpressionError(f"“{token.text}”不能用在这里", token.column)
        if not self.accept("("):
            return Name(token.column, token.text)
        if token.text not in FUNCTIONS:
            raise ExpressionError(f"没有名为“{token.text}”的函数（可用：{'、'.join(sorted(FUNCTIONS))}）", token.column)
        args = []
        if not self.accept(")"):
            args.append(self.or_())
            while self.accept(","):
                args.append(self.or_())
            self.expect(")")
        check_arity(token, len(args))
        return Call(token.column, token.text, tuple(args))


ARITY = {"min": (1, 99), "max": (1, 99), "if": (3, 3), "round": (1, 2), "abs": (1, 1)}


def check_arity(token: Token, count: int) -> None:
    low, high = ARITY[token.text]
    if not low <= count <= high:
        wanted = str(low) if low == high else f"{low}–{high}" if high < 99 else f"至少{low}"
        raise ExpressionError(f"函数 {token.text} 需要{wanted}个参数，这里有{count}个", token.column)


def parse(text: str) -> Node:
    return Parser(text).parse()


def names(node: Node) -> list[Name]:
    """Every name the formula reads, in order."""
    if isinstance(node, Name):
        return [node]
    if isinstance(node, Unary):
        return names(node.operand)
    if isinstance(node, Binary):
        return names(node.left) + names(node.right)
    if isinstance(node, Call):
        return [n for arg in node.args for n in names(arg)]
    return []


# ---- evaluation -----------------------------------------------------------------------------


def _number(value: Any, node: Node) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise ExpressionError(f"这里需要数值，得到的是{_kind(value)}", node.column)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, str):
        return f"文字“{value}”"
    return "数值"


def evaluate(node: Node, env: dict[str, Any]) -> Any:
    match node:
        case Number() | Text() | Bool():
            return node.value
        case Name():
            if node.name not in env:
                raise ExpressionError(f"未知的名称“{node.name}”", node.column)
            return env[node.name]
        case Unary(op="-"):
            return -_number(evaluate(node.operand, env), node.operand)
        case Unary(op="not"):
            return not _truth(evaluate(node.operand, env), node.operand)
        case Binary(op="and"):
            return _truth(evaluate(node.left, env), node.left) and _truth(evaluate(node.right, env), node.right)
        case Binary(op="or"):
            return _truth(evaluate(node.left, env), node.left) or _truth(evaluate(node.right, env), node.right)
        case Binary(op="==" | "!="):
            equal = _equal(evaluate(node.left, env), evaluate(node.right, env))
            return equal if node.op == "==" else not equal
        case Binary():
            left = _number(evaluate(node.left, env), node.left)
            right = _number(evaluate(node.right, env), node.right)
            return _arithmetic(node, left, right)
        case Call():
            return _call(node, env)
    raise ExpressionError("无法计算", node.column)


def _equal(left: Any, right: Any) -> bool:
    """Equal only as the same kind: 1 == true is false (Python would say true)."""
    return left.__class__ is right.__class__ and left == right


def _truth(value: Any, node: Node) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError(f"这里需要条件（是/否），得到的是{_kind(value)}", node.column)
    return value


def _arithmetic(node: Binary, left: Decimal, right: Decimal) -> Any:
    match node.op:
        case "+":
            return left + right
        case "-":
            return left - right
        case "*":
            return left * right
        case "/":
            if right == 0:
                raise ExpressionError("除数为零", node.column)
            return left / right
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
    raise ExpressionError(f"未知的运算“{node.op}”", node.column)


def _call(node: Call, env: dict[str, Any]) -> Any:
    if node.function == "if":
        condition = _truth(evaluate(node.args[0], env), node.args[0])
        return evaluate(node.args[1] if condition else node.args[2], env)
    values = [_number(evaluate(arg, env), arg) for arg in node.args]
    match node.function:
        case "min":
            return min(values)
        case "max":
            return max(values)
        case "abs":
            return abs(values[0])
        case "round":
            places = values[1] if len(values) > 1 else Decimal(0)
            try:
                return values[0].quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
            except InvalidOperation as error:
                raise ExpressionError("round 的位数无效", node.column) from error
    raise ExpressionError(f"没有名为“{node.function}”的函数", node.column)


# ---- compilation: the same semantics as evaluate(), as nested closures (the engine's hot path) ----

NUMERIC_FUNCTIONS = {"min", "max", "abs", "round"}


class Compiler:
    """Compiles a tree into closures. `numeric`: names known to hold numbers, read without a type check;
    `aliases`: names read under another key (a Chinese alias under its English name)."""

    def __init__(self, numeric: frozenset[str] = frozenset(), aliases: dict[str, str] | None = None):
        self.numeric = numeric
        self.aliases = aliases or {}

    def is_number(self, node: Node) -> bool:
        match node:
            case Number():
                return True
            case Name():
                return node.name in self.numeric
            case Unary(op="-"):
                return True
            case Binary(op="+" | "-" | "*" | "/"):
                return True
            case Call():
                return node.function in NUMERIC_FUNCTIONS
        return False

    def number(self, node: Node) -> Callable[[dict[str, Any]], Decimal]:
        compiled = self.compile(node)
        if self.is_number(node):
            return compiled

        def checked(env):
            value = compiled(env)
            return value if value.__class__ is Decimal else _number(value, node)

        return checked

    def compile(self, node: Node) -> Callable[[dict[str, Any]], Any]:
        match node:
            case Number() | Text() | Bool():
                value = node.value
                return lambda env: value
            case Name():
                return self.name(node)
            case Unary(op="-"):
                operand = self.number(node.operand)
                return lambda env: -operand(env)
            case Unary(op="not"):
                operand = self.compile(node.operand)
                return lambda env: not _truth(operand(env), node.operand)
            case Binary(op="and"):
                left, right = self.compile(node.left), self.compile(node.right)
                return lambda env: _truth(left(env), node.left) and _truth(right(env), node.right)
            case Binary(op="or"):
                left, right = self.compile(node.left), self.compile(node.right)
                return lambda env: _truth(left(env), node.left) or _truth(right(env), node.right)
            case Binary(op="=="):
                left, right = self.compile(node.left), self.compile(node.right)
                return lambda env: _equal(left(env), right(env))
            case Binary(op="!="):
                left, right = self.compile(node.left), self.compile(node.right)
                return lambda env: not _equal(left(env), right(env))
            case Binary():
                return self.arithmetic(node)
            case Call():
                return self.call(node)
        raise ExpressionError("无法计算", node.column)

    def name(self, node: Name) -> Callable[[dict[str, Any]], Any]:
        key = self.aliases.get(node.name, node.name)

        def read(env):
            try:
                return env[key]
            except KeyError:
                raise ExpressionError(f"未知的名称“{node.name}”", node.column) from None

        return read

    def arithmetic(self, node: Binary) -> Callable[[dict[str, Any]], Any]:
        left, right = self.number(node.left), self.number(node.right)
        match node.op:
            case "+":
                return lambda env: left(env) + right(env)
            case "-":
                return lambda env: left(env) - right(env)
            case "*":
                return lambda env: left(env) * right(env)
            case "<":
                return lambda env: left(env) < right(env)
            case "<=":
                return lambda env: left(env) <= right(env)
            case ">":
                return lambda env: left(env) > right(env)
            case ">=":
                return lambda env: left(env) >= right(env)
        return lambda env: _arithmetic(node, left(env), right(env))

    def call(self, node: Call) -> Callable[[dict[str, Any]], Any]:
        if node.function == "if":
            condition, yes, no = (self.compile(arg) for arg in node.args)
            return lambda env: yes(env) if _truth(condition(env), node.args[0]) else no(env)
        args = [self.number(arg) for arg in node.args]
        if node.function in ("min", "max") and len(args) == 2:
            pick, (a, b) = (min if node.function == "min" else max), args
            return lambda env: pick(a(env), b(env))
        if node.function == "min":
            return lambda env: min([arg(env) for arg in args])
        if node.function == "max":
            return lambda env: max([arg(env) for arg in args])
        return lambda env: _call(Call(node.column, node.function, tuple(Number(0, arg(env)) for arg in args)), env)


def compile_node(node: Node, compiler: Compiler | None = None) -> Callable[[dict[str, Any]], Any]:
    """A function env → value with evaluate()'s semantics and errors, several times faster."""
    return (compiler or Compiler()).compile(node)
