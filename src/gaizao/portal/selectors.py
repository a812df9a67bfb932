"""What the portal reads: a project's public face (standards, aggregates, publications), a publication's pages, and
a signed-in household's own file with its next steps."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from gaizao.compensation.models import (
    AgencySelection,
    AgencyVote,
    Agreement,
    AgreementStatus,
    Appraisal,
    ChoosingSession,
    Decision,
    Flat,
)
from gaizao.compensation.payments import owed, paid
from gaizao.core.masking import mask_account, mask_id_number
from gaizao.ledger.models import Household
from gaizao.ledger.stages import ORDER, Stage
from gaizao.petitions.models import Petition
from gaizao.portal.models import Objection, Publication, PublishedRow
from gaizao.projects.models import Project

PAGE_SIZE = 50
ROWS_SECONDS = 24 * 3600
FACE_SECONDS = 60
REVIEW_DAYS, LAWSUIT_MONTHS = 60, 6  # 行政复议法第二十条；行政诉讼法第四十六条


def public_projects() -> QuerySet[Project]:
    """Projects with something published: a standard in force or a publication."""
    return (
        Project.objects.filter(Q(standards__status="published") | Q(publications__isnull=False))
        .distinct()
        .order_by("name")
    )


def public_project(code: str) -> Project:
    """The project, if it has something published. Read at most once a minute: every public page asks."""

    def read() -> Project:
        project = Project.objects.filter(code=code).first()
        published = project is not None and (
            project.publications.exists() or project.standards.filter(status="published").exists()
        )
        if not published:
            raise Http404("没有找到该项目的公开信息")  # not kept: a project published later is found at once
        return project

    return cache.get_or_set(f"portal:project:{code}", read, FACE_SECONDS)


def published_standards(project: Project):
    return project.standards.filter(status="published").order_by("-published_on", "-id")


def published_standard(project: Project, pk: int):
    standard = published_standards(project).filter(pk=pk).first()
    if standard is None:
        raise Http404("没有找到该补偿方案")
    return standard


@dataclass(frozen=True)
class Progress:
    households: int
    stages: list[tuple[str, int]]

    def count(self, *stages: str) -> int:
        return sum(n for code, n in self.stages if code in stages)

    @property
    def signed(self) -> int:
        return self.count(Stage.SIGNED, Stage.DECIDED, Stage.VACATED, Stage.DEMOLISHED)

    @property
    def signed_percent(self) -> Decimal:
        if not self.households:
            return Decimal(0)
        return (Decimal(self.signed * 100) / self.households).quantize(Decimal("0.1"))


def progress(project: Project) -> Progress:
    """The project's households by stage, counted at most once a minute: the public page is read by many."""
    counts = cache.get_or_set(
        f"portal:progress:{project.pk}",
        lambda: dict(Household.objects.filter(project=project).values_list("stage").annotate(n=Count("id"))),
        FACE_SECONDS,
    )
    return Progress(sum(counts.values()), [(code, counts.get(code, 0)) for code in Stage.values])


def _publications_key(project: Project) -> str:
    return f"portal:publications:{project.pk}"


def publications(project: Project) -> list[Publication]:
    """Newest first; each knows whether a later one of its kind superseded it. Kept until the next publication of
    the project in this process (publish() forgets them here) and a minute in the others."""

    def read() -> list[Publication]:
        found = list(project.publications.order_by("kind", "-number"))
        latest: set[str] = set()
        for publication in found:
            publication.superseded = publication.kind in latest
            latest.add(publication.kind)
        return sorted(found, key=lambda p: (p.published_on, p.at), reverse=True)

    return cache.get_or_set(_publications_key(project), read, FACE_SECONDS)


def forget_publications(project: Project) -> None:
    cache.delete(_publications_key(project))


def publication_get(project: Project, kind: str, number: int) -> Publication:
    publication = next((p for p in publications(project) if p.kind == kind and p.number == number), None)
    if publication is None:
        raise Http404("没有找到该次公示")
    return publication


