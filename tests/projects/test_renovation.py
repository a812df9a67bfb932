"""三改: old residential areas, old factory areas and urban villages renovated in place, on the projects' shared
pipeline, milestones and money, without a ledger of households to expropriate."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gaizao.core.evidence import evidence_create
from gaizao.progress.actuals import standings
from gaizao.progress.models import Indicator, Target
from gaizao.projects.services import project_advance, project_create
from tests.enforcement.conftest import jpeg_upload


def renovation(world, **overrides):
    fields = {
        "code": "chengnan-old",
        "name": "城南片旧住宅区综合改造",
        "kind": "old-residential",
        "district": world.district,
        "scope": "12栋楼外立面整治、雨污分流、加装电梯8台",
    }
    return project_create(**(fields | overrides))


def test_a_renovation_needs_no_freeze_date_but_an_expropriation_does(world):
    assert renovation(world).freeze_date is None
    with pytest.raises(ValidationError, match="须填写征收范围冻结日"):
        project_create(code="x", name="x", kind="expropriation", district=world.district)
    with pytest.raises(ValidationError, match="旧厂区改造项目没有“签约”阶段"):
        renovation(world, code="y", kind="old-factory", stage="signing")


def test_a_renovation_goes_from_planning_straight_to_works_and_counts_as_a_project_started(world):
    project = renovation(world, stage="planning")
    with pytest.raises(ValidationError, match="旧住宅区改造项目没有“征收决定”阶段"):
        project_advance(by=world.olivia.user, project=project, stage="decision", on=timezone.localdate())
    with pytest.raises(ValidationError, match="只能从“前期方案”进入下一阶段“开工”"):
        project_advance(by=world.olivia.user, project=project, stage="completed", on=timezone.localdate())
    proof = evidence_create(by=world.olivia.user, upload=jpeg_upload())
    project_advance(by=world.olivia.user, project=project, stage="started", on=timezone.localdate(), evidence=proof)
    indicator = Indicator.objects.get(code="projects-started")
    year = timezone.localdate().year
    target = Target.objects.create(
        indicator=indicator, unit=world.district, value=2, start=date(year, 1, 1), end=date(year, 12, 31)
    )
    assert standings([target], timezone.localdate())[0].actual == 1


def test_the_renovation_page_shows_its_scope_and_no_household_ledger(world):
    project = renovation(world)
    page = world.client(world.olivia).get(reverse("project_detail", args=[project.code])).content.decode()
    assert "加装电梯8台" in page and "各街道进度" not in page and "选房" not in page
