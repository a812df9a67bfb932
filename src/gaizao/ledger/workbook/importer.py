"""Imports a ledger workbook into a project: resolve units, compare with what is stored, write atomically.

The whole import runs in one transaction; a dry run, or a file with rejected rows imported without
`valid_only`, rolls it back, so the preview is exactly what confirming would do.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cache, cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from gaizao.audit import trail
from gaizao.core.bulk import insert_rows, update_rows
from gaizao.core.collector import collector_paused
from gaizao.core.feedback import plain
from gaizao.core.masking import masked
from gaizao.ledger import tally
from gaizao.ledger.history import sealed
from gaizao.ledger.models import Household, HouseholdEvent, ImportBatch, Property
from gaizao.ledger.stages import Stage
from gaizao.ledger.tally import recounted
from gaizao.ledger.workbook.columns import BY_FIELD, HOUSEHOLD_FIELDS, PROPERTY_FIELDS
from gaizao.ledger.workbook.parse import HouseholdDraft, ParseResult, Problem, PropertyDraft, parse_sheets
from gaizao.ledger.workbook.reader import WorkbookError, read_workbook
from gaizao.org.access import visible_unit_ids
from gaizao.org.models import LOCAL_KINDS, Unit, UnitKind
from gaizao.org.services import unit_create
from gaizao.projects.models import Project

# Household columns as stored: the file's street and holder names become unit ids.
STORED_NAMES = {
    name: {"street": "street_id", "holder_unit": "holder_unit_id"}.get(name, name) for name in HOUSEHOLD_FIELDS
}
STORED_HOUSEHOLD_FIELDS = tuple(STORED_NAMES.values())
STORED_PROPERTY_FIELDS = (*PROPERTY_FIELDS, "built_precision")
ZERO = Decimal(0)
BLANK_TEXT = {
    "id_number",
    "phone",
    "wish",
    "choice",
    "holder_name",
    "certificate_no",
    "use",
    "structure",
    "remark",
    "built_precision",
}


# One shared empty mapping for the many rows that carry none: core.bulk adapts a repeated object once.
NOTHING: dict = {}


@dataclass
class ImportReport:
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    properties_created: int = 0
    properties_updated: int = 0
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    rows_read: int = 0
    written: bool = False
    dry_run: bool = False

    def as_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "changes"}

    @property
    def failed(self) -> bool:
        return bool(self.rejected) and not self.written


class Rollback(Exception):
    pass


@collector_paused()
def import_ledger(
    *,
    path: Path,
    project: Project,
    by=None,
    original_name: str | None = None,
    dry_run: bool = False,
    create_units: bool = False,
    valid_only: bool = False,
) -> ImportReport:
    """`by` is the official importing from the web (scoped), or None for the operator's command line."""
    report = ImportReport(dry_run=dry_run)
    try:
        sheets = read_workbook(path, original_name)
    except WorkbookError as error:
        report.rejected.append({"sheet": "", "row": 0, "column": "", "reason": str(error)})
        return report
    parsed = parse_sheets(sheets, project.freeze_date)
    report.rows_read = parsed.rows_read
    report.extra_columns = parsed.extra_columns
    report.warnings = [w.as_warning() for w in parsed.warnings]
    try:
        with transaction.atomic():
            plan = Plan(project, parsed, by, create_units, report)
            plan.build()
            report.rejected = [p.as_rejection() for p in parsed.rejected]
            if dry_run or (report.rejected and not valid_only) or not plan.has_work():
                raise Rollback
            plan.write(file_name=original_name or path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
            report.written = True
    except Rollback:
        pass
    return report


def _normalised(name: str, value: Any) -> Any:
    """Stored text columns hold "" for blank; the cell parsers already give Decimals two places."""
    return "" if value is None and name in BLANK_TEXT else value


@cache
def _property_columns(present: frozenset[str]) -> tuple[tuple[str, Any], ...]:
    """The stored property columns a sheet gives (its properties share one `present`), each with its blank."""
    return tuple((name, _normalised(name, None)) for name in STORED_PROPERTY_FIELDS if name in present)


class Plan:
    def __init__(self, project: Project, parsed: ParseResult, by, create_units: bool, report: ImportReport):
        self.project = project
        self.parsed = parsed
        self.by = by
        self.create_units = create_units
        self.report = report
        self.now = timezone.now()
        self.new_households: list[tuple[HouseholdDraft, dict[str, Any]]] = []
        self.household_updates: list[tuple[int, dict[str, Any]]] = []
        self.property_inserts: list[tuple[HouseholdDraft | int, dict[str, Any]]] = []
        self.property_updates: list[tuple[int, dict[str, Any]]] = []
        self.events: list[tuple[HouseholdDraft | int, str, dict]] = []
        self.visible = visible_unit_ids(by) if by is not None else None

    # ---- reading what is stored -------------------------------------------------------------
    def stored_households(self) -> dict[str, dict[str, Any]]:
        rows = Household.objects.filter(project=self.project).values(
            "id", "locked_at", "id_tail", *STORED_HOUSEHOLD_FIELDS
        )
        return {row["number"]: row for row in rows}

    def stored_properties(self) -> dict[int, list[dict[str, Any]]]:
        result: dict[int, list[dict[str, Any]]] = {}
        rows = Property.objects.filter(household__project=self.project).values(
            "id", "household_id", "seq", "extra", *STORED_PROPERTY_FIELDS
        )
        for row in rows.order_by("household_id", "seq"):
            result.setdefault(row["household_id"], []).append(row)
        return result

    # ---- deciding -----------------------------------------------------------------------------
    def reject(self, draft: HouseholdDraft, column: str, reason: str) -> None:
        first = draft.properties[0]
        self.parsed.rejected.append(Problem(first.sheet, first.row, column, reason))
        for prop in draft.properties[1:]:
            self.parsed.rejected.append(
                Problem(prop.sheet, prop.row, "户号", f"户号“{draft.number}”的其他行有错误，整户未导入")
            )
        self.parsed.rejected_numbers.add(draft.number)

    def accepted(self) -> list[HouseholdDraft]:
        return [d for n, d in self.parsed.households.items() if n not in self.parsed.rejected_numbers]

    def build(self) -> None:
        resolver = UnitResolver(self.project, self.by, self.create_units, self.report)
        for draft in self.accepted():
            problem = resolver.resolve(draft)
            if problem:
                self.reject(draft, *problem)
        self.check_certificates_against_stored()
        stored = self.stored_households()
        properties = self.stored_properties()
        for draft in self.accepted():
            row = stored.get(draft.number)
            if row is None:
                self.plan_new(draft)
            else:
                self.plan_update(draft, row, properties.get(row["id"], []))
        self.parsed.sort_rejected()

    def check_certificates_against_stored(self) -> None:
        wanted: dict[str, HouseholdDraft] = {}
        for draft in self.accepted():
            for prop in draft.properties:
                if prop.values.get("certificate_no"):
                    wanted[prop.values["certificate_no"]] = draft
        if not wanted:
            return
        taken = Property.objects.filter(household__project=self.project).exclude(certificate_no="")
        for certificate, number in taken.values_list("certificate_no", "household__number").iterator():
            draft = wanted.get(certificate)
            if draft is None:
                continue
            if number != draft.number and draft.number not in self.parsed.rejected_numbers:
                self.reject(
                    draft, BY_FIELD["certificate_no"].header, f"产权证号“{certificate}”已登记在户号“{number}”名下"
                )

    def household_values(self, draft: HouseholdDraft) -> dict[str, Any]:
        values = {
            stored: _normalised(name, draft.values.get(name))
            for name, stored in STORED_NAMES.items()
            if name in draft.present
        }
        if "id_number" in values:  # its keyed hash, and the phone's, core.bulk writes along with it
            values["id_tail"] = values["id_number"][-4:]
        return values

    @staticmethod
    def property_values(prop: PropertyDraft) -> dict[str, Any]:
        values = prop.values.get
        return {name: blank if (v := values(name)) is None else v for name, blank in _property_columns(prop.present)}

    def plan_new(self, draft: HouseholdDraft) -> None:
        self.new_households.append((draft, self.household_values(draft)))
        for seq, prop in enumerate(draft.properties, start=1):
            self.property_inserts.append(
                (draft, {**self.property_values(prop), "seq": seq, "extra": prop.extra or NOTHING})
            )
        self.events.append((draft, "created", NOTHING))
        self.report.households_created += 1
        self.report.properties_created += len(draft.properties)
        self.report.changes.append(
            {"number": draft.number, "action": "create", "owner": draft.values.get("owner_name")}
        )

    def plan_update(self, draft: HouseholdDraft, row: dict[str, Any], stored_props: list[dict[str, Any]]) -> None:
        if self.visible is not None and row["street_id"] not in self.visible:
            self.reject(draft, "户号", f"户号“{draft.number}”已登记在您无权修改的街道")
            return
        changes: dict[str, list] = {}
        household_changes = {}
        for name, value in self.household_values(draft).items():
            if row[name] != value:
                household_changes[name] = value
                if name != "id_tail":
                    changes[name] = [plain(row[name]), plain(value)]
        prop_inserts, prop_updates = [], []
        next_seq = max((p["seq"] for p in stored_props), default=0) + 1
        file_values = [self.property_values(prop) for prop in draft.properties]
        for prop, values, match in zip(
            draft.properties, file_values, pair_properties(file_values, stored_props), strict=True
        ):
            if match is None:
                prop_inserts.append({**values, "seq": next_seq, "extra": prop.extra or NOTHING})
                changes[f"properties.{next_seq}"] = [None, values.get("location")]
                next_seq += 1
                continue
            update = {name: value for name, value in values.items() if match[name] != value}
            extra = {k: v for k, v in match["extra"].items() if k not in prop.extra_present} | prop.extra
            if extra != match["extra"]:
                update["extra"] = extra
            for name, value in update.items():
                changes[f"properties.{match['seq']}.{name}"] = [plain(match.get(name)), plain(value)]
            if update:
                prop_updates.append((match["id"], update))
        if not changes:
            self.report.households_unchanged += 1
            return
        if row["locked_at"] is not None:
            self.reject(draft, "户号", f"户号“{draft.number}”的调查数据已锁定，修改须先由第二人解锁")
            return
        self.household_updates.append((row["id"], household_changes))
        self.property_inserts.extend((row["id"], values) for values in prop_inserts)
        self.property_updates.extend(prop_updates)
        self.events.append((row["id"], "imported", changes))
        self.report.households_updated += 1
        self.report.properties_created += len(prop_inserts)
        self.report.properties_updated += len(prop_updates)
        self.report.changes.append({"number": draft.number, "action": "update", "changes": changes})

    def has_work(self) -> bool:
        return bool(self.new_households or self.household_updates or self.property_inserts or self.property_updates)

    # ---- writing ------------------------------------------------------------------------------
    def write(self, *, file_name: str, sha256: str) -> None:
        batch = ImportBatch.objects.create(
            project=self.project,
            file_name=file_name,
            sha256=sha256,
            by=self.by,
            at=self.now,
            summary=self.report.as_json() | {"rejected": len(self.report.rejected)},
        )
        with recounted(pk for pk, _ in self.household_updates):
            ids = self.insert_households()
            self.apply_household_updates()
            self.insert_properties(ids)
            self.apply_property_updates()
            self.insert_events(ids, batch, file_name)
            trail.append(self.trail_entries(ids, batch))
        tally.count_surveyed(
            project=self.project.id,
            district=self.project.district_id,
            day=timezone.localdate(self.now),
            households=self.new_areas(),
        )

    @cached_property
    def new_properties(self) -> dict[str, list[dict[str, Any]]]:
        """The properties of each new household, by its number."""
        found: dict[str, list] = {}
        for owner, values in self.property_inserts:
            if isinstance(owner, HouseholdDraft):
                found.setdefault(owner.number, []).append(values)
        return found

    def new_areas(self):
        """(street, holder, certified + unregistered area) of each new household."""
        for draft, values in self.new_households:
            properties = self.new_properties.get(draft.number, ())
            area = sum(
                ((p.get("certified_area") or ZERO) + (p.get("unregistered_area") or ZERO) for p in properties), ZERO
            )
            yield values["street_id"], values.get("holder_unit_id") or 0, area

    def insert_households(self) -> dict[str, int]:
        if not self.new_households:
            return {}
        fixed = {
            "project_id": self.project.id,
            "district_id": self.project.district_id,
            "stage": Stage.SURVEYED,
            "hard_case": "",
            "hard_case_plan": "",
            "remark": "",
            "extra": NOTHING,
            "created_at": self.now,
            "updated_at": self.now,
        }
        blank = {stored: _normalised(name, None) for name, stored in STORED_NAMES.items()} | {"id_tail": ""}
        base = fixed | blank
        names = list(base)
        row_of = itemgetter(*names)
        rows = (row_of({**base, **values}) for _, values in self.new_households)
        insert_rows(Household, names, rows)
        numbers = {draft.number for draft, _ in self.new_households}
        stored = Household.objects.filter(project=self.project).values_list("number", "id")
        return {number: pk for number, pk in stored if number in numbers}

    def apply_household_updates(self) -> None:
        by_fields: dict[tuple[str, ...], list] = {}
        for pk, changes in self.household_updates:
            names = (*sorted(changes), "updated_at")
            by_fields.setdefault(names, []).append((*(changes[n] for n in names[:-1]), self.now, pk))
        for names, rows in by_fields.items():
            update_rows(Household, names, rows)

    def insert_properties(self, ids: dict[str, int]) -> None:
        base = {name: _normalised(name, None) for name in STORED_PROPERTY_FIELDS}
        base |= {"district_id": self.project.district_id, "extra": NOTHING}
        names = ["household_id", "seq", *base]
        row_of = itemgetter(*names)
        rows = (
            row_of(
                {**base, **values, "household_id": ids[owner.number] if isinstance(owner, HouseholdDraft) else owner}
            )
            for owner, values in self.property_inserts
        )
        insert_rows(Property, names, rows)

    def apply_property_updates(self) -> None:
        by_fields: dict[tuple[str, ...], list] = {}
        for pk, changes in self.property_updates:
            names = tuple(sorted(changes))
            by_fields.setdefault(names, []).append((*(changes[n] for n in names), pk))
        for names, rows in by_fields.items():
            update_rows(Property, names, rows)

    def trail_entries(self, ids: dict[str, int], batch: ImportBatch) -> Iterator[trail.Entry]:
        """One entry a household created or changed: what the file gave it."""
        created = {draft.number: values for draft, values in self.new_households}
        properties = self.new_properties
        district = self.project.district_id
        for owner, _, changes in self.events:
            if isinstance(owner, HouseholdDraft):
                values = masked(created[owner.number]) | {"properties": properties.get(owner.number, [])}
                data = {"batch": batch.id, "values": values}
                yield trail.Entry("create", "ledger.household", ids[owner.number], data, district)
            else:
                data = {"batch": batch.id, "changes": masked(changes)}
                yield trail.Entry("update", "ledger.household", owner, data, district)

    def insert_events(self, ids: dict[str, int], batch: ImportBatch, file_name: str) -> None:
        by_id = self.by.id if self.by else None
        note = f"导入台账“{file_name}”"
        rows = []
        for owner, kind, changes in self.events:
            household_id = ids[owner.number] if isinstance(owner, HouseholdDraft) else owner
            rows.append(
                (
                    household_id,
                    self.project.id,
                    self.project.district_id,
                    kind,
                    self.now,
                    by_id,
                    sealed(changes),
                    note,
                    batch.id,
                )
            )
        insert_rows(
            HouseholdEvent,
            ["household_id", "project_id", "district_id", "kind", "at", "by_id", "changes", "note", "batch_id"],
            rows,
        )


def pair_properties(rows: list[dict[str, Any]], stored: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """Which stored property each of a household's rows is: the same certificate, else the same location
    (certificates not in conflict), else the next one left in order — so a corrected certificate or
    address updates its property instead of adding one. None: a new property."""
    left = list(stored)
    pairs: list[dict[str, Any] | None] = [None] * len(rows)

    def take(index: int, same) -> None:
        for candidate in left:
            if same(rows[index], candidate):
                pairs[index] = candidate
                left.remove(candidate)
                return

    for index, row in enumerate(rows):
        if row.get("certificate_no"):
            take(index, lambda r, c: c["certificate_no"] == r["certificate_no"])
    for index in range(len(rows)):
        if pairs[index] is None:
            take(
                index,
                lambda r, c: (
                    c["location"] == r.get("location") and not (r.get("certificate_no") and c["certificate_no"])
                ),
            )
    if len(rows) == len(stored):  # the same number of properties: what is left pairs up in order
        for index in range(len(rows)):
            if pairs[index] is None and left:
                pairs[index] = left.pop(0)
    return pairs


class UnitResolver:
    """Street and holding-unit names in the file → units of the project's district."""

    def __init__(self, project: Project, by, create_units: bool, report: ImportReport):
        self.district = project.district
        self.create_units = create_units
        self.report = report
        self.visible = visible_unit_ids(by) if by is not None else None
        units = Unit.objects.filter(path__startswith=self.district.path).values_list("id", "name", "kind")
        self.streets = {name: pk for pk, name, kind in units if kind in LOCAL_KINDS}
        self.units = {}
        for pk, name, _ in units:
            self.units.setdefault(name, pk)

    def resolve(self, draft: HouseholdDraft) -> tuple[str, str] | None:
        values = draft.values
        street_header = draft.where("street")[2]
        name = values.get("street")
        if name is None:
            return street_header, "所属街道不能为空"
        street_id = self.streets.get(name)
        if street_id is None:
            if not self.create_units:
                return street_header, f"“{name}”不是{self.district.name}的街道或乡镇（可用 --create-units 新建）"
            kind = UnitKind.TOWNSHIP if name.endswith(("乡", "镇")) else UnitKind.STREET
            street_id = self.streets[name] = self.new_unit(name, kind)
        if self.visible is not None and street_id not in self.visible:
            return street_header, f"您无权导入“{name}”的台账"
        values["street"] = street_id
        holder = values.get("holder_unit")
        if holder is not None:
            holder_id = self.units.get(holder)
            if holder_id is None:
                if not self.create_units:
                    return draft.where("holder_unit")[
                        2
                    ], f"包户单位“{holder}”不在组织架构中（可用 --create-units 新建）"
                holder_id = self.units[holder] = self.new_unit(holder, UnitKind.SUPPORT_UNIT)
            values["holder_unit"] = holder_id
        return None

    def new_unit(self, name: str, kind: str) -> int:
        self.report.units_created.append(name)
        return unit_create(name=name, kind=kind, parent=self.district).id
