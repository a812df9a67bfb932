"""The demo's public side: the first project's survey results in their objection period and its compensation
results published, one household with a known case code to sign in with, petitions in every state (one overdue,
one petitioner writing again), a tip-off waiting to be checked, the households' vote for the appraisal agency
under way, and citizen supervisors with reports in every state (one monitor with a known code)."""

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gaizao.compensation import agency_vote
from gaizao.compensation.models import AgencyBallot, AgreementStatus, AppraisalAgency
from gaizao.core.crypto import keyed_hash
from gaizao.core.models import Evidence
from gaizao.enforcement import tipoffs
from gaizao.ledger.models import Household
from gaizao.monitors import services as monitors
from gaizao.monitors.models import Report, StepKind
from gaizao.org.models import LOCAL_KINDS, Official, Role, Unit
from gaizao.petitions import services as petitions
from gaizao.petitions.models import Channel, Petition, Theme
from gaizao.portal import publication
from gaizao.portal.access import _normal_code
from gaizao.portal.models import CaseCode, PublicationKind

RESIDENT_CODE = "DEMQ-2026"  # the demo's one known case code, printed with the logins
MONITOR_PHONE, MONITOR_CODE = "13900002026", "JDMQ2026"  # the demo's citizen supervisor, printed with the logins
AGENCIES = ("江北房地产估价有限公司", "诚信土地房地产评估事务所", "华信资产评估有限公司")
REPORTS = (
    # category, place, problem, how far it got: submitted, assigned, late, fixed, closed, dismissed
    ("quality", "安置小区3号楼2单元楼梯间", "楼梯间墙面有一条约1米长的斜向裂缝。", "closed"),
    ("safety", "安置小区5号楼脚手架", "脚手架底部有两根立杆悬空，没有垫板。", "fixed"),
    ("civility", "北侧拆除现场", "拆除现场没有围挡和喷淋，刮风时粉尘很大。", "late"),
    ("quality", "安置小区1号楼地下车库", "车库顶板有渗水，地面积水。", "assigned"),
    ("other", "项目东门", "工地大门晚上十点以后还在进出渣土车。", "submitted"),
    ("quality", "安置小区7号楼", "外墙涂料颜色与样板不一致。", "dismissed"),
)
PETITIONS = (
    # days ago, theme, words, answered
    (70, Theme.RESETTLEMENT, "安置房交付时间一再推迟，过渡费从上个月起没有发放，请尽快答复何时交房。", False),
    (40, Theme.COMPENSATION, "我家的装修评估价明显低于邻居同类房屋，要求重新评估。", True),
    (25, Theme.QUALITY, "安置小区3号楼外墙有裂缝，下雨渗水，请安排检测。", True),
    (12, Theme.DEMOLITION, "拆除隔壁房屋时夜间施工噪音大，粉尘多，没有围挡。", False),
    (3, Theme.INTEGRITY, "有工作人员暗示多给面积需要“打点”，请调查。", False),
)


def resident_household() -> Household | None:
    found = CaseCode.objects.filter(code_hash=keyed_hash(_normal_code(RESIDENT_CODE))).select_related("household")
    return found.first().household if found.exists() else None


