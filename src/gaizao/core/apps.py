from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gaizao.core"
    verbose_name = "基础"
