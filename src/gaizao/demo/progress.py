"""The demo's targets, responsibility agreements and battle plans: set through the services, as an office would.

Targets are set against what the demo ledger shows, some streets ahead of the calendar and some behind,
so the progress pages show every light."""

import math
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from gaizao.core.bulk import insert_rows
from gaizao.core.models import Evidence
from gaizao.ledger.models import Household, Tally
from gaizao.ledger.tally import Measure
from gaizao.org.models import Official, Role, Unit, UnitKind
from gaizao.progress import funding, meetings, rankings, rhythm, services
from gaizao.progress.models import Indicator, Place
from gaizao.projects.models import DisbursementUse, PipelineStage, Project, ProjectKind, ProjectStageChange, SourceKind
from gaizao.projects.services import project_create

TZ = ZoneInfo("Asia/Shanghai")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
# how far ahead of its target each street stands: the target is what it has done × this
STRETCH = (Decimal("1.05"), Decimal("1.15"), Decimal("1.4"), Decimal("1.9"), Decimal("1.1"), Decimal("1.25"))
# name, days, deadline counted from the end of the signing period (only the last needs one)
BATTLE_PLAN = (
    ("入户调查摸底", 45, None),
    ("评估与方案公示", 30, None),
    ("集中签约", None, 0),
    ("腾空交房", 60, None),
    ("房屋拆除", 45, None),
    ("拆后清理", 20, None),
    ("预验收申报", 10, 170),
)
# two more villages in planning: code, name, kind, stage, households, m², planned start, what is known
RESERVE = (
    (
        "nanhu-village",
        "南湖村城中村改造",
        ProjectKind.URBAN_VILLAGE,
        PipelineStage.SURVEY,
        640,
        "78000",
        date(2027, 3, 1),
        "已完成入户摸底约六成，村民改造意愿较强；待编制改造方案。",
    ),
    (
        "laocheng-phase2",
        "老城区棚户区改造二期",
        ProjectKind.SHANTYTOWN,
        PipelineStage.PLANNING,
        1180,
        "96500",
        date(2027, 6, 1),
        "前期方案已报区政府审议，资金拟申请专项债券。",
    ),
)
CENT = Decimal("0.01")
# how many of the plan's steps each demo project has finished, and whether the next is under way
DONE = {"xiguan-village": 3, "beizhan-shantytown": 2, "binjiang-road": 2, "donghu-village": 0}


