from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaizao.core.money import MU_IN_M2, area, m2_to_mu, money, to_capital_rmb

DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def decode_yuan(text: str) -> int:
    total = section = number = 0
    for char in text:
        if char in DIGITS:
            number = DIGITS[char]
        elif char in SMALL_UNITS:
            section += number * SMALL_UNITS[char]
            number = 0
        elif char == "万":
            section = (section + number) * 10000
            number = 0
        elif char == "亿":
            total = (total + section + number) * 10**8
            section = number = 0
        else:
            raise AssertionError(f"unexpected {char!r} in {text!r}")
    return total + section + number


def decode_capital(text: str) -> Decimal:
    negative = text.startswith("负")
    text = text.removeprefix("负")
    yuan_text, _, rest = text.rpartition("元") if "元" in text else ("", "", text)
    cents = 0
    if rest.startswith("零"):
        assert yuan_text and len(rest) == 3 and rest.endswith("分"), text
        rest = rest[1:]
    if rest != "整":
        for digit, unit in zip(rest[::2], rest[1::2], strict=True):
            if digit == "零":
                raise AssertionError(f"unexpected 零 in {rest!r}")
            cents += DIGITS[digit] * {"角": 10, "分": 1}[unit]
    value = Decimal(decode_yuan(yuan_text) * 100 + cents) / 100
    return -value if negative else value


def reference_half_up(value: Decimal) -> Decimal:
    with localcontext(prec=200):
        scaled = abs(value) * 100
        whole = int(scaled)
        if scaled - whole >= Decimal("0.5"):
            whole += 1
        result = Decimal(whole) / 100
    return -result if value < 0 else result


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (123456, "壹拾贰万叁仟肆佰伍拾陆元整"),
        (Decimal("1234567.89"), "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        (0, "零元整"),
        (Decimal("100.05"), "壹佰元零伍分"),
        (10010, "壹万零壹拾元整"),
        (1001, "壹仟零壹元整"),
        (20000, "贰万元整"),
        (200001, "贰拾万零壹元整"),
        (100000001, "壹亿零壹元整"),
        (100010001, "壹亿零壹万零壹元整"),
        (110000000, "壹亿壹仟万元整"),
        (100100000, "壹亿零壹拾万元整"),
        (1001000000000, "壹万零壹拾亿元整"),
        (Decimal("0.5"), "伍角"),
        (Decimal("0.05"), "伍分"),
        (Decimal("0.55"), "伍角伍分"),
        (Decimal("10.50"), "壹拾元伍角"),
        (Decimal("-12.3"), "负壹拾贰元叁角"),
        (Decimal("-0.001"), "零元整"),
        ("3,500.005", "叁仟伍佰元零壹分"),
    ],
)
def test_capital_examples(amount, expected):
    assert to_capital_rmb(amount) == expected


def test_capital_too_large():
    with pytest.raises(ValueError, match="金额过大"):
        to_capital_rmb(10**16)


@given(st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False))
def test_capital_round_trip(amount):
    text = to_capital_rmb(amount)
    assert decode_capital(text) == amount
    assert "零零" not in text
    assert text.endswith("整") == (amount % 1 == 0)
    for bad in ("零万", "零亿", "零元", "零角", "零整"):
        assert bad not in text or text == "零元整"


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False))
def test_money_rounds_half_up(value):
    result = money(value)
    assert result == reference_half_up(value)
    assert result.as_tuple().exponent == -2


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_money_exact_halves_round_away_from_zero(cents_times_ten):
    value = Decimal(cents_times_ten * 10 + 5) / 1000
    expected = Decimal(cents_times_ten + (1 if value > 0 else 0)) / 100
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.005"), "1.01"),
        (1.005, "1.01"),
        (2.675, "2.68"),
        (0.1 + 0.2, "0.30"),
        (406278.42499999993, "406278.43"),
        (12, "12.00"),
        ("1,234.565", "1234.57"),
        (" 88.8 ", "88.80"),
        ("-2.345", "-2.35"),
    ],
)
def test_money_examples(value, expected):
    assert money(value) == Decimal(expected)
    assert str(money(value)) == expected


@pytest.mark.parametrize("value", ["abc", "", "NaN", float("inf"), Decimal("Infinity")])
def test_money_rejects_garbage(value):
    with pytest.raises(ValueError, match="不是有效金额"):
        money(value)


@pytest.mark.parametrize("value", [True, None, [1]])
def test_money_rejects_types(value):
    with pytest.raises(TypeError):
        money(value)


def test_area_and_mu():
    assert area("120.555") == Decimal("120.56")
    assert area(96) == Decimal("96.00")
    assert MU_IN_M2 == Decimal("666.67")
    assert m2_to_mu(Decimal("666.67")) == Decimal("1.00")
    assert m2_to_mu(1000) == Decimal("1.50")
    assert m2_to_mu("6666.7") == Decimal("10.00")
    with pytest.raises(ValueError, match="不是有效面积"):
        area("约120")


@given(st.decimals(min_value=0, max_value=Decimal("1e9"), places=2))
def test_mu_matches_division(m2):
    expected = (m2 / MU_IN_M2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert m2_to_mu(m2) == expected
