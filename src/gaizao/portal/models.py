"""The public side (阳光征收): what the office publishes for a project, the households' own sign-in, and the
objections a household raises against its published survey figures. See docs/portal.md."""

from django.conf import settings
from django.db import models

from gaizao.ledger.models import Household
from gaizao.org.models import Unit
from gaizao.projects.models import Project


class PublicationKind(models.TextChoices):
    SURVEY = "survey", "调查结果公示"  # 条例第十五条
    RESULTS = "results", "分户补偿情况公布"  # 条例第二十九条


class Publication(models.Model):
    """One publication, frozen when made: a later change is a new publication that supersedes it, never an edit."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="publications")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=PublicationKind.choices)
    number = models.PositiveSmallIntegerField("第几次公布")
    published_on = models.DateField("公布日期")
    objection_until = models.DateField("公示期至", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    summary = models.JSONField("汇总", default=dict)
    rows = models.PositiveIntegerField("户数", default=0)
    digest = models.CharField("内容摘要（SHA-256）", max_length=64)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = verbose_name_plural = "公示公布"
        constraints = [models.UniqueConstraint(fields=["project", "kind", "number"], name="publication_number_unique")]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()} 第{self.number}次"


class PublishedRow(models.Model):
    """One household's line of a publication, masked on the server before it was stored."""

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    seq = models.PositiveIntegerField("序号")
    household = models.ForeignKey(
        Household, verbose_name="被征收户", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    number = models.CharField("户号", max_length=40)
    name = models.CharField("户主（遮蔽）", max_length=50)
    figures = models.JSONField("公布的数字")

    class Meta:
        verbose_name = verbose_name_plural = "公示明细"
        constraints = [models.UniqueConstraint(fields=["publication", "seq"], name="published_row_seq")]
        indexes = [models.Index(fields=["household", "publication"], name="published_row_household")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class CaseCode(models.Model):
    """案件码: printed on the household's notice; with the owner's ID number it opens the household's own file.
    Only its keyed hash is kept: the office reads a code once, when it issues or resets it."""

    household = models.OneToOneField(Household, verbose_name="被征收户", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField("案件码摘要", max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发放人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField("发放时间")

    class Meta:
        verbose_name = verbose_name_plural = "案件码"
        indexes = [models.Index(fields=["code_hash"], name="case_code_hash")]

    def __str__(self) -> str:
        return f"{self.household_id}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待答复"
    UPHELD = "upheld", "已更正"
    REJECTED = "rejected", "维持原结果"


class Objection(models.Model):
    """异议: a household's objection to its own published survey figures, within the publication's period."""

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.PROTECT, related_name="objections"
    )
    household = models.ForeignKey(Household, verbose_name="被征收户", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    figure = models.CharField("异议的项目", max_length=40)
    claim = models.TextField("异议内容")
    at = models.DateTimeField("提出时间")
    status = models.CharField("状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示异议"

    def __str__(self) -> str:
        return f"{self.household} {self.figure}"
