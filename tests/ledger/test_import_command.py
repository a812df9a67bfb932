"""`gaizao import-ledger` and `gaizao create-project` as an operator runs them."""

import io
import json
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gaizao.cli import main as gaizao
from gaizao.ledger.models import Household
from gaizao.org.models import Unit
from gaizao.projects.models import Project
from tests.ledger.workbooks import HEADERS, Sheet, database_state, person_id, record, table, write_xlsx

REPORT_KEYS = {
    "households_created",
    "households_updated",
    "households_unchanged",
    "properties_created",
    "properties_updated",
    "rejected",
    "warnings",
    "extra_columns",
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def workbook(tmp_path, *records, headers=HEADERS, name="台账.xlsx"):
    return write_xlsx(tmp_path / name, Sheet("城关街道", table(records, headers)))


def good_file(tmp_path):
    return workbook(
        tmp_path,
        record("C001", "陈国华", "人民路3号", 身份证号=person_id(1), 证载面积=85.5, 房屋朝向="朝南"),
        record("C002", "刘红", "人民路5号", 身份证号="330102680412013", 证载面积=60),
        headers=(*HEADERS, "房屋朝向"),
    )


def mixed_file(tmp_path):
    return workbook(
        tmp_path,
        record("C001", "陈国华", "人民路3号", 证载面积=85.5),
        record("C002", "刘红", "人民路5号", 证载面积="约60"),
    )


def import_json(path, *options) -> dict:
    out = io.StringIO()
    call_command("import_ledger", str(path), "--project", "beizhan", "--format", "json", *options, stdout=out)
    return json.loads(out.getvalue())


def import_json_failing(path, *options) -> dict:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_ledger", str(path), "--project", "beizhan", "--format", "json", *options, stdout=out)
    assert exit_.value.code == 1
    return json.loads(out.getvalue())


def test_json_prints_one_report_with_the_documented_keys(world, tmp_path):
    report = import_json(good_file(tmp_path))

    assert REPORT_KEYS <= set(report)
    assert (report["households_created"], report["households_updated"], report["households_unchanged"]) == (2, 0, 0)
    assert (report["properties_created"], report["properties_updated"]) == (2, 0)
    assert report["rejected"] == []
    assert report["extra_columns"] == ["房屋朝向"]
    [warning] = report["warnings"]
    assert set(warning) == {"sheet", "row", "column", "message"}
    assert (warning["sheet"], warning["row"], warning["column"]) == ("城关街道", 3, "身份证号")


def test_rejected_rows_exit_non_zero_report_each_row_and_write_nothing(world, tmp_path):
    before = database_state()

    report = import_json_failing(mixed_file(tmp_path))

    assert REPORT_KEYS <= set(report)
    [rejection] = report["rejected"]
    assert set(rejection) == {"sheet", "row", "column", "reason"}
    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 3, "证载面积")
    assert "约60" in rejection["reason"]
    assert database_state() == before


def test_the_text_report_names_sheet_row_column_and_reason_in_chinese(world, tmp_path):
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_ledger", str(mixed_file(tmp_path)), "--project", "beizhan", stdout=out)

    assert exit_.value.code == 1
    text = out.getvalue()
    assert "城关街道" in text and "第3行" in text and "证载面积" in text and "约60" in text
    assert "未写入" in text


def test_a_clean_file_exits_zero(world, tmp_path):
    out = io.StringIO()

    call_command("import_ledger", str(good_file(tmp_path)), "--project", "beizhan", stdout=out)

    assert "新增 2 户" in out.getvalue()
    assert Household.objects.filter(number__in=["C001", "C002"]).count() == 2


def test_importing_the_same_file_again_exits_zero_and_changes_nothing(world, tmp_path):
    path = good_file(tmp_path)
    import_json(path)
    before = database_state()

    report = import_json(path)

    assert (report["households_created"], report["households_updated"], report["households_unchanged"]) == (0, 0, 2)
    assert database_state() == before


def test_dry_run_reports_the_counts_and_writes_nothing(world, tmp_path):
    before = database_state()

    report = import_json(good_file(tmp_path), "--dry-run")

    assert (report["households_created"], report["properties_created"]) == (2, 2)
    assert database_state() == before


