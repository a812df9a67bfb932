from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "gaizao.petitions"
    verbose_name = "信访"
