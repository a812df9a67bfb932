from django.db.models import Count, QuerySet
from django.http import Http404

from gaizao.ledger.models import Household
from gaizao.ledger.stages import Stage
from gaizao.org.access import scope_households, scope_projects
from gaizao.projects.models import Project


def project_list(*, fetched_by) -> QuerySet[Project]:
    return scope_projects(Project.objects.select_related("district", "campaign"), fetched_by).order_by("code")


def project_get(*, fetched_by, code: str) -> Project:
    project = scope_projects(Project.objects.filter(code=code), fetched_by).select_related("district").first()
    if project is None:
        raise Http404("没有找到该项目，或您无权查看。")
    return project


def project_visible(*, fetched_by, project_id: int) -> bool:
    return scope_projects(Project.objects.filter(pk=project_id), fetched_by).exists()


def stage_counts(*, fetched_by, projects: list[Project]) -> dict[int, dict[str, int]]:
    """Households per project and stage, within what the user sees: one grouped query."""
    rows = (
        scope_households(Household.objects.filter(project__in=projects), fetched_by)
        .values("project_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {p.id: dict.fromkeys(Stage.values, 0) for p in projects}
    for row in rows:
        counts[row["project_id"]][row["stage"]] = row["n"]
    return counts
