from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "gaizao.progress"
    verbose_name = "进度"
