"""Publishing a project's survey results (条例第十五条) and its households' compensation (第二十九条).

A publication freezes what the ledger and the signed agreements say on the day, masked on the server: the owner's
name as 张*明, no ID number, phone or bank data. Its rows are never edited; a corrected figure is published again as
the next number, and the page shows which publication superseded which."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaizao.audit import trail
from gaizao.compensation.models import Agreement, AgreementStatus, Decision
from gaizao.core.masking import mask_name
from gaizao.ledger.models import Household, Property
from gaizao.org.access import can_change, is_command_office
from gaizao.portal.models import Publication, PublicationKind, PublishedRow
from gaizao.portal.selectors import forget_publications
from gaizao.projects.models import Project
from gaizao.projects.selectors import project_get

OBJECTION_DAYS = 7  # the shortest 公示期 the office may set; collective land's plan wants 30 (土地管理法)
OBJECTION_DAYS_MAX = 180
BATCH = 2000
AREAS = ("certified_area", "recognised_area", "unregistered_area", "land_area")
# What a household may object to in its survey figures, as the form lists them.
SURVEY_FIGURES = {
    "certified_area": _("证载面积"),
    "recognised_area": _("认定合法面积"),
    "unregistered_area": _("未登记面积"),
    "land_area": _("土地面积"),
    "use": _("房屋用途"),
    "structure": _("结构"),
    "location": _("房屋坐落"),
    "other": _("其他"),
}


def _text(value) -> str:
    return "" if value is None else str(value)


def _survey_rows(project: Project) -> list[tuple[Household, dict]]:
    use_names = dict(Property._meta.get_field("use").choices)
    structure_names = dict(Property._meta.get_field("structure").choices)
    properties: dict[int, list[dict]] = {}
    columns = ("household_id", "location", "use", "structure", *AREAS)
    for row in Property.objects.filter(household__project=project).order_by("household_id", "seq").values(*columns):
        properties.setdefault(row["household_id"], []).append(
            {
                "location": row["location"],
                "use": use_names.get(row["use"], row["use"]),
                "structure": structure_names.get(row["structure"], row["structure"]),
                **{name: _text(row[name]) for name in AREAS},
            }
        )
    households = Household.objects.filter(project=project).only("id", "number", "owner_name").order_by("number")
    return [(h, {"properties": properties.get(h.id, [])}) for h in households]


def _results_rows(project: Project) -> list[tuple[Household, dict]]:
    """Each household with a signed agreement or a compensation decision: its choice, lines and total."""
    settled: dict[int, tuple[str, object]] = {}
    for agreement in Agreement.objects.filter(project=project, status=AgreementStatus.SIGNED):
        settled[agreement.household_id] = ("协议", agreement)
    for decision in Decision.objects.filter(project=project):
        settled.setdefault(decision.household_id, ("补偿决定", decision))
    households = Household.objects.filter(id__in=settled).only("id", "number", "owner_name").order_by("number")
    rows = []
    for household in households:
        how, computed = settled[household.id]
        rows.append(
            (
                household,
                {
                    "how": how,
                    "choice": computed.get_choice_display(),
                    "lines": [[line["label"], line["amount"]] for line in computed.lines if line["in_total"]],
                    "total": str(computed.total),
                },
            )
        )
    return rows


def _summary(kind: str, rows: list[tuple[Household, dict]]) -> dict:
    if kind == PublicationKind.SURVEY:
        totals = {name: Decimal(0) for name in AREAS}
        for _, figures in rows:
            for prop in figures["properties"]:
                for name in AREAS:
                    totals[name] += Decimal(prop[name] or 0)
        return {"households": len(rows), **{name: str(value) for name, value in totals.items()}}
    choices: dict[str, int] = {}
    for _, figures in rows:
        choices[figures["choice"]] = choices.get(figures["choice"], 0) + 1
    total = sum((Decimal(figures["total"]) for _, figures in rows), Decimal(0))
    return {"households": len(rows), "total": str(total), "choices": choices}


def require_publisher(by, project: Project) -> None:
    if not (is_command_office(by) and can_change(by)):
        raise PermissionDenied("只有指挥部办公室可以发布公示")
    project_get(fetched_by=by, code=project.code)  # and only its own district's projects


@transaction.atomic
def publish(
    *, by, project: Project, kind: str, on: date, objection_days: int | None = None, note: str = ""
) -> Publication:
    """Freeze and publish the project's survey results or compensation results as of now."""
    require_publisher(by, project)
    if kind not in PublicationKind.values:
        raise ValidationError(f"公示类型“{kind}”不存在")
    today = timezone.localdate()
    if on > today:
        raise ValidationError(f"公布日期 {on} 晚于今天")
    objection_until = None
    if kind == PublicationKind.SURVEY:
        days = OBJECTION_DAYS if objection_days is None else objection_days
        if not OBJECTION_DAYS <= days <= OBJECTION_DAYS_MAX:
            raise ValidationError(f"公示期：应为 {OBJECTION_DAYS} 到 {OBJECTION_DAYS_MAX} 天，填的是 {days} 天")
        objection_until = on + timedelta(days=days)
    rows = _survey_rows(project) if kind == PublicationKind.SURVEY else _results_rows(project)
    if not rows:
        what = "调查结果" if kind == PublicationKind.SURVEY else "已签协议或补偿决定"
        raise ValidationError(f"{project.name}还没有可公布的{what}")
    Project.objects.select_for_update().get(pk=project.pk)  # one number at a time
    last = Publication.objects.filter(project=project, kind=kind).aggregate(n=Max("number"))["n"] or 0
    lines = [
        PublishedRow(seq=seq, household=h, number=h.number, name=mask_name(h.owner_name), figures=figures)
        for seq, (h, figures) in enumerate(rows, start=1)
    ]
    digest = hashlib.sha256(b"".join(orjson.dumps([r.number, r.name, r.figures]) for r in lines)).hexdigest()
    publication = Publication.objects.create(
        project=project,
        district_id=project.district_id,
        kind=kind,
        number=last + 1,
        published_on=on,
        objection_until=objection_until,
        note=note.strip(),
        summary=_summary(kind, rows),
        rows=len(lines),
        digest=digest,
        by=by,
        at=timezone.now(),
    )
    for line in lines:
        line.publication = publication
    PublishedRow.objects.bulk_create(lines, batch_size=BATCH)
    trail.record("publish", "portal.publication", publication.pk, {"rows": len(lines), "digest": digest})
    forget_publications(project)
    transaction.on_commit(lambda: forget_publications(project))  # a page read before the commit cached the old list
    return publication
