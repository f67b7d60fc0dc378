from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dieuhanh.alerts"
    verbose_name = _("Alerts and notifications")

    def ready(self):
        from dieuhanh.monitoring.signals import system_state_changed

        from .tasks import systems_changed

        system_state_changed.connect(systems_changed, dispatch_uid="alerts.systems_changed")
