"""Builds the demo district: organisation, officials of every role, four projects, households with history.

Deterministic: the same seed and size give the same district. Bulk-written through core.bulk, so a
million households is a matter of minutes, not hours.
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from gaizao.compensation.agreements import facts_json, lines_json, total_of
from gaizao.compensation.engine.compute import ComputeError, compute
from gaizao.compensation.engine.facts import Circumstances
from gaizao.compensation.engine.standard import load
from gaizao.compensation.ledger_facts import facts_for_households
from gaizao.compensation.models import Agreement, Flat, Payment, PaymentKind
from gaizao.compensation.payments import temporary_fee
from gaizao.compensation.services import standard_publish, standard_save
from gaizao.core.bulk import insert_rows
from gaizao.core.crypto import keyed_hash
from gaizao.core.idcard import make_id_number
from gaizao.core.models import Evidence
from gaizao.demo import names
from gaizao.demo.enforcement import DemoEnforcement
from gaizao.demo.portal import DemoPortal
from gaizao.demo.progress import DemoProgress
from gaizao.demo.supervision import DemoSupervision
from gaizao.ledger import tally
from gaizao.ledger.models import Household, HouseholdEvent, Member, Property
from gaizao.ledger.stages import ORDER, Stage
from gaizao.org.models import Official, Role, Unit, UnitKind
from gaizao.org.services import official_create, unit_create
from gaizao.projects.models import Campaign, PipelineStage, Project, ProjectKind
from gaizao.projects.services import project_create

TZ = ZoneInfo("Asia/Shanghai")
EXAMPLES = Path(__file__).resolve().parent.parent / "compensation" / "examples"
PASSWORD = "gaizao-demo-2026"
TODAY = date(2026, 11, 20)
CHUNK = 20_000


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    unit: str
    role: str


@dataclass(frozen=True)
class ProjectPlan:
    code: str
    name: str
    kind: str
    streets: tuple[str, ...]
    share: float
    freeze: date
    signing: tuple[date, date]
    stage: str
    # cumulative share of households that reached each stage: surveyed, appraised, signed, vacated, demolished
    reached: tuple[float, float, float, float, float]
    centre: tuple[float, float]


STREETS = (
    ("城关街道", UnitKind.STREET),
    ("江滨街道", UnitKind.STREET),
    ("东湖街道", UnitKind.STREET),
    ("西山街道", UnitKind.STREET),
    ("北站街道", UnitKind.STREET),
    ("南湖镇", UnitKind.TOWNSHIP),
)
PROJECTS = (
    ProjectPlan(
        "xiguan-village",
        "西关村城中村改造",
        ProjectKind.URBAN_VILLAGE,
        ("西山街道",),
        0.30,
        date(2026, 3, 1),
        (date(2026, 6, 1), date(2026, 9, 30)),
        PipelineStage.CLEARING,
        (1.0, 0.97, 0.86, 0.62, 0.41),
        (117.205, 31.862),
    ),
    ProjectPlan(
        "beizhan-shantytown",
        "北站片区棚户区改造",
        ProjectKind.SHANTYTOWN,
        ("北站街道", "城关街道"),
        0.35,
        date(2026, 5, 15),
        (date(2026, 8, 1), date(2026, 12, 31)),
        PipelineStage.SIGNING,
        (1.0, 0.9, 0.55, 0.2, 0.05),
        (117.268, 31.885),
    ),
    ProjectPlan(
        "binjiang-road",
        "滨江路拓宽工程房屋征收",
        ProjectKind.EXPROPRIATION,
        ("江滨街道",),
        0.10,
        date(2026, 7, 1),
        (date(2026, 9, 1), date(2026, 11, 30)),
        PipelineStage.SIGNING,
        (1.0, 0.95, 0.7, 0.3, 0.1),
        (117.301, 31.842),
    ),
    ProjectPlan(
        "donghu-village",
        "东湖村城中村改造",
        ProjectKind.URBAN_VILLAGE,
        ("东湖街道", "南湖镇"),
        0.25,
        date(2026, 9, 1),
        (date(2027, 1, 1), date(2027, 4, 30)),
        PipelineStage.SURVEY,
        (0.7, 0.2, 0.0, 0.0, 0.0),
        (117.335, 31.903),
    ),
)
DEMO_PHOTO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def square(centre: tuple[float, float], half: float = 0.006) -> dict:
    x, y = centre
    ring = [
        [x - half, y - half],
        [x + half, y - half],
        [x + half, y + half],
        [x - half, y + half],
        [x - half, y - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randrange(10), rng.randrange(60)), TZ)


class DemoBuilder:
    def __init__(self, households: int, seed: int):
        self.total = households
        self.rng = random.Random(seed)
        self.logins: list[Login] = []
        self.units: dict[str, Unit] = {}
        self.orders: dict[tuple[str, date, bool], int] = {}  # ID order digits handed out per region, birth, sex
        self.owner_seen: tuple[str, str] | None = None  # an owner also registered, later, as another's member

    @transaction.atomic
    def build(self) -> list[Login]:
        self.organisation()
        self.officials()
        evidence = self.evidence()
        campaign = Campaign.objects.create(
            name="2026年城市更新攻坚行动",
            year=2026,
            district=self.district,
            description="城中村改造、棚户区改造与重点工程征收",
        )
        remaining = self.total
        for i, plan in enumerate(PROJECTS):
            count = remaining if i == len(PROJECTS) - 1 else round(self.total * plan.share)
            remaining -= count
            project = project_create(
                code=plan.code,
                name=plan.name,
                kind=plan.kind,
                district=self.district,
                campaign=campaign,
                boundary=square(plan.centre),
                freeze_date=plan.freeze,
                signing_start=plan.signing[0],
                signing_end=plan.signing[1],
                stage=plan.stage,
            )
            HouseholdWriter(self, project, plan, evidence).write(count)
            self.standard(project)
        tally.rebuild()  # the demo writes its history in bulk, past the services
        proof = Evidence.objects.get(pk=evidence[Stage.DEMOLISHED])
        DemoProgress(self.office_user(), self.district, TODAY, proof).write()
        DemoEnforcement(self.office_user(), self.district, TODAY, proof, seed=self.rng.randrange(10**6)).write()
        DemoSupervision(self.office_user(), TODAY, proof).write()
        DemoPortal(self.office_user(), Project.objects.get(code=PROJECTS[0].code), TODAY, proof).write()
        return self.logins

    def standard(self, project) -> None:
        """The shipped example standards are the demo projects' own, published."""
        for example in EXAMPLES.glob("*.toml"):
            source = example.read_text(encoding="utf-8")
            if f'project = "{project.code}"' in source:
                draft = standard_save(by=None, project=project, source=source)
                published = standard_publish(
                    by=None, standard=draft, on=load(source).published_on or project.freeze_date
                )
                DemoAgreements(project, published, self.office_user(), self.rng).write()

    def office_user(self):
        return Official.objects.get(user__username="office").user

    def unit(self, name: str, kind: str, parent: Unit | None, jurisdiction: Unit | None = None) -> Unit:
        self.units[name] = unit_create(name=name, kind=kind, parent=parent, jurisdiction=jurisdiction)
        return self.units[name]

    def organisation(self) -> None:
        city = self.unit("江州市", UnitKind.CITY, None)
        self.district = self.unit("江北区", UnitKind.DISTRICT, city)
        for street, kind in STREETS:
            parent = self.unit(street, kind, self.district)
            for n in range(1, 4):
                suffix = "村" if kind == UnitKind.TOWNSHIP else "社区"
                self.unit(
                    f"{street[:2]}{'一二三'[n - 1]}{suffix}",
                    UnitKind.VILLAGE if suffix == "村" else UnitKind.COMMUNITY,
                    parent,
                )
        for department in (
            "区住建局",
            "区自然资源局",
            "区城管局",
            "区财政局",
            "区纪委监委",
            "区审计局",
            "区大数据中心",
        ):
            self.unit(department, UnitKind.DEPARTMENT, self.district)
        hq = self.unit("江北区城市更新指挥部", UnitKind.HEADQUARTERS, self.district, jurisdiction=self.district)
        self.unit("西关片区指挥分部", UnitKind.SUB_HEADQUARTERS, hq, jurisdiction=self.units["西山街道"])
        self.unit("征收工作专班", UnitKind.TASK_FORCE, hq)
        for support in ("区教育局", "区卫健委", "区交通局", "区市场监管局"):
            self.unit(support, UnitKind.SUPPORT_UNIT, self.district)

    def official(self, username: str, name: str, unit: str, role: str, **extra) -> None:
        official_create(username=username, password=PASSWORD, name=name, unit=self.units[unit], role=role, **extra)
        self.logins.append(Login(username, name, unit, Role(role).label))

    def officials(self) -> None:
        self.official(
            "office", "周建华", "江北区城市更新指挥部", Role.OFFICE, title="指挥部办公室主任", can_reveal=True
        )
        self.official("office2", "吴晓燕", "江北区城市更新指挥部", Role.OFFICE, title="指挥部办公室科员")
        self.official("leader", "郑国强", "江北区", Role.LEADER, title="副区长（包抓领导）")
        self.official("xiguan", "孙立新", "西关片区指挥分部", Role.OFFICE, title="指挥分部副指挥长")
        for i, (street, _) in enumerate(STREETS, start=1):
            self.official(
                f"street{i}",
                f"{names.SURNAMES[i * 3]}{names.GIVEN[i * 2 : i * 2 + 2]}",
                street,
                Role.STREET,
                title="征收办主任",
            )
        self.official("taskforce", "冯志文", "征收工作专班", Role.TASK_FORCE, title="专班组长")
        self.official("support", "何丽君", "区教育局", Role.TASK_FORCE, title="包户干部")
        self.official("inspector", "秦振东", "区纪委监委", Role.INSPECTOR, title="监督检查室", can_reveal=True)
        self.official("auditor", "韦春秀", "区审计局", Role.AUDITOR, title="审计组长")
        admins = (("sysadmin", "陶文斌", Role.SYSTEM_ADMIN), ("secadmin", "姜雨桐", Role.SECURITY_ADMIN))
        for n, (username, name, role) in enumerate((*admins, ("auditadmin", "蒋明哲", Role.AUDIT_ADMIN))):
            person = keyed_hash(make_id_number("340104", date(1985 + n, 3, 1), n, n % 2 == 0))
            self.official(username, name, "区大数据中心", role, title="信息中心", person_key=person)

    def evidence(self) -> dict[str, int]:
        result = {}
        for stage, title in (
            (Stage.SIGNED, "补偿协议扫描件"),
            (Stage.DECIDED, "补偿决定公告"),
            (Stage.VACATED, "腾空现场照片"),
            (Stage.DEMOLISHED, "拆除现场照片"),
        ):
            record = Evidence(name=f"{title}（演示）.png", sha256="", size=len(DEMO_PHOTO), content_type="image/png")
            record.file.save(f"demo-{stage}.png", ContentFile(DEMO_PHOTO), save=False)
            record.sha256 = hashlib.sha256(DEMO_PHOTO).hexdigest()
            record.save()
            result[stage] = record.id
        return result


