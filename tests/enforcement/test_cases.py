"""Illegal-building cases through their services: found, stopped, served, removed, counted; who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaizao.audit.models import TrailEntry
from gaizao.enforcement import services
from gaizao.enforcement.models import Case, CaseStep
from gaizao.org.models import UnitKind
from gaizao.org.services import unit_create
from gaizao.progress.actuals import standings
from gaizao.progress.models import Indicator, Target
from gaizao.supervision import tick
from gaizao.supervision.models import Escalation

from .conftest import photo

TODAY = timezone.localdate()
AREA = {"footprint_area": Decimal("60.00"), "floors": 2, "area": Decimal("120.00")}


def new_case(world, by=None, **overrides):
    by = by or world.alice
    fields = {
        "unit": world.street_a,
        "source": "patrol",
        "kind": "new",
        "location": "城关街道人民路3号院内",
        "owner_name": "孙七",
        "found_at": TODAY - timedelta(days=20),
        "evidence": photo(by),
        **AREA,
    }
    return services.case_create(by=by.user, **(fields | overrides))


def take_down(world, case, removed_area=None):
    """Removed by the party itself, the whole floor area (or `removed_area`), with its two photos."""
    return services.case_demolish(
        by=world.alice.user,
        case=case,
        on=TODAY,
        method="self",
        removed_area=removed_area or case.area,
        before=photo(world.alice, "拆前.jpg"),
        after=photo(world.alice, "拆后.jpg"),
    )


def test_a_new_building_found_on_patrol_starts_its_places_accountability_at_once(world):
    case = new_case(world)
    assert case.status == "found" and case.code.endswith(f"-{(TODAY - timedelta(days=20)).year}-00001")
    found, accountability = CaseStep.objects.filter(case=case).order_by("pk")
    assert found.kind == "found" and found.evidence_id is not None
    assert (
        accountability.kind == "accountability" and "城关街道" in accountability.note and "艾丽" in accountability.note
    )
    assert TrailEntry.objects.filter(object_type="enforcement.case", object_id=str(case.pk), action="create").exists()
    assert new_case(world).code.endswith("-00002")


def test_the_ladder_climbs_for_a_new_building_until_it_is_down(world):
    case = new_case(world)
    tick.run(TODAY)
    escalation = Escalation.objects.get(subject_kind="illegal_new", subject_id=case.pk)
    assert escalation.unit == world.street_a and escalation.rung == "listed" and "艾丽" in escalation.summoned
    take_down(world, case)
    tick.run(TODAY + timedelta(days=1))
    escalation.refresh_from_db()
    assert escalation.resolved_on == TODAY + timedelta(days=1)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"evidence": None}, "发现违建须上传现场照片"),
        ({"land_area": Decimal("50.00")}, "占地面积（60.00㎡）大于所在宗地面积（50.00㎡）"),
        ({"area": Decimal("130.00")}, "建筑面积（130.00㎡）大于占地面积×层数（60.00㎡×2）"),
        ({"footprint_area": Decimal("0")}, "占地面积须大于 0"),
        ({"location": " "}, "须写明违建位置"),
        ({"found_at": timezone.now() + timedelta(days=1)}, "晚于现在"),
        ({"outline": {"type": "LineString", "coordinates": [[118.8, 32.0], [118.81, 32.0]]}}, "不是多边形"),
        (
            {"outline": {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]}},
            "自相交",
        ),
    ],
)
def test_bad_input_is_refused_by_name_and_nothing_is_saved(world, overrides, message):
    with pytest.raises(ValidationError, match=message):
        new_case(world, **overrides)
    assert not Case.objects.exists() and not CaseStep.objects.exists()


def test_a_case_is_registered_in_a_street_or_township_and_its_own_village(world):
    village = unit_create(name="江滨村", kind=UnitKind.VILLAGE, parent=world.street_b)
    with pytest.raises(ValidationError, match="不是城关街道下属的村"):
        new_case(world, village=village)
    with pytest.raises(ValidationError, match="不是街道或乡镇"):
        new_case(world, by=world.olivia, unit=world.district)
    assert new_case(world, by=world.bob, unit=world.street_b, village=village).village == village


def test_only_the_places_staff_or_the_office_above_record_its_cases(world):
    with pytest.raises(PermissionDenied):
        new_case(world, by=world.bob)  # another street's
    with pytest.raises(PermissionDenied):
        new_case(world, by=world.ivy)  # the inspectors read, they do not record
    case = new_case(world, by=world.olivia)  # the district's office, through its headquarters
    with pytest.raises(PermissionDenied):
        services.case_stop(by=world.bob.user, case=case, evidence=photo(world.bob))


def test_a_removal_needs_photos_before_and_after_and_no_more_area_than_was_found(world):
    case = new_case(world)
    remove = {"by": world.alice.user, "case": case, "on": TODAY, "method": "self"}
    with pytest.raises(ValidationError, match="拆除须上传拆除前和拆除后的照片"):
        services.case_demolish(**remove, removed_area=Decimal(100), before=photo(world.alice), after=None)
    with pytest.raises(ValidationError, match=r"拆除面积（130㎡）大于案件登记的建筑面积（120.00㎡）"):
        services.case_demolish(
            **remove, removed_area=Decimal(130), before=photo(world.alice), after=photo(world.alice, "b.jpg")
        )
    case.refresh_from_db()
    assert case.status == "found" and case.removed_area is None


def serve(world, case, step, on, deadline=None):
    return services.case_serve(
        by=world.alice.user,
        case=case,
        step=step,
        on=on,
        document_no=f"城关拆字〔2026〕{step}号",
        deadline=deadline,
        evidence=photo(world.alice, f"{step}.jpg"),
    )


def test_a_removal_by_force_needs_the_whole_procedure_first(world):
    start = TODAY - timedelta(days=60)
    case = new_case(world, kind="stock", found_at=start)
    services.case_stop(by=world.alice.user, case=case, evidence=photo(world.alice), at=start + timedelta(hours=3))
    force = {
        "by": world.alice.user,
        "case": case,
        "on": TODAY,
        "method": "forced",
        "removed_area": Decimal("120.00"),
    }
    with pytest.raises(ValidationError) as refused:
        services.case_demolish(**force, before=photo(world.alice), after=photo(world.alice, "b.jpg"))
    assert "强制拆除的程序不完整，易致行政败诉：" in refused.value.messages
    assert "催告：尚未办理" in refused.value.messages
    serve(world, case, "notice", start + timedelta(days=1), deadline=start + timedelta(days=15))
    with pytest.raises(ValidationError, match="催告应在限期（.*）届满之后"):
        serve(world, case, "reminder", start + timedelta(days=10))
    serve(world, case, "reminder", start + timedelta(days=16))
    serve(world, case, "decision", start + timedelta(days=27))
    serve(world, case, "announcement", start + timedelta(days=28))
    case = services.case_demolish(**force, before=photo(world.alice), after=photo(world.alice, "b.jpg"))
    assert (
        case.status == "demolished" and case.removal_method == "forced" and case.deadline == start + timedelta(days=15)
    )


def test_only_evidenced_removals_count_toward_the_target(world):
    indicator = Indicator.objects.get(code="illegal-removed-area")
    year = date(TODAY.year, 1, 1)
    target = Target.objects.create(
        indicator=indicator, unit=world.street_a, value=Decimal("1000"), start=year, end=date(TODAY.year, 12, 31)
    )
    first, second = new_case(world), new_case(world, area=Decimal("80.00"))
    new_case(world, by=world.bob, unit=world.street_b)  # another street's removals are not ours
    take_down(world, first, removed_area=Decimal("110.50"))
    [standing] = standings([target], TODAY)
    assert standing.actual == Decimal("110.50") and standing.completion == Decimal("11.1")
    assert second.status == "found"  # found but not removed: nothing counted


def test_a_survey_find_waits_for_a_look_on_site(world):
    case = new_case(world, source="survey", evidence=None)
    assert case.status == "candidate" and not case.steps.exists()
    with pytest.raises(ValidationError, match="核实立案须上传现场照片"):
        services.case_confirm(by=world.alice.user, case=case, evidence=None)
    confirmed = services.case_confirm(by=world.alice.user, case=case, evidence=photo(world.alice))
    assert confirmed.status == "found" and set(confirmed.steps.values_list("kind", flat=True)) == {
        "found",
        "accountability",
    }
    other = new_case(world, source="survey", evidence=None)
    with pytest.raises(ValidationError, match="须写明理由"):
        services.case_dismiss(by=world.alice.user, case=other, reason="")
    assert services.case_dismiss(by=world.alice.user, case=other, reason="已办理规划许可").status == "dismissed"
    with pytest.raises(ValidationError, match="“不予立案”不能转为“已发现”"):
        services.case_confirm(by=world.alice.user, case=other, evidence=photo(world.alice))
