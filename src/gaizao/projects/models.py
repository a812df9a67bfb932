from django.conf import settings
from django.db import models

from gaizao.org.models import Unit


class ProjectKind(models.TextChoices):
    URBAN_VILLAGE = "urban-village", "城中村改造"
    SHANTYTOWN = "shantytown", "棚户区改造"
    EXPROPRIATION = "expropriation", "征收征迁"
    OLD_RESIDENTIAL = "old-residential", "旧住宅区改造"
    OLD_FACTORY = "old-factory", "旧厂区改造"
    VILLAGE_RENEWAL = "village-renewal", "城中村综合整治"


# 三改: renovated in place, without expropriation: no ledger of households, no signing, no land to sell
RENOVATION_KINDS = frozenset({ProjectKind.OLD_RESIDENTIAL, ProjectKind.OLD_FACTORY, ProjectKind.VILLAGE_RENEWAL})


class PipelineStage(models.TextChoices):
    SURVEY = "survey", "调研摸底"
    PLANNING = "planning", "前期方案"
    DECISION = "decision", "征收决定"
    SIGNING = "signing", "签约"
    CLEARING = "clearing", "腾空拆除"
    LAND = "land", "土地收储/出让"
    STARTED = "started", "开工"
    TOPPED_OUT = "topped_out", "封顶"
    COMPLETED = "completed", "竣工"
    RETURNED = "returned", "回迁"


class Campaign(models.Model):
    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="campaigns")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专项行动"

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    code = models.SlugField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=ProjectKind.choices)
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="projects")
    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    boundary = models.JSONField("范围（GeoJSON）", null=True, blank=True)
    freeze_date = models.DateField(
        "征收范围冻结日", null=True, blank=True, help_text="此日之后新建、扩建、改变用途的部分不予补偿。三改项目不设。"
    )
    signing_start = models.DateField("签约期开始", null=True, blank=True)
    signing_end = models.DateField("签约期结束", null=True, blank=True)
    stage = models.CharField("项目阶段", max_length=20, choices=PipelineStage.choices, default=PipelineStage.SURVEY)
    # what is known of a project still in planning (调研摸底, 前期方案): the pipeline page lists it
    estimated_households = models.PositiveIntegerField("预计户数", null=True, blank=True)
    estimated_area = models.DecimalField("预计征收面积（㎡）", max_digits=14, decimal_places=2, null=True, blank=True)
    planned_start = models.DateField("计划启动", null=True, blank=True)
    brief = models.TextField("项目概况", blank=True)
    scope = models.TextField("改造内容", blank=True, help_text="三改项目：改造的楼栋、管网、立面、加装电梯、停车等")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ProjectStageChange(models.Model):
    """A project's move along its pipeline (started, topped out, completed …): dated, by whom, with evidence."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="stage_changes")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    before = models.CharField("原阶段", max_length=20, choices=PipelineStage.choices)
    after = models.CharField("新阶段", max_length=20, choices=PipelineStage.choices)
    on = models.DateField("日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True)
    at = models.DateTimeField("登记时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)
    evidence = models.ForeignKey(
        "core.Evidence", verbose_name="佐证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "项目阶段变更"
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["district", "after", "on"], name="project_stage_district")]

    def __str__(self) -> str:
        return f"{self.project} → {self.get_after_display()}"


class SourceKind(models.TextChoices):
    FISCAL = "fiscal", "财政资金"
    BANK_LOAN = "bank_loan", "银行贷款"
    SPECIAL_BOND = "special_bond", "专项债券"
    MARKET = "market", "社会资本"


class FundingSource(models.Model):
    """Where a project's money comes from: a budget line, a policy-bank loan, a special bond, market capital."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="sources")
    kind = models.CharField("类型", max_length=20, choices=SourceKind.choices)
    name = models.CharField("名称", max_length=100)
    committed = models.DecimalField("额度（元）", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "资金来源"
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="funding_source_name")]
        ordering = ["project", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class InvestmentPlan(models.Model):
    """A project's total investment is the sum of its years; each year has its planned figure."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField("年度")
    planned = models.DecimalField("计划投资（元）", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "年度投资计划"
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="investment_plan_year")]
        ordering = ["project", "year"]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class DisbursementUse(models.TextChoices):
    LAND = "land", "土地收储"
    RESETTLEMENT = "resettlement", "安置房建设"
    CONSTRUCTION = "construction", "工程建设"
    INFRASTRUCTURE = "infrastructure", "配套设施"
    OTHER = "other", "其他"


class Disbursement(models.Model):
    """Money spent from a source on a use (compensation paid to households is counted from the payments)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="disbursements")
    source = models.ForeignKey(FundingSource, verbose_name="资金来源", on_delete=models.PROTECT, related_name="spent")
    use = models.CharField("用途", max_length=20, choices=DisbursementUse.choices)
    on = models.DateField("拨付日期")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    evidence = models.ForeignKey("core.Evidence", verbose_name="凭证", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT)
    at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "资金拨付"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.on} {self.amount}"
