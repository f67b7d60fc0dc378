"""Models of the monitoring app: the shared systems the center watches, their checks (probes the worker runs, or
heartbeats the system pushes), the raw results, the state changes uptime is computed from, monthly figures,
maintenance windows and outages (incidents).

The live columns of a check (state, counters, last_*, next_run_at, claims) are written by the runner only
(runner.py); everything else goes through services.py."""

from __future__ import annotations

import datetime as dt
import secrets
import types
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Recurring maintenance windows are written in the province's local time, whatever TIME_ZONE says.
LOCAL_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class _CheckDescriptor(ForwardManyToOneDescriptor):
    """`result.check` is the related Check, but `CheckResult.check` on the class stays Django's `Model.check()`
    class method: the system checks call it, and a plain foreign key named "check" hides it (models.E020). The one
    thing lost is `prefetch_related("check")`; use `select_related("check")`."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return types.MethodType(models.Model.check.__func__, cls)
        return super().__get__(instance, cls)


class CheckForeignKey(models.ForeignKey):
    """A foreign key to Check whose field may be named "check" (see _CheckDescriptor)."""

    forward_related_accessor_class = _CheckDescriptor


class State(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    UP = "up", _("Up")
    PENDING = "pending", _("Failing, not confirmed")
    DOWN = "down", _("Down")
    MAINTENANCE = "maintenance", _("Maintenance")


class System(models.Model):
    """A shared information system of the province ("Hệ thống thông tin") that the center watches."""

    class Category(models.TextChoices):
        PORTAL = "portal", _("Electronic information portal")
        DOCUMENTS = "documents", _("Document and work records management")
        EMAIL = "email", _("Official e-mail")
        ONE_STOP = "one_stop", _("One-stop shop and public services")
        MEETINGS = "meetings", _("Paperless meeting room")
        VIDEO = "video", _("Video conferencing")
        LGSP = "lgsp", _("Data integration and sharing platform (LGSP)")
        NETWORK = "network", _("WAN and data center")
        BULLETIN = "bulletin", _("Public bulletin board")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    owner = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("owning unit"), on_delete=models.PROTECT,
                              related_name="systems")
    operator_name = models.CharField(_("operating unit"), max_length=200, blank=True)
    operator_phone = models.CharField(_("operator's phone"), max_length=50, blank=True)
    operator_email = models.CharField(_("operator's e-mail"), max_length=254, blank=True)
    # Security level (cấp độ) approved under Decree 85/2016/NĐ-CP.
    security_level = models.PositiveSmallIntegerField(
        _("security level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    level_document = models.CharField(_("level approval document"), max_length=100, blank=True)
    depends_on = models.ManyToManyField("self", verbose_name=_("depends on"), symmetrical=False,
                                        related_name="dependents", blank=True)
    public = models.BooleanField(_("shown on the public status page"), default=False)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    # The worst of its active checks' states (runner.py keeps it).
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.UNKNOWN)
    state_since = models.DateTimeField(_("state since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Check(models.Model):
    """One way of telling whether a system works: a probe the worker runs every `interval_seconds` (HTTP, TCP,
    TLS certificate, DNS), or a heartbeat the system itself sends to its own URL at least every `period_seconds`."""

    class Kind(models.TextChoices):
        HTTP = "http", _("HTTP(S)")
        TCP = "tcp", _("TCP port")
        TLS = "tls", _("TLS certificate")
        DNS = "dns", _("DNS")
        HEARTBEAT = "heartbeat", _("Heartbeat")

    system = models.ForeignKey(System, verbose_name=_("system"), on_delete=models.CASCADE, related_name="checks")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # http
    url = models.CharField(_("URL"), max_length=500, blank=True)
    expected_statuses = models.CharField(_("expected statuses"), max_length=100, default="200-299",
                                         help_text=_("For example 200-299,301"))
    keyword = models.CharField(_("keyword"), max_length=200, blank=True)
    keyword_absent = models.BooleanField(_("keyword must be absent"), default=False)
    json_path = models.CharField(_("JSON field"), max_length=200, blank=True, help_text=_("For example data.status"))
    json_expected = models.CharField(_("expected JSON value"), max_length=200, blank=True)
    max_response_ms = models.PositiveIntegerField(_("maximum response time (ms)"), null=True, blank=True)
    # tcp / tls
    host = models.CharField(_("host"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    cert_warn_days = models.CharField(_("certificate warning days"), max_length=50, default="30,14,7")
    # dns
    dns_name = models.CharField(_("DNS name"), max_length=255, blank=True)
    dns_expected = models.CharField(_("expected addresses"), max_length=500, blank=True,
                                    help_text=_("For example 10.0.0.1,10.0.0.2"))
    # heartbeat (push)
    heartbeat_token = models.CharField(_("heartbeat token"), max_length=64, unique=True, null=True, blank=True,
                                       editable=False)
    period_seconds = models.PositiveIntegerField(_("heartbeat period (seconds)"), default=3600)
    grace_seconds = models.PositiveIntegerField(_("grace time (seconds)"), default=600)
    # schedule and thresholds
    interval_seconds = models.PositiveIntegerField(_("interval (seconds)"), default=60)
    timeout_seconds = models.PositiveIntegerField(_("timeout (seconds)"), default=10)
    failures_to_down = models.PositiveSmallIntegerField(_("failures before down"), default=3)
    successes_to_up = models.PositiveSmallIntegerField(_("successes before up"), default=2)
    active = models.BooleanField(_("active"), default=True)
    # live state (written by the runner only)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.UNKNOWN)
    state_since = models.DateTimeField(_("state since"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    consecutive_successes = models.PositiveIntegerField(_("consecutive successes"), default=0)
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    last_ok_at = models.DateTimeField(_("last success at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_response_ms = models.PositiveIntegerField(_("last response time (ms)"), null=True, blank=True)
    cert_expires_at = models.DateTimeField(_("certificate expires at"), null=True, blank=True)
    next_run_at = models.DateTimeField(_("next run at"), null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["system", "name", "id"]

    def __str__(self) -> str:
        return f"{self.system} · {self.name}"

    def save(self, *args, **kwargs):
        # A heartbeat check needs its secret URL from the start; other kinds never get one.
        if self.kind == self.Kind.HEARTBEAT and not self.heartbeat_token:
            self.heartbeat_token = secrets.token_urlsafe(24)
        super().save(*args, **kwargs)


class CheckResult(models.Model):
    """A probe's raw result; purged after settings.MONITORING_RESULT_DAYS (default 30) by a daily job."""

    check = CheckForeignKey(Check, verbose_name=_("check"), on_delete=models.CASCADE, related_name="results")
    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("success"))
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        indexes = [models.Index(fields=["check", "at"], name="monitoring_result_check_at")]

    def __str__(self) -> str:
        return f"{self.check_id} · {self.at:%Y-%m-%d %H:%M:%S} · {'ok' if self.ok else 'fail'}"


