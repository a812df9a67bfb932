from datetime import UTC, datetime

from django.db import models


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
