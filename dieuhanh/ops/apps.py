import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dieuhanh.ops"
    verbose_name = _("Operations")

    def ready(self):
        # Python's warnings (a library's deprecation, whitenoise's missing folder) through logging as well, so that
        # they too come out as structured lines instead of raw text among the JSON.
        logging.captureWarnings(True)
