"""The one scoping layer: every list, detail, export and API call asks here what a user may see or change.

An official sees the units under their own (and under the unit their headquarters has jurisdiction
over); households are theirs when the household's street or its holding unit (包户单位) is one of those.
Read-everywhere roles (纪委监委, 审计) see all and change nothing. Anything else sees nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from gaizao.audit.recording import refused
from gaizao.org.models import Official, Role, Unit, UnitKind
from gaizao.org.roles import Capabilities, capabilities

ALL = None


def official_of(user) -> Official | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_gaizao_official", False)
    if cached is False:
        cached = Official.objects.select_related("unit", "unit__jurisdiction").filter(user=user).first()
        user._gaizao_official = cached
    return cached


def user_capabilities(user) -> Capabilities:
    official = official_of(user)
    return capabilities(official.role if official else None)


def unit_roots(unit: Unit) -> list[Unit]:
    """A unit, and the unit it has jurisdiction over (a headquarters'): what is under either is under it."""
    return [unit, unit.jurisdiction] if unit.jurisdiction_id else [unit]


def root_units(official: Official) -> list[Unit]:
    return unit_roots(official.unit)


def visible_unit_ids(user) -> frozenset[int] | None:
    """The ids of the units a user sees; None means every unit (read-everywhere roles)."""
    official = official_of(user)
    if official is None or not capabilities(official.role).sees_records:
        return frozenset()
    if capabilities(official.role).read_everywhere:
        return ALL
    return _reach(user, official).units


@dataclass(frozen=True)
class Reach:
    units: frozenset[int]
    # districts seen whole (a district office, a leader), and the visible units outside them
    districts: frozenset[int]
    rest: frozenset[int]


def _reach(user, official: Official) -> Reach:
    cached = getattr(user, "_gaizao_reach", None)
    if cached is None:
        condition = Q()
        for root in root_units(official):
            condition |= Q(path__startswith=root.path)
        units = list(Unit.objects.filter(condition).values_list("id", "kind", "district_id"))
        districts = frozenset(pk for pk, kind, _ in units if kind == UnitKind.DISTRICT)
        rest = frozenset(pk for pk, _, district in units if district not in districts)
        cached = user._gaizao_reach = Reach(frozenset(pk for pk, _, _ in units), districts, rest)
    return cached


def visible_units(user) -> QuerySet[Unit]:
    ids = visible_unit_ids(user)
    return Unit.objects.all() if ids is ALL else Unit.objects.filter(id__in=ids)


def scope_households(
    qs: QuerySet, user, prefix: str = "", street: int | None = None, own_district: bool = False
) -> QuerySet:
    """Households (or rows reached through `prefix`, e.g. "household__") the user may see, optionally of one street.

    A household's street and holding unit lie in its own district (the importer and the services resolve
    them there), so a user who sees a whole district sees exactly the households whose district it is:
    that filter, and a visible street's own filter, are answered from their indexes.
    """
    ids = visible_unit_ids(user)
    by_street = {f"{prefix}street_id": street} if street else {}
    if ids is ALL or (street and street in ids):
        return qs.filter(**by_street)
    if not ids:
        return qs.none()
    reach = _reach(user, official_of(user))
    districts, rest = reach.districts, reach.rest
    # rows that carry the household's district themselves (events) are filtered on it: their own index answers
    district = "district_id__in" if own_district else f"{prefix}district_id__in"
    condition = Q(**{district: districts}) if districts else Q(pk__in=[])
    if rest:
        condition |= Q(**{f"{prefix}street_id__in": rest}) | Q(**{f"{prefix}holder_unit_id__in": rest})
    return qs.filter(condition, **by_street)


def scope_units(qs: QuerySet, user, *fields: str) -> QuerySet:
    """Rows whose unit (any of `fields`, e.g. "unit_id", "issuing_unit_id") is one the user sees."""
    ids = visible_unit_ids(user)
    if ids is ALL:
        return qs
    condition = Q(pk__in=[])
    for field in fields or ("unit_id",):
        condition |= Q(**{f"{field}__in": ids or []})
    return qs.filter(condition)


def scope_projects(qs: QuerySet, user) -> QuerySet:
    """Projects in the user's district or above it, or below it: a street sees its district's projects."""
    official = official_of(user)
    if official is None or not capabilities(official.role).sees_records:
        return qs.none()
    if capabilities(official.role).read_everywhere:
        return qs
    condition = Q()
    for root in root_units(official):
        ancestors = [int(i) for i in root.path.strip("/").split("/")]
        condition |= Q(district_id__in=ancestors) | Q(district__path__startswith=root.path)
    return qs.filter(condition)


def get_for_user_or_404(qs: QuerySet, user, scope=scope_households, **lookup):
    """Fetch and authorise in one call: missing and not-yours give the same 404."""
    obj = scope(qs, user).filter(**lookup).first()
    if obj is None:
        if qs.filter(**lookup).exists():
            refused(qs.model, lookup)
        raise Http404("没有找到该记录，或您无权查看。")
    return obj


def can_change(user) -> bool:
    return user_capabilities(user).change


def can_import(user) -> bool:
    return user_capabilities(user).import_ledger


def is_command_office(user) -> bool:
    """Project-wide steps (the appraisal agency, the flat-choosing order) are the command office's."""
    official = official_of(user)
    return bool(official and official.role == Role.OFFICE)


def require_district_office(by, district_id: int, what: str) -> None:
    """Steps only the command office of that district takes (assigning a petition, approving a monitor…)."""
    ids = visible_unit_ids(by)
    if not (is_command_office(by) and can_change(by) and (ids is None or district_id in ids)):
        raise PermissionDenied(f"只有指挥部办公室可以{what}")


def can_reveal(user) -> bool:
    official = official_of(user)
    return bool(official and official.can_reveal)
