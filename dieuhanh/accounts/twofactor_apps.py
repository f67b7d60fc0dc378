"""django-otp's two device apps, named in the interface's language so that an administrator resetting a person's
two-factor login (deleting their devices in the admin) reads Vietnamese.

django-otp names its models and fields in English without marking them for translation. Only the names shown are
changed here (`verbose_name`, never the options the migrations record), so no migration follows from it."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig

DEVICE_FIELDS = {
    "user": _("user"),
    "name": _("name"),
    "confirmed": _("confirmed"),
    "created_at": _("created at"),
    "last_used_at": _("last used at"),
    "throttling_failure_timestamp": _("last wrong code at"),
    "throttling_failure_count": _("wrong codes in a row"),
}
TOTP_FIELDS = {"key": _("secret key (hex)"), "step": _("time step (seconds)"), "t0": _("start time (t0)"),
               "digits": _("number of digits"), "tolerance": _("tolerance (steps)"), "drift": _("clock drift (steps)"),
               "last_t": _("last time step used")}
DEVICE_FIELDSETS = {"Identity": _("Whose device"), "Timestamps": _("Times"), "Configuration": _("Code settings"),
                    "State": _("State"), "Throttling": _("Wrong codes")}


def name_model(model, singular, plural, fields) -> None:
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural
    for field_name, label in fields.items():
        model._meta.get_field(field_name).verbose_name = label


def name_fieldsets(model) -> None:
    """django-otp's admin titles its fieldsets with plain English strings; give them ours."""
    from django.contrib import admin

    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return
    original = type(model_admin).get_fieldsets

    def get_fieldsets(self, request, obj=None):
        return [(DEVICE_FIELDSETS.get(title, title), options) for title, options in original(self, request, obj)]

    model_admin.get_fieldsets = get_fieldsets.__get__(model_admin)


class TOTPConfig(TOTPDefaultConfig):
    verbose_name = _("Two-factor login: authenticator apps")

    def ready(self):
        super().ready()
        model = self.get_model("TOTPDevice")
        name_model(model, _("authenticator app"), _("authenticator apps"), {**DEVICE_FIELDS, **TOTP_FIELDS})
        name_fieldsets(model)


class StaticConfig(StaticDefaultConfig):
    verbose_name = _("Two-factor login: recovery codes")

    def ready(self):
        super().ready()
        name_model(self.get_model("StaticDevice"), _("set of recovery codes"), _("sets of recovery codes"),
                   DEVICE_FIELDS)
        name_model(self.get_model("StaticToken"), _("recovery code"), _("recovery codes"),
                   {"device": _("set of recovery codes"), "token": _("code")})
        name_fieldsets(self.get_model("StaticDevice"))
