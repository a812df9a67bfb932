from django.conf import settings
from django.db import models

from gaizao.core.models import Evidence
from gaizao.org.models import Official, Unit
from gaizao.progress.schedule import Spec
from gaizao.projects.models import Project


class Indicator(models.Model):
    """What is counted: a formula over the ledger's daily tallies (ledger/tally.py Measure)."""

    code = models.SlugField("编号", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    unit_label = models.CharField("计量单位", max_length=10)
    formula = models.CharField("计算公式", max_length=300, help_text="台账统计项的算式，如 signed + decided")
    places = models.PositiveSmallIntegerField("小数位", default=0)
    district = models.ForeignKey(
        Unit,
        verbose_name="自定义区县",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="空：内置指标，各区通用",
    )
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "指标"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit_label}）"


class Target(models.Model):
    """目标任务: an indicator's figure for a unit (and optionally one project) over a period."""

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="targets")
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, null=True, blank=True, related_name="targets"
    )
    start = models.DateField("开始日期")
    end = models.DateField("完成时限")
    value = models.DecimalField("目标值", max_digits=16, decimal_places=2)
    parent = models.ForeignKey(
        "self", verbose_name="分解自", on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    yellow_gap = models.DecimalField(
        "黄灯阈值（百分点）",
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text="完成率落后时序进度不足此值为黄灯，超过为红灯",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="下达人", on_delete=models.PROTECT, null=True)
    set_at = models.DateTimeField("下达时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "目标任务"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "project", "start", "end"], name="target_unique_per_period"
            ),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="target_end_after_start"),
        ]
        ordering = ["end", "indicator__order", "unit__path"]

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator.name} {self.value}"


