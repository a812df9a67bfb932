"""The workbook importer on the shapes real ledgers come in (LEDGER-TEMPLATE.md)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from gaizao.core.crypto import decrypt
from gaizao.ledger.models import Household, HouseholdEvent, ImportBatch, Property
from gaizao.ledger.workbook.importer import import_ledger
from gaizao.org.models import Unit, UnitKind
from tests.ledger.workbooks import (
    HEADERS,
    TITLE,
    Sheet,
    database_state,
    person_id,
    record,
    table,
    write_csv,
    write_xls,
    write_xlsx,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(world, path, **options):
    return import_ledger(path=path, project=world.project, **options)


def xlsx(tmp_path, *sheets: Sheet, name="台账.xlsx"):
    return write_xlsx(tmp_path / name, *sheets)


def one_sheet(tmp_path, rows, *, name="台账.xlsx", sheet="城关街道", merged=()):
    return xlsx(tmp_path, Sheet(sheet, rows, list(merged)), name=name)


def household(number):
    return Household.objects.get(number=number)


def properties(number):
    return list(Property.objects.filter(household__number=number).order_by("seq"))


def only_rejection(report) -> dict:
    assert len(report.rejected) == 1, report.rejected
    return report.rejected[0]


def assert_chinese(text: str, *quoted: str) -> None:
    """A reason in plain Chinese: no library's English error text (file names and quoted cells aside)."""
    assert CHINESE.search(text), f"not a message in Chinese: {text!r}"
    for part in quoted:
        text = text.replace(part, "")
    english = set(re.findall(r"[A-Za-z]{3,}", text)) - {"Excel", "UTF", "GBK", "CSV", "xlsx", "xls", "csv"}
    assert not english, f"English words {sorted(english)} in {text!r}"


# ---- what real workbooks look like ----------------------------------------------------------


def test_title_row_above_the_header_and_units_row_below_it_are_skipped(world, tmp_path):
    units = [
        "㎡" if h in ("证载面积", "未登记面积", "土地面积") else "元" if h == "装修评估" else None for h in HEADERS
    ]
    rows = table(
        [
            record("C001", "陈国华", "人民路3号", 证载面积=85.5, 装修评估=20000),
            record("C002", "刘红", "人民路5号", 证载面积=60),
        ],
        above=[[TITLE] + [None] * (len(HEADERS) - 1)],
    )
    rows.insert(2, units)

    report = run(world, one_sheet(tmp_path, rows, merged=["A1:X1"]))

    assert report.rejected == []
    assert report.warnings == []
    assert (report.households_created, report.properties_created) == (2, 2)
    assert household("C001").owner_name == "陈国华"
    assert properties("C001")[0].certified_area == Decimal("85.50")
    assert properties("C001")[0].decoration_value == Decimal("20000.00")


@pytest.mark.parametrize(
    "units",
    [
        ("㎡", "元/㎡", "元", "人"),
        ("（㎡）", "（元/㎡）", "（元）", "（人）"),
        ("(㎡)", "(元/㎡)", "(元)", "(人)"),
        ("平方米", "元/平方米", "万元", "人"),
        ("m²", "元/m²", "元", "人"),
    ],
    ids=["bare", "full-width-brackets", "ascii-brackets", "words", "m²"],
)
def test_a_units_row_under_the_header_is_skipped_however_the_units_are_written(world, tmp_path, units):
    headers = ("户号", "户主姓名", "房屋坐落", "所属街道", "证载面积", "评估单价", "装修评估", "家庭人口")
    rows = [
        list(headers),
        [None, None, None, None, *units],
        ["C001", "陈国华", "人民路3号", "城关街道", 85.5, 6800, 20000, 4],
    ]

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert report.households_created == 1
    assert properties("C001")[0].appraised_unit_price == Decimal("6800.00")


@pytest.mark.parametrize(
    ("owner_header", "area_header"),
    [("被征收人", "合法面积"), ("户主", "证载面积（㎡）"), ("姓名", "产权面积"), ("户主姓名", "证载面积(㎡)")],
)
def test_columns_are_found_in_any_order_and_under_their_aliases(world, tmp_path, owner_header, area_header):
    rows = [
        ["备注", area_header, "坐落", owner_header, "编号", "街道", "证件号码", "手机号", "评估价格"],
        ["东厢房", "１２０", "人民路7号", "周建国", "C007", "城关街道", person_id(7), "13912345678", "6,500"],
    ]

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert report.extra_columns == []
    saved = household("C007")
    assert (saved.owner_name, saved.street, saved.id_number, saved.phone) == (
        "周建国",
        world.street_a,
        person_id(7),
        "13912345678",
    )
    [prop] = properties("C007")
    assert (prop.location, prop.certified_area, prop.appraised_unit_price, prop.remark) == (
        "人民路7号",
        Decimal("120.00"),
        Decimal("6500.00"),
        "东厢房",
    )


