"""资金: a project's investment plan by year, its sources, what was disbursed and on what; compensation paid to
households counts from the ledger's tallies, so nothing is entered twice."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from gaizao.core.feedback import plain
from gaizao.core.models import Evidence
from gaizao.ledger.models import Tally
from gaizao.ledger.tally import Measure
from gaizao.org.access import is_command_office
from gaizao.progress.services import record_event
from gaizao.projects.models import Disbursement, DisbursementUse, FundingSource, InvestmentPlan, Project, SourceKind
from gaizao.projects.selectors import project_visible


def require_project_office(by, project: Project) -> None:
    if not is_command_office(by) or not project_visible(fetched_by=by, project_id=project.pk):
        raise PermissionDenied("只有指挥部办公室可登记本区项目的资金")


def _positive(amount: Decimal, field_name: str) -> Decimal:
    if amount is None or amount <= 0:
        raise ValidationError(f"{field_name}应大于零")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def source_set(*, by, project: Project, kind: str, name: str, committed: Decimal) -> FundingSource:
    require_project_office(by, project)
    if kind not in SourceKind.values:
        raise ValidationError(f"资金来源类型“{kind}”无效，可选：{'、'.join(SourceKind.labels)}")
    if not name.strip():
        raise ValidationError("须写明资金来源名称")
    committed = _positive(committed, "额度")
    source, created = FundingSource.objects.get_or_create(
        project=project, name=name.strip(), defaults={"kind": kind, "committed": committed}
    )
    spent = source.spent.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if committed < spent:
        raise ValidationError(f"额度 {committed} 元低于已拨付的 {spent} 元")
    before = None if created else plain(source.committed)
    source.kind, source.committed = kind, committed
    source.save()
    record_event(
        by=by,
        kind="funding_source",
        subject=source.name,
        project=project,
        changes={"committed": [before, plain(committed)]},
    )
    return source


@transaction.atomic
def plan_set(*, by, project: Project, year: int, planned: Decimal) -> InvestmentPlan:
    require_project_office(by, project)
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年度 {year} 无效")
    planned = _positive(planned, "计划投资")
    plan, created = InvestmentPlan.objects.get_or_create(project=project, year=year, defaults={"planned": planned})
    before = None if created else plain(plan.planned)
    plan.planned = planned
    plan.save()
    record_event(
        by=by,
        kind="investment_plan",
        subject=f"{project.name} {year}年",
        project=project,
        changes={"planned": [before, plain(planned)]},
    )
    return plan


@transaction.atomic
def disbursement_post(
    *, by, source: FundingSource, use: str, on: date, amount: Decimal, evidence: Evidence | None, note: str = ""
) -> Disbursement:
    """Money spent from a source: within its line, with the bank's voucher."""
    source = FundingSource.objects.select_for_update().select_related("project").get(pk=source.pk)
    require_project_office(by, source.project)
    if use not in DisbursementUse.values:
        raise ValidationError(f"用途“{use}”无效，可选：{'、'.join(DisbursementUse.labels)}（补偿款按支付记录自动计入）")
    amount = _positive(amount, "拨付金额")
    if evidence is None:
        raise ValidationError("拨付须上传凭证")
    spent = source.spent.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if spent + amount > source.committed:
        raise ValidationError(f"“{source.name}”累计拨付 {spent + amount} 元，超过额度 {source.committed} 元")
    disbursement = Disbursement.objects.create(
        project=source.project,
        source=source,
        use=use,
        on=on,
        amount=amount,
        note=note.strip(),
        evidence=evidence,
        by=by,
    )
    record_event(
        by=by, kind="disbursement", subject=f"{source.name} {amount} 元", project=source.project, evidence=evidence
    )
    return disbursement


@dataclass
class YearFigures:
    year: int
    planned: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    compensation: Decimal = Decimal(0)

    @property
    def actual(self) -> Decimal:
        return self.disbursed + self.compensation

    @property
    def rate(self) -> Decimal | None:
        return (self.actual * 100 / self.planned).quantize(Decimal("0.1")) if self.planned else None


@dataclass
class Funding:
    total: Decimal
    years: list[YearFigures]
    sources: list[tuple[FundingSource, Decimal]] = field(default_factory=list)  # with what was spent from each
    by_use: dict[str, Decimal] = field(default_factory=dict)


def funding_of(projects: list[Project]) -> Funding:
    """Planned against actual, by year, for one project or several (a district's)."""
    ids = [p.pk for p in projects]
    years: dict[int, YearFigures] = {}

    def year(y: int) -> YearFigures:
        return years.setdefault(y, YearFigures(y))

    for y, planned in InvestmentPlan.objects.filter(project__in=ids).values_list("year", "planned"):
        year(y).planned += planned
    for on, amount in Disbursement.objects.filter(project__in=ids).values_list("on", "amount"):
        year(on.year).disbursed += amount
    paid = Tally.objects.filter(project__in=ids, measure=Measure.PAID).values_list("day", "hundredths")
    for day, hundredths in paid:
        year(day.year).compensation += Decimal(hundredths) / 100
    spent: dict[int, Decimal] = defaultdict(Decimal)
    by_use: dict[str, Decimal] = defaultdict(Decimal)
    for source_id, use, amount in Disbursement.objects.filter(project__in=ids).values_list(
        "source_id", "use", "amount"
    ):
        spent[source_id] += amount
        by_use[use] += amount
    sources = [(s, spent[s.pk]) for s in FundingSource.objects.filter(project__in=ids).select_related("project")]
    total = sum((y.planned for y in years.values()), Decimal(0))
    return Funding(total, [years[y] for y in sorted(years)], sources, dict(by_use))
