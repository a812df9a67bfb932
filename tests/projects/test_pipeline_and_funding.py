"""A project's way along its pipeline, the reserve projects, and its money planned against spent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gaizao.core.evidence import evidence_create
from gaizao.progress import funding
from gaizao.progress.actuals import measure_totals, scope_of
from gaizao.projects.models import Disbursement, PipelineStage, Project, ProjectStageChange, SourceKind
from gaizao.projects.services import project_advance, project_create


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def today():
    return timezone.localdate()


def proof(world):
    upload = SimpleUploadedFile("开工照片.pdf", b"%PDF-1.4 photo", content_type="application/pdf")
    return evidence_create(by=world.olivia.user, upload=upload)


def walk_to(world, project, stage, evidence=None):
    stages = list(PipelineStage.values)
    for step in stages[stages.index(project.stage) + 1 : stages.index(stage) + 1]:
        project_advance(by=world.olivia.user, project=project, stage=step, on=today(), evidence=evidence)
        project.refresh_from_db()


def test_a_project_moves_one_step_at_a_time_and_keeps_its_history(world):
    project = world.project
    project_advance(by=world.olivia.user, project=project, stage=PipelineStage.PLANNING, on=today())
    with pytest.raises(ValidationError, match="只能从“前期方案”进入下一阶段“征收决定”"):
        project_advance(by=world.olivia.user, project=project, stage=PipelineStage.SIGNING, on=today())
    assert [c.after for c in ProjectStageChange.objects.all()] == [PipelineStage.PLANNING]


def test_a_counted_step_needs_its_evidence_and_counts_as_a_project_started(world):
    project = world.project
    walk_to(world, project, PipelineStage.LAND)
    with pytest.raises(ValidationError, match="须上传佐证"):
        project_advance(by=world.olivia.user, project=project, stage=PipelineStage.STARTED, on=today())
    project_advance(
        by=world.olivia.user, project=project, stage=PipelineStage.STARTED, on=today(), evidence=proof(world)
    )
    totals = measure_totals(scope_of(world.district), today() - timedelta(days=1), today())
    assert totals["projects_started"] == 1 and totals["projects_completed"] == 0


def test_only_the_office_moves_a_project_and_not_into_the_future_or_the_past(world):
    with pytest.raises(PermissionDenied):
        project_advance(by=world.alice.user, project=world.project, stage=PipelineStage.PLANNING, on=today())
    with pytest.raises(ValidationError, match="不能晚于今天"):
        project_advance(
            by=world.olivia.user, project=world.project, stage=PipelineStage.PLANNING, on=today() + timedelta(days=1)
        )
    project_advance(by=world.olivia.user, project=world.project, stage=PipelineStage.PLANNING, on=today())
    with pytest.raises(ValidationError, match="早于上一阶段变更日期"):
        project_advance(
            by=world.olivia.user, project=world.project, stage=PipelineStage.DECISION, on=today() - timedelta(days=3)
        )


def test_the_reserve_page_lists_projects_still_in_planning(world):
    project_create(
        code="nanhu",
        name="南湖村城中村改造",
        kind="urban-village",
        district=world.district,
        freeze_date=today(),
        estimated_households=640,
        planned_start=today() + timedelta(days=90),
        brief="村民改造意愿较强",
    )
    html = world.client(world.olivia).get(reverse("pipeline")).content.decode()
    assert "南湖村城中村改造" in html and "640" in html and "村民改造意愿较强" in html
    assert "南湖村城中村改造" not in world.client(world.pat).get(reverse("pipeline")).content.decode()


@pytest.fixture
def loan(world):
    funding.plan_set(by=world.olivia.user, project=world.project, year=today().year, planned=Decimal("1000000"))
    return funding.source_set(
        by=world.olivia.user,
        project=world.project,
        kind=SourceKind.BANK_LOAN,
        name="棚改专项贷款",
        committed=Decimal("500000"),
    )


def test_disbursements_stay_within_their_source_and_need_a_voucher(world, loan):
    post = dict(by=world.olivia.user, source=loan, use="land", on=today())
    with pytest.raises(ValidationError, match="凭证"):
        funding.disbursement_post(**post, amount=Decimal("100"), evidence=None)
    funding.disbursement_post(**post, amount=Decimal("400000"), evidence=proof(world))
    with pytest.raises(ValidationError, match="超过额度 500000.00 元"):
        funding.disbursement_post(**post, amount=Decimal("100000.01"), evidence=proof(world))
    with pytest.raises(ValidationError, match="低于已拨付"):
        funding.source_set(
            by=world.olivia.user,
            project=world.project,
            kind=SourceKind.BANK_LOAN,
            name="棚改专项贷款",
            committed=Decimal("300000"),
        )
    assert Disbursement.objects.count() == 1


def test_planned_against_actual_by_year_and_source(world, loan):
    funding.disbursement_post(
        by=world.olivia.user,
        source=loan,
        use="resettlement",
        on=today(),
        amount=Decimal("250000"),
        evidence=proof(world),
    )
    figures = funding.funding_of([world.project])
    year = figures.years[-1]
    assert (year.planned, year.disbursed, year.rate) == (Decimal("1000000"), Decimal("250000"), Decimal("25.0"))
    assert figures.sources == [(loan, Decimal("250000"))]
    assert figures.by_use == {"resettlement": Decimal("250000")}


def test_the_project_page_shows_the_money_and_takes_the_offices_entries(world, loan):
    client = world.client(world.olivia)
    url = reverse("project_detail", args=[world.project.code])
    client.post(
        reverse("project_funding", args=[world.project.code]), {"form": "plan", "year": 2027, "planned": "2000000"}
    )
    html = client.get(url).content.decode()
    assert "棚改专项贷款" in html and "2027" in html and "2000000.00" in html
    assert (
        world.client(world.alice)
        .post(reverse("project_funding", args=[world.project.code]), {"form": "plan", "year": 2028, "planned": "1"})
        .status_code
        == 403
    )
    assert not Project.objects.get(pk=world.project.pk).plans.filter(year=2028).exists()
    assert world.client(world.pat).get(url).status_code == 404


def test_the_project_page_drills_down_by_street_within_the_users_view(world):
    from gaizao.ledger.services import household_review, household_transition

    household_review(by=world.olivia.user, household=world.house_a)
    household_transition(by=world.olivia.user, household=world.house_a, stage="appraised")
    url = reverse("project_detail", args=[world.project.code])
    office = world.client(world.olivia).get(url).content.decode()
    assert world.street_a.name in office and world.street_b.name in office
    street = world.client(world.alice).get(url).content.decode()
    table = street.split('class="grid by-street"')[1].split("</table>")[0]
    assert world.street_a.name in table and world.street_b.name not in table
