"""Writes of compensation standards: checked whole before they are saved; a published version never changes."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gaizao.compensation.engine.standard import StandardError, load
from gaizao.compensation.models import Standard, StandardStatus
from gaizao.projects.models import Project


def checked(source: str, project: Project):
    try:
        parsed = load(source)
    except StandardError as error:
        raise ValidationError(str(error)) from error
    if parsed.project and parsed.project != project.code:
        raise ValidationError(f"方案写明的项目“{parsed.project}”不是“{project.code}”")
    return parsed


@transaction.atomic
def standard_save(*, by, project: Project, source: str) -> Standard:
    """A new draft, or a changed draft of the same version; a published version is refused."""
    parsed = checked(source, project)
    existing = Standard.objects.select_for_update().filter(project=project, version=parsed.version).first()
    if existing and existing.status == StandardStatus.PUBLISHED:
        raise ValidationError(f"版本“{parsed.version}”已公布，不能修改；请以新版本号起草")
    if existing:
        existing.name, existing.source = parsed.name, source
        existing.save(update_fields=["name", "source"])
        return existing
    return Standard.objects.create(
        project=project, version=parsed.version, name=parsed.name, source=source, created_by=by
    )


@transaction.atomic
def standard_publish(*, by, standard: Standard, on: date) -> Standard:
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status == StandardStatus.PUBLISHED:
        raise ValidationError(f"版本“{standard.version}”已于{standard.published_on}公布")
    checked(standard.source, standard.project)
    standard.status = StandardStatus.PUBLISHED
    standard.published_on = on
    standard.published_by = by
    standard.save(update_fields=["status", "published_on", "published_by"])
    return standard


def standard_in_force(project: Project) -> Standard | None:
    return (
        Standard.objects.filter(project=project, status=StandardStatus.PUBLISHED)
        .order_by("-published_on", "-id")
        .first()
    )