def test_unknown_columns_are_kept_on_the_property_and_reported(world, tmp_path):
    headers = (*HEADERS[:7], "房屋朝向", "村民小组")
    rows = table([record("C001", "陈国华", "人民路3号", 房屋朝向="坐北朝南", 村民小组="三组")], headers)

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert report.extra_columns == ["房屋朝向", "村民小组"]
    assert properties("C001")[0].extra == {"房屋朝向": "坐北朝南", "村民小组": "三组"}


@pytest.mark.parametrize(
    ("header", "typed", "expected"),
    [
        ("证载面积", "88", Decimal("88.00")),
        ("证载面积", "１２３．４５", Decimal("123.45")),
        ("证载面积", "120.5㎡", Decimal("120.50")),
        ("土地面积", "1,234.5", Decimal("1234.50")),
        ("评估单价", "3500元/㎡", Decimal("3500.00")),
        ("评估单价", "12,800", Decimal("12800.00")),
        ("装修评估", "1.2万", Decimal("12000.00")),
        ("附属物评估", "3,500元", Decimal("3500.00")),
    ],
)
def test_numbers_typed_as_text_are_read_in_the_columns_unit(world, tmp_path, header, typed, expected):
    fields = {"证载面积": "certified_area", "土地面积": "land_area", "评估单价": "appraised_unit_price"}
    fields |= {"装修评估": "decoration_value", "附属物评估": "attachments_value"}
    rows = table([record("C001", "陈国华", "人民路3号", **{header: typed})])

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert getattr(properties("C001")[0], fields[header]) == expected


def test_whole_numbers_typed_as_text_in_count_columns_are_read(world, tmp_path):
    rows = table([record("C001", "陈国华", "人民路3号", 家庭人口="４", 层数="3层")])

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert household("C001").persons == 4
    assert properties("C001")[0].floors == 3


def test_empty_rows_in_the_middle_are_skipped(world, tmp_path):
    rows = table(
        [
            record("C001", "陈国华", "人民路3号"),
            record("C002", "刘红", "人民路5号"),
            record("C003", "孙立", "人民路9号"),
        ]
    )
    rows.insert(2, [None] * len(HEADERS))
    rows.insert(3, [""] * len(HEADERS))
    rows.insert(5, ["  ", None, "\u3000"])

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert report.households_created == 3
    assert report.rows_read == 3


def area_total_rows(total):
    rows = table(
        [
            record("C001", "陈国华", "人民路3号", 证载面积=85.5, 装修评估="1.2万"),
            record("C002", "刘红", "人民路5号", 证载面积="60.25"),
        ]
    )
    rows.append(["合计", None, None, None, None, None, None, None, None, None, None, total])
    return rows


def test_total_row_that_matches_the_rows_is_skipped_silently(world, tmp_path):
    report = run(world, one_sheet(tmp_path, area_total_rows(145.75)))

    assert report.rejected == []
    assert report.warnings == []
    assert report.households_created == 2
    assert not Household.objects.filter(number="合计").exists()
    assert Property.objects.filter(household__number__in=["C001", "C002"]).count() == 2


def test_total_row_that_does_not_match_the_rows_is_a_warning(world, tmp_path):
    report = run(world, one_sheet(tmp_path, area_total_rows("150㎡")))

    assert report.rejected == []
    assert report.households_created == 2
    [warning] = report.warnings
    assert (warning["sheet"], warning["row"], warning["column"]) == ("城关街道", 4, "证载面积")
    assert "150" in warning["message"] and "145.75" in warning["message"]
    assert_chinese(warning["message"])


def test_merged_household_cells_give_one_household_with_two_properties(world, tmp_path):
    rows = table(
        [
            record(
                "C001",
                "陈国华",
                "人民路3号",
                身份证号=person_id(1),
                联系电话="13812340001",
                家庭人口=4,
                证载面积=85.5,
                产权证号="江北房权证第1001号",
            ),
            record("", "", "人民路3号附房", street="", 证载面积=20, 产权证号="江北房权证第1002号"),
        ]
    )
    merged = [f"{letter}2:{letter}3" for letter in "ABCDEF"]

    report = run(world, one_sheet(tmp_path, rows, merged=merged))

    assert report.rejected == []
    assert (report.households_created, report.properties_created) == (1, 2)
    saved = household("C001")
    assert (saved.owner_name, saved.id_number, saved.phone, saved.persons) == ("陈国华", person_id(1), "13812340001", 4)
    assert [(p.seq, p.location, p.certified_area) for p in properties("C001")] == [
        (1, "人民路3号", Decimal("85.50")),
        (2, "人民路3号附房", Decimal("20.00")),
    ]


