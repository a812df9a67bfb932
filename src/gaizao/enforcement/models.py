"""Illegal-building control (控违拆违): cases from discovery to removal, each step dated with its evidence, and the
survey layers compared to find new buildings. See docs/enforcement.md."""

from django.conf import settings
from django.db import models

from gaizao.core.fields import EncryptedCharField
from gaizao.core.models import Evidence
from gaizao.org.models import Unit


class CaseSource(models.TextChoices):
    PATROL = "patrol", "巡查发现"
    TIPOFF = "tipoff", "群众举报"
    MEDIA = "media", "媒体曝光"
    REFERRAL = "referral", "上级督办"
    SURVEY = "survey", "图斑比对"


class CaseKind(models.TextChoices):
    STOCK = "stock", "存量违建"
    NEW = "new", "新增违建"


class CaseStatus(models.TextChoices):
    CANDIDATE = "candidate", "待核实"  # a survey comparison's find, until someone has looked on site
    FOUND = "found", "已发现"
    STOPPED = "stopped", "已制止"
    DEMOLISHED = "demolished", "已拆除"
    DISMISSED = "dismissed", "不予立案"


class StepKind(models.TextChoices):
    """The four firsts (发现、制止、拆除、问责) and the legal procedure between them."""

    FOUND = "found", "发现立案"
    STOPPED = "stopped", "责令停止建设"
    NOTICE = "notice", "限期拆除决定"
    REMINDER = "reminder", "催告"
    DECISION = "decision", "强制拆除决定"
    ANNOUNCEMENT = "announcement", "强制拆除公告"
    DEMOLISHED = "demolished", "拆除"
    ACCOUNTABILITY = "accountability", "启动问责"
    CONFIRMED = "confirmed", "核实立案"
    DISMISSED = "dismissed", "不予立案"
    EDITED = "edited", "修改案件信息"


# The documents a removal by force needs, in their order (procedure.py)
PROCEDURE_STEPS = (StepKind.NOTICE, StepKind.REMINDER, StepKind.DECISION, StepKind.ANNOUNCEMENT)


class RemovalMethod(models.TextChoices):
    SELF = "self", "自行拆除"
    FORCED = "forced", "强制拆除"


