from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_save


def _failed(sender, credentials, request=None, **kwargs) -> None:
    from gaizao.accounts import lockout

    ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    lockout.failed(str(credentials.get("username", "")), ip)


def _created(sender, instance, created, raw=False, **kwargs) -> None:
    """A new account's password (Django's create_user sets it without telling the validators) counts from now."""
    if created and not raw:
        from django.utils import timezone

        from gaizao.accounts.models import Credential

        Credential.objects.get_or_create(user=instance, defaults={"password_changed_at": timezone.now()})


class AccountsConfig(AppConfig):
    name = "gaizao.accounts"
    verbose_name = "账户与登录"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in

        from gaizao.accounts.policy import started

        user_login_failed.connect(_failed, dispatch_uid="accounts-lockout")
        user_logged_in.connect(started, dispatch_uid="accounts-login-policy")
        post_save.connect(_created, sender=get_user_model(), dispatch_uid="accounts-credential")