def test_every_sheet_is_read_and_a_sheet_without_street_column_names_the_street(world, tmp_path):
    headers = [h for h in HEADERS if h != "所属街道"]
    path = xlsx(
        tmp_path,
        Sheet("城关街道", table([record("C001", "陈国华", "人民路3号", street=None)], headers)),
        Sheet("江滨街道", table([record("J001", "吴桂英", "江滨路20号", street=None)], headers)),
    )

    report = run(world, path)

    assert report.rejected == []
    assert report.households_created == 2
    assert household("C001").street == world.street_a
    assert household("J001").street == world.street_b


def test_an_error_on_a_later_sheet_names_that_sheet(world, tmp_path):
    wrong = person_id(2)[:-1] + ("1" if person_id(2)[-1] != "1" else "2")
    path = xlsx(
        tmp_path,
        Sheet("城关街道", table([record("C001", "陈国华", "人民路3号")])),
        Sheet("江滨街道", table([record("J001", "吴桂英", "江滨路20号", street="江滨街道", 身份证号=wrong)])),
    )

    rejection = only_rejection(run(world, path))

    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("江滨街道", 2, "身份证号")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_is_read_in_utf8_and_in_gbk(world, tmp_path, encoding):
    rows = table(
        [
            record("0012", "陈国华", "人民路3号", 证载面积="85.5", 产权证号="江北房权证第1001号"),
            record("0013", "欧阳秀英", "人民路5号", 证载面积="1,060", 备注="二层砖混，东侧搭建"),
        ]
    )
    path = write_csv(tmp_path / f"城关街道-{encoding}.csv", rows, encoding)

    report = run(world, path)

    assert report.rejected == []
    assert report.households_created == 2
    assert household("0013").owner_name == "欧阳秀英"
    assert properties("0013")[0].remark == "二层砖混，东侧搭建"
    assert properties("0013")[0].certified_area == Decimal("1060.00")
    assert properties("0012")[0].certificate_no == "江北房权证第1001号"


def test_an_old_xls_workbook_is_read(world, tmp_path):
    path = write_xls(
        tmp_path / "台账.xls",
        Sheet("城关街道", table([record("0012", "陈国华", "人民路3号", 证载面积=85.5)])),
        Sheet("江滨街道", table([record("J001", "吴桂英", "江滨路20号", street="江滨街道", 证载面积="60㎡")])),
    )

    report = run(world, path)

    assert report.rejected == []
    assert report.households_created == 2
    assert properties("0012")[0].certified_area == Decimal("85.50")


@pytest.mark.parametrize(
    ("writer", "name"),
    [(write_xls, "台账.xlsx"), (write_xlsx, "台账.xls")],
    ids=["xls-saved-as-xlsx", "xlsx-saved-as-xls"],
)
def test_a_workbook_whose_name_says_the_other_excel_format_is_read(world, tmp_path, writer, name):
    path = writer(tmp_path / name, Sheet("城关街道", table([record("0012", "陈国华", "人民路3号", 证载面积=85.5)])))

    report = run(world, path)

    assert report.rejected == []
    assert report.households_created == 1


def test_leading_zeros_of_the_household_number_are_kept(world, tmp_path):
    report = run(world, one_sheet(tmp_path, table([record("0012", "陈国华", "人民路3号")])))

    assert report.rejected == []
    assert Household.objects.filter(number="0012").exists()
    assert not Household.objects.filter(number="12").exists()


def test_lowercase_x_in_an_id_number_is_upper_cased(world, tmp_path):
    number = person_id(4)
    assert number.endswith("X")
    rows = table([record("C001", "陈国华", "人民路3号", 身份证号=number.lower())])

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert household("C001").id_number == number


def test_a_15_digit_id_number_is_accepted_with_a_warning(world, tmp_path):
    rows = table([record("C001", "陈国华", "人民路3号", 身份证号="330102680412013")])

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert household("C001").id_number == "330102680412013"
    [warning] = report.warnings
    assert (warning["sheet"], warning["row"], warning["column"]) == ("城关街道", 2, "身份证号")
    assert_chinese(warning["message"])


