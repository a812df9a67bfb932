from django.conf import settings
from django.db import models

from gaizao.core.fields import EncryptedCharField


class UnitKind(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区（县）"
    STREET = "street", "街道"
    TOWNSHIP = "township", "乡镇"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"
    DEPARTMENT = "department", "部门"
    HEADQUARTERS = "headquarters", "指挥部"
    SUB_HEADQUARTERS = "sub_headquarters", "指挥分部"
    TASK_FORCE = "task_force", "工作专班"
    SUPPORT_UNIT = "support_unit", "协保单位"


LOCAL_KINDS = (UnitKind.STREET, UnitKind.TOWNSHIP)


class Unit(models.Model):
    """One node of the organisation tree. `path` is the chain of ids from the root, e.g. /1/4/17/."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)
    district = models.ForeignKey(
        "self", verbose_name="所属区县", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "self",
        verbose_name="管辖范围",
        help_text="指挥部、指挥分部所统筹的单位：其下属单位的数据一并可见。",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_under_parent")]
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", "指挥部办公室"
    LEADER = "leader", "包抓领导"
    STREET = "street", "街道（乡镇）工作人员"
    TASK_FORCE = "task_force", "专班（协保单位）工作人员"
    INSPECTOR = "inspector", "纪委监委"
    AUDITOR = "auditor", "审计"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "安全审计员"


# 三员分立: the three administrators' duties are kept apart, and one person holds at most one of them.
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class Official(models.Model):
    """The person behind a login: one unit, one role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="official")
    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="officials")
    role = models.CharField(
        "角色", max_length=20, choices=Role.choices, blank=True, help_text="由安全管理员授予；未授予时什么也看不到。"
    )
    person_key = models.CharField(
        "身份证号摘要",
        max_length=64,
        blank=True,
        db_index=True,
        help_text="本人身份证号的加密摘要，用于认出同一人（三员不得由一人兼任）",
    )
    title = models.CharField("职务", max_length=50, blank=True)
    phone = EncryptedCharField("电话", max_length=20, blank=True)
    can_reveal = models.BooleanField(
        "可查看敏感信息", default=False, help_text="可查看完整身份证号、电话；每次查看都留痕。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"