MAIN_PATH = (Stage.SURVEYED, Stage.APPRAISED, Stage.SIGNED, Stage.VACATED, Stage.DEMOLISHED)


def stage_path(stage: str, *, decided: bool) -> list[str]:
    """The steps from 未调查 to `stage`, one at a time; `decided`: by a compensation decision, not a signature."""
    if stage == Stage.UNSURVEYED:
        return []
    if stage == Stage.DECIDED:
        return [Stage.SURVEYED, Stage.APPRAISED, Stage.DECIDED]
    path = list(MAIN_PATH[: MAIN_PATH.index(stage) + 1])
    if decided and len(path) > 3:
        path[2] = Stage.DECIDED
    return path


class History:
    """A household's events in time order: each at least some days after the last, none after TODAY."""

    def __init__(self, start: datetime, rng: random.Random):
        self.last = start
        self.rng = rng
        self.entries: list[tuple] = []

    def add(
        self,
        by: int,
        kind: str,
        changes: dict,
        note: str,
        evidence: int | None = None,
        after_days: int = 0,
        within: tuple[date, date] | None = None,
    ):
        if self.entries:
            day = self.last.date() + timedelta(days=after_days + self.rng.randrange(0, 20))
            if within:  # a signature inside the signing period, a decision after it
                day = min(max(day, within[0]), within[1])
            day = min(day, TODAY)
            at = max(moment(day, self.rng), self.last + timedelta(minutes=5))
        else:
            at = self.last
        self.last = at
        self.entries.append((by, kind, at, changes, note, evidence))
        return at


