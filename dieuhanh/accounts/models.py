"""Roles scoped to a subtree of the organisation registry."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")
    REPORTER = "reporter", _("Reporter")
    APPROVER = "approver", _("Approver")
    # The People's Committee office: registers tasks and follows them up for the assigners.
    OFFICE = "office", _("Task office")
    # Runs the shared information systems of its unit's subtree: their checks, maintenance windows and outages.
    OPERATOR = "operator", _("System operator")


# A target (kế hoạch) is set by the province for the units that report against it; the units' reporters may not
# change it. Administrators keep the province's plan. One set, so that the entry page, the XLSX workbook, the
# services and the CSV import all ask the same question.
TARGET_SETTING_ROLES = frozenset({Role.ADMIN})


def roles_may_set_targets(roles: Iterable[str]) -> bool:
    """Whether a person holding `roles` on a unit may set or change that unit's targets."""
    return not TARGET_SETTING_ROLES.isdisjoint(roles)


class RoleAssignment(models.Model):
    """`user` holds `role` on `orgunit` and every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "orgunit"], name="unique_role_assignment")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.orgunit}"


class ApiClient(models.Model):
    """An external system of the province ("Hệ thống một cửa điện tử tỉnh") that reads or writes through the API.

    It acts as its own service user (`user`, no password), so that every write it makes is recorded with its name
    and goes through the same services and role checks as a person's; its keys decide where and how far."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    contact = models.CharField(_("operator's contact"), max_length=255, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("service account"), on_delete=models.PROTECT,
                                related_name="api_client")
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A key to the API: a client system's or a person's own token. Only its hash is stored; the key itself is shown
    once, when it is made. It reaches the units under `root` (for a person: also within their own roles), reads
    only or reads and writes, until it expires or is revoked."""

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    client = models.ForeignKey(ApiClient, verbose_name=_("API client"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="keys")
    # Who acts with the key: the client's service account, or the person who made a personal token.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acts as"), on_delete=models.CASCADE,
                             related_name="api_keys")
    name = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    hashed = models.CharField(_("key hash"), max_length=64, editable=False)
    root = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("units (subtree)"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    access = models.CharField(_("access"), max_length=16, choices=Access.choices, default=Access.READ)
    # Requests a minute this key may make (None: settings.API_RATE_PER_MINUTE).
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.owner_name} · {self.prefix}…"

    @property
    def owner_name(self) -> str:
        return self.client.name if self.client_id else (self.user.get_full_name() or self.user.get_username())

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.READ_WRITE

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at) and (
            self.client_id is None or self.client.active) and self.user.is_active


class PasswordState(models.Model):
    """Whether a person must choose a new password before anything else: one an administrator set (at creation or
    as a reset) is known to two people, so it serves one login only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                primary_key=True, related_name="password_state")
    change_required = models.BooleanField(_("must change the password"), default=False)
    changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("password state")
        verbose_name_plural = _("password states")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """A password a person has had (its hash only, as stored on the user), so that a new one may not repeat the last
    few (TCVN 11930:2017, settings.PASSWORD_HISTORY). Written whenever a password is set (password_rules.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A logged-in session of a person, so that they can see where they are logged in and end it (sessions.py).
    Kept beside Django's session store, keyed by the same session key; `last_seen` is written at most once a
    minute."""

    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="user_sessions")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last used at"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} · {self.ip or '?'}"
