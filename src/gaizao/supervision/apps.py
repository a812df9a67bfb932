from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gaizao.supervision"
    verbose_name = "督查督办"