FLAT_SIZES = (Decimal(60), Decimal(75), Decimal(90), Decimal(105), Decimal(120))


class DemoAgreements:
    """Agreements for the households the demo shows as signed, by the project's published standard, numbered
    in signing order; the vacated and demolished ones paid (先补偿、后搬迁); a stock of resettlement flats."""

    def __init__(self, project, standard, office, rng: random.Random):
        self.project, self.standard, self.office, self.rng = project, standard, office, rng
        self.parsed = load(standard.source)
        self.flat_price = Decimal(self.parsed.constants.get("resettlement_price", 5200))

    def write(self) -> None:
        signings = HouseholdEvent.objects.filter(
            project=self.project, kind="stage", changes__stage=["appraised", "signed"]
        )
        signed = dict(signings.values_list("household_id", "at"))
        households = Household.objects.filter(pk__in=signings.values("household_id"))  # a subquery, not a list
        agreements, payments = [], []
        rows = sorted(facts_for_households(households), key=lambda pair: signed[pair[0]["id"]])
        for sequence, (row, facts) in enumerate(rows, start=1):
            made = self.agreement(row, facts, signed[row["id"]], sequence)
            if made is not None:
                agreements.append(made)
        Agreement.objects.bulk_create(agreements, batch_size=500)
        stored = Agreement.objects.filter(project=self.project).select_related("household")
        for agreement in stored:
            if agreement.household.stage in (Stage.VACATED, Stage.DEMOLISHED):
                payments.append(self.payment(agreement))
        Payment.objects.bulk_create(payments, batch_size=500)
        self.flats(sum(1 for a in agreements if a.choice == "swap"))

    def agreement(self, row: dict, facts, at: datetime, sequence: int) -> Agreement | None:
        choice = row["choice"] if row["choice"] in self.parsed.options else "money"
        legal = sum((p.legal_area for p in facts.properties), Decimal(0))
        flat = next((size for size in FLAT_SIZES if size >= legal * Decimal("0.9")), FLAT_SIZES[-1])
        when = Circumstances(
            choice=choice,
            signed_on=at.date(),
            signing_start=self.project.signing_start,
            signing_end=self.project.signing_end,
            flat_area=flat if choice == "swap" else Decimal(0),
            flat_price=self.flat_price if choice == "swap" else Decimal(0),
            transition_months=24,
        )
        try:
            result = compute(self.parsed, facts, when)
        except ComputeError:
            return None
        lines = lines_json(result, {})
        return Agreement(
            household_id=row["id"],
            project=self.project,
            district_id=self.project.district_id,
            standard=self.standard,
            status="signed",
            choice=choice,
            facts=facts_json(facts),
            circumstances={
                "signed_on": str(at.date()),
                "flat_area": str(when.flat_area),
                "flat_price": str(when.flat_price),
                "transition_months": 24,
            },
            lines=lines,
            total=total_of(lines),
            moving_deadline=at.date() + timedelta(days=45),
            flat_description=f"安置区{flat}㎡户型" if choice == "swap" else "",
            drafted_by=self.office,
            sequence_no=sequence,
            signed_on=at.date(),
            signed_at=at,
            signed_address="项目现场指挥部",
            signed_by=self.office,
        )

    def payment(self, agreement: Agreement) -> Payment:
        if agreement.choice == "swap":
            amount, kind = temporary_fee(agreement), PaymentKind.TEMPORARY
        else:
            amount, kind = max(agreement.total, Decimal(0)), PaymentKind.COMPENSATION
        return Payment(
            agreement=agreement,
            household_id=agreement.household_id,
            district_id=agreement.district_id,
            kind=kind,
            payee=agreement.household.owner_name,
            account=f"62220202{agreement.household_id:011d}",
            amount=amount,
            paid_on=agreement.signed_on + timedelta(days=7),
            request_key=f"demo-{agreement.pk}",
            posted_by=self.office,
        )

    def flats(self, wanted: int) -> None:
        stock, building = [], 1
        while len(stock) < wanted * 1.2:
            for floor in range(2, 19):
                for unit, size in enumerate(FLAT_SIZES[:4], start=1):
                    stock.append(
                        Flat(
                            project=self.project,
                            building=str(building),
                            unit=str(unit),
                            floor=floor,
                            number=f"{floor}{unit:02d}",
                            area=size,
                            price=self.flat_price,
                        )
                    )
            building += 1
        Flat.objects.bulk_create(stock, batch_size=500)


