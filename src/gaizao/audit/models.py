from datetime import UTC, datetime

from django.conf import settings
from django.db import models

from gaizao.ledger.models import EventKind
from gaizao.ledger.stages import Stage


class TrailEntry(models.Model):
    """One line of the audit trail (审计日志): append-only, each row's hash chained to the one before.

    The time is kept as integer microseconds and the data as the exact JSON text that was hashed, so
    the chain verifies the same on SQLite and PostgreSQL."""

    seq = models.BigIntegerField("序号", primary_key=True)
    at_us = models.BigIntegerField("时间（微秒）", db_index=True)
    actor_id = models.BigIntegerField("操作人编号", null=True)
    actor = models.CharField("操作人", max_length=150)
    action = models.CharField("动作", max_length=20)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    district_id = models.BigIntegerField("区县编号", null=True)
    ip = models.CharField("来源地址", max_length=45)
    data = models.TextField("内容")
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="trail_object"),
            models.Index(fields=["actor_id", "at_us"], name="trail_actor_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.at_us / 1_000_000, tz=UTC)


class TrailHead(models.Model):
    """The chain's last link, one row: appending locks it, and a truncated trail no longer reaches it."""

    seq = models.BigIntegerField("最后序号", default=0)
    hash = models.CharField("最后哈希", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


# ---- audit rules (纪委's view): findings, the runs that found them, the documents an archive needs --------


class FindingStatus(models.TextChoices):
    OPEN = "open", "待说明"
    EXPLAINED = "explained", "已说明"
    CONFIRMED = "confirmed", "已认定"
    DISMISSED = "dismissed", "已排除"
    RESOLVED = "resolved", "已消除"  # the rules no longer find it (the house demolished, the document uploaded …)


class Severity(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class Finding(models.Model):
    """审计发现: what one rule found about one record, kept once (rule + key) however often the rules run.

    The household it is about gives its place (district, street, holding unit), so that a unit sees the
    findings about its own records with the same filter as its households."""

    rule = models.CharField("规则", max_length=40)
    key = models.CharField("发现标识", max_length=200, help_text="同一规则下标识同一问题，再次运行不重复")
    status = models.CharField("状态", max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    summary = models.CharField("摘要", max_length=300)
    figures = models.JSONField("数据", default=dict, help_text="金额、日期、比对的数值")
    digest = models.CharField("数据摘要", max_length=40, help_text="摘要、严重程度与数据的散列：数据未变则不改写")
    household = models.ForeignKey(
        "ledger.Household", verbose_name="被征收户", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreement = models.ForeignKey(
        "compensation.Agreement",
        verbose_name="协议",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    payment = models.ForeignKey(
        "compensation.Payment",
        verbose_name="支付",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        "org.Unit", verbose_name="区县", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    street = models.ForeignKey(
        "org.Unit", verbose_name="街道", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    holder_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="包户单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    found_on = models.DateField("发现日期")
    resolved_on = models.DateField("消除日期", null=True, blank=True)
    explanation = models.TextField("单位说明", blank=True)
    explanation_evidence = models.ForeignKey(
        "core.Evidence", verbose_name="说明佐证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="说明人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    explained_at = models.DateTimeField("说明时间", null=True, blank=True)
    decision_reason = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计发现"
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="finding_rule_key")]
        indexes = [
            models.Index(fields=["rule", "status"], name="finding_rule_status"),
            models.Index(fields=["district", "rule", "status"], name="finding_district_rule"),
            models.Index(fields=["street", "rule", "status"], name="finding_street_rule"),
            models.Index(fields=["holder_unit", "rule"], name="finding_holder_rule"),
            models.Index(fields=["project", "rule"], name="finding_project_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}#{self.pk} {self.summary[:40]}"


class AuditRun(models.Model):
    """One `gaizao audit run`: for which projects and day, and what each rule found."""

    today = models.DateField("核查日")
    projects = models.JSONField("项目", default=list, help_text="项目编号；空为全部项目")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间")
    counts = models.JSONField("各规则结果", default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="运行人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "审计规则运行"

    def __str__(self) -> str:
        return f"{self.today} {self.started_at:%H:%M}"


class RequiredDocument(models.Model):
    """档案应有的材料: a household that has reached `stage` must have it among the evidence of its events.

    A document is an event carrying evidence: of `event_kind` (a stage change into `stage`, a payment, an
    uploaded file …) and, when `keyword` is set, whose note contains it (the name written when uploading)."""

    stage = models.CharField("阶段", max_length=12, choices=Stage.choices)
    name = models.CharField("材料名称", max_length=60)
    event_kind = models.CharField("所附事件", max_length=10, choices=EventKind.choices, default=EventKind.STAGE)
    keyword = models.CharField("说明中须含", max_length=60, blank=True, help_text="上传佐证时在说明中写明的材料名称")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "档案必备材料"
        constraints = [models.UniqueConstraint(fields=["stage", "name"], name="required_document_unique")]
        ordering = ["stage", "name"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.name}"


# ---- payment verification by sampling (抽样核对支付) ---------------------------------------------------


class PaymentSample(models.Model):
    """A reproducible random draw of payments to check against the bank: the seed, size and filters are kept,
    with a digest of the population drawn from, so the same draw can be made again and compared."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_from = models.DateField("支付日期自", null=True, blank=True)
    paid_to = models.DateField("支付日期至", null=True, blank=True)
    size = models.PositiveIntegerField("样本量")
    seed = models.CharField("随机种子", max_length=64)
    population = models.PositiveIntegerField("总体笔数")
    population_digest = models.CharField("总体摘要", max_length=64, help_text="总体各笔支付编号的 SHA-256")
    note = models.TextField("说明", blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽样人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽样时间")

    class Meta:
        verbose_name = verbose_name_plural = "支付抽样"
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"抽样 {self.drawn_at:%Y-%m-%d} 种子 {self.seed}"


class SampleOutcome(models.TextChoices):
    PENDING = "pending", "待核对"
    MATCHES = "matches", "相符"
    DIFFERS = "differs", "不符"
    NOT_FOUND = "not_found", "银行无记录"


class SampledPayment(models.Model):
    sample = models.ForeignKey(PaymentSample, verbose_name="抽样", on_delete=models.CASCADE, related_name="items")
    payment = models.ForeignKey("compensation.Payment", verbose_name="支付", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("抽中顺序")
    outcome = models.CharField("核对结果", max_length=10, choices=SampleOutcome.choices, default=SampleOutcome.PENDING)
    note = models.TextField("核对说明", blank=True)
    evidence = models.ForeignKey(
        "core.Evidence", verbose_name="银行记录佐证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核对人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField("核对时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽中的支付"
        constraints = [models.UniqueConstraint(fields=["sample", "payment"], name="sampled_payment_unique")]
        ordering = ["sample", "position"]

    def __str__(self) -> str:
        return f"{self.sample_id}#{self.position} {self.get_outcome_display()}"
