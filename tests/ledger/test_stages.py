"""The household's stage machine: one step forward at a time, the right proof for each step, one event each."""

import itertools
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import event as statistics_event
from hypothesis import strategies as st

from gaizao.compensation.models import Agreement, Decision
from gaizao.compensation.services import standard_save
from gaizao.core.evidence import evidence_create
from gaizao.ledger.models import EventKind, Household, HouseholdEvent
from gaizao.ledger.services import household_create, household_review, household_transition
from gaizao.ledger.stages import EVIDENCE_REQUIRED, ORDER, REVIEW_REQUIRED, TRANSITIONS, Stage, label

CHINESE = re.compile(r"[\u4e00-\u9fff]")
LEGAL = [(current, target) for current, targets in TRANSITIONS.items() for target in targets]
numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def proof(world, name="补偿协议.pdf"):
    return evidence_create(
        by=world.alice.user, upload=SimpleUploadedFile(name, b"%PDF-1.4 signed", content_type="application/pdf")
    )


SETTLED_STANDARD = """
[standard]
name = "结清"
version = "1"
options = ["货币补偿"]
[[line]]
name = "nothing_owed"
formula = "0"
"""


def settle(world, house) -> None:
    """先补偿、后搬迁 holds: a signed agreement with nothing left to pay (the stage machine is what is tested here)."""
    standard = standard_save(by=world.olivia.user, project=world.project, source=SETTLED_STANDARD)
    Agreement.objects.create(
        household=house,
        project=world.project,
        district=world.district,
        standard=standard,
        status="signed",
        choice="money",
        facts={},
        circumstances={},
        lines=[],
        total=0,
        moving_deadline=date(2026, 12, 31),
        drafted_by=world.olivia.user,
    )


def decide(world, house) -> None:
    """A published compensation decision: the other way to 先补偿、后搬迁."""
    standard = standard_save(by=world.olivia.user, project=world.project, source=SETTLED_STANDARD)
    Decision.objects.create(
        household=house,
        project=world.project,
        district=world.district,
        standard=standard,
        choice="money",
        facts={},
        lines=[],
        total=0,
        decided_on=date(2026, 1, 10),
        published_on=date(2026, 1, 12),
        document_sha256="0" * 64,
        decided_by=world.olivia.user,
    )


def household_at(world, stage: str, *, reviewed: bool = True) -> Household:
    house = household_create(
        by=world.alice.user,
        project=world.project,
        street=world.street_a,
        number=f"S{next(numbers):04d}",
        owner_name="陈阶段",
        stage=stage,
    )
    if reviewed:
        household_review(by=world.alice.user, household=house)
    if stage in (Stage.SIGNED, Stage.VACATED, Stage.DEMOLISHED):
        settle(world, house)
    if stage == Stage.DECIDED:
        decide(world, house)
    house.refresh_from_db()
    return house


def move(world, house, stage, *, evidence=None, note=""):
    event = household_transition(by=world.alice.user, household=house, stage=stage, evidence=evidence, note=note)
    if stage == Stage.SIGNED:
        settle(world, house)
    if stage == Stage.DECIDED:
        decide(world, house)
    return event