def test_a_build_date_after_the_freeze_date_is_flagged(world, tmp_path):
    rows = table(
        [
            record("C001", "陈国华", "人民路3号", 建成时间="2026-06-01"),
            record("C002", "刘红", "人民路5号", 建成时间="2026-05-15"),
            record("C003", "孙立", "人民路9号", 建成时间=1998),
        ]
    )

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected == []
    assert report.households_created == 3
    [warning] = report.warnings
    assert (warning["sheet"], warning["row"], warning["column"]) == ("城关街道", 2, "建成时间")
    assert "冻结" in warning["message"]
    assert properties("C001")[0].built_on == date(2026, 6, 1)
    assert (properties("C003")[0].built_on, properties("C003")[0].built_precision) == (date(1998, 1, 1), "year")


def test_the_same_certificate_number_in_two_households_is_rejected(world, tmp_path):
    before = database_state()
    rows = table(
        [
            record("C001", "陈国华", "人民路3号", 产权证号="江北房权证第1001号"),
            record("C002", "刘红", "人民路5号", 产权证号="江北房权证第1001号"),
        ]
    )

    report = run(world, one_sheet(tmp_path, rows))

    assert report.rejected
    assert any(
        r["column"] == "产权证号" and "江北房权证第1001号" in r["reason"] and r["sheet"] == "城关街道"
        for r in report.rejected
    )
    assert not report.written
    assert database_state() == before


def test_a_certificate_number_already_held_by_another_household_is_rejected(world, tmp_path):
    run(world, one_sheet(tmp_path, table([record("C001", "陈国华", "人民路3号", 产权证号="江北房权证第1001号")])))
    before = database_state()

    rows = table([record("C002", "刘红", "人民路5号", 产权证号="江北房权证第1001号")])
    rejection = only_rejection(run(world, one_sheet(tmp_path, rows, name="第二批.xlsx")))

    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 2, "产权证号")
    assert "C001" in rejection["reason"]
    assert database_state() == before


# ---- importing again ------------------------------------------------------------------------


def full_rows(phone="13812340001", area=85.5):
    return table(
        [
            record(
                "C001",
                "陈国华",
                "人民路3号",
                身份证号=person_id(1),
                联系电话=phone,
                家庭人口=4,
                产权证号="江北房权证第1001号",
                房屋用途="住宅",
                结构="砖混",
                层数=2,
                证载面积=area,
                未登记面积=30,
                认定合法面积=12.5,
                土地面积=60,
                建成时间="1998-05",
                评估单价="6,800",
                装修评估="1.2万",
                附属物评估=3500,
                意愿="同意",
                安置方式="货币补偿",
                包户单位="区教育局",
                包户责任人="赵老师",
                备注="临街",
            ),
            record("C001", "陈国华", "人民路3号附房", 证载面积=20, 结构="砖木", 房屋用途="非住宅"),
            record("C002", "刘红", "人民路5号", 证载面积=60, 意愿="观望"),
        ]
    )


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, tmp_path):
    path = one_sheet(tmp_path, full_rows())
    first = run(world, path)
    assert first.rejected == []
    assert (first.households_created, first.properties_created) == (2, 3)
    before = database_state()

    again = run(world, path)

    assert again.rejected == []
    assert (again.households_created, again.households_updated, again.households_unchanged) == (0, 0, 2)
    assert (again.properties_created, again.properties_updated) == (0, 0)
    after = database_state()
    assert after["events"] == before["events"]
    assert after["households"] == before["households"]
    assert after["properties"] == before["properties"]


def merged_rows_with_extra_column():
    headers = (*HEADERS, "村民小组")
    rows = table(
        [
            record(
                "0012", "陈国华", "人民路3号", 身份证号=person_id(4).lower(), 证载面积="１２３．４５", 村民小组="三组"
            ),
            record("", "", "人民路3号附房", street="", 证载面积="20㎡", 建成时间="1998年"),
            record("0013", "刘红", "人民路5号", 身份证号="330102680412013", 装修评估="1.2万", 建成时间="2026-06-01"),
        ],
        headers,
        above=[[TITLE]],
    )
    rows.append(["合计", None, None, None, None, None, None, None, None, None, None, "143.45"])
    return rows


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv-gbk", "csv-utf8"])
def test_importing_any_format_twice_changes_nothing_the_second_time(world, tmp_path, kind):
    rows = merged_rows_with_extra_column()
    if kind == "xlsx":
        path = one_sheet(tmp_path, rows, merged=["A1:Y1", "A3:A4", "B3:B4", "C3:C4", "F3:F4"])
    elif kind == "xls":
        path = write_xls(tmp_path / "台账.xls", Sheet("城关街道", rows))
    else:
        path = write_csv(tmp_path / "城关街道.csv", rows, "gbk" if kind == "csv-gbk" else "utf-8")
    first = run(world, path)
    assert first.rejected == []
    assert (first.households_created, first.properties_created) == (2, 3)
    before = database_state()

    again = run(world, path)

    assert again.rejected == []
    assert (again.households_updated, again.households_unchanged, again.properties_updated) == (0, 2, 0)
    assert database_state()["households"] == before["households"]
    assert database_state()["properties"] == before["properties"]
    assert database_state()["events"] == before["events"]


