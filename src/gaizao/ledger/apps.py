from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "gaizao.ledger"
    verbose_name = "台账"
