from decimal import Decimal

from django.conf import settings
from django.db import models

from gaizao.core.fields import EncryptedCharField, KeyedHashField
from gaizao.core.masking import mask_account
from gaizao.projects.models import Project


class StandardStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已公布"


class Standard(models.Model):
    """补偿方案: one version of a project's published compensation rules, kept as its TOML text."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="standards")
    version = models.CharField("版本", max_length=40)
    name = models.CharField("方案名称", max_length=200)
    source = models.TextField("方案文本（TOML）")
    status = models.CharField("状态", max_length=10, choices=StandardStatus.choices, default=StandardStatus.DRAFT)
    published_on = models.DateField("公布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公布人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "补偿方案"
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="standard_version_unique")]
        ordering = ["project", "-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    SIGNED = "signed", "已签订"
    VOID = "void", "已作废"


class Computed(models.Model):
    """What an agreement and a decision share: the household, the standard version, the choice, and the
    facts and lines as they were computed, frozen."""

    household = models.ForeignKey(
        "ledger.Household", verbose_name="被征收户", on_delete=models.PROTECT, related_name="%(class)ss"
    )
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("org.Unit", verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    standard = models.ForeignKey(Standard, verbose_name="补偿方案版本", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(
        "补偿方式", max_length=10, choices=[("money", "货币补偿"), ("swap", "产权调换"), ("voucher", "房票")]
    )
    facts = models.JSONField("计算时的房屋与人口情况")
    lines = models.JSONField("补偿明细")
    total = models.DecimalField("补偿总额（元）", max_digits=16, decimal_places=2)

    class Meta:
        abstract = True


class Agreement(Computed):
    """补偿协议: the standard version, the household's facts, the choice and the computed lines, frozen.

    Its contents cover Article 25 of the 2011 regulation: method, amount and payment term; the swap
    flat's location and area; relocation and temporary-resettlement fees; business loss (among the
    lines); the moving deadline; the transition method and period."""

    status = models.CharField("状态", max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    circumstances = models.JSONField("签约日期、安置房等")
    payment_days = models.PositiveSmallIntegerField("付款期限（签约后天数）", default=30)
    moving_deadline = models.DateField("搬迁期限")
    transition = models.CharField("过渡方式", max_length=100, blank=True)
    flat_description = models.CharField("产权调换房屋（坐落、面积）", max_length=200, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField("起草时间", auto_now_add=True)
    sequence_no = models.PositiveIntegerField("签约顺序号", null=True, blank=True)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    signed_at = models.DateTimeField("签约时间", null=True, blank=True)
    signed_address = models.CharField("签约地点", max_length=200, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.FileField("签订的协议文本（PDF）", upload_to="agreements/%Y/", blank=True)
    document_sha256 = models.CharField("协议文本 SHA-256", max_length=64, blank=True)
    signature = models.FileField("签名图像", upload_to="signatures/%Y/", blank=True)
    void_reason = models.TextField("作废理由", blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "补偿协议"
        constraints = [
            models.UniqueConstraint(fields=["project", "sequence_no"], name="agreement_sequence_unique"),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status__in=["draft", "signed"]),
                name="one_live_agreement_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}-{self.sequence_no or '草拟'}"

    @property
    def standard_total(self) -> Decimal:
        return sum((Decimal(line["standard_amount"]) for line in self.lines if line["in_total"]), Decimal(0))


class ExceptionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class AgreementException(models.Model):
    """An amount that differs from the standard: needs a reason and another official's approval."""

    agreement = models.ForeignKey(Agreement, verbose_name="协议", on_delete=models.CASCADE, related_name="exceptions")
    line = models.CharField("补偿项", max_length=60)
    standard_amount = models.DecimalField("按方案金额", max_digits=16, decimal_places=2)
    amount = models.DecimalField("协议金额", max_digits=16, decimal_places=2)
    reason = models.TextField("理由")
    status = models.CharField("状态", max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.PENDING)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField("提出时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "协议例外"

    def __str__(self) -> str:
        return f"{self.line}: {self.standard_amount} → {self.amount}"


class PaymentKind(models.TextChoices):
    COMPENSATION = "compensation", "补偿款"
    TEMPORARY = "temporary", "临时安置费"
    VOUCHER = "voucher", "房票"


class Payment(models.Model):
    """A payment to the household. Posted once, never edited: a mistake is corrected by a reversal."""

    agreement = models.ForeignKey(Agreement, verbose_name="协议", on_delete=models.PROTECT, related_name="payments")
    household = models.ForeignKey(
        "ledger.Household", verbose_name="被征收户", on_delete=models.PROTECT, related_name="payments"
    )
    district = models.ForeignKey("org.Unit", verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("款项", max_length=20, choices=PaymentKind.choices, default=PaymentKind.COMPENSATION)
    payee = models.CharField("收款人", max_length=50)
    account = EncryptedCharField("收款账号", max_length=40)
    account_hash = KeyedHashField("收款账号摘要", source="account")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    paid_on = models.DateField("支付日期")
    voucher = models.ForeignKey(
        "core.Evidence", verbose_name="支付凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request_key = models.CharField("提交标识", max_length=64, unique=True)
    reverses = models.OneToOneField(
        "self", verbose_name="冲销的支付", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    reason = models.TextField("说明", blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "支付"
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def masked_account(self) -> str:
        """A bank account shows its last four digits; a voucher's "account" is its number, not personal data."""
        return self.account if self.kind == PaymentKind.VOUCHER else mask_account(self.account)


class Decision(Computed):
    """补偿决定: after the signing period, for a household without an agreement; computed by the same
    standard, published (Art. 26). It lets the move go ahead like a paid agreement (先补偿、后搬迁 is then
    met by the deposit the decision orders)."""

    decided_on = models.DateField("决定日期")
    published_on = models.DateField("公布日期")
    document = models.FileField("补偿决定书（PDF）", upload_to="decisions/%Y/")
    document_sha256 = models.CharField("决定书 SHA-256", max_length=64)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "补偿决定"

    def __str__(self) -> str:
        return f"{self.household} {self.decided_on}"


class FlatState(models.TextChoices):
    AVAILABLE = "available", "可选"
    CHOSEN = "chosen", "已选"
    HANDED_OVER = "handed_over", "已交付"


class Flat(models.Model):
    """安置房: one flat of a project's resettlement buildings."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="flats")
    building = models.CharField("楼栋", max_length=20)
    unit = models.CharField("单元", max_length=10, blank=True)
    floor = models.SmallIntegerField("楼层")
    number = models.CharField("房号", max_length=20)
    area = models.DecimalField("建筑面积（㎡）", max_digits=8, decimal_places=2)
    price = models.DecimalField("单价（元/㎡）", max_digits=10, decimal_places=2)
    state = models.CharField("状态", max_length=12, choices=FlatState.choices, default=FlatState.AVAILABLE)
    agreement = models.OneToOneField(
        Agreement, verbose_name="协议", on_delete=models.PROTECT, null=True, blank=True, related_name="flat"
    )
    chosen_at = models.DateTimeField("选房时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "安置房"
        constraints = [
            models.UniqueConstraint(fields=["project", "building", "unit", "number"], name="flat_unique"),
        ]
        ordering = ["building", "unit", "floor", "number"]

    def __str__(self) -> str:
        return f"{self.building}栋{self.unit and self.unit + '单元'}{self.number}（{self.area}㎡）"


class ChoosingMethod(models.TextChoices):
    SEQUENCE = "sequence", "按签约顺序号"
    LOTTERY = "lottery", "公开摇号"


class ChoosingSession(models.Model):
    """选房: who chooses when — the signing order, or a lottery whose seed is published."""

    project = models.OneToOneField(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="choosing")
    method = models.CharField("选房顺序", max_length=10, choices=ChoosingMethod.choices)
    seed = models.CharField("摇号种子（公布）", max_length=100, blank=True)
    order = models.JSONField("选房顺序（户号）")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("开始时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "选房"

    def __str__(self) -> str:
        return f"{self.project} {self.get_method_display()}"


class ListedHousing(models.Model):
    """房票可用房源: housing the office lists for vouchers."""

    project = models.ForeignKey(
        Project, verbose_name="征收项目", on_delete=models.PROTECT, related_name="listed_housing"
    )
    name = models.CharField("楼盘", max_length=100)
    developer = models.CharField("开发企业", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "房票可用房源"

    def __str__(self) -> str:
        return self.name


class Voucher(models.Model):
    """房票: issued against a voucher agreement (it counts as paid), used on listed housing before it
    expires; what is left at expiry is cashed out."""

    agreement = models.OneToOneField(Agreement, verbose_name="协议", on_delete=models.PROTECT, related_name="voucher")
    number = models.CharField("房票编号", max_length=40, unique=True)
    amount = models.DecimalField("面额（元）", max_digits=16, decimal_places=2)
    issued_on = models.DateField("开具日期")
    valid_until = models.DateField("有效期至")
    payment = models.OneToOneField(Payment, verbose_name="记为支付", on_delete=models.PROTECT, related_name="+")
    cashed_out = models.DecimalField("到期兑付（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    cashed_out_on = models.DateField("兑付日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "房票"

    def __str__(self) -> str:
        return self.number


class VoucherUse(models.Model):
    voucher = models.ForeignKey(Voucher, verbose_name="房票", on_delete=models.PROTECT, related_name="uses")
    housing = models.ForeignKey(ListedHousing, verbose_name="房源", on_delete=models.PROTECT, related_name="+")
    flat = models.CharField("所购房屋", max_length=100)
    amount = models.DecimalField("使用金额（元）", max_digits=16, decimal_places=2)
    used_on = models.DateField("使用日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "房票使用"

    def __str__(self) -> str:
        return f"{self.voucher} {self.amount}"


class AppraisalAgency(models.Model):
    name = models.CharField("评估机构", max_length=100, unique=True)
    qualification = models.CharField("资质证书编号", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评估机构"

    def __str__(self) -> str:
        return self.name


class SelectionMethod(models.TextChoices):
    AGREEMENT = "agreement", "被征收人协商选定"
    VOTE = "vote", "多数决定"
    LOTTERY = "lottery", "随机选定（摇号）"


class AgencySelection(models.Model):
    """The households choose the appraisal agency: by agreement, else by a vote or a recorded lottery."""

    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="agency_selection"
    )
    agency = models.ForeignKey(
        AppraisalAgency, verbose_name="选定的评估机构", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("方式", max_length=10, choices=SelectionMethod.choices)
    record = models.JSONField("过程记录（票数、摇号种子与候选）", default=dict)
    decided_on = models.DateField("选定日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="组织人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "评估机构选定"

    def __str__(self) -> str:
        return f"{self.project}：{self.agency}"


class AgencyVote(models.Model):
    """评估机构投票: the households vote from their own files for one of the candidates, between two dates; the
    office closes it and the majority's agency is the selection (征收评估办法第四条)."""

    project = models.OneToOneField(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="agency_vote")
    candidates = models.ManyToManyField(AppraisalAgency, verbose_name="候选评估机构", related_name="+")
    opens_on = models.DateField("投票开始")
    closes_on = models.DateField("投票截止")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间")

    class Meta:
        verbose_name = verbose_name_plural = "评估机构投票"

    def __str__(self) -> str:
        return f"{self.project} 评估机构投票"


class AgencyBallot(models.Model):
    """One household's vote; it may change it until the vote closes."""

    vote = models.ForeignKey(AgencyVote, verbose_name="投票", on_delete=models.CASCADE, related_name="ballots")
    household = models.ForeignKey(
        "ledger.Household", verbose_name="被征收户", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(AppraisalAgency, verbose_name="所投机构", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("投票时间")

    class Meta:
        verbose_name = verbose_name_plural = "评估机构选票"
        constraints = [models.UniqueConstraint(fields=["vote", "household"], name="agency_ballot_once")]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.agency_id}"


class Appraisal(models.Model):
    household = models.ForeignKey(
        "ledger.Household", verbose_name="被征收户", on_delete=models.PROTECT, related_name="appraisals"
    )
    agency = models.ForeignKey(AppraisalAgency, verbose_name="评估机构", on_delete=models.PROTECT, related_name="+")
    valuation_date = models.DateField("估价时点（征收决定公告日）")
    house_value = models.DecimalField("房屋价值（元）", max_digits=16, decimal_places=2)
    delivered_on = models.DateField("送达日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "分户评估"

    def __str__(self) -> str:
        return f"{self.household} {self.house_value}"


class AppraisalReview(models.Model):
    """复核: asked for within 10 days of receiving the appraisal."""

    appraisal = models.ForeignKey(Appraisal, verbose_name="评估", on_delete=models.PROTECT, related_name="reviews")
    requested_on = models.DateField("申请日期")
    reason = models.TextField("理由")
    outcome = models.TextField("复核结果", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评估复核"

    def __str__(self) -> str:
        return f"{self.appraisal} 复核"