class DemoProgress:
    def __init__(self, office, district: Unit, today: date, evidence: Evidence):
        self.office, self.district, self.today, self.evidence = office, district, today, evidence

    def write(self) -> None:
        self.pipeline()
        self.targets()
        self.agreements()
        for project in Project.objects.filter(district=self.district, signing_start__isnull=False):
            self.battle_plan(project)
        self.reports()

    def places(self, project: Project) -> None:
        """Households on a jittered grid inside the project's boundary: something to see on the battle map."""
        ring = project.boundary["coordinates"][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        ids = list(Household.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
        side = max(1, math.ceil(math.sqrt(len(ids))))
        width, height = (max(xs) - min(xs)) / side, (max(ys) - min(ys)) / side

        def spot(n: int, pk: int) -> tuple:
            jitter = (pk * 7919 % 1000) / 1000 - 0.5
            return (
                pk,
                project.pk,
                min(xs) + (n % side + 0.5 + jitter * 0.6) * width,
                min(ys) + (n // side + 0.5 - jitter * 0.6) * height,
                None,
            )

        insert_rows(
            Place, ["household_id", "project_id", "lon", "lat", "outline"], (spot(n, pk) for n, pk in enumerate(ids))
        )

    def pipeline(self) -> None:
        """Each project's path so far, its money, and two more villages in planning (储备项目)."""
        for project in Project.objects.filter(district=self.district):
            self.history(project)
            self.funding(project)
            self.places(project)
        for code, name, kind, stage, households, area, start, brief in RESERVE:
            project_create(
                code=code,
                name=name,
                kind=kind,
                district=self.district,
                freeze_date=start,
                stage=stage,
                estimated_households=households,
                estimated_area=Decimal(area),
                planned_start=start,
                brief=brief,
            )

    def history(self, project: Project) -> None:
        days = {
            PipelineStage.PLANNING: project.freeze_date - timedelta(days=90),
            PipelineStage.DECISION: project.freeze_date,
            PipelineStage.SIGNING: project.signing_start,
            PipelineStage.CLEARING: project.signing_end + timedelta(days=1),
        }
        stages = list(PipelineStage.values)
        rows = [
            ProjectStageChange(
                project=project,
                district=self.district,
                before=stages[n - 1],
                after=stages[n],
                on=min(days[stages[n]], self.today),
                by=self.office,
                note="演示数据",
            )
            for n in range(1, stages.index(project.stage) + 1)
        ]
        ProjectStageChange.objects.bulk_create(rows)

    def funding(self, project: Project) -> None:
        households = Household.objects.filter(project=project).count()
        total = Decimal(households) * Decimal("2000000")  # about 2 million yuan a household, all in
        for year, share in ((2026, "0.55"), (2027, "0.3"), (2028, "0.15")):
            funding.plan_set(
                by=self.office, project=project, year=year, planned=(total * Decimal(share)).quantize(CENT)
            )
        sources = [
            funding.source_set(
                by=self.office, project=project, kind=kind, name=name, committed=(total * Decimal(share)).quantize(CENT)
            )
            for kind, name, share in (
                (SourceKind.FISCAL, "区级财政资金", "0.2"),
                (SourceKind.BANK_LOAN, "政策性银行棚改贷款", "0.5"),
                (SourceKind.SPECIAL_BOND, "城市更新专项债券", "0.3"),
            )
        ]
        if project.stage in (PipelineStage.SURVEY, PipelineStage.PLANNING):
            return
        for n, (source, use) in enumerate(
            zip(
                sources,
                (DisbursementUse.LAND, DisbursementUse.RESETTLEMENT, DisbursementUse.INFRASTRUCTURE),
                strict=True,
            )
        ):
            funding.disbursement_post(
                by=self.office,
                source=source,
                use=use,
                on=project.signing_start + timedelta(days=20 * n),
                amount=(source.committed * Decimal("0.12")).quantize(CENT),
                evidence=self.evidence,
                note="演示数据",
            )

    def reports(self) -> None:
        """Three days of daily reports (one street forgets one day, one files late) and the office's summary."""
        staff = {o.unit_id: o.user for o in Official.objects.filter(role=Role.STREET)}
        for back in (2, 1, 0):
            day = self.today - timedelta(days=back)
            for n, unit in enumerate(rhythm.units_due(day)):
                if unit.id not in staff or (n == 3 and back == 1):
                    continue
                hour = 19 if n == 1 else 16 + n % 2
                rhythm.report_file(
                    by=staff[unit.id],
                    unit=unit,
                    day=day,
                    problems="个别户对安置房户型有异议，已安排二次入户解释政策。" if n % 2 else "",
                    help_needed="请区自然资源局协调安置地块规划调整。" if n == 2 else "",
                    plan_tomorrow="继续攻坚重点户，推进腾空户拆除。",
                    now=datetime.combine(day, time(hour, 10 * n % 60), TZ),
                )
        office = Official.objects.get(user=self.office)
        rhythm.summary_draft(by=self.office, unit=office.unit, end=self.today)
        self.meeting(office.unit, staff)
        contest = rankings.contest_create(
            by=self.office,
            unit=office.unit,
            name="第四季度城市更新攻坚竞赛",
            start=date(2026, 10, 1),
            end=date(2026, 12, 31),
            weights={"households-signed": 60, "area-demolished": 40},
        )
        rankings.bulletin_publish(
            by=self.office, contest=contest, on=self.today, remarks="请后三名街道对照目标倒排工期。"
        )

    def meeting(self, hq: Unit, staff: dict) -> None:
        """Last week's dispatch meeting: three decisions, one done, one overdue, one still running."""
        held_on = self.today - timedelta(days=7)
        meeting = meetings.meeting_create(by=self.office, unit=hq, held_on=held_on)
        meetings.meeting_minutes(
            by=self.office, meeting=meeting, minutes="听取各街道进度汇报，对滞后街道逐一点评，明确下周攻坚任务。"
        )
        streets = [u for u in Unit.objects.filter(pk__in=staff).order_by("path")]
        decisions = (
            ("对签约滞后的重点户逐户制定攻坚方案，班子成员包保到户。", streets[0], 3),
            ("协调安置地块规划调整，报区政府常务会研究。", streets[1], 5),
            ("已腾空房屋一周内完成拆除并清运建筑垃圾。", streets[2], 14),
        )
        for n, (text, owner, days) in enumerate(decisions):
            item = meetings.action_add(
                by=self.office, meeting=meeting, text=text, owner=owner, deadline=held_on + timedelta(days=days)
            )
            if n == 0:
                meetings.action_close(
                    by=staff[owner.id],
                    item=item,
                    outcome="已制定攻坚方案并入户走访。",
                    evidence=self.evidence,
                    closed_on=held_on + timedelta(days=2),
                )

    def done(self, street: Unit, measure: str) -> Decimal:
        rows = Tally.objects.filter(street=street, measure=measure, day__range=YEAR).values_list(
            "hundredths", flat=True
        )
        return Decimal(sum(rows)) / 100

    def targets(self) -> None:
        streets = list(Unit.objects.filter(parent=self.district, kind__in=(UnitKind.STREET, UnitKind.TOWNSHIP)))
        for code, measure, places in (
            ("households-signed", Measure.SIGNED, 0),
            ("area-demolished", Measure.DEMOLISHED_AREA, 2),
        ):
            indicator = Indicator.objects.get(code=code)
            step = Decimal(1).scaleb(-places)
            shares = {}
            for street, stretch in zip(streets, STRETCH, strict=False):
                done = self.done(street, measure)
                shares[street] = max((done * stretch).quantize(step, ROUND_HALF_UP), Decimal(100).quantize(step))
            total = sum(shares.values(), Decimal(0))
            target = services.target_set(
                by=self.office, indicator=indicator, unit=self.district, start=YEAR[0], end=YEAR[1], value=total
            )
            services.target_split(by=self.office, target=target, shares=shares)

    def agreements(self) -> None:
        for number, street in enumerate(Unit.objects.filter(targets__parent__isnull=False).distinct()):
            agreement = services.agreement_draft(
                by=self.office,
                unit=street,
                title=f"{street.name}2026年城市更新攻坚目标责任书",
                start=YEAR[0],
                end=YEAR[1],
                leader_name=f"{street.name}党工委书记",
                duties="一个片区一名主抓领导、一名副职、一班人马干到底；包户到人，按周调度。",
            )
            if number % 3 != 2:  # a few still to be signed
                services.agreement_sign(
                    by=self.office, agreement=agreement, signed_on=date(2026, 2, 20), evidence=self.evidence
                )

    def battle_plan(self, project: Project) -> None:
        signing_days = (project.signing_end - project.signing_start).days + 1
        street = Household.objects.filter(project=project).values_list("street", flat=True).first()
        previous = None
        steps = []
        for name, days, deadline in BATTLE_PLAN:
            steps.append(
                services.milestone_save(
                    by=self.office,
                    project=project,
                    name=name,
                    duration=days or signing_days,
                    deadline=project.signing_end + timedelta(days=deadline) if deadline is not None else None,
                    not_before=project.freeze_date if previous is None else None,
                    depends=[previous] if previous else [],
                    unit=Unit.objects.get(pk=street) if street else None,
                    leader_name="片区主抓领导",
                )
            )
            previous = steps[-1]
        done = DONE.get(project.code, 0)
        start = project.freeze_date
        for milestone in steps[:done]:
            finished = min(start + timedelta(days=milestone.duration - 1), self.today)
            services.milestone_start(by=self.office, milestone=milestone, started_on=start)
            services.milestone_complete(by=self.office, milestone=milestone, done_on=finished, evidence=self.evidence)
            start = finished + timedelta(days=1)
        if done < len(steps) and start <= self.today:
            services.milestone_start(by=self.office, milestone=steps[done], started_on=start)
