from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "gaizao.org"
    verbose_name = "组织"
