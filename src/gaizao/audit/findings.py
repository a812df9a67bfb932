"""Findings of the audit rules: who sees them, and their workflow.

待说明 → 已说明 (the unit that holds the record explains, with text and optional evidence) → 已认定 / 已排除 (an
inspector decides, with a reason). An inspector may also decide a finding its unit has not explained (a unit
cannot hold a decision up by staying silent). The rules themselves move a finding not yet decided to 已消除
when they no longer find it, and back to 待说明 when they find it again. Every change is a line of the trail
(the models of the audit app are recorded on save)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from gaizao.audit.models import Finding, FindingStatus
from gaizao.core.models import Evidence
from gaizao.org.access import can_change, get_for_user_or_404, official_of, scope_households, user_capabilities
from gaizao.org.models import Role

S = FindingStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.OPEN: (S.EXPLAINED, S.CONFIRMED, S.DISMISSED, S.RESOLVED),
    S.EXPLAINED: (S.CONFIRMED, S.DISMISSED, S.RESOLVED),
    S.CONFIRMED: (),
    S.DISMISSED: (),
    S.RESOLVED: (S.OPEN,),
}
PENDING = (S.OPEN, S.EXPLAINED)
PAGE = 100
MAX_TEXT = 2000


def check_transition(finding: Finding, target: str) -> None:
    if target not in TRANSITIONS[finding.status]:
        now, wanted = S(finding.status).label, S(target).label
        raise ValidationError(f"审计发现 #{finding.pk} 当前为“{now}”，不能改为“{wanted}”")


def is_inspector(user) -> bool:
    """纪委监委: the ones who confirm or dismiss a finding."""
    official = official_of(user)
    return bool(official and official.role == Role.INSPECTOR)


def sees_everything(user) -> bool:
    capabilities = user_capabilities(user)
    return capabilities.read_everywhere and capabilities.sees_records


# ---- reads ----------------------------------------------------------------------------------------------


def scope_findings(qs: QuerySet, user) -> QuerySet:
    """Inspectors and auditors see every finding; a unit, those about the households it sees (their district,
    street and holding unit are stored on the finding: the same plain filter as the households')."""
    return scope_households(qs, user)


@dataclass(frozen=True)
class FindingFilters:
    rule: str = ""
    status: str = "pending"  # pending (待说明、已说明), a status, or "" for all
    severity: str = ""
    project: int | None = None
    before: int | None = None  # the page ends before this finding (newest first)


def _filtered(qs: QuerySet, filters: FindingFilters, *, by_rule: bool = True) -> QuerySet:
    if filters.status == "pending":
        qs = qs.filter(status__in=PENDING)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.rule and by_rule:
        qs = qs.filter(rule=filters.rule)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.project:
        qs = qs.filter(project_id=filters.project)
    return qs


def finding_page(*, fetched_by, filters: FindingFilters) -> list[Finding]:
    qs = _filtered(scope_findings(Finding.objects.all(), fetched_by), filters)
    if filters.before:
        qs = qs.filter(pk__lt=filters.before)
    qs = qs.select_related("household", "project", "street").order_by("-pk")
    return list(qs[:PAGE])


def finding_counts(*, fetched_by, filters: FindingFilters) -> dict[str, dict[str, int]]:
    """rule → status → count, under the filters other than the rule."""
    counts: dict[str, dict[str, int]] = {}
    qs = _filtered(scope_findings(Finding.objects.all(), fetched_by), filters, by_rule=False)
    for row in qs.order_by().values("rule", "status").annotate(n=Count("id")):
        counts.setdefault(row["rule"], {})[row["status"]] = row["n"]
    return counts


def finding_get(*, fetched_by, pk: int) -> Finding:
    qs = Finding.objects.select_related(
        "household", "agreement", "payment", "project", "street", "district", "explained_by", "decided_by"
    )
    return get_for_user_or_404(qs, fetched_by, scope=scope_findings, pk=pk)


# ---- the workflow ---------------------------------------------------------------------------------------


def _text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(f"须填写{what}")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"{what}不超过{MAX_TEXT}字（现为{len(text)}字）")
    return text


@transaction.atomic
def finding_explain(*, by, finding: Finding, text: str, evidence: Evidence | None = None) -> Finding:
    """The unit that holds the record explains (情况说明), once."""
    if not can_change(by) or not scope_findings(Finding.objects.filter(pk=finding.pk), by).exists():
        raise PermissionDenied("只有该户所属单位可以说明审计发现")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    check_transition(finding, S.EXPLAINED)
    finding.explanation = _text(text, "情况说明")
    finding.explanation_evidence = evidence
    finding.explained_by, finding.explained_at = by, timezone.now()
    finding.status = S.EXPLAINED
    finding.save(update_fields=["explanation", "explanation_evidence", "explained_by", "explained_at", "status"])
    return finding


@transaction.atomic
def finding_decide(*, by, finding: Finding, confirm: bool, reason: str) -> Finding:
    """An inspector confirms the problem (认定) or dismisses the finding (排除), with the reason."""
    if not is_inspector(by):
        raise PermissionDenied("只有纪检监察人员可以认定或排除审计发现")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    check_transition(finding, S.CONFIRMED if confirm else S.DISMISSED)
    finding.decision_reason = _text(reason, "认定理由" if confirm else "排除理由")
    finding.decided_by, finding.decided_at = by, timezone.now()
    finding.status = S.CONFIRMED if confirm else S.DISMISSED
    finding.save(update_fields=["decision_reason", "decided_by", "decided_at", "status"])
    return finding
