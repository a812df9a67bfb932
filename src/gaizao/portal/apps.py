from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gaizao.portal"
    verbose_name = "阳光征收"
