"""Export writes the template's shape back; exporting and importing again changes nothing."""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from gaizao.core.models import SensitiveAccess
from gaizao.ledger.models import Household
from gaizao.ledger.workbook.importer import import_ledger
from tests.ledger.workbooks import HEADERS, Sheet, database_state, person_id, record, table, write_xlsx

EXTRA = ("房屋朝向", "村民小组")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ledger(world, tmp_path):
    """The world's three households plus a varied workbook of both streets, imported."""
    headers = (*HEADERS, *EXTRA)
    guancheng = [
        record(
            "0012",
            "陈国华",
            "人民路3号",
            身份证号=person_id(4).lower(),
            联系电话="0571-87654321",
            家庭人口="4人",
            产权证号="江北房权证第1001号",
            房屋用途="住宅",
            结构="砖混",
            层数=2,
            证载面积="１２３．４５",
            未登记面积="30㎡",
            认定合法面积=12.5,
            土地面积="1,060",
            建成时间="1998-05",
            评估单价="6,800元/㎡",
            装修评估="1.2万",
            附属物评估=3500,
            意愿="同意",
            安置方式="货币补偿",
            包户单位="区教育局",
            包户责任人="赵老师",
            备注="临街",
            房屋朝向="坐北朝南",
            村民小组="三组",
        ),
        record(
            "0012", "陈国华", "人民路3号附房", 证载面积=20, 结构="砖木", 房屋用途="非住宅", 建成时间=date(2003, 7, 1)
        ),
        record("0013", "刘红", "人民路5号", 身份证号="330102680412013", 证载面积=60, 建成时间=1987, 意愿="观望"),
    ]
    jiangbin = [
        record("J001", "吴桂英", "江滨路20号", street="江滨街道", 联系电话=13912345678, 证载面积=75.3, 村民小组="五组"),
    ]
    path = write_xlsx(
        tmp_path / "台账.xlsx",
        Sheet("城关街道", table(guancheng, headers)),
        Sheet("江滨街道", table(jiangbin, headers)),
    )
    report = import_ledger(path=path, project=world.project)
    assert report.rejected == []
    assert report.written
    return world


def export(tmp_path, name="导出.xlsx"):
    output = tmp_path / name
    call_command("export_ledger", project="beizhan", output=str(output), stdout=io.StringIO())
    return output


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def by_number(sheet) -> dict[str, dict]:
    """Each household's first row, as {header: value}."""
    header, *rows = rows_of(sheet)
    found: dict[str, dict] = {}
    for row in rows:
        found.setdefault(row[0], dict(zip(header, row, strict=True)))
    return found


def test_exporting_then_importing_through_the_command_line_changes_nothing(ledger, tmp_path):
    output = export(tmp_path)
    before = database_state()
    out = io.StringIO()

    call_command("import_ledger", str(output), project="beizhan", format="json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["rejected"] == []
    assert report["households_unchanged"] == Household.objects.count() == 6
    assert (report["households_created"], report["households_updated"]) == (0, 0)
    assert (report["properties_created"], report["properties_updated"]) == (0, 0)
    assert database_state() == before


def test_the_export_has_one_sheet_per_street_with_the_template_headers_then_the_extra_columns(ledger, tmp_path):
    workbook = openpyxl.load_workbook(export(tmp_path), read_only=True)

    assert sorted(workbook.sheetnames) == ["城关街道", "江滨街道"]
    for sheet in workbook.worksheets:
        assert rows_of(sheet)[0] == [*HEADERS, *EXTRA]
    guancheng, jiangbin = workbook["城关街道"], workbook["江滨街道"]
    assert [row[0] for row in rows_of(guancheng)[1:]] == ["0012", "0012", "0013", "A001"]
    assert [row[0] for row in rows_of(jiangbin)[1:]] == ["B001", "B002", "J001"]
    assert {row[5] for row in rows_of(guancheng)[1:]} == {"城关街道"}


def test_the_export_keeps_text_and_extra_columns_as_they_were_read(ledger, tmp_path):
    workbook = openpyxl.load_workbook(export(tmp_path), read_only=True)
    first = by_number(workbook["城关街道"])["0012"]

    assert first["身份证号"] == person_id(4)
    assert first["联系电话"] == "0571-87654321"
    assert (first["房屋用途"], first["结构"], first["意愿"], first["安置方式"]) == ("住宅", "砖混", "同意", "货币补偿")
    assert (first["包户单位"], first["包户责任人"]) == ("区教育局", "赵老师")
    assert first["建成时间"] == "1998-05"
    assert first["证载面积"] == pytest.approx(123.45)
    assert first["装修评估"] == pytest.approx(12000)
    assert (first["房屋朝向"], first["村民小组"]) == ("坐北朝南", "三组")
    assert by_number(workbook["江滨街道"])["J001"]["村民小组"] == "五组"


def web_export(world, official, query="") -> openpyxl.Workbook:
    response = world.client(official).get(reverse("ledger:export") + query)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def house_a_row(workbook) -> dict:
    return by_number(workbook["城关街道"])["A001"]


def test_the_web_export_masks_id_numbers_and_phones(world):
    row = house_a_row(web_export(world, world.alice))

    assert row["身份证号"] == "1101**********002X"
    assert row["联系电话"] == "138****5678"
    assert SensitiveAccess.objects.count() == 0


def test_the_web_export_holds_only_the_users_streets(world):
    workbook = web_export(world, world.alice)

    assert workbook.sheetnames == ["城关街道"]
    assert list(by_number(workbook["城关街道"])) == ["A001"]


def test_asking_to_reveal_without_the_right_still_masks(world):
    row = house_a_row(web_export(world, world.alice, "?reveal=1"))

    assert row["身份证号"] == "1101**********002X"
    assert row["联系电话"] == "138****5678"
    assert SensitiveAccess.objects.count() == 0


def test_a_user_who_may_reveal_sees_masked_numbers_unless_asking(world):
    row = house_a_row(web_export(world, world.olivia))

    assert row["身份证号"] == "1101**********002X"
    assert SensitiveAccess.objects.count() == 0


def test_a_user_who_may_reveal_gets_full_numbers_with_reveal_and_it_is_recorded(world):
    row = house_a_row(web_export(world, world.olivia, "?reveal=1"))

    assert row["身份证号"] == "11010519491231002X"
    assert row["联系电话"] == "13812345678"
    access = SensitiveAccess.objects.get()
    assert access.user == world.olivia.user
    assert access.object_type == "ledger_export"


def test_export_of_an_unknown_project_is_a_chinese_command_error(world, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="没有编号为“nowhere”的项目"):
        call_command("export_ledger", project="nowhere", output=str(tmp_path / "x.xlsx"), stdout=io.StringIO())


def test_a_masked_export_imported_back_cannot_overwrite_the_full_numbers(world, tmp_path):
    response = world.client(world.alice).get(reverse("ledger:export"))
    path = tmp_path / "masked.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    before = database_state()

    report = import_ledger(path=path, project=world.project, by=world.alice.user, valid_only=True)

    assert {r["column"] for r in report.rejected} >= {"身份证号", "联系电话"}
    assert database_state() == before
    assert Household.objects.get(number="A001").id_number == "11010519491231002X"
