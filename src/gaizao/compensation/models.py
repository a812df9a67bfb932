from django.conf import settings
from django.db import models

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
