"""The audit trail: one append-only row per thing an auditor asks about (who, when, from where, what, on what,
before → after).

Append-only in code (save refuses a second save, delete and queryset update/delete refuse) and, on PostgreSQL, in
the database: a trigger (migration 0002) refuses every UPDATE, and every DELETE of a row younger than
MIN_RETENTION_DAYS, whoever asks. Only `audit_purge` deletes, and only rows older than the retention.

`user` and `unit` keep their ids without a database constraint (DO_NOTHING): deleting a person or a unit must not
have to change (or be stopped by) the rows that tell what they did; `username` keeps the name after the person is
gone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

# Written into the PostgreSQL trigger (migration 0002) too: rows younger than this cannot be deleted by anyone,
# whatever AUDIT_RETENTION_DAYS says. Changing it means a new migration replacing the trigger function.
MIN_RETENTION_DAYS = 365


class Action(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    LOCKOUT = "lockout", _("Login locked out")
    PASSWORD_CHANGE = "password_change", _("Password change")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    ROLE_CHANGE = "role_change", _("Role change")
    CONFIG_CHANGE = "config_change", _("Configuration change")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")
    API_KEY_USE = "api_key_use", _("API key use")
    VALUE_CHANGE = "value_change", _("Figure change")


class AppendOnly(Exception):
    """Raised on any attempt to change or delete an audit row through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit events are never updated")

    def delete(self):
        raise AppendOnly("audit events are deleted only by audit_purge")

    def purge_before(self, cutoff) -> int:
        """Delete the rows older than `cutoff` (audit_purge only); returns how many."""
        return self.filter(at__lt=cutoff)._raw_delete(self.db)


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), db_default=Now(), db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                             on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    username = models.CharField(_("username"), max_length=150, blank=True)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    ip = models.CharField(_("address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_text = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["unit", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_text}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("audit events are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit events are deleted only by audit_purge")

    def changes(self) -> list[tuple[str, object, object]]:
        """(key, before, after) for each key whose value differs: what the page shows as before → after."""
        before = self.before if isinstance(self.before, dict) else ({} if self.before is None else {"": self.before})
        after = self.after if isinstance(self.after, dict) else ({} if self.after is None else {"": self.after})
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
