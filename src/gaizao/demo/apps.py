from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "gaizao.demo"
    verbose_name = "演示"
