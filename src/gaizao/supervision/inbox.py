"""Each official's inbox: what waits for them, with its deadline; sent as a daily e-mail when SMTP is configured."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from gaizao.org.access import is_command_office, official_of, visible_unit_ids
from gaizao.org.models import Official
from gaizao.progress.models import ActionItem, ActionStatus
from gaizao.supervision.models import Escalation, ItemStatus, Rectification, RectificationStatus, SupervisionItem

INTERVIEW_RUNGS = ("interview", "referral")


@dataclass(frozen=True)
class Entry:
    kind: str
    title: str
    deadline: date | None
    url: str

    def overdue(self, today: date) -> bool:
        return self.deadline is not None and self.deadline < today


def entries(user) -> list[Entry]:
    """A unit's staff: its items, rectifications, action items and summons; the office: what awaits its review."""
    official = official_of(user)
    if official is None:
        return []
    unit = official.unit_id
    items = SupervisionItem.objects.filter(unit_id=unit, status=ItemStatus.OPEN).annotate(last=Max("feedback__at"))
    found = []
    for item in items:
        url = reverse("supervision:item", args=[item.pk])
        found.append(Entry("督办事项", item.title, item.deadline, url))
        if item.report_every:
            since = timezone.localdate(item.last or item.issued_at)
            found.append(Entry("反馈到期", item.title, since + timedelta(days=item.report_every), url))
    found += [
        Entry("整改", r.problem[:80], r.deadline, reverse("supervision:notice", args=[r.notice_id]))
        for r in Rectification.objects.filter(
            unit_id=unit, status__in=(RectificationStatus.OPEN, RectificationStatus.RETURNED)
        )
    ]
    found += [
        Entry("调度事项", a.text[:80], a.deadline, reverse("progress:meeting", args=[a.meeting_id]))
        for a in ActionItem.objects.filter(owner_id=unit, status=ActionStatus.OPEN)
    ]
    found += [
        Entry(e.rung_name, e.subject, None, reverse("supervision:overview"))
        for e in Escalation.objects.filter(unit_id=unit, rung__in=INTERVIEW_RUNGS, resolved_on__isnull=True, outcome="")
    ]
    if is_command_office(user):
        seen = visible_unit_ids(user) or frozenset()
        found += [
            Entry("待验收", i.title, i.deadline, reverse("supervision:item", args=[i.pk]))
            for i in SupervisionItem.objects.filter(status=ItemStatus.SUBMITTED, issuing_unit_id__in=seen)
        ]
        found += [
            Entry("待审核整改", r.problem[:80], r.deadline, reverse("supervision:notice", args=[r.notice_id]))
            for r in Rectification.objects.filter(status=RectificationStatus.ANSWERED, unit_id__in=seen)
        ]
    return sorted(found, key=lambda e: (e.deadline or date.max, e.kind))


def send_digests(today: date) -> int:
    """One e-mail per official with an address and something waiting; nothing when SMTP is not configured."""
    if not settings.EMAIL_HOST:
        return 0
    sent = 0
    for official in Official.objects.select_related("user").exclude(user__email=""):
        waiting = entries(official.user)
        if not waiting:
            continue
        lines = [
            f"{'【逾期】' if e.overdue(today) else ''}{e.kind}：{e.title}"
            + (f"（时限 {e.deadline}）" if e.deadline else "")
            for e in waiting
        ]
        send_mail(
            subject=f"待办事项 {len(waiting)} 项（{today}）",
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[official.user.email],
        )
        sent += 1
    return sent
