"""Rules on people: one phone or bank account shared by unrelated households; possible duplicate people
(the same ID number in two households, the same name and birth date under different ID numbers, ID numbers of
the same name one digit apart), raised for a human to decide.

ID numbers, phones and accounts are stored encrypted: they are grouped by their keyed hashes (id_hash,
phone_hash, account_hash), and decrypted only where their digits matter. The birth date is read from the ID
number (digits 7–14; 19+7–12 of an old 15-digit number). Two valid 18-digit numbers never differ in one digit
only (the check digit follows), so "one digit apart" compares the first 17 digits, an old number widened first."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db.models import F, QuerySet, Value

from gaizao.audit.rules import LISTED, Found, chunks, grouped, hashed_key, places, value_key
from gaizao.compensation.models import Payment, PaymentKind
from gaizao.core.crypto import decrypt
from gaizao.core.masking import mask_account, mask_id_number, mask_phone
from gaizao.ledger.models import Household, Member


def _names(household_ids: set[int]) -> dict[int, set[str]]:
    """Each household's owner and member names."""
    names: dict[int, set[str]] = defaultdict(set)
    for part in chunks(sorted(household_ids)):
        for pk, owner in Household.objects.filter(pk__in=part).values_list("id", "owner_name"):
            names[pk].add(owner)
        for household_id, name in Member.objects.filter(household_id__in=part).values_list("household_id", "name"):
            names[household_id].add(name)
    return names


def related_groups(households: list[int], names: dict[int, set[str]]) -> list[list[int]]:
    """Households joined when they share a name (an owner, a member): the groups of related households."""
    parent = {h: h for h in households}

    def root(h: int) -> int:
        while parent[h] != h:
            parent[h] = parent[parent[h]]
            h = parent[h]
        return h

    first_with: dict[str, int] = {}
    for h in households:
        for name in names.get(h, ()):
            if name in first_with:
                parent[root(h)] = root(first_with[name])
            else:
                first_with[name] = h
    groups: dict[int, list[int]] = defaultdict(list)
    for h in households:
        groups[root(h)].append(h)
    return sorted(groups.values())


