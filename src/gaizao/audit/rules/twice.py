"""二次补偿: the same ID number, the same certificate or the same land parcel compensated in two households,
in one project or across projects.

Compensated = the ledger says so: the household is 已签约 or 已裁决, or past it (已腾空, 已拆除), which the
ledger reaches only through a signed agreement or a published decision. The agreement's or decision's date,
number and total are added to each household listed. ID numbers are compared by their keyed hash (they are
stored encrypted). The ledger has no parcel number (宗地号): a parcel is told by its location and land area
together, written exactly alike."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat

from gaizao.audit.rules import LISTED, Found, chunks, grouped, hashed_key, short_hash
from gaizao.compensation.models import Agreement, AgreementStatus, Decision
from gaizao.core.crypto import decrypt
from gaizao.core.masking import mask_id_number
from gaizao.core.money import CENT
from gaizao.ledger.models import Household, Member, Property
from gaizao.ledger.stages import Stage

COMPENSATED = (Stage.SIGNED, Stage.DECIDED, Stage.VACATED, Stage.DEMOLISHED)
SEPARATOR = "\x1d"  # between a parcel's location and land area in its key
ROLES = {"o": "户主", "m": "家庭成员"}  # one letter in the grouped text: ASCII reads faster


def compensations(household_ids: set[int]) -> dict[int, dict]:
    """Each household's first compensation: {on, kind, record, total}. Read by the households' index, the ids
    written into the statement as numbers (an agreement's row is long: it is read only for these)."""
    found: dict[int, dict] = {}
    q = connection.ops.quote_name
    sources = (
        ("agreement", Agreement, "signed_on", f" AND {q('status')} = '{AgreementStatus.SIGNED}'"),
        ("decision", Decision, "decided_on", ""),
    )
    with connection.cursor() as cursor:
        for part in chunks(sorted(household_ids), 20_000):
            numbers = ",".join(str(int(pk)) for pk in part)
            for kind, model, day, condition in sources:
                cursor.execute(
                    f"SELECT {q('household_id')}, {q('id')}, {q(day)}, {q('total')} FROM {q(model._meta.db_table)} "
                    f"WHERE {q('household_id')} IN ({numbers}){condition}"
                )
                for household_id, pk, on, total in cursor.fetchall():
                    on = str(on)
                    if household_id not in found or on < found[household_id]["on"]:
                        total = str(Decimal(str(total)).quantize(CENT))  # SQLite may answer a float
                        found[household_id] = {"on": on, "kind": kind, "record": pk, "total": total}
    return found


def _found(key: str, what: str, shown: str, rows: list[list[str]], paid: dict[int, dict], severity: str) -> Found:
    households: dict[int, dict] = {}
    for h, p, detail, *_ in rows:
        detail = ROLES.get(detail, detail)
        entry = households.get(int(h))
        if entry is None:
            entry = households[int(h)] = {"household_id": int(h), "project_id": int(p), "as": []}
            entry.update(paid.get(int(h), {}))
        if detail and detail not in entry["as"]:
            entry["as"].append(detail)
    ordered = sorted(households.values(), key=lambda e: (e.get("on", ""), e["household_id"]))
    latest = ordered[-1]
    projects = len({e["project_id"] for e in ordered})
    across = f"（跨 {projects} 个项目）" if projects > 1 else ""
    when = f"，本户（最后一次）于 {latest['on']}" if "on" in latest else ""
    return Found(
        key=key,
        household_id=latest["household_id"],
        agreement_id=latest["record"] if latest.get("kind") == "agreement" else None,
        severity=severity,
        summary=f"{what} {shown} 在 {len(ordered)} 户获得补偿{across}{when}",
        figures={"by": what, "value": shown, "count": len(ordered), "households": ordered[:LISTED]},
    )


def _groups(parts: list[QuerySet], fields: tuple[str, ...], project_ids: list[int] | None) -> list:
    """(key, rows of h, p, r …) of the groups found in two or more households, one of them in the projects."""
    wanted = None if project_ids is None else {str(pk) for pk in project_ids}
    return [
        (key, rows)
        for key, rows in grouped(parts, "k", "h", fields)
        if wanted is None or any(row[1] in wanted for row in rows)
    ]


def compensated_twice(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    paid_households = Household.objects.filter(stage__in=COMPENSATED)
    people = [
        paid_households.exclude(id_number="").values(
            k=F("id_hash"), h=F("id"), p=F("project_id"), r=Value("o"), v=F("id_number")
        ),
        Member.objects.filter(household__stage__in=COMPENSATED)
        .exclude(id_number="")
        .values(k=F("id_hash"), h=F("household_id"), p=F("household__project_id"), r=Value("m"), v=F("id_number")),
    ]
    ids = _groups(people, ("h", "p", "r", "v"), project_ids)
    properties = Property.objects.filter(household__stage__in=COMPENSATED)
    certificates = _groups(
        [
            properties.exclude(certificate_no="").values(
                k=F("certificate_no"), h=F("household_id"), p=F("household__project_id"), r=F("location")
            )
        ],
        ("h", "p", "r"),
        project_ids,
    )
    parcel = Concat("location", Value(SEPARATOR), Cast("land_area", CharField()), output_field=CharField())
    parcels = _groups(
        [properties.filter(land_area__gt=0).values(k=parcel, h=F("household_id"), p=F("household__project_id"))],
        ("h", "p"),
        project_ids,
    )
    paid = compensations({int(row[0]) for groups in (ids, certificates, parcels) for _, rows in groups for row in rows})
    for stored_hash, rows in ids:
        shown = mask_id_number(decrypt(rows[0][3]))
        yield _found(hashed_key("id", stored_hash), "身份证号", shown, rows, paid, "medium")
    for certificate, rows in certificates:
        yield _found(f"certificate:{short_hash(certificate)}", "产权证号", certificate, rows, paid, "high")
    for key, rows in parcels:
        location, _, land_area = key.partition(SEPARATOR)
        land_area = Decimal(land_area).quantize(CENT)
        shown = f"{location}（土地面积 {land_area}㎡）"
        rows = [[h, p, ""] for h, p in rows]
        yield _found(f"parcel:{short_hash(location, land_area)}", "地块", shown, rows, paid, "medium")