def test_a_changed_cell_updates_the_household_and_leaves_an_event_naming_it(world, tmp_path):
    run(world, one_sheet(tmp_path, full_rows()))
    saved = household("C001")
    events_before = HouseholdEvent.objects.count()

    report = run(world, one_sheet(tmp_path, full_rows(phone="13912349999", area="90.25"), name="改.xlsx"))

    assert report.rejected == []
    assert (report.households_updated, report.households_unchanged) == (1, 1)
    assert (report.properties_created, report.properties_updated) == (0, 1)
    saved.refresh_from_db()
    assert saved.phone == "13912349999"
    assert properties("C001")[0].certified_area == Decimal("90.25")
    assert properties("C001")[1].certified_area == Decimal("20.00")
    assert HouseholdEvent.objects.count() == events_before + 1
    event = HouseholdEvent.objects.latest("id")
    assert (event.household, event.kind) == (saved, "imported")
    assert [decrypt(v) for v in event.changes["phone"]] == ["13812340001", "13912349999"]  # kept encrypted
    [area_change] = [v for k, v in event.changes.items() if k.endswith("certified_area")]
    assert [Decimal(str(v)) for v in area_change] == [Decimal("85.50"), Decimal("90.25")]
    assert len(event.changes) == 2


@pytest.mark.parametrize(
    ("certificate", "changed", "field", "new"),
    [
        ("江北房权证第1001号", {"证载面积": "90.25"}, "certified_area", Decimal("90.25")),
        ("江北房权证第1001号", {"房屋坐落": "人民路3-1号"}, "location", "人民路3-1号"),
        ("江北房权证第1001号", {"产权证号": "江北房权证第2002号"}, "certificate_no", "江北房权证第2002号"),
        (None, {"房屋坐落": "人民路3-1号"}, "location", "人民路3-1号"),
        (None, {"产权证号": "江北房权证第2002号"}, "certificate_no", "江北房权证第2002号"),
    ],
    ids=["area", "location-with-certificate", "certificate", "location-without-certificate", "certificate-added"],
)
def test_a_corrected_property_cell_updates_that_property_rather_than_adding_one(
    world, tmp_path, certificate, changed, field, new
):
    values = record("C001", "陈国华", "人民路3号", 产权证号=certificate, 证载面积=85.5)
    run(world, one_sheet(tmp_path, table([values])))
    old = getattr(properties("C001")[0], field)

    report = run(world, one_sheet(tmp_path, table([values | changed]), name="改.xlsx"))

    assert report.rejected == []
    assert (report.households_updated, report.properties_created, report.properties_updated) == (1, 0, 1)
    [prop] = properties("C001")
    assert getattr(prop, field) == new
    event = HouseholdEvent.objects.filter(household__number="C001", kind="imported").get()
    [change] = [v for k, v in event.changes.items() if k.endswith(field)]
    assert change == [str(old), str(new)]


def test_a_changed_row_of_a_locked_household_is_rejected(world, tmp_path):
    run(world, one_sheet(tmp_path, full_rows()))
    Household.objects.filter(number="C001").update(locked_at=timezone.now())
    before = database_state()

    report = run(world, one_sheet(tmp_path, full_rows(phone="13912349999"), name="改.xlsx"))

    assert report.rejected
    first = report.rejected[0]
    assert (first["sheet"], first["row"]) == ("城关街道", 2)
    assert "锁定" in first["reason"]
    assert {r["row"] for r in report.rejected} == {2, 3}
    assert not report.written
    assert database_state() == before


def test_an_unchanged_row_of_a_locked_household_is_fine(world, tmp_path):
    path = one_sheet(tmp_path, full_rows())
    run(world, path)
    Household.objects.filter(number="C001").update(locked_at=timezone.now())

    report = run(world, path)

    assert report.rejected == []
    assert report.households_unchanged == 2


