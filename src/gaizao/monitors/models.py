"""百姓监督员: residents the office registers to watch a project's works (the resettlement buildings, the site), and
the quality and safety problems they report, each followed from the report to a verified fix that is published.
See docs/monitors.md."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gaizao.core.fields import EncryptedCharField, KeyedHashField
from gaizao.core.models import Evidence
from gaizao.org.models import Unit
from gaizao.projects.models import Project


class MonitorStatus(models.TextChoices):
    APPLIED = "applied", "待审核"
    ACTIVE = "active", "在任"
    REFUSED = "refused", "未通过"
    RETIRED = "retired", "已解聘"


class Monitor(models.Model):
    """One person watching one project. They sign in on the portal with their phone and the code the office gives
    them (only its keyed hash is kept)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="monitors")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    name = EncryptedCharField("姓名", max_length=50)
    phone = EncryptedCharField("联系电话", max_length=20)
    phone_hash = KeyedHashField("联系电话摘要", source="phone")
    introduction = models.TextField("简介", blank=True, help_text="身份（被征收户、人大代表、居民代表……）和申请理由")
    status = models.CharField("状态", max_length=10, choices=MonitorStatus.choices, default=MonitorStatus.APPLIED)
    code_hash = models.CharField("登录码摘要", max_length=64, blank=True)
    code_issued_at = models.DateTimeField("登录码发放时间", null=True, blank=True)
    applied_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "百姓监督员"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "phone_hash"],
                condition=Q(status__in=["applied", "active"]),
                name="monitor_one_per_phone",
            )
        ]
        indexes = [models.Index(fields=["phone_hash"], name="monitor_phone")]

    def __str__(self) -> str:
        return f"{self.project} 监督员 {self.pk}"


class Category(models.TextChoices):
    QUALITY = "quality", "工程质量"
    SAFETY = "safety", "施工安全"
    CIVILITY = "civility", "文明施工与环境"
    OTHER = "other", "其他"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待交办"
    ASSIGNED = "assigned", "整改中"
    FIXED = "fixed", "待验证"
    CLOSED = "closed", "已办结"
    DISMISSED = "dismissed", "不予受理"


class Report(models.Model):
    """监督问题: one problem a monitor reported, and where it stands."""

    code = models.CharField("编号", max_length=30, unique=True)
    monitor = models.ForeignKey(Monitor, verbose_name="监督员", on_delete=models.PROTECT, related_name="reports")
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    place = models.CharField("部位", max_length=200, help_text="楼栋、单元、楼层或工地的位置")
    description = models.TextField("问题")
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    content_hash = models.CharField("内容摘要", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    assigned_to = models.ForeignKey(
        Unit, verbose_name="整改单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField("整改期限", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("复查未通过次数", default=0)
    outcome = models.TextField("处理结果", blank=True)
    submitted_at = models.DateTimeField("报告时间")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "监督问题"
        indexes = [
            models.Index(fields=["project", "status"], name="monitor_report_project"),
            models.Index(fields=["status", "due_on"], name="monitor_report_due"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def public(self) -> bool:
        """Published with its outcome once it is closed or dismissed."""
        return self.status in (ReportStatus.CLOSED, ReportStatus.DISMISSED)


class StepKind(models.TextChoices):
    SUBMITTED = "submitted", "监督员报告"
    ASSIGNED = "assigned", "交办整改"
    FIXED = "fixed", "整改完成"
    RETURNED = "returned", "复查未通过"
    CLOSED = "closed", "验证通过"
    DISMISSED = "dismissed", "不予受理"


class Step(models.Model):
    """What happened to a report, when, by whom, with its photos: the report's timeline."""

    report = models.ForeignKey(Report, verbose_name="监督问题", on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("环节", max_length=10, choices=StepKind.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    by_monitor = models.BooleanField("监督员本人", default=False)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField("说明", blank=True)
    photos = models.ManyToManyField(Evidence, verbose_name="照片", blank=True, related_name="monitor_steps")

    class Meta:
        verbose_name = verbose_name_plural = "监督问题环节"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.get_kind_display()}"
