"""Writes of petitions: received (from the web, a household's own file, or entered by the office from a letter, a
visit or a call), assigned to a unit, answered, extended once with a reason, and rated by the petitioner."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaizao.core.codes import followed, new_code, phone_digits, sent_before
from gaizao.core.crypto import keyed_hash
from gaizao.core.numbering import next_code
from gaizao.ledger.models import Household
from gaizao.org.access import can_change, is_command_office, official_of, require_district_office, visible_unit_ids
from gaizao.org.models import Unit
from gaizao.petitions import rules
from gaizao.petitions.models import Channel, Petition, Satisfaction, Status, Theme
from gaizao.projects.models import Project

OFFICE_CHANNELS = (Channel.LETTER, Channel.VISIT, Channel.PHONE)
WRONG_FOLLOW = "信访编号或查询码不正确"


def _first_of(petition: Petition | None) -> Petition | None:
    return petition.repeat_of if petition is not None and petition.repeat_of_id else petition


def _earlier(project: Project | None, household: Household | None, reporter_hash: str) -> Petition | None:
    """The petitioner's first petition on the same project: this one repeats it (重复信访)."""
    earlier = Petition.objects.filter(project=project).order_by("received_on", "pk")
    if household is not None:
        return _first_of(
            earlier.filter(household=household).first() or earlier.filter(reporter_hash=reporter_hash).first()
        )
    return _first_of(earlier.filter(reporter_hash=reporter_hash).first())


def _check(theme: str, content: str) -> str:
    if theme not in Theme.values:
        raise ValidationError(f"类别：“{theme}”不在可选项中")
    content = content.strip()
    if not content:
        raise ValidationError("反映内容：请写明反映的问题和诉求")
    if len(content) > rules.CONTENT_MAX:
        raise ValidationError(f"反映内容：最多 {rules.CONTENT_MAX} 字，写了 {len(content)} 字")
    return content


@transaction.atomic
def petition_submit(
    *,
    channel: str,
    project: Project | None,
    theme: str,
    content: str,
    reporter_name: str = "",
    reporter_phone: str = "",
    household: Household | None = None,
    by=None,
    received_on: date | None = None,
    district: Unit | None = None,
) -> tuple[Petition, str, bool]:
    """(petition, follow code, new). The same words from the same petitioner within a day are the petition already
    received: it is returned (new=False, no follow code) and nothing is written twice."""
    today = timezone.localdate()
    if channel in OFFICE_CHANNELS:
        if by is None or not can_change(by) or official_of(by) is None:
            raise PermissionDenied("只有工作人员可以登记来信、来访和来电")
    elif channel not in (Channel.WEB, Channel.HOUSEHOLD):
        raise ValidationError(f"渠道：“{channel}”不在可选项中")
    content = _check(theme, content)
    if household is not None:
        project, district = household.project, household.district
        reporter_name = reporter_name or household.owner_name
        reporter_phone = reporter_phone or household.phone
    if project is not None:
        district = project.district
    if district is None:
        raise ValidationError("项目：请选择反映的征收项目")
    reporter_name = reporter_name.strip()
    if not reporter_name:
        raise ValidationError("信访人：请填写姓名")
    phone = phone_digits(reporter_phone, required=False)
    if not phone and household is None:
        raise ValidationError("联系电话：请填写，以便答复")
    received_on = received_on or today
    if received_on > today:
        raise ValidationError(f"受理日期 {received_on} 晚于今天")
    reporter = f"hh:{household.pk}" if household is not None else phone
    digest = rules.content_hash(project.pk if project else None, reporter, content)
    twin = sent_before(Petition.objects, "created_at", digest)
    if twin is not None:
        return twin, "", False
    reporter_hash = keyed_hash(phone) if phone else ""
    follow = new_code() if channel in (Channel.WEB, Channel.HOUSEHOLD) else ""
    petition = Petition.objects.create(
        code=next_code(Petition, "XF", district, today.year),
        district=district,
        project=project,
        household=household,
        about=household.street if household is not None else None,
        channel=channel,
        theme=theme,
        content=content,
        reporter_name=reporter_name[:50],
        reporter_phone=phone,
        content_hash=digest,
        follow_hash=keyed_hash(follow) if follow else "",
        received_on=received_on,
        due_on=rules.due_on(received_on),
        repeat_of=_earlier(project, household, reporter_hash if phone else "-"),
        received_by=by,
        created_at=timezone.now(),
    )
    return petition, follow, True


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().get(pk=petition.pk)


@transaction.atomic
def petition_assign(*, by, petition: Petition, unit: Unit) -> Petition:
    require_district_office(by, petition.district_id, "交办和延期信访件")
    petition = _locked(petition)
    if petition.status not in (Status.RECEIVED, Status.ASSIGNED):
        raise ValidationError(f"信访件已{petition.get_status_display()}，不能再交办")
    if not unit.path.startswith(petition.district.path):
        raise ValidationError(f"承办单位：{unit.name}不在{petition.district.name}")
    petition.assigned_to, petition.assigned_at, petition.status = unit, timezone.now(), Status.ASSIGNED
    if petition.about_id is None:
        petition.about = unit
    petition.save()
    return petition


@transaction.atomic
def petition_answer(*, by, petition: Petition, answer: str) -> Petition:
    """Answered by the unit it was assigned to (or one above it), or the office."""
    petition = _locked(petition)
    ids = visible_unit_ids(by)
    reaches = ids is None or petition.assigned_to_id in ids or (is_command_office(by) and petition.district_id in ids)
    if not can_change(by) or not reaches:
        raise PermissionDenied("只有承办单位或指挥部办公室可以答复")
    if petition.status != Status.ASSIGNED:
        raise ValidationError(f"信访件{petition.get_status_display()}，不能答复")
    answer = answer.strip()
    if not answer:
        raise ValidationError("答复意见：请写明核查的事实、处理结果和依据")
    petition.answer, petition.answered_on, petition.answered_by = answer, timezone.localdate(), by
    petition.status = Status.ANSWERED
    petition.save()
    return petition


@transaction.atomic
def petition_extend(*, by, petition: Petition, reason: str) -> Petition:
    require_district_office(by, petition.district_id, "交办和延期信访件")
    petition = _locked(petition)
    if petition.extended:
        raise ValidationError(f"已延期一次（至 {petition.due_on}），不能再延期")
    if petition.status in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError("已答复的信访件不需延期")
    if timezone.localdate() > petition.due_on:
        raise ValidationError(f"答复期限 {petition.due_on} 已过，不能再延期")
    reason = reason.strip()
    if not reason:
        raise ValidationError("延期理由：请写明情况复杂需要延期的原因")
    petition.extended, petition.extension_reason = True, reason
    petition.due_on = rules.extended_due(petition.due_on)
    petition.save()
    return petition


def petition_follow(*, code: str, follow: str, ip: str) -> Petition:
    """The petition its petitioner follows with the code and follow code given at submission."""

    def find(number: str, follow_hash: str) -> Petition | None:
        return Petition.objects.filter(code=number, follow_hash=follow_hash).first()

    return followed("petition", code, follow, ip, find, WRONG_FOLLOW)


@transaction.atomic
def petition_rate(*, petition: Petition, satisfaction: str) -> Petition:
    if satisfaction not in Satisfaction.values:
        raise ValidationError(f"评价：“{satisfaction}”不在可选项中")
    petition = _locked(petition)
    if petition.status != Status.ANSWERED:
        raise ValidationError("答复之后才能评价")
    petition.satisfaction, petition.status = satisfaction, Status.CLOSED
    petition.save()
    return petition
