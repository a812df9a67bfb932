"""群众举报: a new illegal building reported from the public portal with a photo and a place. It becomes a case
待核实 of the street at once; the street checks it on site (核实立案 with its own photo and measured areas, or 不予立案
with a reason) and the reporter follows it with the case code and a follow code."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.core.codes import followed, new_code, phone_digits, sent_before, words_digest
from gaizao.core.crypto import keyed_hash
from gaizao.core.evidence import MAX_PUBLIC_PHOTO_BYTES, PHOTO_TYPES, evidence_create
from gaizao.core.feedback import form_degrees
from gaizao.enforcement.models import Case, CaseKind, CaseSource, CaseStatus, CaseStep, StepKind, TipOff
from gaizao.enforcement.services import _next_code, _place
from gaizao.org.models import Unit

TEXT_MAX = 2000
AREA_MAX = Decimal(100000)
WRONG = "案件编号或查询码不正确"
# What the reporter sees of the case's steps: what happened and when, never who or the owner.
PUBLIC_STEPS = (StepKind.FOUND, StepKind.STOPPED, StepKind.DEMOLISHED, StepKind.DISMISSED, StepKind.CONFIRMED)


def _area(value) -> Decimal:
    try:
        area = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValidationError(f"估计面积：“{value}”不是数值") from None
    if not area.is_finite() or not Decimal("0.01") <= area.quantize(Decimal("0.01")) <= AREA_MAX:
        raise ValidationError(f"估计面积：应在 0.01 到 {AREA_MAX} ㎡之间，填的是“{value}”")
    return area.quantize(Decimal("0.01"))


@transaction.atomic
def tipoff_report(
    *,
    street: Unit,
    location: str,
    description: str,
    estimated_area,
    photo,
    reporter_phone: str = "",
    longitude=None,
    latitude=None,
) -> tuple[Case, str, bool]:
    """(case, follow code, new). The same report sent again within a day is the case already made (new=False)."""
    _place(street, None)
    location, description = location.strip(), description.strip()
    if not location:
        raise ValidationError("位置：请写明违建所在的村（社区）、路名或门牌")
    if not description:
        raise ValidationError("情况：请写明看到了什么（在建、加层、搭棚……）")
    if len(description) > TEXT_MAX or len(location) > 200:
        raise ValidationError(f"情况最多 {TEXT_MAX} 字，位置最多 200 字")
    area = _area(estimated_area)
    phone = phone_digits(reporter_phone, required=False)
    longitude, latitude = form_degrees(longitude, "经度", 180), form_degrees(latitude, "纬度", 90)
    if photo is None:
        raise ValidationError("照片：请上传现场照片")
    digest = words_digest(street.pk, location, description)
    twin = sent_before(TipOff.objects.select_related("case"), "at", digest)
    if twin is not None:
        return twin.case, "", False
    now = timezone.now()
    case = Case.objects.create(
        code=_next_code(street.district or street, timezone.localdate(now).year),
        district_id=street.district_id or street.pk,
        unit=street,
        source=CaseSource.TIPOFF,
        kind=CaseKind.NEW,
        status=CaseStatus.CANDIDATE,
        location=location,
        longitude=longitude,
        latitude=latitude,
        footprint_area=area,
        area=area,
        description=f"{description}\n（面积为举报人估计，核实时实测）",
        found_on=timezone.localdate(now),
        created_by=None,
    )
    follow = new_code()
    TipOff.objects.create(
        case=case,
        district_id=case.district_id,
        reporter_phone=phone,
        follow_hash=keyed_hash(follow),
        content_hash=digest,
        evidence=evidence_create(
            by=None, upload=photo, allowed=PHOTO_TYPES, max_bytes=MAX_PUBLIC_PHOTO_BYTES, what="现场照片"
        ),
        at=now,
    )
    return case, follow, True


def tipoff_follow(*, code: str, follow: str, ip: str) -> Case:
    def find(number: str, follow_hash: str) -> Case | None:
        tipoff = TipOff.objects.filter(case__code=number, follow_hash=follow_hash).select_related("case").first()
        return tipoff.case if tipoff else None

    return followed("tipoff", code, follow, ip, find, WRONG)


def public_steps(case: Case) -> list[tuple]:
    return list(
        CaseStep.objects.filter(case=case, kind__in=PUBLIC_STEPS).order_by("at").values_list("kind", "at", named=True)
    )
