"""After the removal: the freed land's use, and "no illegal building" creation with its figures and naming."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gaizao.enforcement import selectors, services
from gaizao.org.models import UnitKind
from gaizao.org.services import unit_create
from gaizao.supervision import services as supervision

from .conftest import photo
from .test_cases import new_case, take_down

TODAY = timezone.localdate()


def removed(world, **overrides):
    return take_down(world, new_case(world, **overrides))


def test_freed_land_is_listed_until_its_use_is_planned_then_followed_to_done(world):
    case = removed(world, land_area=Decimal("80.00"))
    assert list(selectors.unplanned_land(fetched_by=world.olivia.user)) == [case]
    plan = {"by": world.alice.user, "case": case, "kind": "greening", "plan": "种植乔木、铺设草坪", "due": TODAY}
    with pytest.raises(ValidationError, match=r"不超过腾出的土地（80.00㎡）"):
        services.reuse_plan(**plan, area=Decimal("90"))
    reuse = services.reuse_plan(**plan, area=Decimal("80"))
    assert not selectors.unplanned_land(fetched_by=world.olivia.user).exists()
    with pytest.raises(ValidationError, match="须上传现场照片"):
        services.reuse_report(by=world.alice.user, reuse=reuse, percent=50, evidence=None)
    services.reuse_report(by=world.alice.user, reuse=reuse, percent=50, evidence=photo(world.alice))
    with pytest.raises(ValidationError, match="应在 50% 至 100% 之间"):
        services.reuse_report(by=world.alice.user, reuse=reuse, percent=40, evidence=photo(world.alice))
    with pytest.raises(PermissionDenied):
        services.reuse_report(by=world.bob.user, reuse=reuse, percent=60, evidence=photo(world.bob))
    done = services.reuse_report(by=world.alice.user, reuse=reuse, percent=100, evidence=photo(world.alice))
    assert done.done_on == TODAY and reuse.reports.count() == 2


def test_a_standing_building_has_no_reuse(world):
    with pytest.raises(ValidationError, match="违建拆除后才能规划拆后利用"):
        services.reuse_plan(
            by=world.alice.user, case=new_case(world), kind="parking", area=Decimal(10), plan="停车", due=TODAY
        )


@pytest.fixture
def checklist(world):
    return supervision.checklist_create(
        by=world.olivia.user, name="无违建村（社区）创建验收", items=[("存量清零", 60), ("拆后利用", 40)], pass_mark=80
    )


def test_a_village_applies_for_pre_acceptance_only_when_its_figures_allow_and_is_named_after_passing(world, checklist):
    village = unit_create(name="城关村", kind=UnitKind.VILLAGE, parent=world.street_a)
    creation = services.creation_declare(by=world.olivia.user, unit=village, year=TODAY.year, checklist=checklist)
    case = removed(world, village=village)
    new_case(world, village=village, kind="stock", found_at=TODAY - timedelta(days=3))
    figures = selectors.creation_figures(creation)
    assert (figures.open_stock, figures.removed_this_year, figures.unplanned_land) == (1, 1, 1)
    with pytest.raises(ValidationError) as refused:
        services.creation_apply(by=world.alice.user, creation=creation)
    assert refused.value.messages[1:] == ["存量违建尚有 1 宗未拆除", "拆后土地尚有 1 处未规划利用"]
    other = selectors.case_list(fetched_by=world.alice.user, kind="stock").get()
    take_down(world, other)
    for c in (case, other):
        services.reuse_plan(by=world.alice.user, case=c, kind="greening", area=Decimal(20), plan="复绿", due=TODAY)
    assert services.creation_apply(by=world.alice.user, creation=creation).applied_on == TODAY
    with pytest.raises(ValidationError, match="预验收通过后才能命名"):
        services.creation_name(by=world.olivia.user, creation=creation, on=TODAY)
    office = type(world.olivia.user).objects.get(pk=world.olivia.user_id)  # its reach taken after the village was made
    supervision.preacceptance_record(
        by=office,
        checklist=checklist,
        unit=village,
        held_on=TODAY,
        scores={"存量清零": (60, photo(world.olivia), ""), "拆后利用": (40, photo(world.olivia), "")},
    )
    with pytest.raises(PermissionDenied):
        services.creation_name(by=world.alice.user, creation=creation, on=TODAY)
    assert services.creation_name(by=world.olivia.user, creation=creation, on=TODAY).named_on == TODAY


def test_the_creation_page_shows_each_units_figures_to_its_office(world, checklist):
    services.creation_declare(by=world.olivia.user, unit=world.street_a, year=TODAY.year, checklist=checklist)
    new_case(world)
    page = world.client(world.olivia).get(reverse("enforcement:creations")).content.decode()
    assert "城关街道" in page and "新增违建尚有 1 宗未拆除" in page
    assert "城关街道" not in world.client(world.bob).get(reverse("enforcement:creations")).content.decode()
    assert world.client(world.olivia).get(reverse("enforcement:creations"), {"year": "abc"}).status_code == 200
    with pytest.raises(ValidationError, match="已部署"):
        services.creation_declare(by=world.olivia.user, unit=world.street_a, year=TODAY.year, checklist=checklist)
