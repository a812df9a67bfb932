from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from gaizao.org.models import Official, Unit, UnitKind


@transaction.atomic
def unit_create(*, name: str, kind: str, parent: Unit | None = None, jurisdiction: Unit | None = None) -> Unit:
    name = name.strip()
    if not name:
        raise ValidationError("单位名称不能为空")
    if kind not in UnitKind.values:
        raise ValidationError(f"单位类型“{kind}”无效")
    if Unit.objects.filter(parent=parent, name=name).exists():
        raise ValidationError(f"“{parent or '顶级'}”下已有名为“{name}”的单位")
    unit = Unit.objects.create(name=name, kind=kind, parent=parent, jurisdiction=jurisdiction, path="")
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    if kind == UnitKind.DISTRICT:
        unit.district = unit
    elif parent is not None:
        unit.district = parent.district
    unit.save(update_fields=["path", "district"])
    return unit


def unit_get_or_create(*, name: str, kind: str, parent: Unit) -> tuple[Unit, bool]:
    existing = Unit.objects.filter(parent=parent, name=name.strip()).first()
    if existing:
        return existing, False
    return unit_create(name=name, kind=kind, parent=parent), True


@transaction.atomic
def official_create(
    *,
    username: str,
    password: str,
    name: str,
    unit: Unit,
    role: str,
    title: str = "",
    phone: str = "",
    can_reveal: bool = False,
    person_key: str = "",
) -> Official:
    user = get_user_model().objects.create_user(username=username, password=password, first_name=name)
    return Official.objects.create(
        user=user,
        name=name,
        unit=unit,
        role=role,
        title=title,
        phone=phone,
        can_reveal=can_reveal,
        person_key=person_key,
    )
