from django.conf import settings
from django.db import models


class Credential(models.Model):
    """What the login policy keeps about an account besides its password hash."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credential")
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change = models.BooleanField(
        "须修改密码", default=False, help_text="初始密码或被重置的密码：下次登录时须先修改。"
    )
    totp_secret = models.TextField("动态口令密钥（加密）", blank=True)
    totp_confirmed_at = models.DateTimeField("动态口令启用时间", null=True, blank=True)
    totp_last_step = models.BigIntegerField("最后使用的口令时段", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "账户凭据"

    def __str__(self) -> str:
        return str(self.user)


class LoginFailure(models.Model):
    """One failed login: counted per name typed (whether or not the account exists) and per address."""

    username = models.CharField("用户名", max_length=150)
    ip = models.CharField("来源地址", max_length=45)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = verbose_name_plural = "登录失败"
        indexes = [
            models.Index(fields=["username", "at"], name="login_failure_username_at"),
            models.Index(fields=["ip", "at"], name="login_failure_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