# ---- streets and holding units --------------------------------------------------------------


def test_an_unknown_street_is_rejected(world, tmp_path):
    before = database_state()
    rows = table([record("C001", "陈国华", "人民路3号", street="城南街道")])

    rejection = only_rejection(run(world, one_sheet(tmp_path, rows)))

    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 2, "所属街道")
    assert "城南街道" in rejection["reason"]
    assert database_state() == before


def test_an_unknown_street_is_created_when_asked(world, tmp_path):
    rows = table([record("C001", "陈国华", "人民路3号", street="城南街道"), record("C002", "刘红", "人民路5号")])

    report = run(world, one_sheet(tmp_path, rows), create_units=True)

    assert report.rejected == []
    street = Unit.objects.get(name="城南街道")
    assert (street.kind, street.parent) == (UnitKind.STREET, world.district)
    assert household("C001").street == street
    assert household("C002").street == world.street_a


def test_an_unknown_holding_unit_is_rejected(world, tmp_path):
    before = database_state()
    rows = table([record("C001", "陈国华", "人民路3号", 包户单位="区住建局", 包户责任人="钱科长")])

    rejection = only_rejection(run(world, one_sheet(tmp_path, rows)))

    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 2, "包户单位")
    assert "区住建局" in rejection["reason"]
    assert database_state() == before


def test_a_holding_unit_is_found_or_created_when_asked(world, tmp_path):
    rows = table(
        [
            record("C001", "陈国华", "人民路3号", 包户单位="区住建局"),
            record("C002", "刘红", "人民路5号", 包户单位="区教育局", 包户责任人="赵老师"),
        ]
    )

    report = run(world, one_sheet(tmp_path, rows), create_units=True)

    assert report.rejected == []
    created = Unit.objects.get(name="区住建局")
    assert created.parent == world.district
    assert household("C001").holder_unit == created
    assert (household("C002").holder_unit, household("C002").holder_name) == (world.support, "赵老师")


# ---- bad input: a message in Chinese, and nothing written -----------------------------------


def test_a_file_that_is_not_a_workbook_is_rejected(world, tmp_path):
    before = database_state()
    path = tmp_path / "台账.xlsx"
    path.write_bytes(bytes(range(256)) * 8)

    report = run(world, path)

    rejection = only_rejection(report)
    assert_chinese(rejection["reason"])
    assert "台账.xlsx" in rejection["reason"]
    assert report.failed
    assert database_state() == before


def test_a_damaged_workbook_is_rejected_in_plain_chinese(world, tmp_path):
    before = database_state()
    whole = write_xlsx(tmp_path / "完整.xlsx", Sheet("城关街道", table([record("C001", "陈国华", "人民路3号")])))
    path = tmp_path / "城关街道台账.xlsx"
    path.write_bytes(whole.read_bytes()[:600])

    report = run(world, path)

    rejection = only_rejection(report)
    assert "城关街道台账.xlsx" in rejection["reason"]
    assert_chinese(rejection["reason"], "城关街道台账.xlsx")
    assert report.failed
    assert database_state() == before


def test_an_empty_workbook_is_rejected(world, tmp_path):
    before = database_state()

    report = run(world, xlsx(tmp_path, Sheet("城关街道", [])))

    rejection = only_rejection(report)
    assert rejection["sheet"] == "城关街道"
    assert_chinese(rejection["reason"])
    assert report.failed
    assert database_state() == before


def test_an_empty_csv_is_rejected(world, tmp_path):
    before = database_state()
    path = tmp_path / "城关街道.csv"
    path.write_bytes(b"")

    report = run(world, path)

    assert_chinese(only_rejection(report)["reason"])
    assert database_state() == before


def test_an_empty_sheet_beside_a_full_one_is_skipped_with_a_warning(world, tmp_path):
    path = xlsx(tmp_path, Sheet("说明", []), Sheet("城关街道", table([record("C001", "陈国华", "人民路3号")])))

    report = run(world, path)

    assert report.rejected == []
    assert report.households_created == 1
    assert [w["sheet"] for w in report.warnings] == ["说明"]


