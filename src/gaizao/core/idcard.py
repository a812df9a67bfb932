import unicodedata
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_MAP = "10X98765432"
OLD_FORMAT_WARNING = "15位旧身份证号，建议换为18位"

_ALLOWED = frozenset("0123456789X")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_RECENT = f"{date.today().year - 1}0101"


class IdNumberError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_digit(first17: str) -> str:
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise IdNumberError("身份证号前17位应为数字")
    # WEIGHTS[i] == 2 ** (17 - i) % 11 and 13 ≡ 2 (mod 11): the weighted sum ≡ 2 * int(first17, 13).
    return CHECK_MAP[2 * int(first17, 13) % 11]


def _from_number(raw: object) -> str:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise IdNumberError("身份证号应为文本")
    if isinstance(raw, float):
        if not raw.is_integer() or raw < 0:
            raise IdNumberError("身份证号含非法字符")
        if raw >= 2**53:
            raise IdNumberError("身份证号在表格里被存成了数字，末几位已丢失，请把该列设为文本格式后重新录入")
    return str(int(raw))


def _clean(raw: str | int | float) -> str:
    if type(raw) is not str:
        raw = _from_number(raw)
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE)
    if not raw.isalnum():
        raw = "".join(raw.split())
    return raw.replace("x", "X")


def _birth_error(text: str, reason: str = "") -> IdNumberError:
    return IdNumberError(f"身份证号中的出生日期无效：{text}{reason}")


def _parse_birth(text: str) -> date:
    year, month_day = divmod(int(text), 10000)
    month, day = divmod(month_day, 100)
    if year < 1900:
        raise _birth_error(text, "（年份早于1900年）")
    try:
        birth = date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            raise _birth_error(text, "（月份应为1–12）") from None
        raise _birth_error(text, f"（{year}年{month}月没有{day}日）") from None
    if text >= _RECENT and birth > date.today():
        raise _birth_error(text, "（晚于今天）")
    return birth


def _check_characters(value: str) -> None:
    bad = [c for c in value if c not in _ALLOWED]
    if bad:
        raise IdNumberError(f"身份证号含非法字符：“{bad[0]}”")
    if "X" in value[:-1] or (len(value) != 18 and "X" in value):
        raise IdNumberError("身份证号含非法字符：X只能作为18位号码的末位")


def normalize_id_number(raw: str | int | float) -> tuple[str, str | None]:
    """Return (normalised number, warning or None); raise IdNumberError when invalid."""
    value = _clean(raw)
    if len(value) == 18 and value.isascii() and value[:17].isdigit() and value[17] in _ALLOWED:
        _parse_birth(value[6:14])
        expected = check_digit(value[:17])
        if value[17] != expected:
            raise IdNumberError(f"身份证号校验位错误：应为{expected}，实为{value[17]}")
        return value, None
    _check_characters(value)
    if len(value) == 15:
        _parse_birth("19" + value[6:12])
        return value, OLD_FORMAT_WARNING
    raise IdNumberError(f"身份证号应为18位（或15位旧号），实为{len(value)}位")


def birth_date(id_number: str) -> date:
    value, _ = normalize_id_number(id_number)
    return _parse_birth(value[6:14] if len(value) == 18 else "19" + value[6:12])


def sex(id_number: str) -> str:
    value, _ = normalize_id_number(id_number)
    return "男" if int(value[16 if len(value) == 18 else 14]) % 2 else "女"


def make_id_number(region: str, birth: date, sequence: int, male: bool) -> str:
    """Build a valid 18-digit number; sequence (0–99) fills the first two order digits."""
    if len(region) != 6 or not (region.isascii() and region.isdigit()):
        raise ValueError("地区码应为6位数字")
    if not 0 <= sequence <= 99:
        raise ValueError("顺序号应在0–99之间")
    if not 1900 <= birth.year <= 9999:
        raise ValueError("出生年份应不早于1900年")
    sex_digit = (sequence % 5) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:02d}{sex_digit}"
    return first17 + check_digit(first17)