class ResponsibilityAgreement(models.Model):
    """责任书: a unit's targets for a period, signed by its leader at the mobilisation meeting."""

    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="agreements")
    leader = models.ForeignKey(
        Official, verbose_name="责任领导", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leader_name = models.CharField("责任人", max_length=50)
    title = models.CharField("标题", max_length=100)
    start = models.DateField("开始日期")
    end = models.DateField("完成时限")
    duties = models.TextField("工作职责", blank=True)
    targets = models.ManyToManyField(Target, verbose_name="目标任务", related_name="agreements")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField("起草时间", auto_now_add=True)
    signed_on = models.DateField("签订日期", null=True, blank=True)
    signed_evidence = models.ForeignKey(
        Evidence, verbose_name="签字盖章件", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "目标责任书"
        ordering = ["-start", "unit__path"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """时间节点: one step of a project's battle plan, scheduled backwards from its deadline (schedule.py)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("节点名称", max_length=60)
    duration = models.PositiveIntegerField("工期（天）")
    depends_on = models.ManyToManyField(
        "self", verbose_name="前置节点", symmetrical=False, blank=True, related_name="followers"
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    not_before = models.DateField("最早开工", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, null=True, blank=True, related_name="milestones"
    )
    leader_name = models.CharField("责任人", max_length=50, blank=True)
    started_on = models.DateField("实际开始", null=True, blank=True)
    done_on = models.DateField("实际完成", null=True, blank=True)
    evidence = models.ForeignKey(
        Evidence, verbose_name="完成佐证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "时间节点"
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="milestone_name_unique")]
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.name

    def spec(self) -> Spec:
        return Spec(
            key=self.pk,
            name=self.name,
            duration=self.duration,
            depends=tuple(d.pk for d in self.depends_on.all()),
            deadline=self.deadline,
            not_before=self.not_before,
            started_on=self.started_on,
            done_on=self.done_on,
        )


class ProgressEvent(models.Model):
    """Every change to targets, agreements and milestones: who, when, what, the evidence."""

    kind = models.CharField("类型", max_length=30)
    at = models.DateTimeField("时间", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, null=True, related_name="+")
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, null=True, related_name="+")
    subject = models.CharField("对象", max_length=100)
    changes = models.JSONField("变更", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    evidence = models.ForeignKey(Evidence, verbose_name="佐证", on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "进度事件"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"


class DailyReport(models.Model):
    """一天一汇报: a unit's day: the figures from the ledger, and in its own words what numbers cannot say."""

    unit = models.ForeignKey(Unit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="daily_reports")
    day = models.DateField("日期")
    figures = models.JSONField("当日数据", default=dict, help_text="由台账事件自动生成")
    problems = models.TextField("存在问题", blank=True)
    help_needed = models.TextField("需协调事项", blank=True)
    plan_tomorrow = models.TextField("明日计划", blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT)
    filed_at = models.DateTimeField("报送时间")
    late = models.BooleanField("迟报", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "日报"
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="daily_report_once")]
        ordering = ["-day", "unit__path"]

    def __str__(self) -> str:
        return f"{self.unit} {self.day}"


class Summary(models.Model):
    """三天一总结: put together from three days of reports and figures, edited and published by the office."""

    unit = models.ForeignKey(Unit, verbose_name="汇总单位", on_delete=models.PROTECT, related_name="summaries")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    body = models.TextField("正文")
    drafted_at = models.DateTimeField("生成时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "三日总结"
        constraints = [models.UniqueConstraint(fields=["unit", "end"], name="summary_once_per_period")]
        ordering = ["-end"]

    def __str__(self) -> str:
        return f"{self.unit} {self.start}～{self.end}"


class Meeting(models.Model):
    """每周一调度: the weekly dispatch meeting; its agenda is built from what is red, its decisions become actions."""

    unit = models.ForeignKey(Unit, verbose_name="召集单位", on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("会议日期")
    title = models.CharField("会议名称", max_length=100)
    agenda = models.JSONField("议题", default=list, help_text="生成时红灯的目标、节点，缺报的日报，逾期的事项")
    minutes = models.TextField("会议纪要", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "调度会"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"


class ActionItem(models.Model):
    """A meeting's decision: what, who answers for it, by when; closed with what was done and its evidence."""

    meeting = models.ForeignKey(Meeting, verbose_name="调度会", on_delete=models.PROTECT, related_name="actions")
    text = models.TextField("事项")
    owner = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="actions")
    owner_name = models.CharField("责任人", max_length=50, blank=True)
    deadline = models.DateField("办结时限")
    status = models.CharField("状态", max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    outcome = models.TextField("办理结果", blank=True)
    evidence = models.ForeignKey(Evidence, verbose_name="佐证", on_delete=models.PROTECT, null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办结人", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "调度事项"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="action_status_deadline")]

    def __str__(self) -> str:
        return self.text[:40]


class Contest(models.Model):
    """晒一晒、比一比: units ranked by a weighted score over indicators' completion rates (a season's contest)."""

    unit = models.ForeignKey(Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="contests")
    name = models.CharField("名称", max_length=100)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    weights = models.JSONField("权重", help_text='指标编号 → 权重，如 {"households-signed": 60, "area-demolished": 40}')
    by_project = models.BooleanField(
        "按项目评比", default=False, help_text="否：比各单位（街道、协保单位）；是：比各项目"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "竞赛评比"
        ordering = ["-end", "name"]

    def __str__(self) -> str:
        return self.name


class Bulletin(models.Model):
    """通报: a contest's ranking on a day, frozen when published, naming the top and the bottom."""

    contest = models.ForeignKey(Contest, verbose_name="竞赛评比", on_delete=models.PROTECT, related_name="bulletins")
    on = models.DateField("截至日期")
    ranking = models.JSONField("排名", help_text="发布时的排名快照")
    remarks = models.TextField("点评", blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报"
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.contest} {self.on}"


class Place(models.Model):
    """Where a household is on the battle map: a point, or a building outline (kept) with its centre (drawn)."""

    household = models.OneToOneField(
        "ledger.Household", verbose_name="被征收户", on_delete=models.CASCADE, primary_key=True, related_name="place"
    )
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="+")
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    outline = models.JSONField("房屋轮廓（GeoJSON）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "户位置"
        indexes = [models.Index(fields=["project"], name="place_project")]

    def __str__(self) -> str:
        return f"{self.lon:.6f},{self.lat:.6f}"