@dataclass(frozen=True)
class Page:
    number: int
    pages: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def page_number(publication: Publication, number: int) -> Page:
    """Which page is asked for, within the publication's pages."""
    pages = max(1, -(-publication.rows // PAGE_SIZE))
    return Page(min(max(1, number), pages), pages)


def page_rows(publication: Publication, number: int) -> list[PublishedRow]:
    """A page of the publication's rows, read by its (publication, seq) key: as fast on page 400 as on page 1."""
    start = (number - 1) * PAGE_SIZE
    rows = PublishedRow.objects.filter(publication=publication, seq__gt=start, seq__lte=start + PAGE_SIZE)
    return list(rows.order_by("seq"))


def find_row(publication: Publication, number: str) -> PublishedRow | None:
    return PublishedRow.objects.filter(publication=publication, number=number.strip()).first()


def rows_html(publication: Publication, page: int | None, q: str = "") -> str:
    """A page of a publication (or the row found by its household number) rendered once and kept: a publication
    never changes. The same for every reader: the reader's own row is marked by the page's style, not here."""
    if page is None:
        row = find_row(publication, q)
        return render_to_string("portal/_rows.html", {"rows": [row] if row else [], "publication": publication})
    key = f"portal:rows:{publication.pk}:{publication.digest}:{page}:{translation.get_language()}"
    context = {"publication": publication}
    return cache.get_or_set(
        key,
        lambda: render_to_string("portal/_rows.html", context | {"rows": page_rows(publication, page)}),
        ROWS_SECONDS,
    )


def own_rows(household: Household) -> list[PublishedRow]:
    rows = PublishedRow.objects.filter(household=household).select_related("publication")
    return sorted(rows, key=lambda r: (r.publication.published_on, r.publication.at), reverse=True)


@dataclass(frozen=True)
class Step:
    on: date | None
    text: str
    done: bool


@dataclass
class OwnFile:
    household: Household
    masked_id: str
    members: list = field(default_factory=list)
    properties: list = field(default_factory=list)
    agreement: Agreement | None = None
    decision: Decision | None = None
    appraisal: Appraisal | None = None
    payments: list = field(default_factory=list)
    paid: Decimal = Decimal(0)
    owed: Decimal = Decimal(0)
    flat: Flat | None = None
    choosing_place: int | None = None
    objections: list = field(default_factory=list)
    petitions: list = field(default_factory=list)
    agency_vote: "AgencyChoice | None" = None
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class AgencyChoice:
    """The appraisal agency vote as the household sees it: the candidates, its own vote, whether it is open, and the
    selection with its count once made."""

    vote: AgencyVote
    candidates: list
    voted_for: int | None
    open: bool
    selection: AgencySelection | None


def agency_choice(household: Household, today: date) -> AgencyChoice | None:
    vote = AgencyVote.objects.filter(project_id=household.project_id).first()
    if vote is None:
        return None
    selection = AgencySelection.objects.filter(project_id=household.project_id).select_related("agency").first()
    ballot = vote.ballots.filter(household=household).values_list("agency_id", flat=True).first()
    return AgencyChoice(
        vote=vote,
        candidates=list(vote.candidates.order_by("name")),
        voted_for=ballot,
        open=selection is None and vote.opens_on <= today <= vote.closes_on,
        selection=selection,
    )


def own_file(household: Household, today: date) -> OwnFile:
    """Everything the household may read of itself, and what comes next with its dates."""
    file = OwnFile(household, mask_id_number(household.id_number))
    file.members = [(m.name, m.relation, mask_id_number(m.id_number)) for m in household.members.order_by("id")]
    file.properties = list(household.properties.order_by("seq"))
    file.agreement = (
        household.agreements.filter(status=AgreementStatus.SIGNED).select_related("standard").order_by("-id").first()
    )
    file.decision = Decision.objects.filter(household=household).order_by("-id").first()
    file.appraisal = Appraisal.objects.filter(household=household).select_related("agency").order_by("-id").first()
    if file.agreement:
        file.payments = [
            (p.paid_on, p.get_kind_display(), p.amount, mask_account(p.account))
            for p in file.agreement.payments.order_by("paid_on", "id")
        ]
        file.paid, file.owed = paid(file.agreement), owed(file.agreement)
        file.flat = Flat.objects.filter(agreement=file.agreement).first()
    session = ChoosingSession.objects.filter(project_id=household.project_id).first()
    if session and household.number in session.order:
        file.choosing_place = session.order.index(household.number) + 1
    file.objections = list(Objection.objects.filter(household=household).select_related("publication").order_by("-at"))
    file.petitions = list(Petition.objects.filter(household=household).order_by("-received_on", "-pk"))
    file.agency_vote = agency_choice(household, today)
    file.steps = next_steps(file, today)
    return file


def next_steps(file: OwnFile, today: date) -> list[Step]:
    """The household's road from survey to moving, each step with its date where one is set."""
    household, project, agreement = file.household, file.household.project, file.agreement
    stage = household.stage
    reached = ORDER.index(stage) if stage in ORDER else 0
    steps = [
        Step(None, _("入户调查登记"), stage != Stage.UNSURVEYED),
        Step(
            file.appraisal.delivered_on if file.appraisal else None,
            _("评估报告送达"),
            file.appraisal is not None or reached >= ORDER.index(Stage.APPRAISED),
        ),
    ]
    if project.signing_start and project.signing_end:
        signed = agreement is not None
        period = _("签约期 %(start)s 至 %(end)s") % {"start": project.signing_start, "end": project.signing_end}
        steps.append(Step(agreement.signed_on if signed else project.signing_end, period, signed))
    if agreement:
        due = agreement.signed_on + timedelta(days=agreement.payment_days)
        paying = _("补偿款支付（已付 %(paid)s 元，应付 %(owed)s 元）") % {"paid": file.paid, "owed": file.owed}
        steps.append(Step(due, paying, file.paid >= file.owed))
        steps.append(Step(agreement.moving_deadline, _("搬迁腾空"), stage in (Stage.VACATED, Stage.DEMOLISHED)))
    if file.choosing_place:
        steps.append(Step(None, _("选房：顺序第 %(n)s 位") % {"n": file.choosing_place}, file.flat is not None))
    if file.decision:
        review_by = file.decision.published_on + timedelta(days=REVIEW_DAYS)
        rights = _("对补偿决定不服：%(days)s 日内可申请行政复议，%(months)s 个月内可提起行政诉讼") % {
            "days": REVIEW_DAYS,
            "months": LAWSUIT_MONTHS,
        }
        steps.append(Step(review_by, rights, today > review_by))
    steps.append(Step(None, _("房屋拆除"), stage == Stage.DEMOLISHED))
    return steps
