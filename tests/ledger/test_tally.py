"""Daily tallies (ledger/tally.py): what a household counts for and on which day, and the services keeping
the stored tallies equal to a recount from the events, in the same transaction."""

import itertools
import tempfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import event as statistics_event
from hypothesis import strategies as st

from gaizao.compensation.agreements import agreement_draft, agreement_sign, agreement_void
from gaizao.compensation.decisions import decision_make
from gaizao.compensation.models import Agreement, AgreementStatus, Payment
from gaizao.compensation.payments import owed, paid, payment_post, payment_reverse
from gaizao.compensation.services import standard_publish, standard_save
from gaizao.core.evidence import evidence_create
from gaizao.ledger import tally
from gaizao.ledger.models import Household, Tally
from gaizao.ledger.services import household_create, household_review, household_transition, household_update
from gaizao.ledger.stages import BY_DOCUMENT, EVIDENCE_REQUIRED, TRANSITIONS, Stage
from gaizao.ledger.tally import Facts, Measure, Step, contribution, reached
from gaizao.ledger.workbook.importer import ImportReport, import_ledger
from gaizao.projects.services import project_create
from tests.compensation.conftest import SHANTYTOWN
from tests.ledger.workbooks import Sheet, record, table, write_xlsx

S = Stage
D1, D2, D3, D4, D5 = (date(2026, 8, day) for day in range(1, 6))
numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---- a household's contribution, from plain facts ----------------------------------------------------


def facts(first: str = S.SURVEYED, *steps: Step, **more) -> Facts:
    return Facts(project=1, district=2, street=3, holder=4, first_stage=first, created=D1, steps=list(steps), **more)


def step(day: date, before: str, after: str, evidenced: bool = True) -> Step:
    return Step(day, before, after, evidenced)


FORWARD = (
    step(D2, S.SURVEYED, S.APPRAISED, evidenced=False),
    step(D3, S.APPRAISED, S.SIGNED),
    step(D4, S.SIGNED, S.VACATED),
    step(D5, S.VACATED, S.DEMOLISHED),
)
NEEDING_EVIDENCE = [(b, a) for b, afters in TRANSITIONS.items() for a in afters if a in EVIDENCE_REQUIRED]


def counted(one: Facts) -> dict[tuple[date, str], int]:
    """The contribution by (day, measure); every key carries the household's project, district, street, holder."""
    out = {}
    for (*where, day, measure), hundredths in contribution(one).items():
        assert where == [1, 2, 3, 4]
        out[(day, measure)] = hundredths
    return out


def test_a_household_created_surveyed_counts_once_on_its_creation_day():
    assert reached(facts()) == {S.SURVEYED: D1}
    assert counted(facts()) == {(D1, Measure.SURVEYED): 100}


def test_an_unsurveyed_household_counts_from_the_day_it_is_surveyed():
    assert counted(facts(S.UNSURVEYED)) == {}
    assert counted(facts(S.UNSURVEYED, step(D2, S.UNSURVEYED, S.SURVEYED, evidenced=False))) == {
        (D2, Measure.SURVEYED): 100
    }


def test_each_step_counts_its_stage_on_the_day_of_the_step():
    one = facts(S.SURVEYED, *FORWARD)
    assert reached(one) == {S.SURVEYED: D1, S.APPRAISED: D2, S.SIGNED: D3, S.VACATED: D4, S.DEMOLISHED: D5}
    assert counted(one) == {
        (D1, Measure.SURVEYED): 100,
        (D2, Measure.APPRAISED): 100,
        (D3, Measure.SIGNED): 100,
        (D4, Measure.VACATED): 100,
        (D5, Measure.DEMOLISHED): 100,
    }


@pytest.mark.parametrize("before, after", NEEDING_EVIDENCE, ids=[f"{b}->{a}" for b, a in NEEDING_EVIDENCE])
def test_a_step_without_the_evidence_it_needs_does_not_count(before, after):
    assert after not in reached(facts(before, step(D2, before, after, evidenced=False)))
    assert reached(facts(before, step(D2, before, after)))[after] == D2


def test_a_void_takes_the_signing_and_its_areas_back_until_signed_again():
    areas = {"compensated_area": Decimal("112.50"), "land_area": Decimal(60)}
    signed = step(D2, S.APPRAISED, S.SIGNED)
    voided = facts(S.APPRAISED, signed, step(D3, S.SIGNED, S.APPRAISED, evidenced=False), **areas)
    assert reached(voided) == {S.SURVEYED: D1, S.APPRAISED: D1}
    assert counted(voided) == {(D1, Measure.SURVEYED): 100, (D1, Measure.APPRAISED): 100}
    again = facts(S.APPRAISED, signed, voided.steps[1], step(D4, S.APPRAISED, S.SIGNED), **areas)
    assert counted(again) == counted(voided) | {
        (D4, Measure.SIGNED): 100,
        (D4, Measure.SIGNED_AREA): 11250,
        (D4, Measure.LAND_AREA): 6000,
    }


def test_a_household_entered_at_a_later_stage_reaches_the_common_path_but_not_signing_or_decision():
    assert reached(facts(S.VACATED)) == {S.SURVEYED: D1, S.APPRAISED: D1, S.VACATED: D1}
    later = counted(facts(S.VACATED, step(D2, S.VACATED, S.DEMOLISHED)))
    assert {measure for _, measure in later} == {"surveyed", "appraised", "vacated", "demolished"}


def test_areas_count_on_the_day_of_their_stage_in_hundredths():
    areas = {"building_area": Decimal("130.25"), "compensated_area": Decimal("112.50"), "land_area": Decimal(60)}
    areas_only = {k: v for k, v in counted(facts(S.SURVEYED, *FORWARD, **areas)).items() if k[1].endswith("_area")}
    assert areas_only == {
        (D1, Measure.SURVEYED_AREA): 13025,
        (D3, Measure.SIGNED_AREA): 11250,
        (D3, Measure.LAND_AREA): 6000,
        (D5, Measure.DEMOLISHED_AREA): 13025,
    }


def test_land_is_counted_on_the_day_of_the_decision_when_there_is_no_agreement():
    decided = counted(facts(S.APPRAISED, step(D3, S.APPRAISED, S.DECIDED), land_area=Decimal("60.5")))
    assert decided[(D3, Measure.DECIDED)] == 100 and decided[(D3, Measure.LAND_AREA)] == 6050
    assert (D3, Measure.SIGNED) not in decided


def test_payments_count_on_their_paid_day_and_a_day_that_nets_to_nothing_is_left_out():
    payments = [(D2, Decimal("1000.50")), (D2, Decimal("0.25")), (D3, Decimal("-0.25")), (D4, 5), (D4, -5)]
    payments = [(day, Decimal(amount)) for day, amount in payments]
    paid_by_day = {k: v for k, v in counted(facts(payments=payments)).items() if k[1] == Measure.PAID}
    assert paid_by_day == {(D2, Measure.PAID): 100075, (D3, Measure.PAID): -25}


# ---- the stored tallies follow the services --------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def kept(measure: str, **where) -> int:
    """The stored hundredths of one measure, summed over what `where` leaves open."""
    return Tally.objects.filter(measure=measure, **where).aggregate(total=Sum("hundredths"))["total"] or 0


def assert_consistent() -> None:
    assert tally.drift() == {}
    assert tally.stored() == tally.recount()


PROPERTY = {
    "location": "人民路1号",
    "certified_area": Decimal("80.25"),
    "unregistered_area": Decimal(20),
    "recognised_area": Decimal("10.5"),
    "land_area": Decimal(50),
    "appraised_unit_price": Decimal(6000),
}


def new_household(world, street=None, properties=(PROPERTY,), **fields) -> Household:
    number = f"N{next(numbers):04d}"
    street = street or world.street_a
    return household_create(
        by=None, project=world.project, street=street, number=number, owner_name="周新", properties=properties, **fields
    )


def photo(world):
    return evidence_create(by=world.olivia.user, upload=ContentFile(b"\xff\xd8\xff\xe0photo", name="现场.jpg"))


def appraise(world, house) -> None:
    household_review(by=world.olivia.user, household=house)
    household_transition(by=world.olivia.user, household=house, stage=S.APPRAISED)


def test_households_created_count_as_surveyed_today_on_their_street_and_holder(world):
    assert kept(Measure.SURVEYED, street=world.street_a, holder=0, day=today()) == 100
    assert kept(Measure.SURVEYED, street=world.street_b, holder=0, day=today()) == 100
    assert kept(Measure.SURVEYED, street=world.street_b, holder=world.support.pk, day=today()) == 100
    assert kept(Measure.SURVEYED_AREA, street=world.street_a) == 10000  # 100 ㎡ certified
    assert_consistent()


def test_a_household_entered_at_a_later_stage_counts_the_common_path_today(world):
    new_household(world, stage=S.VACATED)
    for measure, expected in ((S.APPRAISED, 100), (S.VACATED, 100), (S.SIGNED, 0), (S.DEMOLISHED, 0)):
        assert kept(measure, street=world.street_a, day=today()) == expected, measure
    assert_consistent()


def test_areas_summed_over_several_properties_are_exact_in_hundredths(world):
    parts = [("0.10", "33.33"), ("0.20", "66.67"), ("1000000.01", "0.01")]
    properties = [
        {"location": f"人民路{n}号", "certified_area": Decimal(c), "unregistered_area": Decimal(u)}
        for n, (c, u) in enumerate(parts, start=2)
    ]
    new_household(world, street=world.street_b, properties=properties, holder_unit=world.support)
    held = {"street": world.street_b, "holder": world.support.pk}
    assert kept(Measure.SURVEYED_AREA, **held) == 10000 + 100_010_032  # B002's 100 ㎡, then 1000100.32 ㎡
    assert_consistent()


def test_a_transition_counts_on_the_day_it_took_place(world):
    appraise(world, world.house_a)
    household_review(by=world.olivia.user, household=world.house_b)
    yesterday = today() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(yesterday, time(10)))
    household_transition(by=world.olivia.user, household=world.house_b, stage=S.APPRAISED, at=at)
    assert kept(Measure.APPRAISED, street=world.street_a, day=today()) == 100
    assert kept(Measure.APPRAISED, street=world.street_b, day=yesterday) == 100
    assert kept(Measure.APPRAISED) == 200
    assert_consistent()


def test_a_refused_transition_changes_no_tally(world):
    with pytest.raises(ValidationError, match="复核"):
        household_transition(by=world.olivia.user, household=world.house_a, stage=S.APPRAISED)
    assert kept(Measure.APPRAISED) == 0
    appraise(world, world.house_a)
    before = tally.stored()
    with pytest.raises(ValidationError, match="佐证"):
        household_transition(by=world.olivia.user, household=world.house_a, stage=S.SIGNED)
    assert tally.stored() == before
    assert_consistent()


def test_changing_the_holder_unit_moves_the_household_counts(world):
    appraise(world, world.house_a)
    household_update(by=world.olivia.user, household=world.house_a, changes={"holder_unit": world.support})
    for measure in (Measure.SURVEYED, Measure.APPRAISED, Measure.SURVEYED_AREA):
        assert kept(measure, street=world.street_a, holder=0) == 0, measure
    held = {"street": world.street_a, "holder": world.support.pk, "day": today()}
    assert kept(Measure.APPRAISED, **held) == 100 and kept(Measure.SURVEYED_AREA, **held) == 10000
    assert_consistent()


# ---- agreements and payments ---------------------------------------------------------------------------


@pytest.fixture
def published(world):
    """The world's project under the shantytown example, its signing period around today."""
    project = world.project
    project.code = "beizhan-shantytown"  # the example standard names its project
    project.signing_start, project.signing_end = today() - timedelta(days=30), today() + timedelta(days=30)
    project.save()
    draft = standard_save(by=world.olivia.user, project=project, source=SHANTYTOWN.read_text(encoding="utf-8"))
    standard_publish(by=world.olivia.user, standard=draft, on=project.signing_start - timedelta(days=10))
    return world


def sign(world, house) -> Agreement:
    by = world.olivia.user
    draft = agreement_draft(
        by=by, household=house, choice="货币补偿", moving_deadline=today() + timedelta(days=60), planned_signing=today()
    )
    return agreement_sign(by=by, agreement=draft, signed_on=today(), address="征收办")


def pay(world, agreement, amount, paid_on=None) -> Payment:
    return payment_post(
        by=world.olivia.user,
        agreement=agreement,
        amount=Decimal(amount),
        paid_on=paid_on or today(),
        payee="张三明",
        account="6222020200112233445",
    )


def test_signing_counts_the_household_and_its_area_on_the_signing_day(published):
    appraise(published, published.house_a)
    sign(published, published.house_a)
    assert kept(Measure.SIGNED, street=published.street_a, day=today()) == 100
    assert kept(Measure.SIGNED_AREA, street=published.street_a, day=today()) == 10000
    assert_consistent()


def test_a_payment_counts_on_its_paid_day_and_its_reversal_takes_it_back_today(published):
    appraise(published, published.house_a)
    agreement = sign(published, published.house_a)
    last_week = today() - timedelta(days=7)
    payment = pay(published, agreement, "1000.50", paid_on=last_week)
    assert kept(Measure.PAID, street=published.street_a, day=last_week) == 100050
    assert_consistent()
    payment_reverse(by=published.olivia.user, payment=payment, reason="账号填错")
    assert kept(Measure.PAID, day=today()) == -100050 and kept(Measure.PAID) == 0
    assert_consistent()


def test_vacating_and_demolishing_with_photos_count_with_the_demolished_area(published):
    house = published.house_a
    appraise(published, house)
    pay(published, sign(published, house), owed(Agreement.objects.get(household=house)))
    household_transition(by=published.olivia.user, household=house, stage=S.VACATED, evidence=photo(published))
    household_transition(by=published.olivia.user, household=house, stage=S.DEMOLISHED, evidence=photo(published))
    for measure, expected in ((S.VACATED, 100), (S.DEMOLISHED, 100), (Measure.DEMOLISHED_AREA, 10000)):
        assert kept(measure, street=published.street_a, day=today()) == expected, measure
    assert_consistent()


def test_a_signing_entered_afterwards_counts_on_the_day_it_was_signed(published):
    appraise(published, published.house_a)
    week_ago = today() - timedelta(days=7)
    by = published.olivia.user
    draft = agreement_draft(
        by=by,
        household=published.house_a,
        choice="货币补偿",
        moving_deadline=today() + timedelta(days=60),
        planned_signing=week_ago,
    )
    agreement_sign(by=by, agreement=draft, signed_on=week_ago, address="征收办")
    assert kept(Measure.SIGNED, day=week_ago) == 100
    assert kept(Measure.SIGNED, day=today()) == 0
    assert_consistent()


def test_voiding_an_agreement_takes_the_signing_back(published):
    appraise(published, published.house_a)
    agreement = sign(published, published.house_a)
    agreement_void(by=published.olivia.user, agreement=agreement, reason="户主去世，继承人重新签约")
    assert kept(Measure.SIGNED) == 0 and kept(Measure.SIGNED_AREA) == 0
    assert kept(Measure.APPRAISED, street=published.street_a) == 100
    assert_consistent()


def test_a_decision_counts_decided_and_the_land_on_its_day_and_lets_the_household_move(published):
    project = published.project
    project.signing_end = today() - timedelta(days=5)
    project.save()
    house = new_household(published)  # 50 ㎡ of land
    appraise(published, house)
    yesterday = today() - timedelta(days=1)
    decision_make(by=published.olivia.user, household=house, decided_on=yesterday, published_on=yesterday)
    household_transition(by=published.olivia.user, household=house, stage=S.VACATED, evidence=photo(published))
    for measure, expected in ((S.DECIDED, 100), (Measure.LAND_AREA, 5000)):  # on the day it was published
        assert kept(measure, street=published.street_a, day=yesterday) == expected, measure
    for measure, expected in ((S.VACATED, 100), (S.SIGNED, 0), (S.DECIDED, 0)):
        assert kept(measure, street=published.street_a, day=today()) == expected, measure
    assert_consistent()


