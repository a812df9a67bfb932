"""The demo district: what `gaizao demo` builds, and that the same seed builds the same district."""

import hashlib
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils.timezone import localtime

from gaizao.core.idcard import IdNumberError, normalize_id_number
from gaizao.demo.build import PASSWORD, PROJECTS, TODAY, DemoBuilder
from gaizao.ledger import tally
from gaizao.ledger.models import EventKind, Household, HouseholdEvent, Member, Property
from gaizao.ledger.stages import EVIDENCE_REQUIRED, ORDER, TRANSITIONS, Stage
from gaizao.org.models import Official, Role
from gaizao.progress.actuals import standings
from gaizao.progress.models import ActionItem, DailyReport, Milestone, ResponsibilityAgreement, Summary, Target
from gaizao.projects.models import RENOVATION_KINDS, Project, ProjectKind

SIZE, SEED = 300, 7


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    logins = DemoBuilder(households=SIZE, seed=SEED).build()
    return logins


def digest() -> str:
    h = hashlib.sha256()
    rows = Household.objects.order_by("project__code", "number").values_list(
        "project__code", "number", "owner_name", "id_number", "phone", "stage", "wish", "street__name"
    )
    for row in rows:
        h.update(repr(row).encode())
    for model, fields in (
        (Property, ("household__number", "seq", "location", "certified_area", "appraised_unit_price")),
        (Member, ("household__number", "name", "id_number", "relation")),
        (HouseholdEvent, ("household__number", "kind", "at", "changes", "note")),
    ):
        for row in model.objects.order_by("household__project__code", "household__number", "id").values_list(*fields):
            h.update(repr(row).encode())
    return h.hexdigest()


def built_and_rolled_back(seed: int, households: int = 120) -> str:
    """Build inside a savepoint, take the digest, and roll back: the next build starts from an empty district."""
    with transaction.atomic():
        DemoBuilder(households=households, seed=seed).build()
        result = digest()
        transaction.set_rollback(True)
    assert not Household.objects.exists()
    return result


# ---- what it builds -------------------------------------------------------------------------------


def test_four_projects_of_the_three_kinds_with_boundaries_two_more_in_planning_and_two_renovations(demo):
    projects = list(Project.objects.filter(signing_start__isnull=False).order_by("code"))
    assert len(projects) == 4
    renovations = Project.objects.filter(kind__in=RENOVATION_KINDS)
    assert {p.get_stage_display() for p in renovations} == {"开工", "前期方案"} and all(p.scope for p in renovations)
    reserve = Project.objects.filter(signing_start__isnull=True).exclude(kind__in=RENOVATION_KINDS)
    assert {p.get_stage_display() for p in reserve} == {"调研摸底", "前期方案"}
    assert all(p.estimated_households and p.planned_start for p in reserve)
    assert {p.kind for p in projects} == set(ProjectKind.values) - RENOVATION_KINDS
    assert Counter(p.kind for p in projects)[ProjectKind.URBAN_VILLAGE] == 2
    for project in projects:
        assert project.boundary["type"] == "Polygon"
        ring = project.boundary["coordinates"][0]
        assert len(ring) == 5 and ring[0] == ring[-1], project.code
        assert all(115 < x < 120 and 30 < y < 33 for x, y in ring)
        assert project.households.exists()


def test_the_households_are_shared_out_as_planned(demo):
    assert Household.objects.count() == SIZE
    counts = Counter(Household.objects.values_list("project__code", flat=True))
    for plan in PROJECTS[:-1]:
        assert counts[plan.code] == round(SIZE * plan.share)
    assert sum(counts.values()) == SIZE


def test_there_is_an_official_of_every_role_and_each_can_log_in(demo):
    officials = Official.objects.select_related("user")
    assert {o.role for o in officials} == set(Role.values)
    assert {login.username for login in demo} == {o.user.username for o in officials}
    assert {login.role for login in demo} == set(Role.labels)
    for official in officials:
        assert Client().login(username=official.user.username, password=PASSWORD), official.user.username


def test_every_stage_but_decided_is_reached_at_this_size(demo):
    stages = Counter(Household.objects.values_list("stage", flat=True))
    assert set(stages) - {Stage.DECIDED} == set(Stage.values) - {Stage.DECIDED}, stages


