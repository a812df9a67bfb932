from django.conf import settings
from django.db import models


class Evidence(models.Model):
    """A file that proves a change: a photo, a scan, a signed page."""

    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, null=True, blank=True
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


class SensitiveAccess(models.Model):
    """Every look at unmasked personal data (full ID number, phone) by an official."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    what = models.CharField("内容", max_length=100)
    object_type = models.CharField("对象类型", max_length=50)
    object_id = models.PositiveBigIntegerField("对象编号")
    district_id = models.PositiveBigIntegerField("区县编号", null=True)

    class Meta:
        verbose_name = verbose_name_plural = "敏感信息查看记录"
        indexes = [models.Index(fields=["object_type", "object_id"], name="sensitive_access_object")]

    def __str__(self) -> str:
        return f"{self.user} {self.what}"