@pytest.mark.parametrize(
    "content",
    [
        "户号,户主姓名,房屋坐落\r\nC001,陈国华,人民路3号\r\n".encode("utf-16"),
        "户号,户主姓名,房屋坐落\r\nC001,陈国华,人民路3号\r\n".encode("utf-16-le"),
        "Nr,Café,Straße\r\n1,Müller,é,\r\n".encode("latin-1"),
        b"\x80\x81,\xff\xfe\r\n",
    ],
    ids=["utf-16", "utf-16-le-without-bom", "latin-1", "invalid-bytes"],
)
def test_a_csv_in_neither_utf8_nor_gbk_is_rejected(world, tmp_path, content):
    before = database_state()
    path = tmp_path / "台账.csv"
    path.write_bytes(content)

    report = run(world, path)

    assert report.rejected
    assert report.failed
    assert report.households_created == 0
    for rejection in report.rejected:
        assert_chinese(rejection["reason"])
    assert database_state() == before


def test_a_header_row_without_the_owner_name_column_is_rejected(world, tmp_path):
    before = database_state()
    headers = [h for h in HEADERS if h != "户主姓名"]
    values = record("C001", "陈国华", "人民路3号")
    del values["户主姓名"]
    rows = table([values], headers, above=[[TITLE]])

    report = run(world, one_sheet(tmp_path, rows, merged=["A1:W1"]))

    rejection = only_rejection(report)
    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 2, "户主姓名")
    assert "户主姓名" in rejection["reason"]
    assert_chinese(rejection["reason"])
    assert database_state() == before


def test_a_household_number_in_two_streets_is_rejected(world, tmp_path):
    before = database_state()
    headers = [h for h in HEADERS if h != "所属街道"]
    path = xlsx(
        tmp_path,
        Sheet("城关街道", table([record("C001", "陈国华", "人民路3号", street=None)], headers)),
        Sheet("江滨街道", table([record("C001", "吴桂英", "江滨路20号", street=None)], headers)),
    )

    report = run(world, path)

    assert not report.written
    bad = [r for r in report.rejected if r["sheet"] == "江滨街道" and r["row"] == 2]
    assert bad, report.rejected
    assert any("C001" in r["reason"] and "城关街道" in r["reason"] for r in bad)
    assert all(r["column"] for r in report.rejected)
    assert database_state() == before


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("header", "typed", "fragment"),
    [
        ("身份证号", wrong_check_digit(person_id(1)), "校验位"),
        ("证载面积", "约120", "约120"),
        ("建成时间", "2026.13.01", "2026.13.01"),
        ("家庭人口", "0", "0"),
        ("联系电话", "1381234", "1381234"),
        ("房屋用途", "工业", "工业"),
    ],
)
def test_a_bad_cell_is_rejected_with_its_sheet_row_and_column(world, tmp_path, header, typed, fragment):
    before = database_state()
    rows = table(
        [
            record("C001", "陈国华", "人民路3号"),
            record("C002", "刘红", "人民路5号", **{header: typed}),
        ],
        above=[[TITLE]],
    )

    report = run(world, one_sheet(tmp_path, rows, merged=["A1:X1"]))

    rejection = only_rejection(report)
    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 4, header)
    assert fragment in rejection["reason"]
    assert_chinese(rejection["reason"])
    assert report.failed
    assert database_state() == before


def test_a_recognised_area_above_the_unregistered_area_is_rejected(world, tmp_path):
    rows = table([record("C001", "陈国华", "人民路3号", 未登记面积=10, 认定合法面积=12)])

    rejection = only_rejection(run(world, one_sheet(tmp_path, rows)))

    assert (rejection["row"], rejection["column"]) == (2, "认定合法面积")


def test_a_row_without_a_location_is_rejected(world, tmp_path):
    rows = table([record("C001", "陈国华", None)])

    rejection = only_rejection(run(world, one_sheet(tmp_path, rows)))

    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 2, "房屋坐落")
    assert_chinese(rejection["reason"])


# ---- rejected rows, valid_only, dry run -----------------------------------------------------


def mixed_rows():
    return table(
        [
            record("C001", "陈国华", "人民路3号", 证载面积=85.5),
            record("C002", "刘红", "人民路5号", 证载面积=60),
            record("C002", "刘红", "人民路5号附房", 证载面积="约20"),
            record("C003", "孙立", "人民路9号", 证载面积=70),
        ]
    )


def test_a_file_with_rejected_rows_writes_nothing(world, tmp_path):
    before = database_state()

    report = run(world, one_sheet(tmp_path, mixed_rows()))

    assert not report.written
    assert report.failed
    assert database_state() == before