def test_decisions_only_come_after_the_signing_period_ended(demo):
    ended = {plan.code for plan in PROJECTS if plan.signing[1] < TODAY}
    households = Household.objects.filter(stage=Stage.DECIDED)
    assert set(households.values_list("project__code", flat=True)) <= ended
    decided = HouseholdEvent.objects.filter(kind=EventKind.STAGE, changes__stage__1=Stage.DECIDED)
    assert set(decided.values_list("household__project__code", flat=True)) <= ended


def test_every_id_number_is_valid(demo):
    numbers = list(Household.objects.values_list("id_number", flat=True))
    numbers += list(Member.objects.values_list("id_number", flat=True))
    assert len(numbers) > SIZE
    bad = []
    for number in numbers:
        try:
            assert normalize_id_number(number) == (number, None)
        except IdNumberError as error:
            bad.append((number, error.message))
    assert bad == []
    assert len(set(numbers)) == len(numbers)  # one number a person, as in a register (a few planted at scale)
    birthdays = {number[10:14] for number in numbers}
    assert len(birthdays) > 300  # born on any day of the year, not on a few of them


def test_each_stage_change_is_an_event_from_unsurveyed_to_the_current_stage(demo):
    chains = defaultdict(list)
    for household_id, changes, evidence_id in HouseholdEvent.objects.filter(kind=EventKind.STAGE).values_list(
        "household_id", "changes", "evidence_id"
    ):
        old, new = changes["stage"]
        chains[household_id].append((old, new))
        assert (evidence_id is not None) == (new in EVIDENCE_REQUIRED), (household_id, old, new)
    for house in Household.objects.all():
        steps = sorted(chains[house.pk], key=lambda step: ORDER.index(step[1]))
        walked = [Stage.UNSURVEYED.value]
        for old, new in steps:
            assert old == walked[-1] and new in TRANSITIONS[old], (house.number, steps)
            walked.append(new)
        assert walked[-1] == house.stage, (house.number, steps)
        assert HouseholdEvent.objects.filter(household=house, kind=EventKind.CREATED).count() == 1


def test_appraised_households_were_reviewed_and_locked(demo):
    beyond = [s for s in ORDER if ORDER.index(s) >= ORDER.index(Stage.APPRAISED)]
    for house in Household.objects.all():
        assert (house.reviewed_at is not None) == (house.stage in beyond), house.number
        assert (house.locked_at is not None) == (house.stage in beyond), house.number


def test_the_facts_are_reviewed_before_the_appraisal_is_recorded(demo):
    """The timeline shows events by time: 复核 must come before 已调查 → 已评估, as the services demand."""
    reviewed = dict(HouseholdEvent.objects.filter(kind=EventKind.REVIEWED).values_list("household__number", "at"))
    appraisals = HouseholdEvent.objects.filter(kind=EventKind.STAGE, changes__stage__1=Stage.APPRAISED)
    early = [
        (number, f"复核 {localtime(reviewed[number]):%m-%d %H:%M} 评估 {localtime(at):%m-%d %H:%M}")
        for number, at in appraisals.values_list("household__number", "at")
        if reviewed[number] > at
    ]
    assert early == [], f"{len(early)} households appraised before their review, e.g. {early[:3]}"


def test_no_event_is_dated_after_the_demo_today(demo):
    latest = HouseholdEvent.objects.order_by("-at").values_list("at", flat=True).first()
    assert latest.date() <= TODAY


# ---- the same seed, the same district ---------------------------------------------------------------


def test_the_same_seed_builds_the_same_district_and_another_seed_another(db):
    first = built_and_rolled_back(SEED)
    again = built_and_rolled_back(SEED)
    other = built_and_rolled_back(SEED + 1)
    assert first == again
    assert other != first


# ---- the command ------------------------------------------------------------------------------------


