"""修改案件信息: a case's facts corrected after registration, by whoever may record its steps, checked as at
registration, each change kept with who, when, before and after; after the removal only the description."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gaizao.audit.models import TrailEntry
from gaizao.enforcement import services
from gaizao.enforcement.models import Case, CaseStep
from gaizao.org.models import UnitKind
from gaizao.org.services import unit_create

from .test_cases import new_case, take_down

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[118.8, 32.0], [118.8001, 32.0], [118.8001, 32.0001], [118.8, 32.0001], [118.8, 32.0]]],
}


def test_the_street_corrects_the_facts_and_the_change_is_kept_with_before_and_after(world):
    case = new_case(world)
    village = unit_create(name="城关村", kind=UnitKind.VILLAGE, parent=world.street_a)
    edited = services.case_edit(
        by=world.alice.user,
        case=case,
        location="城关街道人民路3号院内东侧",
        village=village,
        area=Decimal("100.00"),
        longitude=Decimal("118.8"),
        latitude=Decimal("32.0"),
        owner_name="孙七",  # unchanged: not recorded
    )
    assert (edited.location, edited.village, edited.area) == ("城关街道人民路3号院内东侧", village, Decimal("100.00"))
    step = CaseStep.objects.get(case=case, kind="edited")
    assert step.by == world.alice.user and step.at <= timezone.now()
    assert step.changes == {
        "location": ["城关街道人民路3号院内", "城关街道人民路3号院内东侧"],
        "village": [None, "城关村"],
        "area": ["120.00", "100.00"],
        "longitude": [None, "118.800000"],
        "latitude": [None, "32.000000"],
    }
    assert "建筑面积（㎡）：120.00 → 100.00" in step.note and "当事人" not in step.note
    assert TrailEntry.objects.filter(object_type="enforcement.case", object_id=str(case.pk), action="update").exists()
    assert services.case_edit(by=world.alice.user, case=case, area=Decimal("100")) == edited  # nothing changed
    assert CaseStep.objects.filter(case=case, kind="edited").count() == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"area": Decimal("130.00")}, r"建筑面积（130.00㎡）大于占地面积×层数（60.00㎡×2）"),
        ({"land_area": Decimal("50.00")}, r"占地面积（60.00㎡）大于所在宗地面积（50.00㎡）"),
        ({"floors": 0}, "层数至少为 1"),
        ({"location": "  "}, "须写明违建位置"),
        ({"outline": {"type": "LineString", "coordinates": [[118.8, 32.0], [118.81, 32.0]]}}, "不是多边形"),
        ({"outline": {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]}}, "自相交"),
        ({"longitude": Decimal("218.5"), "latitude": Decimal("32")}, "经度：应在 -180 到 180 度之间"),
        ({"longitude": Decimal("118.5")}, "经度和纬度须同时填写"),
        ({"kind": "other"}, "类别不在可选范围内"),
        ({"code": "WJ-1"}, "不能修改这些字段：code"),
    ],
)
def test_bad_input_is_refused_by_name_and_nothing_is_saved(world, fields, message):
    case = new_case(world)
    with pytest.raises(ValidationError, match=message):
        services.case_edit(by=world.alice.user, case=case, **({"location": "新位置"} | fields))
    case.refresh_from_db()
    assert case.location == "城关街道人民路3号院内" and case.area == Decimal("120.00")
    assert not CaseStep.objects.filter(kind="edited").exists()


def test_a_village_of_another_street_is_refused(world):
    village = unit_create(name="江滨村", kind=UnitKind.VILLAGE, parent=world.street_b)
    with pytest.raises(ValidationError, match="不是城关街道下属的村"):
        services.case_edit(by=world.alice.user, case=new_case(world), village=village)


def test_who_may_record_its_steps_may_correct_it(world):
    case = new_case(world)
    for outsider in (world.bob, world.ivy, world.pat):
        with pytest.raises(PermissionDenied):
            services.case_edit(by=outsider.user, case=case, location="别处")
    assert services.case_edit(by=world.olivia.user, case=case, location="人民路5号").location == "人民路5号"


def test_an_outline_in_degrees_puts_a_case_without_coordinates_on_the_map(world):
    case = services.case_edit(by=world.alice.user, case=new_case(world), outline=SQUARE)
    assert Decimal("118.8") < case.longitude < Decimal("118.8001") and Decimal("32.0") < case.latitude < Decimal(
        "32.0001"
    )


def test_after_the_removal_only_the_description_changes(world):
    case = take_down(world, new_case(world))
    with pytest.raises(ValidationError, match="案件已拆除，只能修改情况说明，不能再修改建筑面积（㎡）、类别"):
        services.case_edit(by=world.alice.user, case=case, area=Decimal("90"), kind="stock", description="补记")
    edited = services.case_edit(by=world.alice.user, case=case, description="拆除后复核：无残留", area=case.area)
    assert edited.description == "拆除后复核：无残留" and edited.area == Decimal("120.00")


def test_a_stock_case_found_to_be_new_starts_its_places_accountability(world):
    case = new_case(world, kind="stock", found_at=timezone.now() - timedelta(days=2))
    assert not case.steps.filter(kind="accountability").exists()
    services.case_edit(by=world.alice.user, case=case, kind="new")
    [accountability] = case.steps.filter(kind="accountability")
    assert "新增违建，启动属地责任追究：城关街道" in accountability.note


def test_the_case_page_edits_and_shows_a_refusal_by_field_with_what_was_typed(world):
    case = new_case(world)
    alice = world.client(world.alice)
    page = alice.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "修改案件信息" in page and 'name="location"' in page
    url = reverse("enforcement:case_edit", args=[case.pk])
    form = {
        "location": "人民路3号院内东侧",
        "kind": "new",
        "owner_name": "孙七",
        "footprint_area": "60",
        "floors": "2",
        "area": "130",
        "longitude": "118.8",
        "latitude": "32",
    }
    refused = alice.post(url, form)
    text = refused.content.decode()
    assert refused.status_code == 200 and "建筑面积（130㎡）大于占地面积×层数（60㎡×2）" in text
    assert "人民路3号院内东侧" in text  # what was typed is still there
    bad_number = alice.post(url, form | {"floors": "二"}).content.decode()
    assert "层数：" in bad_number
    case.refresh_from_db()
    assert case.area == Decimal("120.00") and case.location == "城关街道人民路3号院内"
    assert alice.post(url, form | {"area": "100"})["Location"] == reverse("enforcement:case", args=[case.pk])
    case.refresh_from_db()
    assert case.area == Decimal("100.00") and case.longitude == Decimal("118.8")
    page = alice.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "修改案件信息" in page and "建筑面积（㎡）：120.00 → 100" in page
    assert world.client(world.bob).post(url, form).status_code == 404
    assert world.client(world.ivy).post(url, form).status_code == 403
    assert Case.objects.get().area == Decimal("100.00")


def test_the_api_edits_a_case_with_the_same_rules(world):
    case = new_case(world)
    client = world.client(world.alice)
    url = reverse("api:illegal_case", args=[case.pk])
    answer = client.patch(url, {"area": "100.00", "description": "复核"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["area"] == "100.00"
    assert answer.json()["steps"][-1]["changes"]["area"] == ["120.00", "100.00"]
    refused = client.patch(url, {"land_area": "10"}, content_type="application/json")
    assert refused.status_code == 400 and "大于所在宗地面积" in refused.json()["detail"][0]
    assert world.client(world.bob).patch(url, {"area": "90"}, content_type="application/json").status_code == 404
    assert world.client(world.ivy).patch(url, {"area": "90"}, content_type="application/json").status_code == 403
    case.refresh_from_db()
    assert case.area == Decimal("100.00")
