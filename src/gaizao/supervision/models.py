from django.conf import settings
from django.db import models

from gaizao.core.models import Evidence
from gaizao.org.models import Official, Unit


class ItemSource(models.TextChoices):
    LEADER = "leader", "领导批示"
    MEETING = "meeting", "会议议定"
    NOTICE = "notice", "督查通报"
    PETITION = "petition", "信访件"
    SPEECH = "speech", "会议精神分解"


class Speech(models.Model):
    """A leader's speech or a meeting's minutes, pasted in to be broken down into supervision items."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    held_on = models.DateField("会议日期")
    text = models.TextField("全文")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT)
    at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "讲话与纪要"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ItemStatus(models.TextChoices):
    OPEN = "open", "办理中"
    SUBMITTED = "submitted", "待验收"
    CLOSED = "closed", "已办结"


class SupervisionItem(models.Model):
    """督办事项: what, which unit and official, by when, how often to report back; closed on the office's acceptance."""

    issuing_unit = models.ForeignKey(Unit, verbose_name="交办单位", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=10, choices=ItemSource.choices)
    title = models.CharField("事项", max_length=200)
    detail = models.TextField("具体要求", blank=True)
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="supervision_items")
    official = models.ForeignKey(
        Official, verbose_name="责任人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline = models.DateField("办结时限")
    report_every = models.PositiveSmallIntegerField("反馈周期（天）", default=0, help_text="0：办结时一次反馈")
    speech = models.ForeignKey(
        Speech, verbose_name="出自讲话", on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", on_delete=models.PROTECT)
    issued_at = models.DateTimeField("交办时间", auto_now_add=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acceptance = models.TextField("验收意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办事项"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="item_status_deadline")]

    def __str__(self) -> str:
        return self.title


class Feedback(models.Model):
    item = models.ForeignKey(
        SupervisionItem, verbose_name="督办事项", on_delete=models.CASCADE, related_name="feedback"
    )
    text = models.TextField("进展情况")
    evidence = models.ForeignKey(Evidence, verbose_name="佐证", on_delete=models.PROTECT, null=True, blank=True)
    done = models.BooleanField("申请办结", default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", on_delete=models.PROTECT)
    at = models.DateTimeField("反馈时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理反馈"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Notice(models.Model):
    """督查通报: names units and their problems; each problem is a rectification with a deadline."""

    issuing_unit = models.ForeignKey(Unit, verbose_name="通报单位", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("文号", max_length=50, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)
    published_on = models.DateField("通报日期")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "督查通报"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待整改"
    ANSWERED = "answered", "待审核"
    RETURNED = "returned", "退回重改"
    ACCEPTED = "accepted", "整改到位"


class Rectification(models.Model):
    notice = models.ForeignKey(Notice, verbose_name="督查通报", on_delete=models.PROTECT, related_name="rectifications")
    unit = models.ForeignKey(Unit, verbose_name="整改单位", on_delete=models.PROTECT, related_name="rectifications")
    problem = models.TextField("问题")
    deadline = models.DateField("整改时限")
    status = models.CharField(
        "状态", max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    answer = models.TextField("整改情况", blank=True)
    evidence = models.ForeignKey(Evidence, verbose_name="整改佐证", on_delete=models.PROTECT, null=True, blank=True)
    answered_on = models.DateField("报送日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    review = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="rectification_status_deadline")]

    def __str__(self) -> str:
        return self.problem[:40]


class Ladder(models.Model):
    """The escalation ladder of a command office: its rungs (JSON, checked by ladder.py) and thresholds."""

    unit = models.OneToOneField(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="ladder")
    rungs = models.JSONField("阶梯", help_text="[{code, name, after_days, from}]，from 为上一级的 code，首级为 null")
    lag_points = models.PositiveSmallIntegerField("进度滞后阈值（百分点）", default=20)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, null=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "问责阶梯"

    def __str__(self) -> str:
        return f"{self.unit} 问责阶梯"


class Escalation(models.Model):
    """One rung climbed by one overdue subject: who was summoned, when, and what came of it."""

    subject_kind = models.CharField("对象类型", max_length=20)
    subject_id = models.BigIntegerField("对象编号")
    subject = models.CharField("对象", max_length=200)
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="escalations")
    rung = models.CharField("级别", max_length=20)
    rung_name = models.CharField("级别名称", max_length=40)
    opened_on = models.DateField("启动日期")
    overdue_since = models.DateField("逾期起算")
    summoned = models.CharField("约谈（督办）对象", max_length=200, blank=True)
    outcome = models.TextField("结果", blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    outcome_on = models.DateField("记录日期", null=True, blank=True)
    resolved_on = models.DateField("解除日期", null=True, blank=True, help_text="对象不再逾期之日")

    class Meta:
        verbose_name = verbose_name_plural = "督办问责"
        constraints = [
            models.UniqueConstraint(fields=["subject_kind", "subject_id", "rung"], name="escalation_once_per_rung")
        ]
        indexes = [models.Index(fields=["unit", "opened_on"], name="escalation_unit_opened")]
        ordering = ["-opened_on", "id"]

    def __str__(self) -> str:
        return f"{self.rung_name}：{self.subject}"


class Exemption(models.Model):
    """A unit left out of the ladder: always with a reason, and visible to the inspectors."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="exemptions")
    reason = models.TextField("理由")
    until = models.DateField("截止日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT)
    at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "暂缓问责"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.unit} 至 {self.until}"


class TickRun(models.Model):
    """Each day's run of the ladder: the second run of a day finds its work done."""

    day = models.DateField("日期")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True)
    opened = models.PositiveIntegerField("新启动", default=0)
    resolved = models.PositiveIntegerField("解除", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "问责阶梯运行记录"
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return str(self.day)


class Checklist(models.Model):
    """预验收、创建验收: items with weights and a pass mark (a "no illegal building" village, a cleared site …)."""

    unit = models.ForeignKey(Unit, verbose_name="制定单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    items = models.JSONField("验收项目", help_text="[{name, weight}]")
    pass_mark = models.DecimalField("合格分", max_digits=6, decimal_places=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "验收清单"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_marks(self) -> int:
        return sum(item["weight"] for item in self.items)


class PreAcceptance(models.Model):
    """One pre-acceptance of a unit against a checklist: each item's score with its evidence, the total, the verdict."""

    checklist = models.ForeignKey(Checklist, verbose_name="验收清单", on_delete=models.PROTECT, related_name="runs")
    unit = models.ForeignKey(Unit, verbose_name="验收对象", on_delete=models.PROTECT, related_name="pre_acceptances")
    held_on = models.DateField("验收日期")
    scores = models.JSONField("逐项得分", help_text="[{name, weight, score, evidence, note}]")
    total = models.DecimalField("总分", max_digits=6, decimal_places=1)
    passed = models.BooleanField("是否合格")
    remarks = models.TextField("验收意见", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="验收人", on_delete=models.PROTECT)
    at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "预验收"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.checklist} {self.held_on}"


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", "加分"
    DEDUCTION = "deduction", "扣分"


class Adjustment(models.Model):
    """考核加减分: points for a highlight project (亮点项目) or off for a failing, each with its reason and evidence."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="adjustments")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=10, choices=AdjustmentKind.choices)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)
    reason = models.CharField("事由", max_length=200)
    evidence = models.ForeignKey(Evidence, verbose_name="佐证", on_delete=models.PROTECT, null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核加减分"
        ordering = ["year", "unit", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.points}"
