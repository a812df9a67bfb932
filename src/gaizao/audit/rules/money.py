"""Rules on the money: paid but not demolished a month later (拿钱没拆); paid to someone outside the household."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum

from gaizao.audit.rules import Found, chunks, in_projects
from gaizao.compensation.models import Payment, PaymentKind
from gaizao.core.masking import mask_account
from gaizao.core.money import money
from gaizao.ledger.models import Member
from gaizao.ledger.stages import Stage, label

DEMOLISH_WITHIN = timedelta(days=30)  # houses paid for are demolished within a month (seed 002)
LONG_OVERDUE = timedelta(days=60)  # past the month by this much: high


def paid_not_demolished(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    """拿钱没拆: payments net of reversals above zero, the first (not reversed) more than 30 days before `today`,
    and the household not demolished."""
    payments = in_projects(
        Payment.objects.exclude(household__stage=Stage.DEMOLISHED), project_ids, "household__project_id"
    )
    rows = (
        payments.values("household_id", "household__stage")
        .annotate(
            net=Sum("amount"),
            first=Min("paid_on", filter=Q(amount__gt=0, reversal__isnull=True)),
            count=Count("id", filter=Q(amount__gt=0)),
            agreement=Max("agreement_id"),
        )
        .filter(net__gt=0, first__lt=today - DEMOLISH_WITHIN)
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        deadline = row["first"] + DEMOLISH_WITHIN
        overdue = (today - deadline).days
        stage = label(row["household__stage"])
        yield Found(
            key=str(row["household_id"]),
            household_id=row["household_id"],
            agreement_id=row["agreement"],
            severity="high" if overdue > LONG_OVERDUE.days else "medium",
            summary=f"首笔支付（{row['first']}）后逾期 {overdue} 天仍为“{stage}”，已净付 {money(row['net'])} 元",
            figures={
                "paid": str(money(row["net"])),
                "payments": row["count"],
                "first_paid_on": str(row["first"]),
                "deadline": str(deadline),
                "days_overdue": overdue,
                "stage": row["household__stage"],
            },
        )


def payee_not_household(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    """A payment (not reversed, not a reversal) whose payee is neither the owner nor a registered member."""
    member = Member.objects.filter(household_id=OuterRef("household_id"), name=OuterRef("payee"))
    payments = (
        in_projects(Payment.objects.all(), project_ids, "household__project_id")
        .filter(amount__gt=0, reverses__isnull=True, reversal__isnull=True)
        .exclude(payee=F("household__owner_name"))
        .exclude(Exists(member))
    )
    rows = list(
        payments.order_by("id").values_list(
            "id",
            "household_id",
            "agreement_id",
            "payee",
            "household__owner_name",
            "amount",
            "paid_on",
            "account",
            "kind",
        )
    )
    names: dict[int, list[str]] = defaultdict(list)
    for part in chunks(sorted({row[1] for row in rows})):
        for household_id, name in Member.objects.filter(household_id__in=part).values_list("household_id", "name"):
            names[household_id].append(name)
    for pk, household_id, agreement_id, payee, owner, amount, paid_on, account, kind in rows:
        yield Found(
            key=str(pk),
            household_id=household_id,
            agreement_id=agreement_id,
            payment_id=pk,
            severity="high",
            summary=f"{paid_on} 支付 {amount} 元给“{payee}”，不是户主“{owner}”或登记的家庭成员",
            figures={
                "payee": payee,
                "owner": owner,
                "members": sorted(names[household_id]),
                "amount": str(amount),
                "paid_on": str(paid_on),
                "account": account if kind == PaymentKind.VOUCHER else mask_account(account),
            },
        )
