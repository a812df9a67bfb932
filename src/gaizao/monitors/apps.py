from django.apps import AppConfig


class MonitorsConfig(AppConfig):
    name = "gaizao.monitors"
    verbose_name = "百姓监督"
