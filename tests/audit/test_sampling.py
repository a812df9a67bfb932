"""Payment verification by sampling: a reproducible draw (the seed kept with it), filters, outcomes recorded
with evidence, and only for inspectors and auditors."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.audit.models import PaymentSample, SampledPayment
from gaizao.audit.sampling import draw, sample_check, sample_draw, sample_redrawn
from gaizao.org.models import Role
from gaizao.org.services import official_create
from tests.audit.test_rules import fast_passwords, pay, publish, signed  # noqa: F401
from tests.conftest import PASSWORD


def test_the_same_seed_draws_the_same_sample():
    population = list(range(1, 1001))
    first = draw(population, "2026-纪委-07", 25)
    assert first == draw(population, "2026-纪委-07", 25)
    assert len(set(first)) == 25 and set(first) <= set(population)
    assert draw(population, "another seed", 25) != first
    assert draw([3, 5], "x", 10) in ([3, 5], [5, 3])  # never more than there are


@pytest.fixture
def payments(world):
    publish(world, world.project)
    agreement = signed(world, world.house_a, world.alice.user)
    made = [pay(agreement, "1000.00", world.alice.user, paid_on=date(2026, 8, day)) for day in range(1, 11)]
    return world, made


def test_a_draw_is_kept_with_its_seed_and_made_again_alike(payments):
    world, made = payments
    sample = sample_draw(by=world.ivy.user, size=4, seed="abc", paid_from=date(2026, 8, 3), paid_to=date(2026, 8, 8))
    drawn = list(sample.items.order_by("position").values_list("payment_id", flat=True))
    in_range = [p.pk for p in made if date(2026, 8, 3) <= p.paid_on <= date(2026, 8, 8)]
    assert sample.population == 6 and set(drawn) <= set(in_range) and len(drawn) == 4
    again = sample_draw(by=world.ivy.user, size=4, seed="abc", paid_from=date(2026, 8, 3), paid_to=date(2026, 8, 8))
    assert list(again.items.order_by("position").values_list("payment_id", flat=True)) == drawn
    assert again.population_digest == sample.population_digest
    assert sample_redrawn(sample) == (True, True)

    pay(made[0].agreement, "500.00", world.alice.user, paid_on=date(2026, 8, 5))  # the population grows
    assert sample_redrawn(sample)[0] is False


def test_a_draw_without_a_seed_gets_one(payments):
    world, _ = payments
    sample = sample_draw(by=world.ivy.user, size=3)
    assert len(sample.seed) == 16 and sample.population == 10 and sample.items.count() == 3


def test_bad_draws_are_refused(payments):
    world, _ = payments
    with pytest.raises(ValidationError, match="样本量应在 1 至 500 笔之间"):
        sample_draw(by=world.ivy.user, size=0)
    with pytest.raises(ValidationError, match="没有符合条件的支付可抽"):
        sample_draw(by=world.ivy.user, size=3, paid_from=date(2027, 1, 1))
    with pytest.raises(ValidationError, match="晚于支付日期至"):
        sample_draw(by=world.ivy.user, size=3, paid_from=date(2026, 9, 1), paid_to=date(2026, 8, 1))
    for official in (world.alice, world.olivia, world.lee):
        with pytest.raises(PermissionDenied):
            sample_draw(by=official.user, size=3)


def test_outcomes_are_recorded_with_a_note_where_it_differs(payments):
    world, _ = payments
    auditor = official_create(
        username="audrey", password=PASSWORD, name="审计员", unit=world.ivy.unit, role=Role.AUDITOR
    )
    sample = sample_draw(by=auditor.user, size=2, seed="s")
    first, second = sample.items.order_by("position")
    checked = sample_check(by=auditor.user, item=first, outcome="matches")
    assert (checked.outcome, checked.checked_by) == ("matches", auditor.user)
    with pytest.raises(ValidationError, match="须在核对说明中写明何处不符"):
        sample_check(by=world.ivy.user, item=second, outcome="differs")
    with pytest.raises(ValidationError, match="核对结果“pending”无效"):
        sample_check(by=world.ivy.user, item=second, outcome="pending")
    with pytest.raises(PermissionDenied):
        sample_check(by=world.alice.user, item=second, outcome="matches")
    sample_check(by=world.ivy.user, item=second, outcome="differs", note="银行流水金额为 900.00 元")
    assert SampledPayment.objects.get(pk=second.pk).note == "银行流水金额为 900.00 元"


def test_the_sampling_pages(payments):
    world, made = payments
    inspector = world.client(world.ivy)
    url = reverse("audit:sampling")
    assert world.client(world.alice).get(url).status_code == 403
    assert inspector.get(url).status_code == 200
    response = inspector.post(url, {"size": "3", "seed": "页面种子", "project": world.project.pk})
    sample = PaymentSample.objects.get()
    assert response.status_code == 302 and response.url == reverse("audit:sample", args=[sample.pk])
    page = inspector.get(response.url, {"verify": "1"}).content.decode()
    assert "页面种子" in page and "按原种子重抽结果一致" in page and "************3445" in page
    item = sample.items.order_by("position").first()
    upload = SimpleUploadedFile("流水.jpg", b"\xff\xd8\xff\xe0photo")
    check = reverse("audit:sample_item_check", args=[item.pk])
    inspector.post(check, {"outcome": "not_found", "note": "银行无此笔", "evidence": upload})
    item.refresh_from_db()
    assert item.outcome == "not_found" and item.evidence is not None
    assert inspector.get(reverse("audit:sample_item_evidence", args=[item.pk])).status_code == 200
    assert world.client(world.alice).post(check, {"outcome": "matches"}).status_code == 403
    assert world.client(world.alice).get(reverse("audit:sample", args=[sample.pk])).status_code == 403
