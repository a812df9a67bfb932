from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaizao.core.idcard import (
    OLD_FORMAT_WARNING,
    WEIGHTS,
    IdNumberError,
    birth_date,
    check_digit,
    make_id_number,
    normalize_id_number,
    sex,
)

VALID = "11010519491231002X"
VALID_MALE = make_id_number("340104", date(1990, 1, 1), 12, True)
OLD = "340104900101123"


def naive_check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def full_width(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def test_check_digit_known_value():
    assert check_digit("11010519491231002") == "X"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_matches_weighted_sum(first17):
    assert check_digit(first17) == naive_check_digit(first17)


@pytest.mark.parametrize("bad", ["1234", "1101051949123100X", "１１０１０５１９４９１２３１００２"])
def test_check_digit_needs_17_ascii_digits(bad):
    with pytest.raises(IdNumberError):
        check_digit(bad)


@pytest.mark.parametrize(
    "raw",
    [
        VALID,
        VALID.lower(),
        f" {VALID} ",
        "110105 19491231 002x",
        "\u3000110105\u300019491231002X\u3000",
        full_width(VALID),
        "\u200b" + VALID,
    ],
)
def test_normalize_messy_but_valid(raw):
    assert normalize_id_number(raw) == (VALID, None)


def test_normalize_old_format_warns():
    assert normalize_id_number(f" {OLD} ") == (OLD, OLD_FORMAT_WARNING)
    assert "15位旧身份证号" in OLD_FORMAT_WARNING


def test_normalize_accepts_exact_numbers():
    assert normalize_id_number(340104900101123.0) == (OLD, OLD_FORMAT_WARNING)
    assert normalize_id_number(int(VALID_MALE)) == (VALID_MALE, None)


def test_normalize_explains_excel_precision_loss():
    with pytest.raises(IdNumberError, match="存成了数字"):
        normalize_id_number(float(VALID_MALE))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "身份证号应为18位（或15位旧号），实为0位"),
        ("11010519491231002", "身份证号应为18位（或15位旧号），实为17位"),
        ("1101051949123100211", "身份证号应为18位（或15位旧号），实为19位"),
        ("110105194912310021", "身份证号校验位错误：应为X，实为1"),
        ("110105194913310021", "身份证号中的出生日期无效：19491331（月份应为1–12）"),
        ("110105194902300021", "身份证号中的出生日期无效：19490230（1949年2月没有30日）"),
        ("110105189912310021", "身份证号中的出生日期无效：18991231（年份早于1900年）"),
        ("11010519491231002Y", "身份证号含非法字符：“Y”"),
        ("1101051949l231002X", "身份证号含非法字符：“l”"),
        ("110105194912X10021", "身份证号含非法字符：X只能作为18位号码的末位"),
        ("34010490010112X", "身份证号含非法字符：X只能作为18位号码的末位"),
        ("340104901301123", "身份证号中的出生日期无效：19901301（月份应为1–12）"),
    ],
)
def test_normalize_errors(raw, message):
    with pytest.raises(IdNumberError) as caught:
        normalize_id_number(raw)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_normalize_rejects_future_birth():
    tomorrow = date.today() + timedelta(days=1)
    first17 = f"110105{tomorrow:%Y%m%d}001"
    with pytest.raises(IdNumberError, match="出生日期无效.*晚于今天"):
        normalize_id_number(first17 + check_digit(first17))
    today = date.today()
    first17 = f"110105{today:%Y%m%d}001"
    assert normalize_id_number(first17 + check_digit(first17))[1] is None


@pytest.mark.parametrize("raw", [True, None, 1.5])
def test_normalize_rejects_non_text(raw):
    with pytest.raises(IdNumberError):
        normalize_id_number(raw)


def test_birth_date_and_sex():
    assert birth_date(VALID) == date(1949, 12, 31)
    assert sex(VALID) == "女"
    assert birth_date(VALID_MALE) == date(1990, 1, 1)
    assert sex(VALID_MALE) == "男"
    assert birth_date(OLD) == date(1990, 1, 1)
    assert sex(OLD) == "男"
    assert sex("340104900101122") == "女"
    with pytest.raises(IdNumberError):
        sex("123")


def test_make_id_number_rejects_bad_parts():
    with pytest.raises(ValueError, match="地区码"):
        make_id_number("34010", date(1990, 1, 1), 1, True)
    with pytest.raises(ValueError, match="顺序号"):
        make_id_number("340104", date(1990, 1, 1), 100, True)


@given(
    region=st.text(alphabet="0123456789", min_size=6, max_size=6),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    sequence=st.integers(min_value=0, max_value=99),
    male=st.booleans(),
)
def test_make_id_number_round_trip(region, birth, sequence, male):
    number = make_id_number(region, birth, sequence, male)
    assert len(number) == 18
    assert number.startswith(region)
    assert number[14:16] == f"{sequence:02d}"
    assert normalize_id_number(number) == (number, None)
    assert normalize_id_number(" " + full_width(number.lower()) + " ") == (number, None)
    assert birth_date(number) == birth
    assert sex(number) == ("男" if male else "女")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_wrong_check_digit_always_caught(first17, last):
    number = first17 + last
    try:
        value, _ = normalize_id_number(number)
    except IdNumberError as error:
        assert "校验位" in str(error) or "出生日期" in str(error)
    else:
        assert value == number and last == naive_check_digit(first17)
