from django.conf import settings
from django.db import models

from gaizao.core.fields import EncryptedCharField, KeyedHashField
from gaizao.core.models import Evidence
from gaizao.ledger.stages import Stage
from gaizao.org.models import Unit
from gaizao.projects.models import Project


class Wish(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    UNDECIDED = "undecided", "观望"


class Choice(models.TextChoices):
    MONEY = "money", "货币补偿"
    SWAP = "swap", "产权调换"
    VOUCHER = "voucher", "房票"


class HardCase(models.TextChoices):
    NAIL = "nail", "钉子户"
    DIFFICULT = "difficult", "难缠户"
    KEY = "key", "重点户"


class Use(models.TextChoices):
    RESIDENTIAL = "residential", "住宅"
    NON_RESIDENTIAL = "non_residential", "非住宅"
    BUSINESS = "business", "经营"


class Structure(models.TextChoices):
    FRAME = "frame", "框架"
    BRICK_CONCRETE = "brick_concrete", "砖混"
    BRICK_WOOD = "brick_wood", "砖木"
    SIMPLE = "simple", "简易"


class DatePrecision(models.TextChoices):
    DAY = "day", "日"
    MONTH = "month", "月"
    YEAR = "year", "年"


def money_field(name: str) -> models.DecimalField:
    return models.DecimalField(name, max_digits=16, decimal_places=2, null=True, blank=True)


def area_field(name: str) -> models.DecimalField:
    return models.DecimalField(name, max_digits=12, decimal_places=2, null=True, blank=True)


class Household(models.Model):
    """被征收户: one row of the ledger per household, its properties below it."""

    # Foreign keys that lead a composite index below carry no index of their own: fewer indexes, faster imports.
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="households", db_index=False
    )
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+", db_index=False)
    street = models.ForeignKey(
        Unit, verbose_name="所属街道", on_delete=models.PROTECT, related_name="households", db_index=False
    )
    number = models.CharField("户号", max_length=40)
    owner_name = models.CharField("户主姓名", max_length=50)
    # Personal data is stored encrypted and found by its keyed hash (core/fields.py); the tail stays plain for search.
    id_number = EncryptedCharField("身份证号", max_length=18, blank=True)
    id_hash = KeyedHashField("身份证号摘要", source="id_number")
    id_tail = models.CharField("身份证尾号", max_length=4, blank=True, editable=False)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True)
    phone_hash = KeyedHashField("联系电话摘要", source="phone")
    persons = models.PositiveSmallIntegerField("家庭人口", null=True, blank=True)
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices, default=Stage.UNSURVEYED)
    wish = models.CharField("意愿", max_length=10, choices=Wish.choices, blank=True)
    choice = models.CharField("安置方式", max_length=10, choices=Choice.choices, blank=True)
    hard_case = models.CharField("难点户", max_length=10, choices=HardCase.choices, blank=True)
    hard_case_plan = models.TextField("攻坚方案", blank=True)
    holder_unit = models.ForeignKey(
        Unit,
        verbose_name="包户单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_households",
        db_index=False,
    )
    holder_name = models.CharField("包户责任人", max_length=50, blank=True)
    remark = models.TextField("备注", blank=True)
    extra = models.JSONField("其他列", default=dict, blank=True)
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="锁定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = verbose_name_plural = "被征收户"
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="household_number_unique")]
        indexes = [
            models.Index(fields=["street", "number"], name="household_street_number"),
            models.Index(fields=["street", "stage", "number"], name="household_street_stage"),
            models.Index(fields=["district", "number"], name="household_district_number"),
            models.Index(fields=["holder_unit", "number"], name="household_holder_number"),
            models.Index(fields=["number"], name="household_number"),
            models.Index(fields=["owner_name"], name="household_owner_name"),
            models.Index(fields=["id_tail"], name="household_id_tail"),
            models.Index(fields=["id_hash"], name="household_id_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.owner_name}"

    def save(self, *args, **kwargs):
        self.id_tail = self.id_number[-4:]
        super().save(*args, **kwargs)

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class Member(models.Model):
    household = models.ForeignKey(Household, verbose_name="被征收户", on_delete=models.CASCADE, related_name="members")
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+", db_index=False)
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedCharField("身份证号", max_length=18, blank=True)
    id_hash = KeyedHashField("身份证号摘要", source="id_number")
    relation = models.CharField("与户主关系", max_length=20, blank=True)
    phone = EncryptedCharField("电话", max_length=20, blank=True)
    phone_hash = KeyedHashField("电话摘要", source="phone")
    special_groups = models.JSONField(
        "困难群体",
        default=list,
        blank=True,
        help_text="低保 dibao、残疾 disabled、重症 critical、失独 lost_only_child、烈士 martyr",
    )

    class Meta:
        verbose_name = verbose_name_plural = "家庭成员"

    def __str__(self) -> str:
        return self.name


class Property(models.Model):
    """房屋 / 土地: one row of the workbook."""

    household = models.ForeignKey(
        Household, verbose_name="被征收户", on_delete=models.CASCADE, related_name="properties", db_index=False
    )
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+", db_index=False)
    seq = models.PositiveSmallIntegerField("序号")
    location = models.CharField("房屋坐落", max_length=200)
    certificate_no = models.CharField("产权证号", max_length=60, blank=True, db_index=True)
    use = models.CharField("房屋用途", max_length=20, choices=Use.choices, blank=True)
    structure = models.CharField("结构", max_length=20, choices=Structure.choices, blank=True)
    floors = models.PositiveSmallIntegerField("层数", null=True, blank=True)
    certified_area = area_field("证载面积")
    unregistered_area = area_field("未登记面积")
    recognised_area = area_field("认定合法面积")
    land_area = area_field("土地面积")
    built_on = models.DateField("建成时间", null=True, blank=True)
    built_precision = models.CharField("建成时间精度", max_length=5, choices=DatePrecision.choices, blank=True)
    shop_area = area_field("住改商面积")
    appraised_unit_price = money_field("评估单价（元/㎡）")
    decoration_value = money_field("装修评估（元）")
    attachments_value = money_field("附属物评估（元）")
    remark = models.TextField("备注", blank=True)
    extra = models.JSONField("其他列", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "房屋"
        constraints = [models.UniqueConstraint(fields=["household", "seq"], name="property_seq_unique")]

    def __str__(self) -> str:
        return self.location


class ImportBatch(models.Model):
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, null=True)
    at = models.DateTimeField("导入时间")
    summary = models.JSONField("结果", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "台账导入"

    def __str__(self) -> str:
        return self.file_name


class EventKind(models.TextChoices):
    CREATED = "created", "建档"
    UPDATED = "updated", "修改"
    IMPORTED = "imported", "导入更新"
    STAGE = "stage", "阶段变更"
    REVIEWED = "reviewed", "复核"
    LOCKED = "locked", "锁定"
    UNLOCKED = "unlocked", "解锁"
    EVIDENCE = "evidence", "上传佐证"
    VISIT = "visit", "走访"
    AGREEMENT = "agreement", "补偿协议"
    PAYMENT = "payment", "支付"


class HouseholdEvent(models.Model):
    """Everything that happened to a household: who, when, what changed, and the evidence."""

    household = models.ForeignKey(
        Household, verbose_name="被征收户", on_delete=models.CASCADE, related_name="events", db_index=False
    )
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField("类型", max_length=10, choices=EventKind.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, db_index=False
    )
    changes = models.JSONField("变更", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    evidence = models.ForeignKey(Evidence, verbose_name="佐证", on_delete=models.PROTECT, null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, verbose_name="导入批次", on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )

    class Meta:
        verbose_name = verbose_name_plural = "事件"
        indexes = [
            models.Index(fields=["household", "at"], name="event_household_at"),
            models.Index(fields=["district", "kind", "at"], name="event_district_kind_at"),
        ]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Tally(models.Model):
    """A day's count of one measure for one street's households (and their holding unit): see tally.py."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    district = models.ForeignKey(Unit, verbose_name="区县", on_delete=models.CASCADE, related_name="+", db_index=False)
    street = models.ForeignKey(Unit, verbose_name="街道", on_delete=models.CASCADE, related_name="+", db_index=False)
    holder = models.IntegerField("包户单位", default=0, help_text="包户单位的编号；0 为无")
    day = models.DateField("日期")
    measure = models.CharField("指标", max_length=20)
    hundredths = models.BigIntegerField("数值（×100）", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "台账日统计"
        constraints = [
            models.UniqueConstraint(fields=["project", "street", "holder", "day", "measure"], name="tally_key")
        ]
        indexes = [
            models.Index(fields=["district", "measure", "day"], name="tally_district_measure_day"),
            models.Index(fields=["street", "measure", "day"], name="tally_street_measure_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure} {self.hundredths / 100}"