def test_the_demo_command_builds_once_and_prints_the_logins(db):
    out = StringIO()
    call_command("demo", households=200, no_serve=True, stdout=out)
    printed = out.getvalue()

    assert "已建立演示区县：200 户" in printed
    assert f"密码均为 {PASSWORD}" in printed
    for official in Official.objects.select_related("user"):
        assert official.user.username in printed and official.name in printed
    assert "office" in printed and "指挥部办公室" in printed
    assert Household.objects.count() == 200

    out = StringIO()
    call_command("demo", households=200, no_serve=True, stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert Household.objects.count() == 200


def test_signed_demo_households_have_numbered_agreements_and_moved_ones_are_paid(db):
    from gaizao.compensation.models import Agreement
    from gaizao.compensation.payments import moving_refusal
    from gaizao.ledger.models import Household

    DemoBuilder(households=300, seed=7).build()
    agreements = Agreement.objects.filter(project__code="beizhan-shantytown")
    assert agreements.exists()
    numbers = sorted(agreements.values_list("sequence_no", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    for agreement in agreements.filter(signed_on__isnull=False):
        assert agreement.project.signing_start <= agreement.signed_on <= agreement.project.signing_end
    moved = Household.objects.filter(project__code="beizhan-shantytown", stage__in=["vacated", "demolished"])
    for household in moved.filter(agreements__isnull=False):
        assert moving_refusal(household) is None, household.number


def test_the_progress_pages_have_something_of_every_kind(demo):
    assert not tally.drift()
    lights = {s.colour for s in standings(list(Target.objects.all()), TODAY)}
    assert {"green", "red"} <= lights
    assert ResponsibilityAgreement.objects.filter(signed_on__isnull=False).exists()
    assert ResponsibilityAgreement.objects.filter(signed_on__isnull=True).exists()
    assert Milestone.objects.filter(done_on__isnull=False).exists() and Milestone.objects.filter(done_on=None).exists()
    assert DailyReport.objects.filter(late=True).exists() and Summary.objects.exists()
    assert {a.status for a in ActionItem.objects.all()} == {"open", "done"}


def test_the_ladder_has_run_on_the_demo_days(demo):
    from gaizao.supervision.models import Escalation, Rectification, TickRun

    assert TickRun.objects.filter(day=TODAY).exists()
    assert {"挂牌督办", "约谈"} <= set(Escalation.objects.values_list("rung_name", flat=True))
    assert Rectification.objects.filter(status="answered").exists()


def test_the_demo_has_a_pre_acceptance_an_evaluation_bonus_and_a_speech_to_break_down(demo):
    from gaizao.supervision.models import Adjustment, PreAcceptance, Speech
    from gaizao.supervision.tasks import propose

    assert {run.passed for run in PreAcceptance.objects.all()} == {True, False}
    assert Adjustment.objects.filter(kind="bonus").exists()
    _, proposals = propose(Speech.objects.get().text, ["北站街道", "西山街道"], TODAY)
    assert any(p.units == ["北站街道"] and p.deadline for p in proposals)


def test_the_demo_has_illegal_building_cases_at_every_step_and_a_removal_target(demo):
    from gaizao.enforcement.models import Case
    from gaizao.progress.models import Target

    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"found", "stopped", "demolished"} <= statuses
    assert Case.objects.filter(kind="new").exists() and Case.objects.filter(removal_method="forced").exists()
    assert Target.objects.filter(indicator__code="illegal-removed-area").exists()


def test_the_demo_monitor_signs_in_and_finds_reports_in_every_state_and_a_vote_is_open(demo):
    from gaizao.compensation.models import AgencyBallot, AgencyVote
    from gaizao.demo.portal import MONITOR_CODE, MONITOR_PHONE, RESIDENT_CODE, resident_household
    from gaizao.monitors.models import Report

    assert set(Report.objects.values_list("status", flat=True)) == {
        "submitted",
        "assigned",
        "fixed",
        "closed",
        "dismissed",
    }
    client = Client()
    page = client.post("/portal/monitor/", {"phone": MONITOR_PHONE, "code": MONITOR_CODE}, follow=True)
    assert "整改已完成，请验证" in page.content.decode()
    vote = AgencyVote.objects.get()
    resident = resident_household()
    assert AgencyBallot.objects.filter(vote=vote).count() > 0
    assert not AgencyBallot.objects.filter(household=resident).exists()
    client = Client()
    client.post("/portal/login/", {"id_number": resident.id_number, "code": RESIDENT_CODE})
    assert "评估机构投票" in client.get("/portal/me/").content.decode()
