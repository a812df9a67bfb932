"""Findings: kept once however often the rules run, refreshed while open, resolved when no longer found; the
workflow 待说明 → 已说明 → 已认定 / 已排除 with who may do what; who sees which; the trail; `gaizao audit run`.

The finding used throughout: 陈五 of 城关街道 (Alice's street) built a house after the freeze date."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from gaizao.audit.context import acting
from gaizao.audit.findings import finding_decide, finding_explain
from gaizao.audit.models import AuditRun, Finding, TrailEntry
from gaizao.audit.rules import engine
from gaizao.ledger.models import Property
from gaizao.projects.services import project_create
from tests.audit.test_rules import fast_passwords, new_household  # noqa: F401

TODAY = date(2026, 11, 24)


def built_after_freeze(world, number="A005", street=None, project=None):
    house = {"location": "人民路5号", "certified_area": Decimal("60.00"), "built_on": date(2026, 6, 1)}
    return new_household(world, number, "陈五", street=street, project=project, properties=[house])


def run(**options):
    return engine.run(today=TODAY, codes=["built_after_freeze"], **options).rules[0]


@pytest.fixture
def finding(world) -> Finding:
    built_after_freeze(world)
    run()
    return Finding.objects.get()


# ---- one finding however often the rules run ------------------------------------------------------------


def test_a_second_run_does_not_duplicate_a_finding(world):
    household = built_after_freeze(world)
    first = run()
    assert (first.found, first.new, first.open, first.resolved) == (1, 1, 0, 0)
    second = run()
    assert (second.found, second.new, second.open, second.resolved) == (1, 0, 1, 0)
    finding = Finding.objects.get()
    assert (finding.rule, finding.status, finding.household_id) == ("built_after_freeze", "open", household.pk)
    assert (finding.project_id, finding.district_id, finding.street_id) == (
        world.project.pk,
        world.district.pk,
        world.street_a.pk,
    )
    assert AuditRun.objects.count() == 2


def test_an_open_finding_is_refreshed_resolved_when_gone_and_reopened_when_back(world):
    household = built_after_freeze(world)
    run()
    Property.objects.filter(household=household).update(built_on=date(2026, 7, 1))
    run()
    finding = Finding.objects.get()
    assert finding.figures["built_on"] == "2026-07-01" and "2026-07-01" in finding.summary

    Property.objects.filter(household=household).update(built_on=date(2010, 7, 1))  # the date was mistyped
    assert run().resolved == 1
    finding.refresh_from_db()
    assert (finding.status, finding.resolved_on) == ("resolved", TODAY)
    assert run().resolved == 0  # resolved once

    Property.objects.filter(household=household).update(built_on=date(2026, 8, 1))
    assert run().new == 1
    finding.refresh_from_db()
    assert (finding.status, finding.resolved_on) == ("open", None)
    assert Finding.objects.count() == 1


def test_a_dismissed_finding_stays_dismissed(world, finding):
    finding_decide(by=world.ivy.user, finding=finding, confirm=False, reason="建成时间录入错误，已核实为2016年")
    report = run()
    assert (report.new, report.open, report.closed) == (0, 0, 1)
    Property.objects.filter(household=finding.household).update(built_on=date(2016, 6, 1))
    assert run().resolved == 0
    finding.refresh_from_db()
    assert finding.status == "dismissed"


def test_a_run_for_one_project_leaves_the_others_findings_alone(world, finding):
    other = project_create(
        code="nanhu", name="南湖片区", kind="shantytown", district=world.district, freeze_date=date(2026, 5, 15)
    )
    report = run(project_ids=[other.pk])
    assert (report.found, report.resolved) == (0, 0)
    finding.refresh_from_db()
    assert finding.status == "open"


# ---- the workflow ---------------------------------------------------------------------------------------


def test_the_unit_explains_and_the_inspector_confirms(world, finding):
    explained = finding_explain(by=world.alice.user, finding=finding, text="经核实为翻建，已责令停止")
    assert (explained.status, explained.explained_by) == ("explained", world.alice.user)
    with pytest.raises(ValidationError, match="当前为“已说明”，不能改为“已说明”"):
        finding_explain(by=world.alice.user, finding=finding, text="再说明")
    decided = finding_decide(by=world.ivy.user, finding=finding, confirm=True, reason="违规抢建属实，移送处理")
    assert (decided.status, decided.decided_by) == ("confirmed", world.ivy.user)
    with pytest.raises(ValidationError, match="当前为“已认定”，不能改为“已排除”"):
        finding_decide(by=world.ivy.user, finding=finding, confirm=False, reason="改判")
    with pytest.raises(ValidationError, match="不能改为“已说明”"):
        finding_explain(by=world.alice.user, finding=finding, text="补充")


def test_only_the_unit_explains_and_only_inspectors_decide(world, finding):
    for outsider in (world.ivy, world.lee, world.bob):  # reads everything / changes nothing / another street
        with pytest.raises(PermissionDenied, match="只有该户所属单位可以说明"):
            finding_explain(by=outsider.user, finding=finding, text="说明")
    for not_inspector in (world.alice, world.olivia):
        with pytest.raises(PermissionDenied, match="只有纪检监察人员可以认定或排除"):
            finding_decide(by=not_inspector.user, finding=finding, confirm=False, reason="无问题")
    with pytest.raises(ValidationError, match="须填写排除理由"):
        finding_decide(by=world.ivy.user, finding=finding, confirm=False, reason="  ")
    with pytest.raises(ValidationError, match="须填写情况说明"):
        finding_explain(by=world.alice.user, finding=finding, text="")


def test_an_inspector_may_decide_before_the_unit_explains(world, finding):
    finding_decide(by=world.ivy.user, finding=finding, confirm=False, reason="同一房屋，翻建经审批")
    finding.refresh_from_db()
    assert finding.status == "dismissed"


def test_every_step_is_in_the_trail(world, finding):
    with acting(world.alice.user):  # what a request does for a page
        finding_explain(by=world.alice.user, finding=finding, text="已核实")
    with acting(world.ivy.user):
        finding_decide(by=world.ivy.user, finding=finding, confirm=True, reason="属实")
    entries = TrailEntry.objects.filter(object_type="audit.finding", object_id=str(finding.pk)).order_by("seq")
    assert [(e.action, e.actor) for e in entries] == [("create", "系统"), ("update", "alice"), ("update", "ivy")]
    assert [json.loads(e.data)["status"] for e in entries] == ["open", "explained", "confirmed"]
    assert entries[0].district_id == world.district.pk


# ---- the pages ------------------------------------------------------------------------------------------


def test_the_list_shows_a_unit_its_own_findings_with_counts_per_rule(world, finding):
    other = built_after_freeze(world, number="B005", street=world.street_b)
    run()
    alice_page = world.client(world.alice).get(reverse("audit:findings")).content.decode()
    assert f"#{finding.pk}" in alice_page and other.number not in alice_page
    inspector = world.client(world.ivy).get(reverse("audit:findings"), {"rule": "built_after_freeze"})
    assert inspector.status_code == 200
    assert len(inspector.context["findings"]) == 2
    counts = {row["rule"].code: row["total"] for row in inspector.context["per_rule"]}
    assert counts["built_after_freeze"] == 2 and counts["paid_not_demolished"] == 0
    empty = world.client(world.ivy).get(reverse("audit:findings"), {"rule": "paid_not_demolished"})
    assert "没有符合条件的审计发现" in empty.content.decode()


def test_another_street_gets_404_and_the_unit_explains_on_the_page(world, finding):
    url = reverse("audit:finding", args=[finding.pk])
    assert world.client(world.bob).get(url).status_code == 404
    assert world.client(world.pat).get(url).status_code == 404
    page = world.client(world.alice).get(url).content.decode()
    assert "陈五" in page and reverse("ledger:household_detail", args=[finding.household_id]) in page
    assert "提交说明" in page and "认定问题" not in page
    upload = SimpleUploadedFile("说明.jpg", b"\xff\xd8\xff\xe0photo")
    response = world.client(world.alice).post(url, {"action": "explain", "text": "翻建，已停工", "evidence": upload})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "explained" and finding.explanation_evidence is not None
    assert world.client(world.alice).get(reverse("audit:finding_evidence", args=[finding.pk])).status_code == 200
    assert world.client(world.bob).get(reverse("audit:finding_evidence", args=[finding.pk])).status_code == 404

    assert world.client(world.alice).post(url, {"action": "confirm", "reason": "自己认定"}).status_code == 403
    assert "认定问题" in world.client(world.ivy).get(url).content.decode()
    assert world.client(world.ivy).post(url, {"action": "explain", "text": "代为说明"}).status_code == 403
    world.client(world.ivy).post(url, {"action": "confirm", "reason": "属实"})
    finding.refresh_from_db()
    assert finding.status == "confirmed"
    refused = world.client(world.ivy).post(url, {"action": "dismiss", "reason": "改判"}, follow=True)
    assert "不能改为“已排除”" in refused.content.decode()


def test_the_office_keeps_the_list_of_required_documents(world):
    url = reverse("audit:documents")
    assert "补偿协议文本" in world.client(world.alice).get(url).content.decode()
    fields = {"stage": "appraised", "name": "分户评估报告", "event_kind": "evidence", "keyword": "评估报告"}
    assert world.client(world.alice).post(url, fields).status_code == 403
    world.client(world.olivia).post(url, fields)
    assert "分户评估报告" in world.client(world.alice).get(url).content.decode()


# ---- the command ----------------------------------------------------------------------------------------


def test_the_command_prints_json_and_a_second_run_adds_nothing(world):
    built_after_freeze(world)
    out = StringIO()
    call_command("audit", "run", "--format", "json", "--today", "2026-11-24", stdout=out)
    report = json.loads(out.getvalue())
    assert report["today"] == "2026-11-24" and report["projects"] == []
    rules = {r["rule"]: r for r in report["rules"]}
    assert set(rules) == set(engine.BY_CODE)
    assert (rules["built_after_freeze"]["found"], rules["built_after_freeze"]["new"]) == (1, 1)
    again = StringIO()
    call_command("audit", "run", "--format", "json", "--today", "2026-11-24", stdout=again)
    assert all(r["new"] == 0 for r in json.loads(again.getvalue())["rules"])
    assert Finding.objects.count() == 1

    text = StringIO()
    call_command("audit", "run", "--project", "beizhan", "--rule", "built_after_freeze", stdout=text)
    assert "抢建：发现 1，新增 0，仍待处理 1" in text.getvalue()
    with pytest.raises(CommandError, match="没有编号为“nowhere”的项目"):
        call_command("audit", "run", "--project", "nowhere")
    verified = StringIO()
    call_command("audit", "verify", stdout=verified)
    assert "审计日志完整" in verified.getvalue()
