"""What is read of the citizen supervision: the office's lists and one report in reach, a monitor's own reports,
the late ones for the ladder, and what the public sees of a project (closed and declined reports, with outcome)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from gaizao.core.models import Evidence
from gaizao.monitors.models import Monitor, MonitorStatus, Report, ReportStatus, Step
from gaizao.org.access import scope_units
from gaizao.portal.selectors import public_projects
from gaizao.projects.models import Project
from gaizao.supervision.ladder import Subject

OPEN = (ReportStatus.SUBMITTED, ReportStatus.ASSIGNED, ReportStatus.FIXED)
PUBLIC = (ReportStatus.CLOSED, ReportStatus.DISMISSED)


def report_list(*, fetched_by, status: str = "", project: int = 0, today: date | None = None) -> QuerySet[Report]:
    """The district's office sees all of its reports; a unit those assigned to it (or below it)."""
    qs = scope_units(
        Report.objects.select_related("project", "assigned_to"), fetched_by, "district_id", "assigned_to_id"
    )
    if status == "late" and today is not None:
        qs = qs.filter(status=ReportStatus.ASSIGNED, due_on__lt=today)
    elif status:
        qs = qs.filter(status=status)
    if project:
        qs = qs.filter(project_id=project)
    return qs.order_by("-submitted_at", "-pk")


def report_get(*, fetched_by, pk: int) -> Report:
    report = report_list(fetched_by=fetched_by).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该监督问题，或您无权查看")
    return report


def monitor_list(*, fetched_by) -> QuerySet[Monitor]:
    qs = scope_units(Monitor.objects.select_related("project"), fetched_by, "district_id")
    return qs.annotate(report_count=Count("reports")).order_by("status", "-applied_at")


def monitor_get(*, fetched_by, pk: int) -> Monitor:
    monitor = scope_units(Monitor.objects.filter(pk=pk), fetched_by, "district_id").first()
    if monitor is None:
        raise Http404("没有找到该监督员，或您无权查看")
    return monitor


def steps(report: Report) -> list[Step]:
    return list(report.steps.select_related("unit").prefetch_related("photos"))


def own_reports(monitor: Monitor) -> QuerySet[Report]:
    return Report.objects.filter(monitor=monitor).select_related("assigned_to").order_by("-submitted_at")


def own_report(monitor: Monitor, pk: int) -> Report:
    report = own_reports(monitor).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该问题")
    return report


def late_reports(today: date) -> list[Subject]:
    """For the ladder (supervision/tick.py): a problem not fixed by its deadline is its unit's failure."""
    late = Report.objects.filter(status=ReportStatus.ASSIGNED, due_on__lt=today)
    return [
        Subject("monitor_late", pk, f"监督问题 {code} 逾期未整改", unit, due + timedelta(days=1))
        for pk, code, unit, due in late.values_list("pk", "code", "assigned_to_id", "due_on")
    ]


@dataclass(frozen=True)
class PublicFigures:
    received: int
    open: int
    closed: int
    dismissed: int
    late: int


def public_figures(project: Project, today: date) -> PublicFigures:
    counts = Report.objects.filter(project=project).aggregate(
        received=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN)),
        closed=Count("pk", filter=Q(status=ReportStatus.CLOSED)),
        dismissed=Count("pk", filter=Q(status=ReportStatus.DISMISSED)),
        late=Count("pk", filter=Q(status=ReportStatus.ASSIGNED, due_on__lt=today)),
    )
    return PublicFigures(**counts)


def public_reports(project: Project) -> QuerySet[Report]:
    """Published with their outcome: what was reported, where, who fixed it and how; never who reported it."""
    return (
        Report.objects.filter(project=project, status__in=PUBLIC)
        .select_related("assigned_to")
        .prefetch_related(Prefetch("steps", Step.objects.select_related("unit").prefetch_related("photos")))
        .order_by("-closed_at", "-pk")
    )


def public_photo(pk: int) -> Evidence:
    """A photo of a published report of a project on the portal; nothing else is served to the public."""
    photo = Evidence.objects.filter(
        pk=pk,
        monitor_steps__report__status__in=PUBLIC,
        monitor_steps__report__project__in=public_projects().values("pk"),
    ).first()
    if photo is None:
        raise Http404("没有找到该照片")
    return photo


def own_photo(monitor: Monitor, pk: int) -> Evidence:
    photo = Evidence.objects.filter(pk=pk, monitor_steps__report__monitor=monitor).first()
    if photo is None:
        raise Http404("没有找到该照片")
    return photo


def office_photo(*, fetched_by, pk: int) -> Evidence:
    reports = report_list(fetched_by=fetched_by).values("pk")
    photo = Evidence.objects.filter(pk=pk, monitor_steps__report__in=reports).first()
    if photo is None:
        raise Http404("没有找到该照片，或您无权查看")
    return photo


def active_monitors(project: Project) -> int:
    return Monitor.objects.filter(project=project, status=MonitorStatus.ACTIVE).count()