class StateChange(models.Model):
    """A check's (and with it its system's) change of state; kept for ever: uptime is computed from these."""

    check = CheckForeignKey(Check, verbose_name=_("check"), on_delete=models.CASCADE, related_name="changes")
    system = models.ForeignKey(System, verbose_name=_("system"), on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("at"))
    old = models.CharField(_("old state"), max_length=12, choices=State.choices)
    new = models.CharField(_("new state"), max_length=12, choices=State.choices)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["system", "at"], name="monitoring_change_system_at"),
                   models.Index(fields=["check", "at"], name="monitoring_change_check_at")]

    def __str__(self) -> str:
        return f"{self.check} · {self.old} → {self.new}"


class SystemMonth(models.Model):
    """A system's figures for one calendar month, kept for ever (filled by a daily job)."""

    system = models.ForeignKey(System, verbose_name=_("system"), on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("month"))  # its first day
    down_seconds = models.PositiveIntegerField(_("down time (seconds)"), default=0)
    maintenance_seconds = models.PositiveIntegerField(_("maintenance time (seconds)"), default=0)
    counted_seconds = models.PositiveIntegerField(_("counted time (seconds)"), default=0)
    response_ms_avg = models.PositiveIntegerField(_("average response time (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        ordering = ["system", "month"]
        constraints = [models.UniqueConstraint(fields=["system", "month"], name="unique_system_month")]

    def __str__(self) -> str:
        return f"{self.system} · {self.month:%m/%Y}"


class MaintenanceWindow(models.Model):
    """Planned work: no incidents open inside, and its time is left out of the uptime. Either one-off (`starts_at`
    to `ends_at`) or recurring (on `weekdays`, from `start_time` local time in Asia/Ho_Chi_Minh for
    `duration_minutes`, between `valid_from` and `valid_to`)."""

    name = models.CharField(_("name"), max_length=200)
    systems = models.ManyToManyField(System, verbose_name=_("systems"), related_name="maintenance_windows")
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    # Python weekday numbers: "0,3" = Monday and Thursday.
    weekdays = models.CharField(_("weekdays"), max_length=20, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def recurring(self) -> bool:
        return bool(self.weekdays)

    @property
    def weekday_list(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays.split(",") if d.strip().isdigit() and int(d) < 7})

    def covers(self, moment: dt.datetime) -> bool:
        """Whether the aware `moment` falls inside this window."""
        return any(s <= moment < e for s, e in self.intervals(moment, moment + dt.timedelta(microseconds=1)))

    def intervals(self, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
        """The parts of [start, end) this window covers, in order, as aware datetimes clipped to [start, end)."""
        if end <= start:
            return []
        if not self.recurring:
            if self.starts_at is None or self.ends_at is None:
                return []
            s, e = max(start, self.starts_at), min(end, self.ends_at)
            return [(s, e)] if s < e else []
        if self.start_time is None or not self.duration_minutes:
            return []
        days = set(self.weekday_list)
        length = dt.timedelta(minutes=self.duration_minutes)
        # An occurrence that began before `start` may still run into it: step back by its length (and one day).
        day = (start - length).astimezone(LOCAL_TZ).date() - dt.timedelta(days=1)
        last_day = end.astimezone(LOCAL_TZ).date()
        out: list[tuple[dt.datetime, dt.datetime]] = []
        while day <= last_day:
            if day.weekday() in days and (self.valid_from is None or day >= self.valid_from) and (
                    self.valid_to is None or day <= self.valid_to):
                s = dt.datetime.combine(day, self.start_time, tzinfo=LOCAL_TZ)
                e = s + length
                s, e = max(start, s), min(end, e)
                if s < e:
                    if out and s <= out[-1][1]:  # windows longer than a day overlap: merge them
                        out[-1] = (out[-1][0], max(out[-1][1], e))
                    else:
                        out.append((s, e))
            day += dt.timedelta(days=1)
        return out


class Incident(models.Model):
    """An outage (operations incident): opened by the runner when a system goes down, or by hand. `ended_at` is
    set when the system comes back up; it stays open until an operator closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ongoing")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", _("Closed")

    system = models.ForeignKey(System, verbose_name=_("system"), on_delete=models.PROTECT, related_name="incidents")
    check = CheckForeignKey(Check, verbose_name=_("check"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="incidents")
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    actions = models.TextField(_("actions taken"), blank=True)
    # None: opened automatically by the runner.
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["system", "status"], name="monitoring_incident_sys_st")]
        # One ongoing outage at a time per system: two workers seeing it go down at once cannot both open one.
        # An outage that ended but awaits the operator's closing does not stop the next one being recorded.
        constraints = [models.UniqueConstraint(
            fields=["system"], condition=models.Q(ended_at__isnull=True) & ~models.Q(status="closed"),
            name="one_ongoing_incident_per_system")]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> dt.timedelta:
        return (self.ended_at or timezone.now()) - self.started_at
from dieuhanh.monitoring.models_security import *  # noqa: E402,F401,F403  (security incidents: a module of their own)


class SystemDays(models.Model):
    """A system's uptime on each finished local day of the board's window (kept by uptime_days.py), so that the
    board does not rebuild 90 days from the state changes on every view. A cache of the one definition in
    uptime.py, never a record: a row is checked against what its days were computed from (the system's checks,
    its maintenance windows, the state changes recorded since) and its days computed again when that changed.

    Per day from `first_day`, comma-separated, in whole microseconds (so that days add up exactly): the time down,
    in maintenance and unknown (mostly "0": a short row); counted = the day − maintenance − unknown. Their sums
    over all the days, each day's bar as the board's script reads it, and the checks' states where the board's
    live pieces begin (so that a view needs no per-check look-up of past states)."""

    system = models.OneToOneField(System, verbose_name=_("system"), on_delete=models.CASCADE, primary_key=True,
                                  related_name="days")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    down_us = models.TextField(_("down time (µs) per day"))
    maintenance_us = models.TextField(_("maintenance time (µs) per day"))
    unknown_us = models.TextField(_("unknown time (µs) per day"))
    down_total = models.BigIntegerField(_("down time (µs)"))
    maintenance_total = models.BigIntegerField(_("maintenance time (µs)"))
    unknown_total = models.BigIntegerField(_("unknown time (µs)"))
    # The same over the last 29 days: the finished part of the board's 30 days, without reading the days.
    month_down = models.BigIntegerField(_("down time over 29 days (µs)"), default=0)
    month_maintenance = models.BigIntegerField(_("maintenance time over 29 days (µs)"), default=0)
    month_unknown = models.BigIntegerField(_("unknown time over 29 days (µs)"), default=0)
    bars = models.TextField(_("uptime per day"))
    # Each check's state ("id:state,…") at the start of the last day and of the 29th day before it: where the
    # board's live pieces begin (the last 24 hours, the first day of the 30).
    day_states = models.TextField(_("states at the last day's start"))
    month_states = models.TextField(_("states 30 days before today"))
    # What the days were computed from.
    checks = models.TextField(_("checks"))
    windows = models.CharField(_("maintenance windows"), max_length=64, blank=True)
    changes_seen = models.BigIntegerField(_("last state change seen"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")

    def __str__(self) -> str:
        return f"{self.system_id} · {self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y}"
