"""The demo's illegal-building control: each street's stock being removed (some by force, with the procedure in
full), new buildings found on patrol this month (most stopped the same day), and the year's removal target."""

import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gaizao.core.models import Evidence
from gaizao.enforcement import services
from gaizao.org.models import Official, Role, Unit
from gaizao.progress import services as progress
from gaizao.progress.models import Indicator
from gaizao.projects.services import project_advance, project_create

PLACES = ("村民自建房屋顶", "沿街店面后院", "厂房北侧空地", "河道管理范围内", "小区绿地内", "农田边")
OWNERS = ("周", "吴", "郑", "冯", "陈", "褚", "卫", "蒋", "沈", "韩")


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class DemoEnforcement:
    def __init__(self, office, district: Unit, today: date, proof: Evidence, seed: int = 0):
        self.office, self.district, self.today, self.rng = office, district, today, random.Random(seed)
        self.streets: dict[int, int] = {}  # a street's place in the county, for its cases' positions
        self.before = proof
        self.after = Evidence.objects.create(
            file=proof.file.name,
            name="拆后现场照片（演示）.png",
            sha256=proof.sha256,
            size=proof.size,
            content_type=proof.content_type,
        )

    def write(self) -> None:
        staff = {o.unit_id: o.user for o in Official.objects.filter(role=Role.STREET)}
        streets = list(Unit.objects.filter(pk__in=staff).order_by("path"))
        self.streets = {street.pk: n for n, street in enumerate(streets)}
        for n, street in enumerate(streets):
            by = staff[street.pk]
            for i in range(4):
                self.stock_case(by, street, n * 10 + i)
            for i in range(2):
                self.new_case(by, street, n * 10 + i, days_ago=2 + n + i * 5)
        self.renovations()
        indicator = Indicator.objects.get(code="illegal-removed-area")
        progress.target_set(
            by=self.office,
            indicator=indicator,
            unit=self.district,
            start=date(self.today.year, 1, 1),
            end=date(self.today.year, 12, 31),
            value=Decimal("8000"),
        )

    def renovations(self) -> None:
        """三改: an old residential area under works and an old factory area still being planned."""
        for code, name, kind, scope, started in (
            (
                "chengnan-old",
                "城南片旧住宅区综合改造",
                "old-residential",
                "12栋楼外立面整治、雨污分流、加装电梯8台、新增停车位120个",
                True,
            ),
            (
                "nanqiao-factory",
                "南桥老厂区有机更新",
                "old-factory",
                "老厂房改造为文创街区，保留烟囱和锯齿形屋顶",
                False,
            ),
        ):
            project = project_create(
                code=code, name=name, kind=kind, district=self.district, scope=scope, stage="planning"
            )
            if started:
                project_advance(
                    by=self.office,
                    project=project,
                    stage="started",
                    on=date(self.today.year, 4, 8),
                    evidence=self.before,
                )

    def place(self, street_index: int, footprint: Decimal) -> dict:
        """Somewhere in the street's part of the county (the demo's projects lie around 117.2–117.34°E,
        31.84–31.90°N), every other case with its outline: a square of the footprint's area."""
        lng = 117.20 + 0.04 * (street_index % 4) + self.rng.uniform(-0.012, 0.012)
        lat = 31.84 + 0.025 * (street_index // 4) + self.rng.uniform(-0.01, 0.01)
        where = {"longitude": Decimal(f"{lng:.6f}"), "latitude": Decimal(f"{lat:.6f}")}
        if self.rng.random() < 0.5:
            side = math.sqrt(float(footprint))
            d_lat, d_lng = side / 111_195, side / (111_195 * math.cos(math.radians(lat)))
            ring = [[lng, lat], [lng + d_lng, lat], [lng + d_lng, lat + d_lat], [lng, lat + d_lat], [lng, lat]]
            where["outline"] = {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}
        return where

    def register(self, by, street: Unit, n: int, *, kind: str, found: datetime):
        footprint = Decimal(self.rng.randrange(2000, 30000)) / 100
        floors = self.rng.choice((1, 1, 2, 3))
        return services.case_create(
            by=by,
            unit=street,
            source=self.rng.choice(("patrol", "patrol", "tipoff", "media", "referral")),
            kind=kind,
            location=f"{street.name}{self.rng.choice(PLACES)}（{n + 1}号点位）",
            footprint_area=footprint,
            floors=floors,
            area=footprint * floors,
            owner_name=self.rng.choice(OWNERS) + "某",
            found_at=found,
            evidence=self.before,
            **self.place(self.streets[street.pk], footprint),
        )

    def stock_case(self, by, street: Unit, n: int) -> None:
        found = self.today - timedelta(days=self.rng.randrange(90, 200))
        case = self.register(by, street, n, kind="stock", found=_at(found, 9))
        if n % 4 == 3:
            return  # still standing, its deadline not yet served
        notice = found + timedelta(days=7)
        services.case_serve(
            by=by,
            case=case,
            step="notice",
            on=notice,
            document_no=f"拆字〔2026〕{n + 1}号",
            evidence=self.before,
            deadline=notice + timedelta(days=15),
        )
        if n % 4 == 0:
            self.remove(by, case, notice + timedelta(days=12), "self")
        elif n % 4 == 1:
            for step, after in (("reminder", 16), ("decision", 27), ("announcement", 28)):
                services.case_serve(
                    by=by,
                    case=case,
                    step=step,
                    on=notice + timedelta(days=after),
                    document_no=f"拆字〔2026〕{n + 1}-{step}号",
                    evidence=self.before,
                )
            self.remove(by, case, notice + timedelta(days=40), "forced")

    def new_case(self, by, street: Unit, n: int, days_ago: int) -> None:
        found = _at(self.today - timedelta(days=days_ago), 8 + n % 6)
        case = self.register(by, street, n + 100, kind="new", found=found)
        if n % 3 != 2:
            services.case_stop(by=by, case=case, evidence=self.before, at=found + timedelta(hours=1 + n % 4))
        if n % 2 == 0:
            self.remove(by, case, (found + timedelta(days=1)).date(), "self")

    def remove(self, by, case, on: date, method: str) -> None:
        services.case_demolish(
            by=by, case=case, on=on, method=method, removed_area=case.area, before=self.before, after=self.after
        )
