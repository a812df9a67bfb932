import pytest

from gaizao.core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三明", "张*明"),
        ("张三", "张*"),
        ("张", "张"),
        ("欧阳小明", "欧**明"),
        ("", ""),
        (None, ""),
        (" 李四 ", "李*"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("340104199001011234", "3401**********1234"),
        ("34010419900101123X", "3401**********123X"),
        ("340104900101123", "3401*******1123"),
        ("12345678", "********"),
        ("E12345678", "*********"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(number, masked):
    assert mask_id_number(number) == masked
    assert len(mask_id_number(number)) == len(number or "")


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0551-62345678", "0551*******78"),
        ("010-62345678", "010-******78"),
        ("62345678", "62****78"),
        ("12345", "*****"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked
