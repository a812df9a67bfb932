"""Audit rules on the money and the agreements: 拿钱没拆, demolished without evidence, an agreement off its
standard, 随征面积 beyond the limit, a payee outside the household, an exception approved by its drafter.

Every record is made through the real services (the ledger, agreements, payments); what the services refuse
to make (an exception approved by its drafter, an edited agreement) is written the way a bulk load or a hand
edit of the database would, since that is what the rules are there to catch. The helpers here are shared by
the other audit tests."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import gaizao.compensation
from gaizao.audit.rules import Found
from gaizao.audit.rules.engine import BY_CODE
from gaizao.audit.rules.standard import along_area_problems, as_computed, no_along_area
from gaizao.compensation.agreements import (
    agreement_draft,
    agreement_exception_decide,
    agreement_exception_request,
    agreement_sign,
)
from gaizao.compensation.models import Agreement, AgreementException
from gaizao.compensation.payments import payment_post, payment_reverse
from gaizao.compensation.services import standard_publish, standard_save
from gaizao.core.evidence import evidence_create
from gaizao.ledger.models import Household, HouseholdEvent
from gaizao.ledger.services import household_create, household_review, household_transition, member_create

SHANTYTOWN = Path(gaizao.compensation.__file__).parent / "examples" / "shantytown-state-land.toml"
TODAY = date(2026, 11, 24)
SIGNED_ON = date(2026, 8, 3)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def publish(world, project, constants: str = "") -> None:
    """The shantytown example as the project's standard (constants added to its [constants]), published."""
    project.signing_start, project.signing_end = date(2026, 8, 1), date(2026, 12, 31)
    project.save()
    source = SHANTYTOWN.read_text(encoding="utf-8").replace(
        'project = "beizhan-shantytown"', f'project = "{project.code}"'
    )
    source = source.replace("[constants]\n", f"[constants]\n{constants}\n")
    draft = standard_save(by=world.olivia.user, project=project, source=source)
    standard_publish(by=world.olivia.user, standard=draft, on=date(2026, 7, 20))


@pytest.fixture
def standard(world):
    publish(world, world.project)
    return world


def signed(world, household: Household, by, *, signed_on: date = SIGNED_ON, exception=None) -> Agreement:
    """Reviewed, appraised, drafted (with an exception approved by the office, if given), signed."""
    household_review(by=world.olivia.user, household=household)
    household_transition(by=by, household=household, stage="appraised")
    agreement = agreement_draft(
        by=by, household=household, choice="货币补偿", moving_deadline=date(2026, 9, 30), planned_signing=signed_on
    )
    if exception:
        line, amount = exception
        asked = agreement_exception_request(by=by, agreement=agreement, line=line, amount=amount, reason="困难户照顾")
        agreement_exception_decide(by=world.olivia.user, exception=asked, approve=True)
    return agreement_sign(by=by, agreement=agreement, signed_on=signed_on, address="征收办")


def pay(agreement: Agreement, amount: str, by, **overrides):
    values = {"paid_on": date(2026, 8, 10), "payee": agreement.household.owner_name, "account": "6222020200112233445"}
    return payment_post(by=by, agreement=agreement, amount=Decimal(amount), **(values | overrides))


def photo(by):
    return evidence_create(by=by, upload=SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0photo"))


def found(code: str, *, today: date = TODAY, project_ids=None) -> list[Found]:
    return list(BY_CODE[code].find(project_ids=project_ids, today=today))


def new_household(world, number: str, owner: str, *, street=None, project=None, **fields) -> Household:
    fields.setdefault("properties", [{"location": f"人民路{number}号", "certified_area": Decimal("80.00")}])
    return household_create(
        by=None,
        project=project or world.project,
        street=street or world.street_a,
        number=number,
        owner_name=owner,
        **fields,
    )


# ---- 1. 拿钱没拆 ---------------------------------------------------------------------------------------


def test_paid_and_not_demolished_a_month_after_the_first_payment(standard):
    w = standard
    agreement = signed(w, w.house_a, w.alice.user)
    pay(agreement, "100000.00", w.alice.user, paid_on=date(2026, 8, 10))

    assert found("paid_not_demolished", today=date(2026, 9, 9)) == []  # the 30th day: still in time
    [finding] = found("paid_not_demolished", today=date(2026, 9, 10))
    assert finding.household_id == w.house_a.pk and finding.agreement_id == agreement.pk
    assert finding.figures["paid"] == "100000.00" and finding.figures["days_overdue"] == 1
    assert finding.figures["first_paid_on"] == "2026-08-10" and finding.severity == "medium"
    assert "已净付 100000.00 元" in finding.summary and "已签约" in finding.summary
    assert found("paid_not_demolished", today=date(2026, 11, 24))[0].severity == "high"  # two months past

    pay(agreement, "538700.00", w.alice.user, paid_on=date(2026, 8, 20))  # the rest: 638700.00 in all
    household_transition(by=w.alice.user, household=w.house_a, stage="vacated", evidence=photo(w.alice.user))
    household_transition(by=w.alice.user, household=w.house_a, stage="demolished", evidence=photo(w.alice.user))
    assert found("paid_not_demolished") == []


def test_a_reversed_payment_is_no_money_paid(standard):
    w = standard
    agreement = signed(w, w.house_a, w.alice.user)
    wrong = pay(agreement, "5000.00", w.alice.user, paid_on=date(2026, 8, 10))
    payment_reverse(by=w.alice.user, payment=wrong, reason="账号填错")
    assert found("paid_not_demolished") == []


# ---- 2. demolished without evidence --------------------------------------------------------------------


def test_a_house_marked_demolished_without_evidence(standard):
    w = standard
    agreement = signed(w, w.house_a, w.alice.user)
    pay(agreement, "638700.00", w.alice.user)
    household_transition(by=w.alice.user, household=w.house_a, stage="vacated", evidence=photo(w.alice.user))
    household_transition(by=w.alice.user, household=w.house_a, stage="demolished", evidence=photo(w.alice.user))
    assert found("demolished_no_evidence") == []  # the ledger's own step asks for the photo

    # A bulk load past the services: A001's photo detached, B001 set to demolished with no step at all.
    HouseholdEvent.objects.filter(household=w.house_a, changes__stage__1="demolished").update(evidence=None)
    Household.objects.filter(pk=w.house_b.pk).update(stage="demolished")
    by_household = {f.household_id: f for f in found("demolished_no_evidence")}
    assert set(by_household) == {w.house_a.pk, w.house_b.pk}
    assert "拆除记录没有佐证材料" in by_household[w.house_a.pk].summary
    assert by_household[w.house_a.pk].figures["by"] == "alice"
    assert "没有拆除的阶段变更记录" in by_household[w.house_b.pk].summary


# ---- 5. an agreement off its standard; 10. an exception approved by its drafter -------------------------


def test_an_agreement_off_its_standard_without_an_approved_exception(standard):
    w = standard
    agreement = signed(w, w.house_a, w.alice.user, exception=("decoration_value", Decimal("20000.00")))
    assert found("agreement_off_standard") == []  # differs from the standard, by an approved exception

    lines = agreement.lines
    reward = next(line for line in lines if line["name"] == "signing_reward")
    reward["amount"] = "50000.00"  # raised by hand, the total with it
    Agreement.objects.filter(pk=agreement.pk).update(lines=lines, total=agreement.total + Decimal("20000.00"))
    [finding] = found("agreement_off_standard")
    assert finding.agreement_id == agreement.pk and finding.severity == "high"
    assert finding.figures["lines"] == [
        {"line": "signing_reward", "label": "按期签约奖励", "standard": "30000.00", "amount": "50000.00"}
    ]
    assert "按期签约奖励 30000.00→50000.00" in finding.summary

    Agreement.objects.filter(pk=agreement.pk).update(total=agreement.total + Decimal("99.00"))
    [finding] = found("agreement_off_standard")
    assert "与明细之和" in finding.summary


def test_an_exception_approved_by_the_official_who_drafted_it(standard):
    w = standard
    agreement = signed(w, w.house_a, w.alice.user, exception=("decoration_value", Decimal("20000.00")))
    assert found("self_approved_exception") == []  # Alice asked, the office approved
    exception = AgreementException.objects.get(agreement=agreement)
    AgreementException.objects.filter(pk=exception.pk).update(decided_by=exception.drafted_by)
    [finding] = found("self_approved_exception")
    assert finding.agreement_id == agreement.pk and finding.household_id == w.house_a.pk
    assert finding.figures["drafted_and_approved_by"] == "alice" and finding.figures["amount"] == "20000.00"


# ---- 6. 随征面积 ----------------------------------------------------------------------------------------


def test_along_area_checked_against_the_standards_limit_and_the_unregistered_area():
    facts = {"properties": [{"certified_area": "100", "unregistered_area": "30", "recognised_area": "20"}]}
    assert along_area_problems(facts, None, None)[0] == []
    assert along_area_problems(facts, Decimal(20), Decimal("0.2"))[0] == []
    problems, figures, severity = along_area_problems(facts, Decimal(15), Decimal("0.1"))
    assert problems == ["随征（认定合法）面积 20㎡ 超过方案上限 15㎡", "随征面积 20㎡ 超过证载面积 100㎡ 的 0.1"]
    assert severity == "medium" and figures["limit"] == "15"
    beyond = {"properties": [{"certified_area": "100", "unregistered_area": "10", "recognised_area": "20"}]}
    problems, _, severity = along_area_problems(beyond, None, None)
    assert problems == ["第1处认定合法面积 20㎡ 大于未登记面积 10㎡"] and severity == "high"


def test_along_area_beyond_the_standards_limit(world):
    publish(world, world.project, constants="along_area_limit = 15")
    within = world.house_a  # no unregistered area at all
    beyond = new_household(
        world,
        "A002",
        "周九",
        persons=2,
        properties=[
            {
                "location": "人民路2号",
                "certified_area": Decimal("90.00"),
                "unregistered_area": Decimal("30.00"),
                "recognised_area": Decimal("25.00"),
                "appraised_unit_price": Decimal("6000.00"),
            }
        ],
    )
    signed(world, within, world.alice.user)
    agreement = signed(world, beyond, world.alice.user)
    [finding] = found("along_area_excess")
    assert finding.household_id == beyond.pk and finding.agreement_id == agreement.pk
    assert finding.figures["recognised_area"] == "25.00" and finding.figures["limit"] == "15"
    assert "超过方案上限 15㎡" in finding.summary


# ---- 8. a payee outside the household ------------------------------------------------------------------


def test_a_payment_to_someone_not_the_owner_nor_a_registered_member(standard):
    w = standard
    member_create(by=w.alice.user, household=w.house_a, name="张小明", relation="子")
    agreement = signed(w, w.house_a, w.alice.user)
    pay(agreement, "1000.00", w.alice.user)  # the owner
    pay(agreement, "2000.00", w.alice.user, payee="张小明")  # a registered member
    assert found("payee_not_household") == []
    outsider = pay(agreement, "3000.00", w.alice.user, payee="钱某某", account="6222000011112222333")
    [finding] = found("payee_not_household")
    assert finding.payment_id == outsider.pk and finding.severity == "high"
    assert finding.figures["payee"] == "钱某某" and finding.figures["members"] == ["张小明"]
    assert finding.figures["account"] == "***************2333"  # masked to its last four digits
    payment_reverse(by=w.alice.user, payment=outsider, reason="收款人错误")
    assert found("payee_not_household") == []


def test_stored_lines_are_read_quickly_only_when_plainly_as_computed():
    lines = [
        {"name": "a", "label": "甲", "standard_amount": "100.00", "amount": "100.00", "in_total": True},
        {"name": "b", "label": "乙", "standard_amount": "-20.50", "amount": "-20.50", "in_total": True},
    ]
    assert as_computed(json.dumps(lines), "79.50")
    assert not as_computed(json.dumps(lines), "79.51")  # the total is not the sum
    changed = [lines[0] | {"amount": "120.00"}, lines[1]]
    assert not as_computed(json.dumps(changed), "99.50")  # looked at closer: an amount off its standard
    helper = [*lines, {"name": "c", "label": "丙", "standard_amount": "5.00", "amount": "5.00", "in_total": False}]
    assert not as_computed(json.dumps(helper), "79.50")  # a helper line: parsed in full
    reordered = json.dumps([{k: line[k] for k in sorted(line)} for line in lines])  # PostgreSQL's key order
    assert not as_computed(reordered, "79.50")
    facts = {"properties": [{"certified_area": "90.00", "recognised_area": "0.00"}]}
    assert no_along_area(json.dumps(facts))
    facts["properties"].append({"certified_area": "10.00", "recognised_area": "2.50"})
    assert not no_along_area(json.dumps(facts))
