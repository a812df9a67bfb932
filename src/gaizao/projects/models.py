from django.db import models

from gaizao.org.models import Unit


class ProjectKind(models.TextChoices):
    URBAN_VILLAGE = "urban-village", "城中村改造"
    SHANTYTOWN = "shantytown", "棚户区改造"
    EXPROPRIATION = "expropriation", "征收征迁"


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
    freeze_date = models.DateField("征收范围冻结日", help_text="此日之后新建、扩建、改变用途的部分不予补偿。")
    signing_start = models.DateField("签约期开始", null=True, blank=True)
    signing_end = models.DateField("签约期结束", null=True, blank=True)
    stage = models.CharField("项目阶段", max_length=20, choices=PipelineStage.choices, default=PipelineStage.SURVEY)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
