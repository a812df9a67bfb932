"""Publications (阳光征收): the office freezes the survey results and the compensation results of a project, masked,
numbered per project and kind, never edited; a correction is the next number and supersedes the one before."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from gaizao.ledger.models import Property
from gaizao.portal.models import Publication, PublishedRow
from gaizao.portal.publication import publish
from gaizao.projects.services import project_create
from tests.portal.support import ALICE_ID, ALICE_PHONE, cards, messages_of, page, signed_in

PERSONAL = (ALICE_ID, ALICE_PHONE, "19491231", "张三明", "李四", "王五", "赵老师")


def stored(publication: Publication) -> str:
    """Everything a publication and its rows hold, as one text."""
    rows = [model_to_dict(row) for row in publication.lines.order_by("seq")]
    return json.dumps([model_to_dict(publication), rows], ensure_ascii=False, default=str)


def rows_of(publication: Publication) -> list[tuple]:
    return list(publication.lines.order_by("seq").values_list("seq", "household_id", "number", "name", "figures"))


def publication_url(world, kind: str, number: int) -> str:
    return f"/portal/p/{world.project.code}/{kind}/{number}/"


# ---- the survey publication ------------------------------------------------------------------------------------


def test_a_survey_publication_masks_names_and_holds_no_id_number_or_phone(world, survey, today):
    assert (survey.kind, survey.number, survey.rows) == ("survey", 1, 3)
    assert survey.published_on == today and survey.objection_until == today + timedelta(days=7)
    assert [(r[2], r[3]) for r in rows_of(survey)] == [("A001", "张*明"), ("B001", "李*"), ("B002", "王*")]
    first = survey.lines.get(number="A001").figures["properties"]
    assert first == [
        {
            "location": "人民路1号",
            "use": "住宅",
            "structure": "砖混",
            "certified_area": "100.00",
            "recognised_area": "",
            "unregistered_area": "",
            "land_area": "",
        }
    ]
    assert survey.summary == {
        "households": 3,
        "certified_area": "300.00",
        "recognised_area": "0",
        "unregistered_area": "0",
        "land_area": "0",
    }
    text = stored(survey)
    assert "张*明" in text
    for value in PERSONAL:
        assert value not in text, value


def test_the_rendered_list_is_masked_too(world, survey, code_a):
    html = page(signed_in(ALICE_ID, code_a), publication_url(world, "survey", 1))
    assert "张*明" in html and "李*" in html and "王*" in html and "江滨路8号" in html
    for value in PERSONAL:
        assert value not in html, value


def test_a_correction_is_the_next_number_and_the_first_is_never_edited(world, survey, today, code_a):
    before = rows_of(survey)
    first_digest = survey.digest
    # the ledger is corrected: A001's certified area was 120 ㎡, not 100
    Property.objects.filter(household=world.house_a).update(certified_area=Decimal("120.00"))
    second = publish(by=world.olivia.user, project=world.project, kind="survey", on=today, note="更正A001证载面积")

    assert second.number == 2
    assert list(Publication.objects.filter(kind="survey").order_by("number").values_list("number", flat=True)) == [1, 2]
    assert second.lines.get(number="A001").figures["properties"][0]["certified_area"] == "120.00"
    assert second.summary["certified_area"] == "320.00" and second.digest != first_digest
    survey.refresh_from_db()
    assert rows_of(survey) == before  # the first publication keeps what it said
    assert survey.lines.get(number="A001").figures["properties"][0]["certified_area"] == "100.00"
    assert survey.summary["certified_area"] == "300.00" and survey.digest == first_digest

    resident = signed_in(ALICE_ID, code_a)
    assert "证载 100.00㎡" in page(resident, publication_url(world, "survey", 1)).split("B001")[0]
    assert "证载 120.00㎡" in page(resident, publication_url(world, "survey", 2)).split("B001")[0]

    shown = cards(page(resident, f"/portal/p/{world.project.code}/"))
    first_card = next(c for c in shown if "第 1 次" in c)
    second_card = next(c for c in shown if "第 2 次" in c)
    assert "已被更新的公示取代" in first_card and "已被更新的公示取代" not in second_card
    assert "更正A001证载面积" in second_card


def test_numbers_are_counted_per_project_and_kind(world, survey, signed, today, other):
    results = publish(by=world.olivia.user, project=world.project, kind="results", on=today)
    again = publish(by=world.olivia.user, project=world.project, kind="survey", on=today)
    assert (survey.number, results.number, again.number) == (1, 1, 2)
    assert other.project.publications.get().number == 1  # 南站 counts on its own


# ---- the compensation results ----------------------------------------------------------------------------------


def test_a_results_publication_holds_the_signed_agreement_lines_and_total(world, signed, today, code_a):
    results = publish(by=world.olivia.user, project=world.project, kind="results", on=today)
    assert results.objection_until is None and results.rows == 1  # B001 and B002 have not signed
    row = results.lines.get()
    assert (row.number, row.name, row.household_id) == ("A001", "张*明", world.house_a.pk)
    expected = [[line["label"], line["amount"]] for line in signed.lines if line["in_total"]]
    assert row.figures == {"how": "协议", "choice": "货币补偿", "lines": expected, "total": "628700.00"}
    assert ["被征收房屋价值补偿", "600000.00"] in expected and ["按期签约奖励", "20000.00"] in expected
    assert sum(Decimal(amount) for _, amount in expected) == signed.total == Decimal("628700.00")
    assert results.summary == {"households": 1, "total": "628700.00", "choices": {"货币补偿": 1}}
    for value in PERSONAL:
        assert value not in stored(results), value

    resident = signed_in(ALICE_ID, code_a)
    html = page(resident, publication_url(world, "results", 1))
    assert "协议 · 货币补偿" in html and "按期签约奖励" in html and "628700.00" in html
    assert "提交异议" not in html  # a results publication takes no objection
    assert "补偿合计 628700.00 元" in page(resident, f"/portal/p/{world.project.code}/")


# ---- refusals --------------------------------------------------------------------------------------------------


def _nothing_published():
    assert not Publication.objects.exists() and not PublishedRow.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "lee", "ivy", "pat"])
def test_only_the_command_office_publishes(world, today, who):
    with pytest.raises(PermissionDenied):
        publish(by=getattr(world, who).user, project=world.project, kind="survey", on=today)
    _nothing_published()


def test_a_future_date_is_refused(world, today):
    with pytest.raises(ValidationError, match="晚于今天"):
        publish(by=world.olivia.user, project=world.project, kind="survey", on=today + timedelta(days=1))
    _nothing_published()


def test_an_objection_period_under_seven_days_is_refused(world, today):
    with pytest.raises(ValidationError, match="公示期：应为 7 到 180 天，填的是 3 天"):
        publish(by=world.olivia.user, project=world.project, kind="survey", on=today, objection_days=3)
    _nothing_published()
    seven = publish(by=world.olivia.user, project=world.project, kind="survey", on=today, objection_days=7)
    assert seven.objection_until == today + timedelta(days=7)


def test_a_project_without_households_has_nothing_to_publish(world, today):
    empty = project_create(
        code="kong", name="空片区", kind="shantytown", district=world.district, freeze_date=today - timedelta(days=9)
    )
    with pytest.raises(ValidationError, match="空片区还没有可公布的调查结果"):
        publish(by=world.olivia.user, project=empty, kind="survey", on=today)
    with pytest.raises(ValidationError, match="北站片区棚户区改造还没有可公布的已签协议或补偿决定"):
        publish(by=world.olivia.user, project=world.project, kind="results", on=today)
    _nothing_published()


def test_an_unknown_kind_is_refused(world, today):
    with pytest.raises(ValidationError, match="公示类型“everything”不存在"):
        publish(by=world.olivia.user, project=world.project, kind="everything", on=today)
    _nothing_published()


# ---- the office's page -----------------------------------------------------------------------------------------


def office_url(world) -> str:
    return f"/portal/office/{world.project.code}/"


def test_the_office_publishes_from_its_page(world, today):
    client = world.client(world.olivia)
    response = client.post(
        office_url(world) + "publish/",
        {"kind": "survey", "on": today.isoformat(), "objection_days": "10", "note": "第一次公示"},
    )
    assert response.status_code == 302 and response.url == office_url(world)
    made = Publication.objects.get()
    assert (made.number, made.rows, made.note, made.by) == (1, 3, "第一次公示", world.olivia.user)
    assert made.objection_until == today + timedelta(days=10)
    html = page(client, office_url(world))
    assert "冻结并发布" in html and made.digest[:14] in html and "调查结果公示" in html


def test_bad_form_values_are_named_and_publish_nothing(world):
    client = world.client(world.olivia)
    response = client.post(office_url(world) + "publish/", {"kind": "survey", "on": "2026-13-01"}, follow=True)
    assert "公布日期：“2026-13-01”不是日期" in messages_of(response.content.decode())
    response = client.post(
        office_url(world) + "publish/", {"kind": "survey", "on": "2026-11-01", "objection_days": "七"}, follow=True
    )
    assert "公示期天数：“七”不是整数" in messages_of(response.content.decode())
    _nothing_published()


def test_street_staff_may_read_the_office_page_but_not_publish(world, today):
    client = world.client(world.alice)
    html = page(client, office_url(world))
    assert "已发布" in html and "冻结并发布" not in html
    response = client.post(office_url(world) + "publish/", {"kind": "survey", "on": today.isoformat()})
    assert response.status_code == 403
    _nothing_published()


def test_the_office_page_is_out_of_reach_of_another_district(world, survey, today):
    client = world.client(world.pat)
    assert client.get(office_url(world)).status_code == 404
    assert client.post(office_url(world) + "publish/", {"kind": "survey", "on": today.isoformat()}).status_code == 404
    assert Publication.objects.count() == 1


def test_the_office_page_needs_an_official(world, survey):
    response = world.client(None).get(office_url(world))
    assert response.status_code == 302 and "/portal/" not in response.url.split("?")[0]


# ---- the public project page -----------------------------------------------------------------------------------


def test_the_public_sees_progress_and_publications_but_not_the_lists(world, survey):
    html = page(world.client(None), f"/portal/p/{world.project.code}/")
    assert "北站片区棚户区改造" in html and "调查结果公示" in html and "3 户" in html
    assert "分户明细仅向本项目被征收户公开" in html
    assert publication_url(world, "survey", 1) not in html
    assert "张*明" not in html and "A001" not in html
    assert "北站片区棚户区改造" in page(world.client(None), "/portal/")


def test_a_project_with_nothing_published_is_not_public(world):
    assert world.client(None).get(f"/portal/p/{world.project.code}/").status_code == 404
    assert "北站片区棚户区改造" not in page(world.client(None), "/portal/")


def test_an_objection_period_beyond_the_calendar_is_refused_not_a_crash(world, today):
    client = world.client(world.olivia)
    client.raise_request_exception = False
    response = client.post(
        office_url(world) + "publish/", {"kind": "survey", "on": today.isoformat(), "objection_days": "99999999"}
    )
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        publish(by=world.olivia.user, project=world.project, kind="survey", on=today, objection_days=10**7)
    _nothing_published()
