from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gaizao.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from gaizao.audit import recording

        recording.connect()
