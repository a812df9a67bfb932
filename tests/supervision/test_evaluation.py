"""考核: each unit's yearly score, with the arithmetic shown line by line."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gaizao.progress import services as progress
from gaizao.progress.models import Indicator
from gaizao.supervision import evaluation, services, tick
from tests.progress.conftest import sign
from tests.supervision.conftest import proof


def today():
    return timezone.localdate()


@pytest.fixture
def split(world):
    """The district's signings for this year split between streets A (2) and B (2)."""
    year = today().year
    target = progress.target_set(
        by=world.olivia.user,
        indicator=Indicator.objects.get(code="households-signed"),
        unit=world.district,
        start=today().replace(month=1, day=1),
        end=today().replace(year=year, month=12, day=31),
        value=4,
    )
    progress.target_split(by=world.olivia.user, target=target, shares={world.street_a: 2, world.street_b: 2})


def lines(score) -> dict[str, list[Decimal]]:
    found: dict[str, list[Decimal]] = {}
    for what, _, points in score.lines:
        found.setdefault(what, []).append(points)
    return found


def test_targets_ranking_rectification_ladder_and_adjustments_add_up(world, split):
    sign(world, world.house_a)  # street A: 1 of 2 = 50%
    services.adjustment_add(
        by=world.olivia.user,
        unit=world.street_a,
        year=today().year,
        kind="bonus",
        points=12,
        reason="拆后地块建成口袋公园（亮点项目）",
        evidence=proof(world.olivia),
    )
    services.item_create(by=world.olivia.user, unit=world.street_b, title="清理", deadline=today())
    tick.run(today() + timedelta(days=1))  # street B listed once (if still this year)
    scores = {s.name: s for s in evaluation.evaluate(today().year, None, today())}
    a, b = scores[world.street_a.name], scores[world.street_b.name]
    assert lines(a)["目标完成"] == [Decimal("30.0")] and lines(a)["排名"] == [Decimal("20.0")]
    assert lines(a)["整改"] == [Decimal(20)] and lines(a)["加分"] == [Decimal(10)]  # the bonus is capped at 10
    assert a.total == sum(p for _, _, p in a.lines) and a.rank == 1
    assert lines(b)["目标完成"] == [Decimal("0.0")] and lines(b)["排名"] == [Decimal("0.0")]
    if (today() + timedelta(days=1)).year == today().year:  # the overdue item was listed this year
        assert sum(lines(b)["问责阶梯"]) <= -1


def test_an_adjustment_needs_its_reason_and_a_bonus_its_evidence(world):
    with pytest.raises(ValidationError, match="佐证"):
        services.adjustment_add(
            by=world.olivia.user, unit=world.street_a, year=2026, kind="bonus", points=2, reason="亮点"
        )
    with pytest.raises(ValidationError, match="事由"):
        services.adjustment_add(
            by=world.olivia.user, unit=world.street_a, year=2026, kind="deduction", points=2, reason=""
        )


def test_the_page_shows_the_arithmetic(world, split):
    page = world.client(world.olivia).get(reverse("supervision:evaluation")).content.decode()
    assert "平均完成率" in page and "× 60" in page and world.street_a.name in page
    assert world.street_a.name not in world.client(world.pat).get(reverse("supervision:evaluation")).content.decode()
