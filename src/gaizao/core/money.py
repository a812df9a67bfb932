from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
MU_IN_M2 = Decimal("666.67")

_CTX = Context(prec=40, rounding=ROUND_HALF_UP)
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUP_UNITS = ("仟", "佰", "拾", "")
_YI = 10**8
_MAX_YUAN = _YI * _YI


def _to_decimal(value: Decimal | int | float | str, what: str) -> Decimal:
    if isinstance(value, bool):
        raise TypeError(f"{what}不能是布尔值")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(format(value, ".15g"))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"“{value}”不是有效{what}") from None
    else:
        raise TypeError(f"{what}类型不支持：{type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"“{value}”不是有效{what}")
    return result


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_CTX)


def money(value: Decimal | int | float | str) -> Decimal:
    """Yuan amount rounded half up to the fen."""
    return _two_places(_to_decimal(value, "金额"))


def area(value: Decimal | int | float | str) -> Decimal:
    """Area in m² rounded half up to two places."""
    return _two_places(_to_decimal(value, "面积"))


def m2_to_mu(m2: Decimal | int | float | str) -> Decimal:
    return _two_places(_CTX.divide(_to_decimal(m2, "面积"), MU_IN_M2))


def _group_text(group: int) -> str:
    parts: list[str] = []
    zero_pending = False
    for index, digit in enumerate(f"{group:04d}"):
        if digit == "0":
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(_DIGITS[int(digit)] + _GROUP_UNITS[index])
    return "".join(parts)


def _wan_text(number: int) -> str:
    high, low = divmod(number, 10000)
    text = _group_text(high) + "万" if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + _group_text(low)
    return text


def _yuan_text(yuan: int) -> str:
    if yuan < _YI:
        return _wan_text(yuan)
    high, low = divmod(yuan, _YI)
    text = _wan_text(high) + "亿"
    if low:
        text += ("零" if low < _YI // 10 else "") + _wan_text(low)
    return text


def _fraction_text(yuan: int, jiao: int, fen: int) -> str:
    if jiao == 0 and fen == 0:
        return "整"
    text = _DIGITS[jiao] + "角" if jiao else ("零" if yuan else "")
    return text + (_DIGITS[fen] + "分" if fen else "")


def to_capital_rmb(amount: Decimal | int | float | str) -> str:
    """Chinese capital numerals for a yuan amount, as written on cheques and agreements."""
    value = money(amount)
    sign = "负" if value < 0 else ""
    cents = int(abs(value) * 100)
    yuan, rest = divmod(cents, 100)
    if yuan >= _MAX_YUAN:
        raise ValueError(f"金额过大，无法转换为大写：{value}")
    jiao, fen = divmod(rest, 10)
    if yuan == 0 and rest:
        return sign + _fraction_text(0, jiao, fen)
    head = _yuan_text(yuan) or "零"
    return sign + head + "元" + _fraction_text(yuan, jiao, fen)