def shared_contact(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    """One phone (an owner's or a member's) or one payee account used by households that are not related:
    different owners and no name in common."""
    phones = [
        Household.objects.exclude(phone="").values(k=F("phone_hash"), v=F("phone"), h=F("id")),
        Member.objects.exclude(phone="").values(k=F("phone_hash"), v=F("phone"), h=F("household_id")),
    ]
    accounts = [
        Payment.objects.filter(reverses__isnull=True)
        .exclude(kind=PaymentKind.VOUCHER)  # its "account" is the voucher's number
        .values(k=F("account_hash"), v=F("account"), h=F("household_id"))
    ]
    groups = []
    sources = (("电话", "phone", mask_phone, phones), ("收款账号", "account", mask_account, accounts))
    for what, kind, mask, parts in sources:
        for stored_hash, rows in grouped(parts, "k", "h", ("h", "v")):
            groups.append((what, mask(decrypt(rows[0][1])), hashed_key(kind, stored_hash), {int(h) for h, _ in rows}))
    projects = {h: place[0] for h, place in places({h for *_, households in groups for h in households}).items()}
    wanted = None if project_ids is None else set(project_ids)
    groups = [g for g in groups if wanted is None or {projects[h] for h in g[3]} & wanted]
    names = _names({h for *_, households in groups for h in households})
    for what, shown, key, households in groups:
        related = related_groups(sorted(households), names)
        if len(related) < 2:
            continue
        listed = [
            {"household_id": h, "project_id": projects[h], "names": sorted(names.get(h, ()))[:LISTED], "group": n}
            for n, group in enumerate(related, start=1)
            for h in group
        ]
        yield Found(
            key=key,
            household_id=max(households),
            severity="medium",
            summary=f"{what} {shown} 由 {len(households)} 户共用，"
            f"分属 {len(related)} 组互无亲属关系的户（户主不同、无同名成员）",
            figures={"by": what, "value": shown, "count": len(households), "households": listed[:LISTED]},
        )


def body(number: str) -> str:
    """The first 17 digits of the 18-digit form (an old 15-digit number widened with 19)."""
    return number[:6] + "19" + number[6:15] if len(number) == 15 else number[:17]


def one_apart(a: str, b: str) -> bool:
    x, y = body(a), body(b)
    return len(x) == len(y) and sum(1 for i, j in zip(x, y, strict=True) if i != j) == 1


ROLES = {"o": "户主", "m": "家庭成员"}  # written as one letter in the grouped text: ASCII reads faster


def _people() -> list[QuerySet]:
    """Owners and members with an ID number: its hash (k), its ciphertext (v), household (h), name (n), role (r)."""
    owners = Household.objects.exclude(id_number="").values(
        k=F("id_hash"), v=F("id_number"), h=F("id"), n=F("owner_name"), r=Value("o")
    )
    members = Member.objects.exclude(id_number="").values(
        k=F("id_hash"), v=F("id_number"), h=F("household_id"), n=F("name"), r=Value("m")
    )
    return [owners, members]


def _listed(people: list[tuple[str, str, str, str]], projects: dict[int, int], shown: str = "") -> list[dict]:
    """(plain number, household, role, name) → what a finding lists of each person: the number masked."""
    return [
        {
            "household_id": int(h),
            "project_id": projects.get(int(h)),
            "name": name,
            "as": ROLES[role],
            "id_number": shown or mask_id_number(number),
        }
        for number, h, role, name in people[:LISTED]
    ]


def _scoped(groups: list, households_of, project_ids: list[int] | None) -> tuple[list, dict[int, int]]:
    """The groups with a household in the projects, and every listed household's project."""
    projects = {h: place[0] for h, place in places({h for group in groups for h in households_of(group)}).items()}
    if project_ids is not None:
        wanted = set(project_ids)
        groups = [g for g in groups if {projects[h] for h in households_of(g)} & wanted]
    return groups, projects


def duplicate_people(*, project_ids: list[int] | None, today: date) -> Iterator[Found]:
    yield from _same_number(project_ids)
    yield from _same_name(project_ids)


def _same_number(project_ids: list[int] | None) -> Iterator[Found]:
    groups = list(grouped(_people(), "k", "h", ("h", "r", "n", "v")))
    groups, projects = _scoped(groups, lambda g: {int(row[0]) for row in g[1]}, project_ids)
    for stored_hash, rows in groups:
        households = {int(row[0]) for row in rows}
        as_member = [int(row[0]) for row in rows if row[1] == "m"]
        number = decrypt(rows[0][3])
        shown = mask_id_number(number)
        names = "、".join(sorted({row[2] for row in rows}))
        yield Found(
            key=hashed_key("id", stored_hash),
            household_id=max(as_member or households),
            severity="medium",
            summary=f"同一身份证号 {shown}（{names}）登记在 {len(households)} 户",
            figures={
                "by": "身份证号",
                "value": shown,
                "count": len(households),
                "people": _listed([(number, h, r, n) for h, r, n, _ in rows], projects, shown),
            },
        )


def _same_name(project_ids: list[int] | None) -> Iterator[Found]:
    """The people of one name under more than one ID number, their numbers decrypted: the same birth date
    (a person registered twice, or an old and a new number), or birth dates one digit apart (a mistyped date).
    Most names are shared by someone: one pass reads them all."""
    candidates = []
    for name, rows in grouped(_people(), "n", "k", ("h", "r", "v"), rare=False):
        numbers = [decrypt(sealed) for _, _, sealed in rows]
        bodies = [number[:17] if len(number) == 18 else body(number) for number in numbers]
        births = [b[6:14] for b in bodies]
        rests = [b[:6] + b[14:] for b in bodies]  # region and order digits: the number without its date
        if len(set(births)) == len(births) and len(set(rests)) == len(rests):
            continue  # the common case, told without building anything
        people = [(number, h, role, name) for number, (h, role, _) in zip(numbers, rows, strict=True)]
        for birth, group in _alike(births, people).items():
            if len({p[0] for p in group}) > 1:
                candidates.append((_same_birth, name, birth, group))
        for group in _alike(rests, people).values():
            numbers_here = sorted({p[0] for p in group})
            pairs = [(a, b) for i, a in enumerate(numbers_here) for b in numbers_here[i + 1 :] if one_apart(a, b)]
            if pairs:  # same region and order digits: they differ in the birth date
                involved = {n for pair in pairs for n in pair}
                candidates.append((_near, name, "", [p for p in group if p[0] in involved]))
    candidates, projects = _scoped(candidates, lambda c: {int(p[1]) for p in c[3]}, project_ids)
    for make, name, birth, group in candidates:
        yield make(name, birth, group, projects)


def _alike(keys: list[str], people: list[tuple]) -> dict[str, list[tuple]]:
    """The people sharing a key with someone else, by key."""
    by_key: dict[str, list[tuple]] = defaultdict(list)
    for key, person in zip(keys, people, strict=True):
        by_key[key].append(person)
    return {key: group for key, group in by_key.items() if len(group) > 1}


def _same_birth(name: str, birth: str, group: list[tuple], projects: dict[int, int]) -> Found:
    numbers = sorted({p[0] for p in group})
    same_number = len({body(n) for n in numbers}) < len(numbers)  # an old 15-digit number and its new one
    near = any(one_apart(a, b) for i, a in enumerate(numbers) for b in numbers[i + 1 :])
    shown = f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"
    note = "（其中新旧号码为同一号码）" if same_number else "（其中身份证号仅差一位）" if near else ""
    return Found(
        key=value_key("namebirth", f"{name}|{birth}"),
        household_id=max(int(p[1]) for p in group),
        severity="medium" if same_number or near else "low",
        summary=f"同名同出生日期（{name}，{shown}）有 {len(numbers)} 个不同身份证号{note}",
        figures={
            "by": "姓名与出生日期",
            "name": name,
            "birth": shown,
            "count": len(numbers),
            "people": _listed(group, projects),
        },
    )


def _near(name: str, _: str, group: list[tuple], projects: dict[int, int]) -> Found:
    numbers = sorted({p[0] for p in group})
    return Found(
        key=value_key("near", "|".join(numbers)),
        household_id=max(int(p[1]) for p in group),
        severity="medium",
        summary=f"同名“{name}”的 {len(numbers)} 个身份证号仅出生日期中一位数字不同（疑为录入错误的同一人）",
        figures={"by": "身份证号仅差一位", "name": name, "count": len(numbers), "people": _listed(group, projects)},
    )