# ---- the workbook import -------------------------------------------------------------------------------


def import_rows(world, *records) -> ImportReport:
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(Path(folder) / "台账.xlsx", Sheet("台账", table(records)))
        report = import_ledger(path=path, project=world.project)
    assert report.written and report.rejected == [], report.rejected
    return report


def test_an_import_counts_new_households_on_the_import_day_and_a_new_area_again(world):
    held = {"street": world.street_a, "holder": world.support.pk, "day": today()}
    for area, expected in ((85.5, 11550), (90, 12000)):  # certified + 30 unregistered
        import_rows(world, record("C001", "陈国华", "人民路3号", 证载面积=area, 未登记面积=30, 包户单位="区教育局"))
        assert kept(Measure.SURVEYED, **held) == 100
        assert kept(Measure.SURVEYED_AREA, **held) == expected
        assert_consistent()


def test_an_import_moving_a_household_to_another_street_moves_its_counts(world):
    appraise(world, world.house_a)
    import_rows(world, record("A001", "张三明", "人民路1号", street="江滨街道", 证载面积=100))
    world.house_a.refresh_from_db()
    assert world.house_a.street == world.street_b
    assert kept(Measure.SURVEYED, street=world.street_a) == 0 and kept(Measure.APPRAISED, street=world.street_a) == 0
    assert kept(Measure.SURVEYED, street=world.street_b, holder=0) == 200  # with B001
    assert kept(Measure.APPRAISED, street=world.street_b, holder=0) == 100
    assert_consistent()


# ---- any sequence of what the services allow keeps the tallies right ----------------------------------


def signed_agreement(house: Household) -> Agreement | None:
    return house.agreements.filter(status=AgreementStatus.SIGNED).first()


def review(world, house, _):
    return household_review(by=world.olivia.user, household=house)


def step_forward(world, house, evidenced):
    """To the next stage not reached by a document, with or without a photo."""
    stage = next((s for s in TRANSITIONS[house.stage] if s not in BY_DOCUMENT), None)
    evidence = photo(world) if evidenced else None
    return stage and household_transition(by=world.olivia.user, household=house, stage=stage, evidence=evidence)


def pay_some(world, house, in_full):
    agreement = signed_agreement(house)
    amount = owed(agreement) - paid(agreement) if agreement and in_full else "1000.00"
    return agreement and pay(world, agreement, amount, today() - timedelta(days=3))


def reverse_last(world, house, _):
    payment = Payment.objects.filter(household=house, reverses=None, reversal=None).last()
    return payment and payment_reverse(by=world.olivia.user, payment=payment, reason="录入错误")


def void(world, house, _):
    agreement = signed_agreement(house)
    return agreement and agreement_void(by=world.olivia.user, agreement=agreement, reason="录入错误")


def swap_holder(world, house, _):
    holder = None if house.holder_unit_id else world.support
    return household_update(by=world.olivia.user, household=house, changes={"holder_unit": holder})


def reimport(world, house, new_area):
    """The household imported again from the other street, its certified area given again or changed."""
    street = "江滨街道" if house.street_id == world.street_a.pk else "城关街道"
    area = Decimal("80.25") + (house.pk % 7 + 1 if new_area else 0)
    return import_rows(world, record(house.number, house.owner_name, "人民路1号", street=street, 证载面积=area))


def advance(world, house, _):
    """What an official would do next, done right: reviewed, appraised, signed, paid in full, photographed."""
    agreement = signed_agreement(house)
    if house.stage == S.SURVEYED and house.reviewed_at is None:
        return review(world, house, _)
    if house.stage == S.APPRAISED:
        return sign(world, house)
    if house.stage == S.SIGNED and agreement and paid(agreement) < owed(agreement):
        return pay_some(world, house, True)
    return step_forward(world, house, True)


