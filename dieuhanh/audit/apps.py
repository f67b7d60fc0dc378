from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dieuhanh.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from dieuhanh.audit import signals

        signals.connect()
