from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "gaizao.enforcement"
    verbose_name = "控违拆违"