def test_valid_only_writes_the_valid_households_and_none_of_the_bad_households_rows(world, tmp_path):
    report = run(world, one_sheet(tmp_path, mixed_rows()), valid_only=True)

    assert report.written
    assert not report.failed
    assert report.households_created == 2
    assert {(r["row"], r["column"]) for r in report.rejected} == {(3, "户号"), (4, "证载面积")}
    assert set(Household.objects.filter(project=world.project).values_list("number", flat=True)) == {
        "A001",
        "B001",
        "B002",
        "C001",
        "C003",
    }
    assert not Property.objects.filter(location__startswith="人民路5号").exists()


def test_a_dry_run_writes_nothing_and_reports_what_the_import_would_do(world, tmp_path):
    path = one_sheet(tmp_path, full_rows())
    before = database_state()

    preview = run(world, path, dry_run=True)

    assert database_state() == before
    assert not preview.written
    done = run(world, path)
    assert done.written
    assert (preview.households_created, preview.properties_created) == (2, 3)
    for key in ("households_created", "households_updated", "households_unchanged", "properties_created"):
        assert getattr(preview, key) == getattr(done, key), key
    assert (preview.rejected, preview.warnings, preview.extra_columns) == (
        done.rejected,
        done.warnings,
        done.extra_columns,
    )


def test_a_dry_run_with_create_units_creates_no_unit(world, tmp_path):
    before = database_state()
    rows = table([record("C001", "陈国华", "人民路3号", street="城南街道", 包户单位="区住建局")])

    report = run(world, one_sheet(tmp_path, rows), dry_run=True, create_units=True)

    assert report.rejected == []
    assert report.households_created == 1
    assert database_state() == before


def test_a_written_import_is_recorded_as_a_batch(world, tmp_path):
    run(world, one_sheet(tmp_path, full_rows(), name="城关街道台账.xlsx"))

    batch = ImportBatch.objects.get()
    assert batch.file_name == "城关街道台账.xlsx"
    assert set(HouseholdEvent.objects.filter(batch=batch).values_list("kind", flat=True)) == {"created"}
    assert HouseholdEvent.objects.filter(batch=batch).count() == 2


# ---- atomicity ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_writing_leaves_nothing_written(world, tmp_path, monkeypatch):
    from gaizao.ledger.workbook import importer

    real = importer.insert_rows
    calls = []

    def failing(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:
            raise RuntimeError("磁盘已满")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "insert_rows", failing)
    assert not connection.in_atomic_block, "the test itself must not run inside a transaction"
    rows = full_rows()
    rows.append(table([record("N001", "冯秀兰", "南环路1号", street="城南街道")])[1])
    path = one_sheet(tmp_path, rows)
    before = database_state()

    with pytest.raises(RuntimeError):
        run(world, path, create_units=True)

    assert len(calls) == 3
    assert database_state() == before


def test_a_money_column_headed_in_ten_thousands_of_yuan_is_read_in_yuan(world, tmp_path):
    path = tmp_path / "wan.csv"
    path.write_text(
        "户号,户主姓名,所属街道,房屋坐落,装修评估（万元）,附属物评估\nW1,张三,城关街道,人民路1号,1.25,3000\n",
        encoding="utf-8",
    )
    report = import_ledger(path=path, project=world.project)
    assert report.written, report.rejected
    prop = Property.objects.get(household__number="W1")
    assert prop.decoration_value == Decimal("12500.00") and prop.attachments_value == Decimal("3000.00")


def test_text_longer_than_its_column_is_a_rejected_cell(world, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("户号,户主姓名,所属街道,房屋坐落\nL1," + "张" * 60 + ",城关街道,人民路1号\n", encoding="utf-8")
    report = import_ledger(path=path, project=world.project)
    assert not report.written
    assert [(r["row"], r["column"]) for r in report.rejected] == [(2, "户主姓名")]
    assert "超过50个字" in report.rejected[0]["reason"]


def test_a_new_property_in_a_shorter_list_is_added_not_written_over_another(world, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        "户号,户主姓名,所属街道,房屋坐落,产权证号\nM1,王五,城关街道,人民路1号,X-001\nM1,王五,城关街道,人民路2号,Y-002\n",
        encoding="utf-8",
    )
    import_ledger(path=path, project=world.project)
    path.write_text("户号,户主姓名,所属街道,房屋坐落,产权证号\nM1,王五,城关街道,人民路3号,Z-003\n", encoding="utf-8")
    report = import_ledger(path=path, project=world.project)
    assert report.properties_created == 1 and report.properties_updated == 0
    locations = sorted(Property.objects.filter(household__number="M1").values_list("location", flat=True))
    assert locations == ["人民路1号", "人民路2号", "人民路3号"]
