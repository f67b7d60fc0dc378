from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dieuhanh.dashboard"
    verbose_name = _("Operations center")

    def ready(self):
        from dieuhanh.dashboard import datacache

        datacache.connect()  # every connection's writes to the data move the leaders' pages' cache version