# About one owner in this many is also registered as a member of another household: the audit finds them.
TWICE_EVERY = 2500


class HouseholdWriter:
    """Writes one project's households, properties, members and events in chunks."""

    def __init__(self, builder: DemoBuilder, project, plan: ProjectPlan, evidence: dict[str, int]):
        self.b = builder
        self.rng = builder.rng
        self.project = project
        self.plan = plan
        self.evidence = evidence
        self.streets = [builder.units[s] for s in plan.streets]
        self.holders = [builder.units[n] for n in ("区教育局", "区卫健委", "区交通局", "区市场监管局", "征收工作专班")]
        self.region = self.rng.choice(names.REGION_CODES)
        officials = Official.objects.filter(unit__in=self.streets, role=Role.STREET)
        self.street_staff = {o.unit_id: o.user_id for o in officials}
        self.office = Official.objects.get(user__username="office").user_id

    def write(self, count: int) -> None:
        for start in range(0, count, CHUNK):
            self.write_chunk(start, min(count, start + CHUNK))

    def person(self) -> str:
        given = self.rng.choice(names.GIVEN) + (self.rng.choice(names.GIVEN) if self.rng.random() < 0.75 else "")
        return self.rng.choice(names.SURNAMES) + given

    def id_number(self, age: int, male: bool) -> str:
        """A number no one else in the demo has, as in a register: born on any day of the year; the order digits
        counted per region, birth date and sex (when a day's hundred are taken, the next day)."""
        birth = date(TODAY.year - age, 1, 1) + timedelta(days=self.rng.randrange(365))
        while (taken := self.b.orders.get((self.region, birth, male), 0)) >= 100:
            birth += timedelta(days=1)
        self.b.orders[(self.region, birth, male)] = taken + 1
        return make_id_number(self.region, birth, taken, male)

    def stage_for(self) -> str:
        r = self.rng.random()
        reached = self.plan.reached
        if r >= reached[0]:
            return Stage.UNSURVEYED
        steps = [Stage.SURVEYED, Stage.APPRAISED, Stage.SIGNED, Stage.VACATED, Stage.DEMOLISHED]
        stage = Stage.SURVEYED
        for step, share in zip(steps[1:], reached[1:], strict=True):
            if r < share:
                stage = step
        if stage == Stage.APPRAISED and self.plan.signing[1] < TODAY and self.rng.random() < 0.3:
            return Stage.DECIDED
        return stage

    def write_chunk(self, start: int, end: int) -> None:
        households, drafts = [], []
        for n in range(start, end):
            draft = self.household(n)
            drafts.append(draft)
            households.append(draft["row"])
        insert_rows(Household, HOUSEHOLD_COLUMNS, households)
        numbers = [d["row"][HOUSEHOLD_COLUMNS.index("number")] for d in drafts]
        ids = dict(Household.objects.filter(project=self.project, number__in=numbers).values_list("number", "id"))
        properties, members, events = [], [], []
        for number, draft in zip(numbers, drafts, strict=True):
            pk = ids[number]
            properties.extend((pk, *row) for row in draft["properties"])
            members.extend((pk, *row) for row in draft["members"])
            events.extend((pk, *row) for row in draft["events"])
        insert_rows(Property, PROPERTY_COLUMNS, properties)
        insert_rows(Member, MEMBER_COLUMNS, members)
        insert_rows(HouseholdEvent, EVENT_COLUMNS, events)

    def household(self, n: int) -> dict:
        rng, plan, project = self.rng, self.plan, self.project
        street = self.streets[n % len(self.streets)]
        stage = self.stage_for()
        surveyed = stage != Stage.UNSURVEYED
        owner = self.person()
        male = rng.random() < 0.6
        persons = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))
        survey_day = plan.freeze + timedelta(days=rng.randrange(5, 60))
        created = moment(min(survey_day, TODAY), rng)
        holder = rng.choice(self.holders) if rng.random() < 0.7 else None
        hard = "" if rng.random() > 0.04 else rng.choice(("nail", "difficult", "key"))
        wish = "" if not surveyed else rng.choices(("agree", "disagree", "undecided"), (0.78, 0.07, 0.15))[0]
        if ORDER.index(stage) >= ORDER.index(Stage.SIGNED):
            wish = "agree"
        decided = plan.signing[1] < TODAY and rng.random() < 0.1
        staff = self.street_staff[street.id]
        history = History(created, rng)
        history.add(staff, "created", {}, "入户调查建档" if surveyed else "纳入征收范围")
        reviewed_at = locked_at = None
        previous = Stage.UNSURVEYED
        for step in stage_path(stage, decided=decided):
            if step == Stage.APPRAISED:
                reviewed_at = history.add(self.office, "reviewed", {}, "调查数据复核无误", after_days=3)
                locked_at = history.add(self.office, "locked", {}, "", after_days=1)
            within = {Stage.SIGNED: plan.signing, Stage.DECIDED: (plan.signing[1] + timedelta(days=1), TODAY)}.get(step)
            history.add(
                staff, "stage", {"stage": [previous, step]}, "", self.evidence.get(step), after_days=3, within=within
            )
            previous = step
        events = [self.event(*entry) for entry in history.entries]
        updated = max(e[3] for e in events)
        number = f"{plan.code[:2].upper()}{n + 1:06d}"
        id_number = self.id_number(rng.randrange(25, 85), male)
        if n % TWICE_EVERY == 0:
            self.b.owner_seen = (owner, id_number)
        row = (
            project.id,
            project.district_id,
            street.id,
            number,
            owner,
            id_number,
            id_number[-4:],
            f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            persons,
            stage,
            wish,
            "" if not wish else rng.choice(("money", "money", "swap", "voucher")),
            hard,
            "每周上门走访，班子成员包保，依法依规解决诉求" if hard else "",
            holder.id if holder else None,
            self.person() if holder else "",
            "",
            {},
            reviewed_at,
            self.office if reviewed_at else None,
            locked_at,
            self.office if locked_at else None,
            created,
            updated,
        )
        return {
            "row": row,
            "properties": self.properties(n, street, surveyed, stage),
            "members": self.members(n, persons, owner),
            "events": events,
        }

    def event(self, by: int, kind: str, at: datetime, changes: dict, note: str, evidence: int | None) -> tuple:
        return (self.project.id, self.project.district_id, kind, at, by, changes, note, evidence)

    def properties(self, n: int, street: Unit, surveyed: bool, stage: str) -> list[tuple]:
        rng = self.rng
        rows = []
        for seq in range(1, 2 if rng.random() < 0.85 else 3):
            certified = Decimal(rng.randrange(4000, 22000)) / 100
            unregistered = Decimal(rng.randrange(0, 6000)) / 100 if rng.random() < 0.4 else Decimal(0)
            recognised = (unregistered * Decimal(rng.choice((0, 0.5, 1)))).quantize(Decimal("0.01"))
            appraised = ORDER.index(stage) >= ORDER.index(Stage.APPRAISED)
            price = Decimal(rng.randrange(5200, 9800)) if appraised else None
            built_year = rng.randrange(1975, 2016)
            rows.append(
                (
                    self.project.district_id,
                    seq,
                    f"{street.name}{rng.choice(names.ROADS)}{rng.randrange(1, 300)}号"
                    + (f"附{seq}" if seq > 1 else ""),
                    f"江北房权证字第{self.plan.code[:2].upper()}{n:07d}{seq}号" if rng.random() < 0.8 else "",
                    rng.choices(("residential", "business", "non_residential"), (0.86, 0.1, 0.04))[0],
                    rng.choice(("frame", "brick_concrete", "brick_concrete", "brick_wood", "simple")),
                    rng.randrange(1, 7),
                    certified if surveyed else None,
                    unregistered if surveyed else None,
                    recognised if surveyed else None,
                    (certified / rng.randrange(1, 4)).quantize(Decimal("0.01")),
                    date(built_year, 1, 1),
                    "year",
                    price,
                    Decimal(rng.randrange(0, 8000000)) / 100 if appraised else None,
                    Decimal(rng.randrange(0, 3000000)) / 100 if appraised else None,
                    "",
                    {},
                )
            )
        return rows

    def members(self, n: int, persons: int, owner: str) -> list[tuple]:
        rows = []
        for i in range(1, persons):
            relation = names.RELATIONS[(n + i) % len(names.RELATIONS)]
            age = self.rng.randrange(1, 80)
            name = owner[0] + self.person()[1:] if relation in ("子", "女", "孙子", "孙女") else self.person()
            id_number = self.id_number(age, relation in ("子", "父亲", "孙子"))
            if i == 1 and n % TWICE_EVERY == TWICE_EVERY // 2 and self.b.owner_seen:
                (name, id_number), self.b.owner_seen = self.b.owner_seen, None  # for the audit's duplicate people
            rows.append(
                (
                    self.project.district_id,
                    name,
                    id_number,
                    relation,
                    "",
                    self.special_groups(),
                )
            )
        return rows

    def special_groups(self) -> list[str]:
        """About one person in twenty belongs to a group the standards give a subsidy."""
        r = self.rng.random()
        for group, share in (("dibao", 0.025), ("disabled", 0.04), ("critical", 0.05), ("martyr", 0.051)):
            if r < share:
                return [group]
        return NONE


HOUSEHOLD_COLUMNS = [
    "project_id",
    "district_id",
    "street_id",
    "number",
    "owner_name",
    "id_number",
    "id_tail",
    "phone",
    "persons",
    "stage",
    "wish",
    "choice",
    "hard_case",
    "hard_case_plan",
    "holder_unit_id",
    "holder_name",
    "remark",
    "extra",
    "reviewed_at",
    "reviewed_by_id",
    "locked_at",
    "locked_by_id",
    "created_at",
    "updated_at",
]
PROPERTY_COLUMNS = [
    "household_id",
    "district_id",
    "seq",
    "location",
    "certificate_no",
    "use",
    "structure",
    "floors",
    "certified_area",
    "unregistered_area",
    "recognised_area",
    "land_area",
    "built_on",
    "built_precision",
    "appraised_unit_price",
    "decoration_value",
    "attachments_value",
    "remark",
    "extra",
]
MEMBER_COLUMNS = ["household_id", "district_id", "name", "id_number", "relation", "phone", "special_groups"]
NONE: list = []  # one shared empty list: the bulk writer adapts a repeated object once
EVENT_COLUMNS = ["household_id", "project_id", "district_id", "kind", "at", "by_id", "changes", "note", "evidence_id"]