class DemoPortal:
    def __init__(self, office, project, today: date, proof: Evidence):
        self.office, self.project, self.today, self.proof = office, project, today, proof

    def write(self) -> None:
        publication.publish(
            by=self.office,
            project=self.project,
            kind=PublicationKind.SURVEY,
            on=self.today - timedelta(days=2),
            objection_days=15,
            note="入户调查结果公示，公示期内可对本户结果提出异议。",
        )
        publication.publish(by=self.office, project=self.project, kind=PublicationKind.RESULTS, on=self.today)
        self.resident()
        self.petitions()
        self.tipoff()
        self.agency_vote()
        self.monitors()

    def photo(self, name: str) -> SimpleUploadedFile:
        with self.proof.file.open("rb") as photo:
            return SimpleUploadedFile(name, photo.read(), content_type="image/png")

    def agency_vote(self) -> None:
        """Three agencies stand; about half of the households have voted, the demo resident not yet."""
        candidates = [AppraisalAgency.objects.get_or_create(name=name)[0] for name in AGENCIES]
        vote = agency_vote.vote_open(
            by=self.office,
            project=self.project,
            candidates=candidates,
            opens_on=self.today - timedelta(days=3),
            closes_on=self.today + timedelta(days=7),
        )
        resident = resident_household()
        voters = Household.objects.filter(project=self.project).exclude(pk=resident.pk).order_by("number")
        at = timezone.now()
        AgencyBallot.objects.bulk_create(
            AgencyBallot(vote=vote, household_id=pk, agency=candidates[(n * 7) % 5 % 3], at=at)
            for n, pk in enumerate(voters.values_list("pk", flat=True)[::2])
        )

    @staticmethod
    def backdate(report, assigned_on: date) -> None:
        """The report came in the day before it was assigned (the services stamp the moment they run)."""
        assigned = timezone.make_aware(datetime.combine(assigned_on, time(9)))
        Report.objects.filter(pk=report.pk).update(submitted_at=assigned - timedelta(days=1))
        report.steps.filter(kind=StepKind.SUBMITTED).update(at=assigned - timedelta(days=1))
        report.steps.filter(kind=StepKind.ASSIGNED).update(at=assigned)

    def monitors(self) -> None:
        monitor, _ = monitors.monitor_register(
            by=self.office,
            project=self.project,
            name="王建国",
            phone=MONITOR_PHONE,
            introduction="被征收户，退休建筑工程师",
        )
        monitor.code_hash = keyed_hash(MONITOR_CODE)  # a known code to sign in with (the real one is random)
        monitor.save(update_fields=["code_hash"])
        monitors.monitor_apply(
            project=self.project, name="李秀英", phone="13900003033", introduction="居民代表，住在安置小区对面"
        )
        street = Unit.objects.filter(kind__in=LOCAL_KINDS, district_id=self.project.district_id).order_by("path")[0]
        for category, place, problem, reached in REPORTS:
            report, _ = monitors.report_submit(
                monitor=monitor, category=category, place=place, description=problem, photos=[self.photo("现场.png")]
            )
            if reached == "dismissed":
                monitors.report_dismiss(
                    by=self.office, report=report, reason="外墙颜色经设计单位确认符合设计，不属于质量问题。"
                )
            if reached in ("assigned", "late", "fixed", "closed"):
                late = reached == "late"
                on = self.today - timedelta(days=20 if late else 3)
                monitors.report_assign(by=self.office, report=report, unit=street, days=10, today=on)
                self.backdate(report, on)
            if reached in ("fixed", "closed"):
                monitors.report_fix(
                    by=self.office,
                    report=report,
                    note="已按规范整改，附整改后照片。",
                    photos=[self.photo("整改后.png")],
                )
            if reached == "closed":
                monitors.report_verify(report=report, passed=True, note="已看过，整改到位。", monitor=monitor)

    def tipoff(self) -> None:
        street = Unit.objects.filter(kind__in=LOCAL_KINDS, district_id=self.project.district_id).order_by("path")[0]
        with self.proof.file.open("rb") as photo:
            upload = SimpleUploadedFile("举报照片.png", photo.read(), content_type="image/png")
        tipoffs.tipoff_report(
            street=street,
            location=f"{street.name}河边路口东侧",
            description="一户正在屋顶加盖一层彩钢棚，晚上也在施工。",
            estimated_area="40",
            photo=upload,
        )

    def resident(self) -> None:
        signed = (
            Household.objects.filter(project=self.project, agreements__status=AgreementStatus.SIGNED)
            .exclude(phone="")
            .exclude(id_number="")
        )
        household = signed.order_by("number").first()
        CaseCode.objects.create(
            household=household,
            district_id=household.district_id,
            code_hash=keyed_hash(_normal_code(RESIDENT_CODE)),
            issued_by=self.office,
            issued_at=timezone.now(),
        )

    def petitions(self) -> None:
        streets = {o.unit_id: o.user for o in Official.objects.filter(role=Role.STREET).select_related("unit")}
        households = list(Household.objects.filter(project=self.project).exclude(phone="").order_by("number")[:5])
        for (days, theme, words, answered), household in zip(PETITIONS, households, strict=False):
            petition, _, _ = petitions.petition_submit(
                channel=Channel.VISIT if days > 30 else Channel.WEB if days > 5 else Channel.PHONE,
                project=self.project,
                theme=theme,
                content=words,
                reporter_name=household.owner_name,
                reporter_phone=household.phone,
                by=self.office,
                received_on=self.today - timedelta(days=days),
            )
            petitions.petition_assign(by=self.office, petition=petition, unit=household.street)
            if answered:
                street_staff = streets.get(household.street_id, self.office)
                petitions.petition_answer(
                    by=street_staff, petition=petition, answer="已到现场核实，情况属实，已责成相关单位整改并回访。"
                )
        first = Petition.objects.filter(project=self.project).order_by("received_on").first()
        petitions.petition_submit(
            channel=Channel.VISIT,
            project=self.project,
            theme=first.theme,
            content="再次反映：" + first.content,
            reporter_name=first.reporter_name,
            reporter_phone=first.reporter_phone,
            by=self.office,
            received_on=self.today - timedelta(days=1),
        )
