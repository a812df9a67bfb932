"""Loading a standard from TOML: what loads, in which order, and every refusal pointing at its line and column."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.compensation.engine.compute import compute
from gaizao.compensation.engine.standard import Standard, StandardError, load
from tests.compensation.support import (
    CJK,
    SHANTYTOWN,
    VILLAGE,
    D,
    column_of,
    example,
    house,
    household,
    line_of,
    source,
    when,
)

HEAD = """\
[standard]
name = "测试方案"
version = "1"
options = ["货币补偿", "产权调换"]

[constants]
rate = 100
"""


def refused(text: str) -> StandardError:
    with pytest.raises(StandardError) as caught:
        load(text)
    error = caught.value
    assert CJK.search(error.message), f"message should be Chinese: {error.message!r}"
    return error


def line_text(text: str, number: int) -> str:
    return text.splitlines()[number - 1]


# ---- the examples ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SHANTYTOWN, VILLAGE])
def test_both_examples_load(name):
    standard = load(source(name))
    assert isinstance(standard, Standard)
    assert standard.version == "2026-1"
    assert standard.lines
    assert len({line.name for line in standard.lines}) == len(standard.lines)
    assert standard.source == source(name)


def test_the_shantytown_example_reads_as_written():
    standard = example(SHANTYTOWN)
    assert standard.name == "北站片区棚户区改造房屋征收补偿方案"
    assert standard.project == "beizhan-shantytown"
    assert standard.published_on == date(2026, 7, 20)
    assert standard.land == "state"
    assert standard.options == {"money", "swap", "voucher"}
    assert standard.constants["business_rate"] == D("0.05")
    assert standard.constants["cost_price"] == D(4200)
    assert standard.line("swap_extra_cost").options == {"swap"}
    assert standard.line("guarantee").options == {"money", "voucher"}
    assert standard.line("relocation").options == {"money", "swap", "voucher"}
    assert standard.line("money_subtotal").in_total is False
    reward = standard.line("signing_reward")
    assert reward.tier_by == "signing_day"
    assert [(t.low, t.high, t.value.text) for t in reward.tiers] == [
        (1, 15, "30000"),
        (16, 30, "20000"),
        (31, 153, "10000"),
    ]


def test_the_village_example_reads_as_written():
    standard = example(VILLAGE)
    assert standard.land == "collective"
    assert standard.options == {"money", "swap"}
    assert standard.line("homestead").options == {"money"}
    assert standard.line("signing_reward").maximum.text == "40000"


def assert_dependency_order(standard: Standard) -> None:
    names = [line.name for line in standard.lines]
    for index, line in enumerate(standard.lines):
        for reference in line.references() & set(names):
            assert names.index(reference) < index, f"{line.name} comes before {reference}, which it reads"


@pytest.mark.parametrize("name", [SHANTYTOWN, VILLAGE])
def test_lines_come_in_dependency_order(name):
    assert_dependency_order(example(name))


def test_the_voucher_lines_come_after_what_they_read():
    names = [line.name for line in example(SHANTYTOWN).lines]
    for part in ("house_value", "decoration_value", "attachments_value", "guarantee"):
        assert names.index(part) < names.index("money_subtotal")
    assert names.index("money_subtotal") < names.index("voucher_bonus")


def test_a_line_written_before_the_lines_it_reads_is_moved_after_them():
    text = HEAD + '\n[[line]]\nname = "total"\nformula = "a + b"\n\n[[line]]\nname = "a"\nformula = "1"\n'
    text += '\n[[line]]\nname = "b"\nformula = "a * 2"\n'
    standard = load(text)
    assert [line.name for line in standard.lines] == ["a", "b", "total"]


def test_formula_positions_are_recorded():
    text = source(SHANTYTOWN)
    formula = example(SHANTYTOWN).line("house_value").formula
    assert (formula.line, formula.column) == (line_of(text, '"appraised_value"'), column_of(text, "appraised_value"))


# ---- refusals, each at its place -----------------------------------------------------------------


def test_a_formula_that_does_not_parse():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "legal_area * * 2"\n'
    error = refused(text)
    assert error.line == line_of(text, "legal_area * * 2")
    # the second "*" is 13 characters into the formula
    assert error.column == column_of(text, "legal_area * * 2") + 13
    assert "公式" in error.message


def test_a_formula_that_does_not_parse_in_a_minimum():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "legal_area"\nminimum = "(1000"\n'
    error = refused(text)
    assert error.line == line_of(text, "(1000")
    assert error.column == column_of(text, "(1000") + len("(1000")  # the missing ")" at the formula's end


def test_a_formula_that_does_not_parse_in_the_second_tier():
    text = HEAD + (
        '\n[[line]]\nname = "reward"\ntier_by = "signing_day"\ntiers = [\n'
        '  { from = 1, to = 15, value = "30000" },\n'
        '  { from = 16, to = 30, value = "20000 +" },\n'
        "]\n"
    )
    error = refused(text)
    assert error.line == line_of(text, "20000 +")
    assert error.column == column_of(text, "20000 +") + len("20000 +")


def test_a_reference_to_an_unknown_name():
    text = HEAD + '\n[[line]]\nname = "a"\nlabel = "房屋价值"\nformula = "legal_area * unit_prise"\n'
    error = refused(text)
    assert (error.line, error.column) == (line_of(text, "unit_prise"), column_of(text, "unit_prise"))
    assert "unit_prise" in error.message
    assert "房屋价值" in error.message


def test_a_reference_to_an_unknown_name_in_a_when():
    text = HEAD + '\n[[line]]\nname = "a"\nwhen = "persons > 2 and 低保户口"\nformula = "1"\n'
    error = refused(text)
    assert (error.line, error.column) == (line_of(text, "低保户口"), column_of(text, "低保户口"))


def test_a_reference_to_an_unknown_name_in_a_formula_with_quoted_text():
    # formulas comparing text hold \" escapes in the file, as the examples do
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "legal_area * if(choice == \\"产权调换\\", 2, rat)"\n'
    error = refused(text)
    assert (error.line, error.column) == (line_of(text, "rat)"), column_of(text, "rat)"))


def test_a_reference_to_an_unknown_name_in_a_one_word_formula():
    # "mu" also occurs inside the key "formula": the column must be that of the value
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "mu"\n'
    error = refused(text)
    assert (error.line, error.column) == (line_of(text, '"mu"'), column_of(text, '"mu"') + 1)


def test_a_reference_to_an_unknown_tier_by():
    text = HEAD + '\n[[line]]\nname = "a"\ntier_by = "signing_date"\ntiers = [{ from = 1, to = 9, value = "1" }]\n'
    error = refused(text)
    assert "signing_date" in error.message
    assert error.line in (line_of(text, "[[line]]"), line_of(text, "signing_date"))


def test_a_circular_reference():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "b + 1"\n\n[[line]]\nname = "b"\nformula = "a * 2"\n'
    error = refused(text)
    assert "a → b → a" in error.message or "b → a → b" in error.message
    assert "循环" in error.message
    places = {line_of(text, "[[line]]", 0), line_of(text, "[[line]]", 1), line_of(text, '"b + 1"')}
    assert error.line in places | {line_of(text, '"a * 2"')}


def test_a_longer_cycle_lists_every_line_in_it():
    text = HEAD
    for name, reads in (("a", "c"), ("b", "a"), ("c", "b"), ("d", "a")):
        text += f'\n[[line]]\nname = "{name}"\nformula = "{reads} + 1"\n'
    error = refused(text)
    cycle = re.search(r"[abc] → [abc] → [abc] → [abc]", error.message)
    assert cycle, error.message
    assert set(cycle.group(0).split(" → ")) == {"a", "b", "c"}
    assert "d" not in cycle.group(0)


def test_a_line_reading_itself():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "a + 1"\n'
    error = refused(text)
    assert "a → a" in error.message


def test_a_duplicate_line_name():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "1"\n\n[[line]]\nname = "a"\nformula = "2"\n'
    error = refused(text)
    assert "重复" in error.message
    # the second definition: its [[line]] header or its name
    assert error.line in (line_of(text, "[[line]]", 1), line_of(text, 'name = "a"', 1))


@pytest.mark.parametrize("name", ["legal_area", "证载面积", "rate"])
def test_a_line_named_like_a_fact_or_a_constant(name):
    text = HEAD + f'\n[[line]]\nname = "{name}"\nformula = "1"\n'
    error = refused(text)
    assert name in error.message
    assert error.line in (line_of(text, "[[line]]"), line_of(text, f'name = "{name}"'))


TIERS = '\n[[line]]\nname = "reward"\ntier_by = "signing_day"\ntiers = [\n{tiers}]\n'


def tiers_text(*tiers: str) -> str:
    return HEAD + TIERS.format(tiers="".join(f"  {tier},\n" for tier in tiers))


def assert_points_into(text: str, error: StandardError, needle: str) -> None:
    """The error is on the line holding needle, with a column inside that line."""
    assert error.line == line_of(text, needle), error
    assert 1 <= error.column <= len(line_text(text, error.line)), error


def test_a_tier_table_with_a_gap():
    text = tiers_text(
        '{ from = 1, to = 15, value = "30000" }',
        '{ from = 17, to = 30, value = "20000" }',
    )
    error = refused(text)
    assert "空档" in error.message
    assert "15" in error.message and "17" in error.message
    assert_points_into(text, error, "from = 17")


def test_a_tier_table_with_an_overlap():
    text = tiers_text(
        '{ from = 1, to = 15, value = "30000" }',
        '{ from = 15, to = 30, value = "20000" }',
    )
    error = refused(text)
    assert "重叠" in error.message
    assert_points_into(text, error, "from = 15")


def test_an_overlap_is_found_whatever_the_order_of_the_tiers():
    text = tiers_text(
        '{ from = 20, to = 40, value = "1" }',
        '{ from = 1, to = 25, value = "2" }',
    )
    assert "重叠" in refused(text).message


def test_a_tier_with_from_greater_than_to():
    text = tiers_text(
        '{ from = 1, to = 15, value = "30000" }',
        '{ from = 30, to = 16, value = "20000" }',
    )
    error = refused(text)
    assert "30" in error.message and "16" in error.message
    assert_points_into(text, error, "from = 30")


def test_tiers_that_meet_end_to_end_load():
    text = tiers_text(
        '{ from = 16, to = 30, value = "20000" }',  # written out of order: sorted on load
        '{ from = 1, to = 15, value = "30000" }',
        '{ from = 31, to = 31, value = "0" }',
    )
    tiers = load(text).line("reward").tiers
    assert [(t.low, t.high) for t in tiers] == [(1, 15), (16, 30), (31, 31)]


def test_a_tier_without_its_value():
    text = tiers_text("{ from = 1, to = 15 }")
    error = refused(text)
    assert "value" in error.message


def test_tiers_without_tier_by():
    text = HEAD + '\n[[line]]\nname = "a"\ntiers = [{ from = 1, to = 9, value = "1" }]\n'
    assert "tier_by" in refused(text).message


def test_an_unknown_key_in_a_line():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "1"\nminimun = "5000"\n'
    error = refused(text)
    assert "minimun" in error.message
    assert (error.line, error.column) == (line_of(text, "minimun"), 1)


def test_a_line_with_neither_formula_nor_tiers():
    text = HEAD + '\n[[line]]\nname = "a"\nlabel = "无公式"\nrule = "…"\n'
    error = refused(text)
    assert "formula" in error.message and "tiers" in error.message
    assert error.line == line_of(text, "[[line]]")
    assert error.column in (0, 1)


def test_a_line_with_both_formula_and_tiers():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "1"\ntier_by = "signing_day"\n'
    text += 'tiers = [{ from = 1, to = 9, value = "1" }]\n'
    error = refused(text)
    assert error.line == line_of(text, "[[line]]")


@pytest.mark.parametrize("name", ['""', '"two words"', '"1st"', "12"])
def test_a_line_name_that_is_not_a_name(name):
    text = HEAD + f'\n[[line]]\nname = {name}\nformula = "1"\n'
    error = refused(text)
    assert error.line in (line_of(text, "[[line]]"), line_of(text, f"name = {name}"))


def test_a_missing_standard_section():
    text = '[constants]\nrate = 1\n\n[[line]]\nname = "a"\nformula = "1"\n'
    error = refused(text)
    assert "[standard]" in error.message
    assert error.line == 1
    assert error.column in (0, 1)


@pytest.mark.parametrize("key", ["name", "version"])
def test_a_standard_section_without_its_name_or_version(key):
    text = HEAD.replace(f"{key} = ", f"#{key} = ") + '\n[[line]]\nname = "a"\nformula = "1"\n'
    assert key in refused(text).message


def test_a_standard_without_lines():
    assert "[[line]]" in refused(HEAD).message


def test_a_toml_syntax_error_reports_its_line():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = = "1"\n'
    error = refused(text)
    assert "TOML" in error.message
    assert error.line == line_of(text, "formula = =")
    assert error.column == len("formula = =")  # the second "=" where a value should be


def test_an_unterminated_string_reports_its_line():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "1 + 2\nrule = "x"\n'
    error = refused(text)
    assert error.line == line_of(text, 'formula = "1 + 2')


@pytest.mark.parametrize("name", ["legal_area", "证载面积"])
def test_a_constant_named_like_a_fact(name):
    key = name if name.isascii() else f'"{name}"'  # a TOML bare key is ASCII; a Chinese one is quoted
    text = HEAD + f"{key} = 5\n" + '\n[[line]]\nname = "a"\nformula = "1"\n'
    error = refused(text)
    assert name in error.message
    assert (error.line, error.column) == (line_of(text, f"{key} = 5"), 1)


def test_a_constant_that_is_not_a_number():
    text = HEAD + 'price = "很贵"\n' + '\n[[line]]\nname = "a"\nformula = "price"\n'
    error = refused(text)
    assert "price" in error.message
    assert error.line == line_of(text, 'price = "很贵"')


def test_a_line_offering_an_option_the_standard_does_not_offer():
    text = HEAD + '\n[[line]]\nname = "bonus"\nformula = "1000"\noptions = ["货币补偿", "房票"]\n'
    error = refused(text)
    assert error.line == line_of(text, 'options = ["货币补偿", "房票"]')
    start = column_of(text, '"房票"')
    assert start <= error.column <= start + len('"房票"'), error


def test_a_line_offering_an_option_that_does_not_exist():
    text = HEAD + '\n[[line]]\nname = "bonus"\nformula = "1000"\noptions = ["现金"]\n'
    error = refused(text)  # a StandardError with its place, not a bare ValueError
    assert "现金" in error.message
    assert error.line == line_of(text, 'options = ["现金"]')


def test_a_standard_offering_an_option_that_does_not_exist():
    text = HEAD.replace('options = ["货币补偿", "产权调换"]', 'options = ["货币补偿", "宅基地"]')
    text += '\n[[line]]\nname = "a"\nformula = "1"\n'
    error = refused(text)
    assert "宅基地" in error.message
    assert error.line == line_of(text, "宅基地")


def test_options_by_code_or_by_chinese_label():
    text = HEAD + '\n[[line]]\nname = "a"\nformula = "1"\noptions = ["swap"]\n'
    assert load(text).line("a").options == {"swap"}


# ---- the order of [[line]] blocks does not matter ----------------------------------------------


def split_blocks(text: str) -> tuple[str, list[str]]:
    """The text before the first [[line]], and each [[line]] block (header to the next header), ending in a newline."""
    parts = re.split(r"(?m)^(?=\[\[line\]\])", text)
    prelude, blocks = parts[0], parts[1:]
    return prelude, [block if block.endswith("\n") else block + "\n" for block in blocks]


PRELUDE, BLOCKS = split_blocks(source(SHANTYTOWN))
FIXED = [
    # (household, circumstances) covering every line of the shantytown standard
    (
        household(
            house("40.50", 7500, decoration=12000, attachments=3000),
            house("12.25", 9100, use="经营"),
            persons=5,
            dibao=2,
            lost_only_child=1,
        ),
        circumstances,
    )
    for circumstances in (
        when(SHANTYTOWN, "money", day=12, vacate_after=5),
        when(SHANTYTOWN, "swap", day=20, vacate_after=3, flat_area="95.5", flat_price=6100, transition_months=18),
        when(SHANTYTOWN, "voucher", day=45),
    )
] + [
    (
        household(house("118.40", 8650, shop_area="20.5"), persons=2, critical=1),
        when(SHANTYTOWN, "swap", day=3, vacate_after=30, flat_area="140", flat_price=6800, transition_months=6),
    )
]


def by_name(result):
    return {
        line.name: (line.label, line.amount, line.formula, line.inputs, line.rule, line.in_total, line.note)
        for line in result.lines
    }


EXPECTED = [compute(example(SHANTYTOWN), facts, circumstances) for facts, circumstances in FIXED]


def test_the_split_reassembles_the_example():
    assert len(BLOCKS) == len(example(SHANTYTOWN).lines)
    assert load(PRELUDE + "".join(BLOCKS)).lines == example(SHANTYTOWN).lines


@settings(max_examples=40, deadline=None)
@given(st.permutations(BLOCKS))
def test_the_order_of_lines_in_the_file_does_not_change_the_result(blocks):
    standard = load(PRELUDE + "".join(blocks))
    assert_dependency_order(standard)
    for (facts, circumstances), expected in zip(FIXED, EXPECTED, strict=True):
        result = compute(standard, facts, circumstances)
        assert by_name(result) == by_name(expected)
        assert result.total == expected.total
        assert (result.standard, result.version, result.choice) == (
            expected.standard,
            expected.version,
            expected.choice,
        )


# ---- Chinese names in a standard -----------------------------------------------------------------


def test_a_standard_written_with_chinese_names_computes_like_the_english_one():
    text = HEAD + (
        '"单价" = 8000\n'
        '\n[[line]]\nname = "房屋价值"\nformula = "证载面积 * 单价"\n'
        '\n[[line]]\nname = "经营补偿"\nwhen = "用途 == \\"经营\\""\nformula = "round(房屋价值 * 0.05, 0)"\n'
        '\n[[line]]\nname = "低保补助"\nwhen = "低保户"\nformula = "低保人数 * 5000"\n'
        '\n[[line]]\nname = "安置方式补助"\nformula = "if(安置方式 == \\"产权调换\\", 2, 1) * 100"\n'
    )
    standard = load(text)
    facts = household(house("50.5", 1, use="经营"), persons=3, dibao=2)
    result = compute(standard, facts, when(SHANTYTOWN, "swap", day=1))
    assert {line.name: str(line.amount) for line in result.lines} == {
        "房屋价值": "404000.00",  # 50.5 × 8000
        "经营补偿": "20200.00",  # 404000 × 0.05
        "低保补助": "10000.00",  # 2 × 5000
        "安置方式补助": "200.00",  # 2 × 100
    }
    inputs = next(line.inputs for line in result.lines if line.name == "房屋价值")
    assert inputs == {"证载面积": D("50.5"), "单价": D(8000)}