def test_dry_run_of_a_file_with_rejected_rows_also_exits_non_zero(world, tmp_path):
    before = database_state()

    report = import_json_failing(mixed_file(tmp_path), "--dry-run")

    assert len(report["rejected"]) == 1
    assert database_state() == before


def test_valid_only_writes_the_valid_rows_and_exits_zero(world, tmp_path):
    report = import_json(mixed_file(tmp_path), "--valid-only")

    assert report["households_created"] == 1
    assert len(report["rejected"]) == 1
    assert Household.objects.filter(number="C001").exists()
    assert not Household.objects.filter(number="C002").exists()


def test_create_units_creates_an_unknown_street(world, tmp_path):
    path = workbook(tmp_path, record("N001", "冯秀兰", "南环路1号", street="城南街道"))

    rejected = import_json_failing(path)
    assert "城南街道" in rejected["rejected"][0]["reason"]
    assert not Unit.objects.filter(name="城南街道").exists()

    report = import_json(path, "--create-units")

    assert report["rejected"] == []
    assert Household.objects.get(number="N001").street.name == "城南街道"


def test_an_unknown_project_is_a_chinese_command_error(world, tmp_path):
    with pytest.raises(CommandError, match="没有编号为“nowhere”的项目"):
        call_command("import_ledger", str(good_file(tmp_path)), "--project", "nowhere", stdout=io.StringIO())


def test_a_missing_file_is_a_chinese_command_error(world, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_ledger", str(tmp_path / "没有.xlsx"), "--project", "beizhan", stdout=io.StringIO())


def test_the_gaizao_script_takes_the_dashed_command_name(world, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        sys, "argv", ["gaizao", "import-ledger", str(good_file(tmp_path)), "--project", "beizhan", "--format", "json"]
    )

    gaizao()

    report = json.loads(capsys.readouterr().out)
    assert report["households_created"] == 2


def test_the_gaizao_script_exits_non_zero_on_rejected_rows(world, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["gaizao", "import-ledger", str(mixed_file(tmp_path)), "--project", "beizhan"])

    with pytest.raises(SystemExit) as exit_:
        gaizao()

    assert exit_.value.code == 1
    assert "约60" in capsys.readouterr().out


# ---- create_project -----------------------------------------------------------------------------


def create_project(*options):
    """The world has two districts, so the operator names one."""
    out = io.StringIO()
    call_command("create_project", "--district", "江北区", *options, stdout=out)
    return out.getvalue()


def test_create_project_creates_the_project(world):
    said = create_project(
        "--code", "xicun-2026", "--name", "西村城中村改造", "--kind", "urban-village", "--freeze-date", "2026-03-01"
    )

    project = Project.objects.get(code="xicun-2026")
    assert (project.name, project.kind, project.freeze_date) == ("西村城中村改造", "urban-village", date(2026, 3, 1))
    assert project.district == world.district
    assert "xicun-2026" in said


def test_create_project_with_a_bad_kind_is_a_chinese_command_error(world):
    with pytest.raises(CommandError, match="项目类型“village”无效"):
        create_project("--code", "xicun", "--name", "西村", "--kind", "village", "--freeze-date", "2026-03-01")
    assert not Project.objects.filter(code="xicun").exists()


@pytest.mark.parametrize("day", ["2026-13-01", "2026/03/01", "明年"])
def test_create_project_with_a_bad_date_is_a_chinese_command_error(world, day):
    with pytest.raises(CommandError, match="--freeze-date 应为 YYYY-MM-DD 格式的日期"):
        create_project("--code", "xicun", "--name", "西村", "--kind", "urban-village", "--freeze-date", day)
    assert not Project.objects.filter(code="xicun").exists()


def test_create_project_with_a_taken_code_is_a_chinese_command_error(world):
    with pytest.raises(CommandError, match="项目编号“beizhan”已存在"):
        create_project("--code", "beizhan", "--name", "北站", "--kind", "shantytown", "--freeze-date", "2026-03-01")


def test_create_project_without_a_district_when_there_are_several_is_a_chinese_command_error(world):
    out = io.StringIO()
    options = ["--code", "xicun", "--name", "西村", "--kind", "urban-village", "--freeze-date", "2026-03-01"]

    with pytest.raises(CommandError, match="有多个区县"):
        call_command("create_project", *options, stdout=out)
