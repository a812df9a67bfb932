from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "gaizao.compensation"
    verbose_name = "补偿"
