"""What officials read of petitions: the list and one petition in their reach, the petitioner's identity only for the
command office (never for the unit the petition is about), overdue ones for the ladder, and each project's
stability risk."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gaizao.org.access import is_command_office, scope_units
from gaizao.petitions import rules
from gaizao.petitions.models import Petition, Satisfaction, Status, Theme
from gaizao.projects.models import Project
from gaizao.supervision.ladder import Subject

OPEN = (Status.RECEIVED, Status.ASSIGNED)
HIDDEN = "（信访人信息已隐去）"


def petition_list(*, fetched_by, status: str = "", q: str = "") -> QuerySet[Petition]:
    qs = Petition.objects.select_related("project", "assigned_to", "about")
    qs = scope_units(qs, fetched_by, "district_id", "assigned_to_id", "about_id")
    if status == "overdue":
        qs = qs.filter(status__in=OPEN, due_on__lt=timezone.localdate())
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(code=q.strip().upper()) if q.strip().upper().startswith("XF") else qs.filter(content__contains=q)
    return qs.order_by("-received_on", "-pk")


def petition_get(*, fetched_by, pk: int) -> Petition:
    petition = petition_list(fetched_by=fetched_by).filter(pk=pk).first()
    if petition is None:
        raise Http404("没有找到该信访件，或您无权查看")
    return petition


def sees_petitioner(user) -> bool:
    """Only the command office, which receives petitions, knows who wrote: not the unit written about."""
    return is_command_office(user)


def petitioner(user, petition: Petition) -> tuple[str, str]:
    if not sees_petitioner(user):
        return HIDDEN, ""
    return petition.reporter_name, petition.reporter_phone


def overdue(petition: Petition, today: date) -> bool:
    return petition.status in OPEN and today > petition.due_on


def overdue_petitions(today: date) -> list[Subject]:
    """For the ladder (supervision/tick.py): a petition not answered in its time is its unit's failure."""
    late = Petition.objects.filter(status__in=OPEN, due_on__lt=today)
    return [
        Subject("petition_late", pk, f"信访件 {code} 逾期未答复", unit or district, due + timedelta(days=1))
        for pk, code, unit, district, due in late.values_list("pk", "code", "assigned_to_id", "district_id", "due_on")
    ]


@dataclass(frozen=True)
class ProjectRisk:
    project: Project
    counts: rules.Counts
    risk: rules.Risk


def counts(petitions: list[Petition], today: date) -> rules.Counts:
    themes = Counter(p.theme for p in petitions)
    theme, most = themes.most_common(1)[0] if themes else ("", 0)
    return rules.Counts(
        petitions=len(petitions),
        repeats=sum(1 for p in petitions if p.repeat_of_id),
        overdue=sum(1 for p in petitions if overdue(p, today)),
        unsatisfied=sum(1 for p in petitions if p.satisfaction == Satisfaction.UNSATISFIED),
        group=most,
        group_theme=dict(Theme.choices).get(theme, ""),
    )


def project_risks(*, fetched_by, today: date) -> list[ProjectRisk]:
    """The stability risk of each project in reach, from its petitions of the last 90 days and those still open
    however old (an unanswered one must not age out of the count); highest first."""
    since = today - timedelta(days=rules.RISK_WINDOW_DAYS)
    recent = petition_list(fetched_by=fetched_by).filter(Q(received_on__gte=since) | Q(status__in=OPEN))
    recent = recent.filter(project__isnull=False)
    by_project: dict[int, list[Petition]] = {}
    projects: dict[int, Project] = {}
    for petition in recent:
        by_project.setdefault(petition.project_id, []).append(petition)
        projects[petition.project_id] = petition.project
    found = []
    for pk, petitions in by_project.items():
        c = counts(petitions, today)
        found.append(ProjectRisk(projects[pk], c, rules.risk(c)))
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(found, key=lambda r: (order[r.risk.level], -r.counts.petitions))


def project_risk(project: Project, today: date) -> rules.Risk:
    since = today - timedelta(days=rules.RISK_WINDOW_DAYS)
    petitions = project.petitions.filter(Q(received_on__gte=since) | Q(status__in=OPEN))
    return rules.risk(counts(list(petitions), today))
