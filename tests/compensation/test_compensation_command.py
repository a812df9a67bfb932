"""`gaizao compensation load | compute | diff` on a project of the ledger."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaizao.compensation.models import Standard, StandardStatus
from gaizao.ledger.models import Member

EXAMPLES = Path(__file__).resolve().parents[2] / "src/gaizao/compensation/examples"
SHANTYTOWN = EXAMPLES / "shantytown-state-land.toml"


@pytest.fixture
def project(world):
    """The world's project as the shantytown example expects it: code, signing period."""
    project = world.project
    project.code = "beizhan-shantytown"
    project.signing_start, project.signing_end = date(2026, 8, 1), date(2026, 12, 31)
    project.save()
    return project


def run(*args, **options) -> str:
    out = StringIO()
    call_command("compensation", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_load_and_publish_a_standard(project):
    output = run("load", str(SHANTYTOWN), project=project.code, publish="2026-07-20")
    standard = Standard.objects.get(project=project)
    assert "已载入" in output and standard.status == StandardStatus.PUBLISHED
    assert standard.published_on == date(2026, 7, 20) and standard.version == "2026-1"


def test_a_published_version_cannot_be_loaded_again(project):
    run("load", str(SHANTYTOWN), project=project.code, publish="2026-07-20")
    with pytest.raises(CommandError, match="已公布，不能修改"):
        run("load", str(SHANTYTOWN), project=project.code)


def test_a_standard_for_another_project_is_refused(world):
    with pytest.raises(CommandError, match="不是“beizhan”"):
        run("load", str(SHANTYTOWN), project=world.project.code)


def test_compute_one_household_line_by_line(world, project):
    # A001: 100 ㎡ certified at 6000 元/㎡, 3 persons (15 ㎡ each = 45 ≤ 100: no guarantee)
    data = json.loads(
        run(
            "compute",
            project=project.code,
            household="A001",
            standard=str(SHANTYTOWN),
            choice="货币补偿",
            signed_on="2026-08-03",
            format="json",
        )
    )
    lines = {line["name"]: Decimal(line["amount"]) for line in data["lines"]}
    assert lines["house_value"] == Decimal("600000.00")  # 100 × 6000
    assert lines["relocation"] == Decimal("1500.00")  # 100 × 15, above the 1000 minimum
    assert lines["temporary_resettlement"] == Decimal("7200.00")  # 100 × 12 × 6 months
    assert lines["signing_reward"] == Decimal("30000.00")  # day 3 of the signing period
    assert "guarantee" not in lines
    assert Decimal(data["total"]) == sum(lines.values())
    assert data["lines"][0]["inputs"] == {"appraised_value": "600000.00"}


def test_special_groups_on_members_reach_the_standard(world, project):
    Member.objects.create(household=world.house_a, district=world.district, name="张小明", special_groups=["dibao"])
    data = json.loads(run("compute", project=project.code, household="A001", standard=str(SHANTYTOWN), format="json"))
    assert {line["name"]: line["amount"] for line in data["lines"]}["special_groups"] == "5000.00"


def test_compute_uses_the_published_standard_and_lists_every_household(project):
    run("load", str(SHANTYTOWN), project=project.code, publish="2026-07-20")
    output = run("compute", project=project.code)
    assert "A001" in output and "B001" in output and "共 3 户，算出 3 户" in output


def test_compute_without_a_standard_says_so(project):
    with pytest.raises(CommandError, match="还没有公布的补偿方案"):
        run("compute", project=project.code)


def test_a_signing_date_outside_every_tier_is_reported(project):
    with pytest.raises(SystemExit):
        run("compute", project=project.code, household="A001", standard=str(SHANTYTOWN), signed_on="2027-03-01")


def test_bad_options_get_chinese_errors(project):
    with pytest.raises(CommandError, match="--signed-on 应为 YYYY-MM-DD"):
        run("compute", project=project.code, standard=str(SHANTYTOWN), signed_on="2026.08.01")
    with pytest.raises(CommandError, match="没有户号“X9”"):
        run("compute", project=project.code, household="X9", standard=str(SHANTYTOWN))
    with pytest.raises(CommandError, match="--flat-area 不能为负数"):
        run("compute", project=project.code, standard=str(SHANTYTOWN), flat_area="-3")


def test_a_broken_standard_file_names_its_line(project, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        SHANTYTOWN.read_text(encoding="utf-8").replace('formula = "appraised_value"', 'formula = "appraised_value *"'),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"方案有误：第\d+行第\d+列"):
        run("compute", project=project.code, standard=str(broken))


def test_diff_shows_what_a_new_version_would_change_per_household(project, tmp_path):
    run("load", str(SHANTYTOWN), project=project.code, publish="2026-07-20")
    new = tmp_path / "new.toml"
    new.write_text(
        SHANTYTOWN.read_text(encoding="utf-8")
        .replace('version = "2026-1"', 'version = "2026-2"')
        .replace("relocation_rate = 15", "relocation_rate = 20"),
        encoding="utf-8",
    )
    changed = json.loads(run("diff", project=project.code, standard=str(new), format="json"))
    a001 = next(row for row in changed if row["household"] == "A001")
    assert a001["lines"] == {"搬迁费": ["1500.00", "2000.00"]}  # 100 ㎡ × 15 → × 20
    assert Decimal(a001["new_total"]) - Decimal(a001["old_total"]) == Decimal("500.00")
    assert "补偿总额变化" in run("diff", project=project.code, standard=str(new))