REQUESTS = {
    "review": review,
    "step": step_forward,
    "sign": lambda world, house, _: sign(world, house),
    "pay": pay_some,
    "reverse": reverse_last,
    "void": void,
    "holder": swap_holder,
    "import": reimport,
}


def assert_counts_match_the_ledger() -> None:
    """Independent of tally.py: what the households, agreements and payments show now."""

    def households(*stages: str) -> int:
        return Household.objects.filter(stage__in=stages).count() * 100

    assert kept(Measure.SURVEYED) == households(*(set(S.values) - {S.UNSURVEYED}))
    assert kept(Measure.APPRAISED) == households(S.APPRAISED, S.SIGNED, S.VACATED, S.DEMOLISHED)
    assert kept(Measure.SIGNED) == Agreement.objects.filter(status=AgreementStatus.SIGNED).count() * 100
    assert kept(Measure.VACATED) == households(S.VACATED, S.DEMOLISHED)
    assert kept(Measure.DEMOLISHED) == households(S.DEMOLISHED)
    assert kept(Measure.PAID) == int((Payment.objects.aggregate(total=Sum("amount"))["total"] or 0) * 100)


requests = st.lists(
    st.tuples(
        st.one_of(st.just("advance"), st.sampled_from(list(REQUESTS))), st.sampled_from([0, 0, 0, 1]), st.booleans()
    ),
    min_size=4,
    max_size=20,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=requests)
def test_any_sequence_of_requests_keeps_the_stored_tallies_equal_to_a_recount(published, steps):
    houses = [new_household(published), new_household(published)]
    for name, which, flag in steps:
        house = Household.objects.get(pk=houses[which].pk)
        try:
            done = (advance if name == "advance" else REQUESTS[name])(published, house, flag)
            statistics_event(f"{name}@{house.stage}: {'done' if done else 'nothing to do'}")
        except ValidationError:
            statistics_event(f"{name}@{house.stage}: refused")  # nothing changed
    for house in Household.objects.filter(pk__in=[h.pk for h in houses]):
        statistics_event(f"ended {house.stage}")
    assert_consistent()
    assert_counts_match_the_ledger()


# ---- the command --------------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("tally", *args, stdout=out)
    return out.getvalue()


def test_check_passes_when_the_tallies_agree_with_the_events(world):
    assert "一致" in run("check")
    assert "一致" in run("check", "--project", "beizhan")


@pytest.mark.parametrize("scope", [(), ("--project", "beizhan")], ids=["all", "one project"])
def test_check_names_a_wrong_count_and_rebuild_repairs_it(world, scope):
    Tally.objects.filter(measure=Measure.SURVEYED, street=world.street_a).update(hundredths=500)
    Tally.objects.filter(measure=Measure.SURVEYED_AREA, street=world.street_a).delete()
    out = StringIO()
    with pytest.raises(CommandError, match="不一致：2 处"):
        call_command("tally", "check", *scope, stdout=out)
    assert f"街道 {world.street_a.pk} 包户单位 无 {today()} surveyed：差 -4.0" in out.getvalue()
    assert f"{today()} surveyed_area：差 100.0" in out.getvalue()
    assert "已重算" in run("rebuild", *scope)
    assert "一致" in run("check", *scope)
    assert_consistent()


def test_rebuilding_one_project_leaves_the_others_alone(world):
    other = project_create(
        code="nanzhan", name="南站片区", kind="shantytown", district=world.district, freeze_date=date(2026, 5, 15)
    )
    household_create(by=None, project=other, street=world.street_a, number="S001", owner_name="南")
    Tally.objects.filter(measure=Measure.SURVEYED).update(hundredths=300)
    run("rebuild", "--project", "nanzhan")
    assert "一致" in run("check", "--project", "nanzhan")
    with pytest.raises(CommandError, match="不一致：3 处"):  # beizhan's three street-and-holder counts
        run("check")
    assert set(tally.drift()) == set(tally.drift([world.project.pk]))


def test_an_unknown_project_is_refused_in_chinese(world):
    with pytest.raises(CommandError, match="没有编号为“nowhere”的项目"):
        run("check", "--project", "nowhere")
