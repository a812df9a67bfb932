"""信访: petitions from the web, from households' own files, and from letters, visits and calls the office enters;
answered within the legal time, rated by the petitioner, counted into each project's stability risk.
See docs/petitions.md."""

from django.conf import settings
from django.db import models

from gaizao.core.fields import EncryptedCharField, KeyedHashField
from gaizao.ledger.models import Household
from gaizao.org.models import Unit
from gaizao.projects.models import Project


class Channel(models.TextChoices):
    WEB = "web", "网上信访"
    HOUSEHOLD = "household", "本户档案反映"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PHONE = "phone", "来电"


class Theme(models.TextChoices):
    COMPENSATION = "compensation", "补偿标准与金额"
    SURVEY = "survey", "调查与面积认定"
    RESETTLEMENT = "resettlement", "安置房与过渡"
    DEMOLITION = "demolition", "拆迁行为"
    QUALITY = "quality", "工程质量与安全"
    INTEGRITY = "integrity", "干部作风与廉洁"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    RECEIVED = "received", "已受理"
    ASSIGNED = "assigned", "已交办"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Petition(models.Model):
    code = models.CharField("信访编号", max_length=30, unique=True)
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, null=True, blank=True, related_name="petitions"
    )
    household = models.ForeignKey(
        Household, verbose_name="被征收户", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    about = models.ForeignKey(
        Unit, verbose_name="反映的单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    theme = models.CharField("类别", max_length=15, choices=Theme.choices)
    content = models.TextField("反映内容")
    reporter_name = EncryptedCharField("信访人", max_length=50, blank=True)
    reporter_phone = EncryptedCharField("联系电话", max_length=20, blank=True)
    reporter_hash = KeyedHashField("联系电话摘要", source="reporter_phone")  # finds the same petitioner again
    content_hash = models.CharField("内容摘要", max_length=64, db_index=True)
    follow_hash = models.CharField("查询码摘要", max_length=64, blank=True)
    received_on = models.DateField("受理日期")
    due_on = models.DateField("答复期限")
    extended = models.BooleanField("已延期", default=False)
    extension_reason = models.TextField("延期理由", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    answer = models.TextField("答复意见", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    satisfaction = models.CharField("评价", max_length=12, choices=Satisfaction.choices, blank=True)
    repeat_of = models.ForeignKey(
        "self", verbose_name="重复信访（首次）", on_delete=models.PROTECT, null=True, blank=True, related_name="repeats"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = verbose_name_plural = "信访件"
        indexes = [
            models.Index(fields=["district", "received_on"], name="petition_district_day"),
            models.Index(fields=["project", "received_on"], name="petition_project_day"),
            models.Index(fields=["reporter_hash"], name="petition_reporter"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def repeated(self) -> bool:
        return self.repeat_of_id is not None
