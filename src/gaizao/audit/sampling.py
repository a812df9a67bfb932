"""Payment verification by sampling (抽样核对): an inspector draws a random sample of payments to check against
the bank's records, and records each one's outcome.

The draw is reproducible: the population is every payment matching the filters (original payments, neither
reversals nor housing vouchers booked as payments) in id order; Python's random generator seeded with the
recorded seed picks `size` of them. The same seed over the same population gives the same sample; the
population's digest, kept with the draw, tells whether it is still the same population."""

import hashlib
import random
import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from gaizao.audit.models import PaymentSample, SampledPayment, SampleOutcome
from gaizao.compensation.models import Payment, PaymentKind
from gaizao.core.models import Evidence
from gaizao.org.access import official_of
from gaizao.org.models import Role
from gaizao.projects.models import Project

MAX_SIZE = 500
SAMPLERS = (Role.INSPECTOR, Role.AUDITOR)


def draw(population: list[int], seed: str, size: int) -> list[int]:
    """Pure: `size` ids out of `population` (in the order given), the same for the same seed, in drawn order."""
    return random.Random(seed).sample(population, min(size, len(population)))


def digest(population: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, population)).encode()).hexdigest()


def population(*, project: Project | None = None, paid_from: date | None = None, paid_to: date | None = None):
    # a housing voucher is booked as a payment, but no money goes through a bank for it
    payments = Payment.objects.filter(amount__gt=0, reverses__isnull=True).exclude(kind=PaymentKind.VOUCHER)
    if project is not None:
        payments = payments.filter(agreement__project=project)
    if paid_from:
        payments = payments.filter(paid_on__gte=paid_from)
    if paid_to:
        payments = payments.filter(paid_on__lte=paid_to)
    return payments.order_by("id")


def _require_sampler(user) -> None:
    official = official_of(user)
    if official is None or official.role not in SAMPLERS:
        raise PermissionDenied("只有纪检监察、审计人员可以抽样核对支付")


@transaction.atomic
def sample_draw(
    *,
    by,
    size: int,
    seed: str = "",
    project: Project | None = None,
    paid_from: date | None = None,
    paid_to: date | None = None,
    note: str = "",
) -> PaymentSample:
    _require_sampler(by)
    if not 1 <= size <= MAX_SIZE:
        raise ValidationError(f"样本量应在 1 至 {MAX_SIZE} 笔之间")
    if paid_from and paid_to and paid_from > paid_to:
        raise ValidationError(f"支付日期自 {paid_from} 晚于支付日期至 {paid_to}")
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64:
        raise ValidationError("随机种子不超过64个字符")
    ids = list(population(project=project, paid_from=paid_from, paid_to=paid_to).values_list("id", flat=True))
    if not ids:
        raise ValidationError("没有符合条件的支付可抽")
    sample = PaymentSample.objects.create(
        project=project,
        paid_from=paid_from,
        paid_to=paid_to,
        size=size,
        seed=seed,
        population=len(ids),
        population_digest=digest(ids),
        note=note.strip(),
        drawn_by=by,
        drawn_at=timezone.now(),
    )
    for position, payment_id in enumerate(draw(ids, seed, size), start=1):
        SampledPayment.objects.create(sample=sample, payment_id=payment_id, position=position)
    return sample


def sample_redrawn(sample: PaymentSample) -> tuple[bool, bool]:
    """(is the population still the one drawn from, does the seed draw the same payments from it now)."""
    ids = list(
        population(project=sample.project, paid_from=sample.paid_from, paid_to=sample.paid_to).values_list(
            "id", flat=True
        )
    )
    drawn = list(sample.items.order_by("position").values_list("payment_id", flat=True))
    return digest(ids) == sample.population_digest, draw(ids, sample.seed, sample.size) == drawn


@transaction.atomic
def sample_check(
    *, by, item: SampledPayment, outcome: str, note: str = "", evidence: Evidence | None = None
) -> SampledPayment:
    """The bank's record compared: matches, differs (say how), or not found. A later check replaces the earlier
    one; the trail keeps both."""
    _require_sampler(by)
    if outcome not in (SampleOutcome.MATCHES, SampleOutcome.DIFFERS, SampleOutcome.NOT_FOUND):
        raise ValidationError(f"核对结果“{outcome}”无效")
    note = (note or "").strip()
    if outcome == SampleOutcome.DIFFERS and not note:
        raise ValidationError("核对结果为“不符”时，须在核对说明中写明何处不符（金额、收款人、账号、日期）")
    if len(note) > 2000:
        raise ValidationError("核对说明不超过2000字")
    item = SampledPayment.objects.select_for_update().get(pk=item.pk)
    item.outcome, item.note = outcome, note
    if evidence is not None:
        item.evidence = evidence
    item.checked_by, item.checked_at = by, timezone.now()
    item.save(update_fields=["outcome", "note", "evidence", "checked_by", "checked_at"])
    return item


# ---- reads ----------------------------------------------------------------------------------------------


def sample_list(*, fetched_by) -> QuerySet[PaymentSample]:
    _require_sampler(fetched_by)
    return PaymentSample.objects.select_related("project", "drawn_by")


def sample_get(*, fetched_by, pk: int) -> PaymentSample:
    return get_object_or_404(sample_list(fetched_by=fetched_by), pk=pk)


def item_get(*, fetched_by, pk: int) -> SampledPayment:
    _require_sampler(fetched_by)
    return get_object_or_404(SampledPayment.objects.select_related("sample", "evidence"), pk=pk)
