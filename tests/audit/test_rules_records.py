"""Audit rules on the records: 抢建 (built, extended or enlarged after the freeze date) and the archive's
documents (a document its stage requires missing)."""

from datetime import date
from decimal import Decimal

from gaizao.audit.models import RequiredDocument
from gaizao.audit.rules.archive import reached_through, required_document_save
from gaizao.audit.rules.freeze import area_changes, period_end
from gaizao.ledger.models import Household
from gaizao.ledger.services import household_add_evidence
from gaizao.ledger.workbook.importer import import_ledger
from tests.audit.test_rules import fast_passwords, found, new_household, photo, publish, signed  # noqa: F401
from tests.ledger.workbooks import Sheet, record, table, write_xlsx

# ---- 4. 抢建 --------------------------------------------------------------------------------------------


def building(location: str, built_on: date, precision: str = "day") -> dict:
    return {
        "location": location,
        "certified_area": Decimal("60.00"),
        "built_on": built_on,
        "built_precision": precision,
    }


def test_a_house_built_after_the_freeze_date(world):
    assert world.project.freeze_date == date(2026, 5, 15)
    old = building("人民路5号", date(2010, 6, 1))
    after = building("人民路5号附1", date(2026, 6, 1))
    maybe = building("人民路5号附2", date(2026, 1, 1), "year")  # some day in 2026
    before = building("人民路5号附3", date(2026, 4, 1), "month")  # in April 2026: before the freeze
    household = new_household(world, "A005", "陈五", properties=[old, after, maybe, before])
    by_seq = {f.figures["seq"]: f for f in found("built_after_freeze")}
    assert set(by_seq) == {2, 3}
    assert by_seq[2].severity == "high" and by_seq[2].figures["certain"] is True
    assert "建成于2026-06-01，晚于征收范围冻结日 2026-05-15" in by_seq[2].summary
    assert by_seq[3].severity == "low" and "建成于2026年，可能晚于" in by_seq[3].summary
    assert all(f.household_id == household.pk for f in by_seq.values())


def test_the_build_dates_period():
    assert period_end(date(2026, 2, 1), "month") == date(2026, 2, 28)
    assert period_end(date(2026, 1, 1), "year") == date(2026, 12, 31)
    assert period_end(date(2026, 2, 3), "day") == date(2026, 2, 3)


def test_an_area_increased_by_a_reimport_after_the_freeze(world, tmp_path):
    def workbook(name: str, area: str):
        rows = table([record("C001", "孔十一", "人民路9号", 证载面积=area, 未登记面积="10")])
        return write_xlsx(tmp_path / name, Sheet("城关街道", rows))

    import_ledger(path=workbook("一.xlsx", "80"), project=world.project)
    assert found("built_after_freeze") == []  # the survey itself is no increase
    import_ledger(path=workbook("二.xlsx", "75"), project=world.project)
    assert found("built_after_freeze") == []  # smaller: a correction
    import_ledger(path=workbook("三.xlsx", "95.5"), project=world.project)
    [finding] = found("built_after_freeze")
    assert finding.household_id == Household.objects.get(number="C001").pk
    assert finding.figures["increases"] == [{"seq": "1", "what": "证载面积", "before": "75.00", "after": "95.50"}]
    assert finding.severity == "medium" and "冻结日（2026-05-15）后台账面积增加" in finding.summary


def test_which_changes_are_increases():
    changes = {
        "phone": ["1", "2"],
        "properties.1.certified_area": ["80.00", "90.00"],
        "properties.1.unregistered_area": [None, "5"],
        "properties.1.land_area": ["60", "50"],
        "properties.2": [None, "人民路9号附1"],
    }
    assert [c["what"] for c in area_changes(changes)] == ["证载面积", "未登记面积", "新增房屋"]


# ---- 7. an archive missing a document its stage requires -----------------------------------------------


def test_the_stages_a_requirement_applies_to():
    assert reached_through("vacated") == ({"vacated", "demolished"}, frozenset())
    # past 已签约 by a decision instead: whether a household passed it is read from its steps
    assert reached_through("signed") == ({"signed", "vacated", "demolished"}, {"vacated", "demolished"})


def test_a_document_its_stage_requires_missing_until_it_is_uploaded(world):
    publish(world, world.project)
    defaults = set(RequiredDocument.objects.values_list("stage", "name"))
    assert defaults == {("signed", "补偿协议文本"), ("decided", "补偿决定书"), ("vacated", "腾空交房照片")}
    signed(world, world.house_a, world.alice.user)
    assert found("missing_document") == []  # the signed agreement is the signing step's evidence

    required_document_save(
        by=world.olivia.user, stage="appraised", name="分户评估报告", event_kind="evidence", keyword="评估报告"
    )
    [finding] = found("missing_document")
    assert finding.household_id == world.house_a.pk
    assert finding.figures["missing"] == [{"stage": "appraised", "document": "分户评估报告"}]
    assert "档案缺少：分户评估报告" in finding.summary

    household_add_evidence(by=world.alice.user, household=world.house_a, evidence=photo(world.alice.user), note="照片")
    assert len(found("missing_document")) == 1  # a file, but not the report
    household_add_evidence(
        by=world.alice.user, household=world.house_a, evidence=photo(world.alice.user), note="分户评估报告（扫描件）"
    )
    assert found("missing_document") == []


def test_a_household_signed_by_bulk_load_lacks_its_agreement(world):
    Household.objects.filter(pk=world.house_a.pk).update(stage="signed")  # no step, no file
    [finding] = found("missing_document")
    assert finding.figures["missing"] == [{"stage": "signed", "document": "补偿协议文本"}]