class Case(models.Model):
    """违建案件: one illegal building (or extension), where it stands, whose it is, and how far it has got."""

    code = models.CharField("案件编号", max_length=30, unique=True)
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name="属地街道（乡镇）", on_delete=models.PROTECT, related_name="illegal_cases"
    )
    village = models.ForeignKey(
        Unit, verbose_name="村（社区）", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField("来源", max_length=10, choices=CaseSource.choices)
    kind = models.CharField("类别", max_length=10, choices=CaseKind.choices)
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices)
    location = models.CharField("位置", max_length=200)
    outline = models.JSONField("轮廓（GeoJSON）", null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    footprint_area = models.DecimalField("占地面积（㎡）", max_digits=12, decimal_places=2)
    floors = models.PositiveSmallIntegerField("层数", default=1)
    area = models.DecimalField("建筑面积（㎡）", max_digits=12, decimal_places=2)
    land_area = models.DecimalField(
        "所在宗地面积（㎡）", max_digits=12, decimal_places=2, null=True, blank=True, help_text="违建所占土地的面积"
    )
    owner_name = models.CharField("当事人", max_length=100, blank=True)
    description = models.TextField("情况", blank=True)
    found_on = models.DateField("发现日期")
    deadline = models.DateField("限期拆除日期", null=True, blank=True)
    removed_area = models.DecimalField("拆除面积（㎡）", max_digits=12, decimal_places=2, null=True, blank=True)
    removed_on = models.DateField("拆除日期", null=True, blank=True)
    removal_method = models.CharField("拆除方式", max_length=10, choices=RemovalMethod.choices, blank=True)
    survey = models.ForeignKey(
        "SurveyComparison", verbose_name="图斑比对", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, help_text="群众举报为空"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "违建案件"
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["district", "status", "found_on"], name="case_district_status"),
            models.Index(fields=["unit", "status", "found_on"], name="case_unit_status"),
            models.Index(fields=["district", "removed_on"], name="case_district_removed"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.location}"


class CaseStep(models.Model):
    """A dated step of a case, who recorded it and its evidence (a photo, a served document)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="steps")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("环节", max_length=15, choices=StepKind.choices)
    at = models.DateTimeField("时间")
    document_no = models.CharField("文书编号", max_length=60, blank=True)
    deadline = models.DateField("期限", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    evidence = models.ForeignKey(
        Evidence, verbose_name="佐证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    after_evidence = models.ForeignKey(
        Evidence, verbose_name="拆后照片", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField("修改内容", default=dict, blank=True, help_text="{字段: [修改前, 修改后]}")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "违建处置环节"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="step_case_kind")]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_kind_display()}"


class SurveyState(models.TextChoices):
    QUEUED = "queued", "排队"
    RUNNING = "running", "比对中"
    DONE = "done", "完成"
    FAILED = "failed", "失败"


class SurveyComparison(models.Model):
    """Two survey layers (GeoJSON outlines at two dates) compared over an area: its new outlines became cases.

    The upload queues it; a background thread (surveys.py) reads the two files, compares them and registers the
    cases, writing how far it has got in `progress`. A failed comparison keeps every problem and made no case."""

    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name="比对范围（单位）", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=SurveyState.choices, default=SurveyState.QUEUED)
    progress = models.CharField("进度", max_length=200, blank=True)
    problems = models.JSONField("问题", default=list, blank=True)
    before_file = models.FileField("前期图层文件", upload_to="surveys/%Y/%m/", blank=True)
    before_name = models.CharField("前期图层", max_length=255)
    before_sha256 = models.CharField("前期图层 SHA-256", max_length=64, blank=True)
    before_on = models.DateField("前期影像日期")
    after_file = models.FileField("后期图层文件", upload_to="surveys/%Y/%m/", blank=True)
    after_name = models.CharField("后期图层", max_length=255)
    after_sha256 = models.CharField("后期图层 SHA-256", max_length=64, blank=True)
    after_on = models.DateField("后期影像日期")
    within = models.JSONField("比对区域（GeoJSON）", null=True, blank=True)
    before_count = models.PositiveIntegerField("前期图斑数", default=0)
    after_count = models.PositiveIntegerField("后期图斑数", default=0)
    found = models.PositiveIntegerField("疑似新增", default=0)
    seconds = models.DecimalField("用时（秒）", max_digits=8, decimal_places=2, null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="比对人", on_delete=models.PROTECT)
    at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始比对", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "图斑比对"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.before_name} → {self.after_name}"

    @property
    def finished(self) -> bool:
        return self.state in (SurveyState.DONE, SurveyState.FAILED)


class ReuseKind(models.TextChoices):
    GREENING = "greening", "绿化美化"
    PARKING = "parking", "停车场"
    HIGHLIGHT = "highlight", "亮点项目"
    FARMING = "farming", "复垦复绿"
    PUBLIC = "public", "公共设施"
    OTHER = "other", "其他"


class LandReuse(models.Model):
    """拆后利用: what the land freed by a removal becomes, and how far it has got."""

    case = models.OneToOneField(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="reuse")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name="属地街道（乡镇）", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("用途", max_length=10, choices=ReuseKind.choices)
    area = models.DecimalField("利用面积（㎡）", max_digits=12, decimal_places=2)
    plan = models.TextField("方案")
    due = models.DateField("计划完成")
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    done_on = models.DateField("完成日期", null=True, blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="规划人", on_delete=models.PROTECT)
    planned_at = models.DateTimeField("规划时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "拆后利用"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_kind_display()}"


class ReuseReport(models.Model):
    reuse = models.ForeignKey(LandReuse, verbose_name="拆后利用", on_delete=models.CASCADE, related_name="reports")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    note = models.TextField("进展", blank=True)
    evidence = models.ForeignKey(Evidence, verbose_name="现场照片", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT)
    at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "拆后利用进展"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.reuse} {self.percent}%"


class Creation(models.Model):
    """无违建创建: a village, a town (street) or the county working to be named "no illegal building" in a year,
    pre-accepted against a checklist (supervision's pre-acceptance) once its figures allow."""

    unit = models.ForeignKey(Unit, verbose_name="创建单位", on_delete=models.PROTECT, related_name="creations")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("创建年度")
    checklist = models.ForeignKey(
        "supervision.Checklist", verbose_name="验收清单", on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField("申报预验收日期", null=True, blank=True)
    named_on = models.DateField("命名日期", null=True, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="部署人", on_delete=models.PROTECT)
    declared_at = models.DateTimeField("部署时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "无违建创建"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="creation_unit_year")]
        ordering = ["year", "unit__path"]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}"


class TipOff(models.Model):
    """群众举报: a building reported from the public portal. It waits as a case 待核实 until the street has looked;
    the reporter follows it with the case code and the follow code given at reporting."""

    case = models.OneToOneField(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="tipoff")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    reporter_phone = EncryptedCharField("举报人电话", max_length=20, blank=True)
    follow_hash = models.CharField("查询码摘要", max_length=64)
    content_hash = models.CharField("内容摘要", max_length=64, db_index=True)
    evidence = models.ForeignKey(Evidence, verbose_name="现场照片", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("举报时间")

    class Meta:
        verbose_name = verbose_name_plural = "群众举报"

    def __str__(self) -> str:
        return f"{self.case}"