def refusal(world, house, stage, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        move(world, house, stage, **kwargs)
    message = "；".join(caught.value.messages)
    assert CHINESE.search(message), message
    return message


def stage_events(house) -> list[HouseholdEvent]:
    return list(HouseholdEvent.objects.filter(household=house, kind=EventKind.STAGE).order_by("id"))


# ---- every legal move -------------------------------------------------------------------------


def test_the_stages_form_one_path_with_a_fork_at_appraisal():
    assert ORDER == ["unsurveyed", "surveyed", "appraised", "signed", "decided", "vacated", "demolished"]
    assert set(TRANSITIONS) == set(Stage.values)
    assert TRANSITIONS[Stage.DEMOLISHED] == ()
    for current, target in LEGAL:
        # forward only, and only one step: 已裁决 is the alternative to 已签约, not a step after it
        assert ORDER.index(target) > ORDER.index(current)
    assert set(TRANSITIONS[Stage.APPRAISED]) == {Stage.SIGNED, Stage.DECIDED}


@pytest.mark.parametrize("current, target", LEGAL, ids=[f"{c}->{t}" for c, t in LEGAL])
def test_each_legal_move_goes_forward_one_step_and_leaves_its_event(world, current, target):
    house = household_at(world, current)
    evidence = proof(world)

    event = move(world, house, target, evidence=evidence, note="按程序推进")

    house.refresh_from_db()
    assert house.stage == target
    assert event.kind == EventKind.STAGE
    assert event.changes == {"stage": [current, target]}
    assert event.by == world.alice.user
    assert event.evidence == evidence
    assert event.note == "按程序推进"
    assert [e.pk for e in stage_events(house)] == [event.pk]
    assert HouseholdEvent.objects.get(pk=event.pk).changes == {"stage": [current, target]}


def test_a_household_walks_the_whole_way_from_unsurveyed_to_demolished(world):
    house = household_at(world, Stage.UNSURVEYED, reviewed=False)
    path = [Stage.SURVEYED, Stage.APPRAISED, Stage.SIGNED, Stage.VACATED, Stage.DEMOLISHED]
    previous = Stage.UNSURVEYED
    for stage in path:
        if stage == Stage.APPRAISED:
            household_review(by=world.alice.user, household=house)
        move(world, house, stage, evidence=proof(world) if stage in EVIDENCE_REQUIRED else None)
        house.refresh_from_db()
        assert house.stage == stage
        previous = stage
    assert previous == Stage.DEMOLISHED
    assert [e.changes["stage"] for e in stage_events(house)] == [
        ["unsurveyed", "surveyed"],
        ["surveyed", "appraised"],
        ["appraised", "signed"],
        ["signed", "vacated"],
        ["vacated", "demolished"],
    ]


def test_a_compensation_decision_replaces_signing(world):
    house = household_at(world, Stage.APPRAISED)
    move(world, house, Stage.DECIDED, evidence=proof(world, "补偿决定公告.pdf"))
    move(world, house, Stage.VACATED, evidence=proof(world, "腾空照片.pdf"))
    house.refresh_from_db()
    assert house.stage == Stage.VACATED
    assert [e.changes["stage"] for e in stage_events(house)] == [["appraised", "decided"], ["decided", "vacated"]]


# ---- every illegal move -----------------------------------------------------------------------


@pytest.mark.parametrize("current", ORDER)
def test_skipping_going_back_or_standing_still_is_refused_naming_both_stages(world, current):
    house = household_at(world, current)
    evidence = proof(world)
    illegal = [target for target in ORDER if target not in TRANSITIONS[current]]
    assert illegal
    for target in illegal:
        message = refusal(world, house, target, evidence=evidence)
        assert f"“{label(current)}”" in message, (current, target, message)
        assert f"“{label(target)}”" in message, (current, target, message)
        house.refresh_from_db()
        assert house.stage == current
    assert stage_events(house) == []


def test_the_refusal_says_what_the_next_step_may_be(world):
    house = household_at(world, Stage.SURVEYED)
    message = refusal(world, house, Stage.SIGNED, evidence=proof(world))
    assert message == "不能从“已调查”直接变为“已签约”，下一步只能是：已评估"

    appraised = household_at(world, Stage.APPRAISED)
    message = refusal(world, appraised, Stage.VACATED, evidence=proof(world))
    assert "已签约" in message and "已裁决" in message


def test_going_back_from_signed_to_appraised_is_refused(world):
    house = household_at(world, Stage.SIGNED)
    message = refusal(world, house, Stage.APPRAISED, evidence=proof(world))
    assert message.startswith("不能从“已签约”直接变为“已评估”")


def test_nothing_comes_after_demolished(world):
    house = household_at(world, Stage.DEMOLISHED)
    for target in ORDER:
        message = refusal(world, house, target, evidence=proof(world))
        assert "“已拆除”" in message and f"“{label(target)}”" in message
        assert "已是最后阶段" in message
    house.refresh_from_db()
    assert house.stage == Stage.DEMOLISHED
    assert stage_events(house) == []


def test_an_unknown_stage_is_refused(world):
    house = household_at(world, Stage.SURVEYED)
    assert refusal(world, house, "finished") == "阶段“finished”无效"
    house.refresh_from_db()
    assert house.stage == Stage.SURVEYED


# ---- what each step must show -----------------------------------------------------------------


def test_appraisal_needs_the_survey_facts_reviewed_first(world):
    house = household_at(world, Stage.SURVEYED, reviewed=False)

    message = refusal(world, house, Stage.APPRAISED)
    assert message == "变为“已评估”前，调查数据须先复核"
    house.refresh_from_db()
    assert house.stage == Stage.SURVEYED

    household_review(by=world.alice.user, household=house)
    move(world, house, Stage.APPRAISED)
    house.refresh_from_db()
    assert house.stage == Stage.APPRAISED
    assert REVIEW_REQUIRED == {Stage.APPRAISED}


@pytest.mark.parametrize(
    "current, target",
    [
        (Stage.APPRAISED, Stage.SIGNED),
        (Stage.APPRAISED, Stage.DECIDED),
        (Stage.SIGNED, Stage.VACATED),
        (Stage.VACATED, Stage.DEMOLISHED),
    ],
    ids=["signed", "decided", "vacated", "demolished"],
)
def test_signing_deciding_vacating_and_demolishing_need_an_evidence_file(world, current, target):
    house = household_at(world, current)

    message = refusal(world, house, target)
    assert message == f"变为“{label(target)}”须上传佐证材料"
    house.refresh_from_db()
    assert house.stage == current
    assert stage_events(house) == []

    event = move(world, house, target, evidence=proof(world))
    assert event.evidence is not None
    house.refresh_from_db()
    assert house.stage == target


def test_surveying_and_appraising_need_no_evidence_file(world):
    house = household_at(world, Stage.UNSURVEYED)
    move(world, house, Stage.SURVEYED)
    move(world, house, Stage.APPRAISED)
    house.refresh_from_db()
    assert house.stage == Stage.APPRAISED
    assert EVIDENCE_REQUIRED == {Stage.SIGNED, Stage.DECIDED, Stage.VACATED, Stage.DEMOLISHED}


def test_the_stage_button_shows_the_refusal_on_the_household_page(world):
    client = world.client(world.alice)
    house = household_at(world, Stage.APPRAISED)
    url = reverse("ledger:household_stage", args=[house.pk])

    upload = SimpleUploadedFile("协议.pdf", b"%PDF-1.4", content_type="application/pdf")
    page = client.post(url, {"stage": Stage.SIGNED, "evidence": upload}, follow=True).content.decode()
    assert "签约须通过“补偿协议”办理" in page  # signing is the agreement's, not the stage button's
    house.refresh_from_db()
    assert house.stage == Stage.APPRAISED

    vacated = household_at(world, Stage.VACATED)
    url = reverse("ledger:household_stage", args=[vacated.pk])
    page = client.post(url, {"stage": Stage.DEMOLISHED, "note": ""}, follow=True).content.decode()
    assert "变为“已拆除”须上传佐证材料" in page
    upload = SimpleUploadedFile("拆除.jpg", b"\xff\xd8\xff\xe0photo", content_type="image/jpeg")
    page = client.post(
        url, {"stage": Stage.DEMOLISHED, "note": "拆除", "evidence": upload}, follow=True
    ).content.decode()
    assert "已保存" in page
    vacated.refresh_from_db()
    assert vacated.stage == Stage.DEMOLISHED
    assert stage_events(vacated)[0].evidence.name == "拆除.jpg"


def test_a_read_only_official_cannot_move_a_stage(world):
    house = household_at(world, Stage.SURVEYED)
    with pytest.raises(PermissionDenied):
        household_transition(by=world.ivy.user, household=house, stage=Stage.APPRAISED)
    house.refresh_from_db()
    assert house.stage == Stage.SURVEYED


# ---- any sequence of requests ------------------------------------------------------------------

# A request names a stage outright, or asks for one of the current stage's next steps (so walks get far).
asked = st.one_of(st.sampled_from(ORDER), st.integers(0, 1).map(lambda i: ("next", i)))
requests = st.lists(
    st.tuples(asked, st.booleans(), st.booleans()),  # (stage asked for, with evidence, review first)
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=requests)
def test_any_sequence_of_requests_only_ever_moves_along_the_transitions(world, steps):
    house = household_at(world, Stage.UNSURVEYED, reviewed=False)
    evidence = proof(world)
    stage, reviewed, accepted = Stage.UNSURVEYED.value, False, 0
    for request, with_evidence, review_first in steps:
        if isinstance(request, tuple):
            nexts = TRANSITIONS[stage] or (Stage.SURVEYED,)
            target = nexts[request[1] % len(nexts)]
        else:
            target = request
        if review_first and not reviewed:
            household_review(by=world.alice.user, household=house)
            reviewed = True
        legal = (
            target in TRANSITIONS[stage]
            and (target not in REVIEW_REQUIRED or reviewed)
            and (target not in EVIDENCE_REQUIRED or with_evidence)
        )
        before = HouseholdEvent.objects.filter(household=house).count()
        try:
            event = move(world, house, target, evidence=evidence if with_evidence else None)
        except ValidationError:
            assert not legal, (stage, target, with_evidence, reviewed)
            assert HouseholdEvent.objects.filter(household=house).count() == before
        else:
            assert legal, (stage, target, with_evidence, reviewed)
            assert target in TRANSITIONS[stage]
            new = HouseholdEvent.objects.filter(household=house, pk__gte=event.pk)
            assert list(new.values_list("kind", "changes")) == [(EventKind.STAGE, {"stage": [stage, target]})]
            assert HouseholdEvent.objects.filter(household=house).count() == before + 1
            stage, accepted = target, accepted + 1
        house.refresh_from_db()
        assert house.stage == stage
    chain = [e.changes["stage"] for e in stage_events(house)]
    assert len(chain) == accepted
    walked = [Stage.UNSURVEYED.value]
    for old, new in chain:
        assert old == walked[-1] and new in TRANSITIONS[old]
        walked.append(new)
    assert walked[-1] == stage
    statistics_event(f"reached {stage}")
