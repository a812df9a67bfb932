"""The demo's public side: the first project's survey results in their objection period and its compensation
results published, one household with a known case code to sign in with, petitions in every state (one overdue,
one petitioner writing again) and a tip-off waiting to be checked."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gaizao.compensation.models import AgreementStatus
from gaizao.core.crypto import keyed_hash
from gaizao.core.models import Evidence
from gaizao.enforcement import tipoffs
from gaizao.ledger.models import Household
from gaizao.org.models import LOCAL_KINDS, Official, Role, Unit
from gaizao.petitions import services as petitions
from gaizao.petitions.models import Channel, Petition, Theme
from gaizao.portal import publication
from gaizao.portal.access import _normal_code
from gaizao.portal.models import CaseCode, PublicationKind

RESIDENT_CODE = "DEMQ-2026"  # the demo's one known case code, printed with the logins
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
