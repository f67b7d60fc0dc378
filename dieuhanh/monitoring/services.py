"""Writes of the monitoring app: systems, checks, maintenance windows, incidents, and the heartbeats systems send.

Views and the API authorise first (selectors.systems_manageable); the services check again that the owning unit
is one the person manages, so a forged form cannot place a system under another unit. Every service is
keyword-only, atomic, validates with `full_clean` and raises one error shape: a ValidationError keyed by field.

The live state of a check (state, counters, results) is the runner's (runner.py): these services never write it,
except where the person's change makes the old state meaningless (a check switched off goes back to "unknown",
with its StateChange row, so uptime and the system's state stop counting it)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import urllib.parse
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.monitoring.models import Check, CheckResult, Incident, MaintenanceWindow, State, System
from dieuhanh.orgunits.models import OrgUnit

SYSTEM_FIELDS = ("code", "name", "category", "owner", "operator_name", "operator_phone", "operator_email",
                 "security_level", "level_document", "public", "active", "description")
CHECK_FIELDS = ("name", "kind", "url", "expected_statuses", "keyword", "keyword_absent", "json_path",
                "json_expected", "max_response_ms", "host", "port", "cert_warn_days", "dns_name", "dns_expected",
                "period_seconds", "grace_seconds", "interval_seconds", "timeout_seconds", "failures_to_down",
                "successes_to_up", "active")
WINDOW_FIELDS = ("name", "starts_at", "ends_at", "weekdays", "start_time", "duration_minutes", "valid_from",
                 "valid_to", "note")
MIN_INTERVAL_SECONDS = 10


# --- parsing of the check's small languages (the runner uses the same functions) ---------------------------------

def parse_statuses(text: str) -> list[tuple[int, int]]:
    """'200-299,301' → [(200, 299), (301, 301)]; ValueError on anything else."""
    ranges = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        low, _sep, high = part.partition("-")
        low_n, high_n = int(low), int(high or low)
        if not (100 <= low_n <= high_n <= 599):
            raise ValueError(part)
        ranges.append((low_n, high_n))
    if not ranges:
        raise ValueError(text)
    return ranges


def parse_warn_days(text: str) -> list[int]:
    """'30,14,7' → [30, 14, 7] (largest first); ValueError on anything else."""
    days = sorted({int(d) for d in (text or "").split(",") if d.strip()}, reverse=True)
    if any(d < 0 for d in days):
        raise ValueError(text)
    return days


def parse_addresses(text: str) -> list[str]:
    """'10.0.0.1, 10.0.0.2' → the addresses in canonical form; ValueError on a bad one."""
    return [str(ipaddress.ip_address(a.strip())) for a in (text or "").split(",") if a.strip()]


def parse_weekdays(text: str) -> list[int]:
    days = sorted({int(d) for d in (text or "").split(",") if d.strip()})
    if any(not 0 <= d <= 6 for d in days):
        raise ValueError(text)
    return days


# --- helpers ------------------------------------------------------------------------------------------------------

def _manageable_units(user):
    return units_in_scope(user, Role.OPERATOR)


def _require_manager(user, owner: OrgUnit | None, field: str = "owner") -> None:
    if user is None or owner is None:
        return  # the runner, the demo and commands act for the province
    if not _manageable_units(user).filter(pk=owner.pk).exists():
        raise ValidationError({field: _("You do not operate the systems of this unit.")})


def _clean_text(values: dict[str, Any]) -> None:
    problems = {k: _("The text holds a NUL character, which cannot be stored") for k, v in values.items()
                if isinstance(v, str) and "\x00" in v}
    if problems:
        raise ValidationError(problems)


def _check_kind_rules(check: Check) -> None:
    """The fields each kind needs, and the small languages parsed, each problem named by its field."""
    problems: dict[str, str] = {}
    kind = check.kind
    if kind == Check.Kind.HTTP:
        parts = urllib.parse.urlsplit(check.url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems["url"] = _("Enter an http:// or https:// address with a host.")
        try:
            parse_statuses(check.expected_statuses)
        except ValueError:
            problems["expected_statuses"] = _("Enter status codes between 100 and 599, as ranges or single codes "
                                              "separated by commas, for example 200-299,301.")
        if check.json_expected and not check.json_path:
            problems["json_path"] = _("Enter the JSON field whose value is expected, for example data.status.")
    if kind in (Check.Kind.TCP, Check.Kind.TLS):
        if not check.host.strip():
            problems["host"] = _("Enter the host name or address to connect to.")
        if kind == Check.Kind.TCP and not check.port:
            problems["port"] = _("Enter the TCP port to connect to.")
    if check.port is not None and not 1 <= check.port <= 65535:
        problems["port"] = _("A port is a number from 1 to 65535.")
    if kind == Check.Kind.TLS:
        try:
            parse_warn_days(check.cert_warn_days)
        except ValueError:
            problems["cert_warn_days"] = _("Enter numbers of days separated by commas, for example 30,14,7.")
    if kind == Check.Kind.DNS:
        if not check.dns_name.strip():
            problems["dns_name"] = _("Enter the name to resolve, for example dichvucong.tayninh.gov.vn.")
        try:
            parse_addresses(check.dns_expected)
        except ValueError:
            problems["dns_expected"] = _("Enter IP addresses separated by commas, for example 10.0.0.1,10.0.0.2.")
    if kind == Check.Kind.HEARTBEAT and check.period_seconds < 60:
        problems["period_seconds"] = _("The period of a heartbeat is at least 60 seconds.")
    if check.interval_seconds < MIN_INTERVAL_SECONDS:
        problems["interval_seconds"] = _("Checks run at most every %(n)d seconds.") % {"n": MIN_INTERVAL_SECONDS}
    if not 1 <= check.timeout_seconds <= 120:
        problems["timeout_seconds"] = _("The timeout is from 1 to 120 seconds.")
    elif kind != Check.Kind.HEARTBEAT and check.timeout_seconds > check.interval_seconds:
        problems["timeout_seconds"] = _("The timeout cannot be longer than the interval.")
    if check.failures_to_down < 1:
        problems["failures_to_down"] = _("At least one failure is needed to call a check down.")
    if check.successes_to_up < 1:
        problems["successes_to_up"] = _("At least one success is needed to call a check up again.")
    if problems:
        raise ValidationError(problems)


def _normalise_check(check: Check) -> None:
    check.url = (check.url or "").strip()
    check.host = (check.host or "").strip()
    check.dns_name = (check.dns_name or "").strip().rstrip(".")
    check.expected_statuses = (check.expected_statuses or "").replace(" ", "") or "200-299"
    check.cert_warn_days = (check.cert_warn_days or "").replace(" ", "") or "30,14,7"
    if check.kind == Check.Kind.TLS and not check.port:
        check.port = 443
    try:
        check.dns_expected = ",".join(parse_addresses(check.dns_expected))
    except ValueError:
        pass  # reported by _check_kind_rules


def _validate_system_depends(system: System, depends_on: Iterable[System]) -> list[System]:
    depends_on = list(depends_on)
    if any(other.pk == system.pk for other in depends_on):
        raise ValidationError({"depends_on": _("A system cannot depend on itself.")})
    # A dependency cycle would make "what is affected" endless: refuse one.
    seen, frontier = set(), [d.pk for d in depends_on]
    while frontier:
        if system.pk in frontier:
            raise ValidationError({"depends_on": _("These dependencies would make a cycle.")})
        seen.update(frontier)
        frontier = [pk for pk in System.depends_on.through.objects.filter(from_system_id__in=frontier)
                    .values_list("to_system_id", flat=True) if pk not in seen]
    return depends_on


def _save_unique(obj, message_field: str, message: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({message_field: message}) from exc


def _system_state_refresh(system: System, *, now: dt.datetime) -> None:
    """Bring the system's state back in line with its active checks (after a person switches checks on or off);
    the runner does the same after each result (runner.py)."""
    from dieuhanh.monitoring.runner import system_state_of  # the runner's one definition of the system's state

    state = system_state_of(system)
    if state != system.state:
        System.objects.filter(pk=system.pk).update(state=state, state_since=now)
        system.state, system.state_since = state, now


# --- systems ------------------------------------------------------------------------------------------------------

@transaction.atomic
def system_create(*, user, code: str, name: str, owner: OrgUnit, category: str = System.Category.OTHER,
                  operator_name: str = "", operator_phone: str = "", operator_email: str = "",
                  security_level: int | None = None, level_document: str = "", public: bool = False,
                  active: bool = True, description: str = "", depends_on: Iterable[System] = ()) -> System:
    """Register a system owned by `owner` (a unit `user` operates)."""
    values = dict(code=(code or "").strip(), name=(name or "").strip(), category=category, owner=owner,
                  operator_name=operator_name.strip(), operator_phone=operator_phone.strip(),
                  operator_email=operator_email.strip(), security_level=security_level,
                  level_document=level_document.strip(), public=public, active=active,
                  description=description.strip())
    _clean_text(values)
    _require_manager(user, owner)
    system = System(**values)
    system.full_clean()
    _save_unique(system, "code", _("Another system already has this code."))
    depends = _validate_system_depends(system, depends_on)
    system.depends_on.set(depends)
    return system


@transaction.atomic
def system_update(*, system: System, user, depends_on: Iterable[System] | None = None, **changes) -> System:
    """Change a system's registry fields (`changes` named as in SYSTEM_FIELDS); its state is the runner's."""
    unknown = set(changes) - set(SYSTEM_FIELDS)
    if unknown:
        raise TypeError(f"system_update() got unexpected fields: {', '.join(sorted(unknown))}")
    system = System.objects.select_for_update().get(pk=system.pk)
    was_active = system.active
    _require_manager(user, system.owner)
    if "owner" in changes:
        _require_manager(user, changes["owner"])
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    _clean_text(changes)
    for field, value in changes.items():
        setattr(system, field, value)
    system.full_clean()
    _save_unique(system, "code", _("Another system already has this code."))
    if depends_on is not None:
        system.depends_on.set(_validate_system_depends(system, depends_on))
    if was_active and not system.active:
        _system_checks_forget(system)
    return system


def _system_checks_forget(system: System) -> None:
    """A system switched off is no longer watched: its checks go back to "unknown" (each with its StateChange
    row), so that its uptime stops counting from then and its state is not left "down" for ever."""
    from dieuhanh.monitoring.runner import state_change_record

    now = timezone.now()
    for check in Check.objects.select_for_update().filter(system=system).exclude(state=State.UNKNOWN):
        state_change_record(check=check, new=State.UNKNOWN, at=now, error="")
        check.consecutive_failures = check.consecutive_successes = 0
        check.save(update_fields=["state", "state_since", "consecutive_failures", "consecutive_successes"])
    _system_state_refresh(system, now=now)


# --- checks -------------------------------------------------------------------------------------------------------

@transaction.atomic
def check_create(*, system: System, user, name: str, kind: str, **fields) -> Check:
    """Add a check to `system`; it runs at once (next_run_at is now). A heartbeat check gets its secret token."""
    unknown = set(fields) - set(CHECK_FIELDS)
    if unknown:
        raise TypeError(f"check_create() got unexpected fields: {', '.join(sorted(unknown))}")
    _require_manager(user, system.owner, "system")
    values = {"name": (name or "").strip(), "kind": kind, **fields}
    _clean_text(values)
    check = Check(system=system, **values)
    _normalise_check(check)
    check.full_clean(exclude=["heartbeat_token"])
    _check_kind_rules(check)
    now = timezone.now()
    if check.kind == Check.Kind.HEARTBEAT:
        # Nothing to probe: the worker looks at it when it would be late, counted from now (see runner.py).
        check.next_run_at = now + dt.timedelta(seconds=check.period_seconds + check.grace_seconds)
    else:
        check.next_run_at = now
    check.save()
    return check


@transaction.atomic
def check_update(*, check: Check, user, **changes) -> Check:
    """Change a check's settings (named as in CHECK_FIELDS). A check switched off goes back to "unknown" (with its
    StateChange row) so that it stops counting in its system's state and uptime; switched on, it runs at once."""
    from dieuhanh.monitoring.runner import state_change_record

    unknown = set(changes) - set(CHECK_FIELDS)
    if unknown:
        raise TypeError(f"check_update() got unexpected fields: {', '.join(sorted(unknown))}")
    check = Check.objects.select_for_update().select_related("system").get(pk=check.pk)
    _require_manager(user, check.system.owner, "system")
    _clean_text(changes)
    was_active, old_kind = check.active, check.kind
    for field, value in changes.items():
        setattr(check, field, value.strip() if isinstance(value, str) and field != "keyword" else value)
    _normalise_check(check)
    check.full_clean(exclude=["heartbeat_token"])
    _check_kind_rules(check)
    now = timezone.now()
    if check.kind != old_kind:
        check.consecutive_failures = check.consecutive_successes = 0
        check.heartbeat_token = check.heartbeat_token if check.kind == Check.Kind.HEARTBEAT else None
    if was_active and not check.active and check.state != State.UNKNOWN:
        state_change_record(check=check, new=State.UNKNOWN, at=now, error="")
        check.consecutive_failures = check.consecutive_successes = 0
    if check.active and (not was_active or check.kind != old_kind):
        check.next_run_at = now
    check.save()
    _system_state_refresh(check.system, now=now)
    return check


# --- heartbeats ---------------------------------------------------------------------------------------------------

def heartbeat_receive(token: str, *, now: dt.datetime | None = None) -> Check | None:
    """A system (or its scheduled job) says it is alive: record a success for the heartbeat check with `token`.
    Returns the check, or None for an unknown or switched-off token (the caller answers 404)."""
    from dieuhanh.monitoring.runner import result_record

    now = now or timezone.now()
    if not token or len(token) > 64:
        return None
    with transaction.atomic():
        check = (Check.objects.select_for_update(of=("self",)).select_related("system")
                 .filter(heartbeat_token=token, kind=Check.Kind.HEARTBEAT, active=True, system__active=True)
                 .first())
        if check is None:
            return None
        result_record(check=check, at=now, ok=True, response_ms=None, error="")
        return check


# --- maintenance windows ------------------------------------------------------------------------------------------

def _window_rules(window: MaintenanceWindow) -> None:
    problems: dict[str, str] = {}
    one_off = window.starts_at is not None or window.ends_at is not None
    recurring = bool(window.weekdays) or window.start_time is not None or window.duration_minutes
    if one_off and recurring:
        problems["weekdays"] = _("A window is either one-off (start and end) or recurring (weekdays, start time "
                                 "and duration), not both.")
    elif one_off:
        if window.starts_at is None or window.ends_at is None:
            problems["ends_at" if window.starts_at else "starts_at"] = _("Enter both the start and the end.")
        elif window.ends_at <= window.starts_at:
            problems["ends_at"] = _("The end must be after the start.")
    elif recurring:
        try:
            if not parse_weekdays(window.weekdays):
                problems["weekdays"] = _("Choose at least one weekday.")
        except ValueError:
            problems["weekdays"] = _("Weekdays are numbers from 0 (Monday) to 6 (Sunday) separated by commas.")
        if window.start_time is None:
            problems["start_time"] = _("Enter the local start time.")
        if not window.duration_minutes:
            problems["duration_minutes"] = _("Enter the duration in minutes.")
        elif window.duration_minutes > 7 * 24 * 60:
            problems["duration_minutes"] = _("A recurring window lasts at most a week.")
        if window.valid_from and window.valid_to and window.valid_to < window.valid_from:
            problems["valid_to"] = _("The last day cannot be before the first.")
    else:
        problems["starts_at"] = _("Enter a start and an end, or the weekdays, start time and duration.")
    if problems:
        raise ValidationError(problems)


def _window_systems(user, systems: Iterable[System]) -> list[System]:
    systems = list(systems)
    if not systems:
        raise ValidationError({"systems": _("Choose at least one system.")})
    for system in systems:
        _require_manager(user, system.owner, "systems")
    return systems


@transaction.atomic
def maintenance_create(*, user, name: str, systems: Iterable[System], starts_at: dt.datetime | None = None,
                       ends_at: dt.datetime | None = None, weekdays: str | Iterable[int] = "",
                       start_time: dt.time | None = None, duration_minutes: int | None = None,
                       valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                       note: str = "") -> MaintenanceWindow:
    """Plan maintenance of `systems`: one-off (starts_at, ends_at) or recurring (weekdays as Python numbers, a
    local start time in Asia/Ho_Chi_Minh, a duration in minutes, optionally between valid_from and valid_to)."""
    if not isinstance(weekdays, str):
        weekdays = ",".join(str(d) for d in weekdays)
    window = MaintenanceWindow(name=(name or "").strip(), starts_at=starts_at, ends_at=ends_at,
                               weekdays=weekdays.replace(" ", ""), start_time=start_time,
                               duration_minutes=duration_minutes, valid_from=valid_from, valid_to=valid_to,
                               note=(note or "").strip(), created_by=user)
    _clean_text({"name": window.name, "note": window.note})
    systems = _window_systems(user, systems)
    window.full_clean()
    _window_rules(window)
    if window.weekdays:
        window.weekdays = ",".join(str(d) for d in parse_weekdays(window.weekdays))
    window.save()
    window.systems.set(systems)
    return window


@transaction.atomic
def maintenance_update(*, window: MaintenanceWindow, user, systems: Iterable[System] | None = None,
                       **changes) -> MaintenanceWindow:
    unknown = set(changes) - set(WINDOW_FIELDS)
    if unknown:
        raise TypeError(f"maintenance_update() got unexpected fields: {', '.join(sorted(unknown))}")
    window = MaintenanceWindow.objects.select_for_update().get(pk=window.pk)
    for system in window.systems.all():
        _require_manager(user, system.owner, "systems")
    if "weekdays" in changes and not isinstance(changes["weekdays"], str):
        changes["weekdays"] = ",".join(str(d) for d in changes["weekdays"])
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    _clean_text(changes)
    for field, value in changes.items():
        setattr(window, field, value)
    window.full_clean()
    _window_rules(window)
    window.save()
    if systems is not None:
        window.systems.set(_window_systems(user, systems))
    return window


@transaction.atomic
def maintenance_end(*, window: MaintenanceWindow, user, now: dt.datetime | None = None) -> MaintenanceWindow:
    """Stop a window now: a one-off ends now (the time it covered stays maintenance for the uptime); a recurring
    one applies no more from today on (valid_to becomes yesterday)."""
    now = now or timezone.now()
    window = MaintenanceWindow.objects.select_for_update().get(pk=window.pk)
    for system in window.systems.all():
        _require_manager(user, system.owner, "systems")
    if window.recurring:
        window.valid_to = min(window.valid_to or dt.date.max, timezone.localdate(now) - dt.timedelta(days=1))
        if window.valid_from and window.valid_to < window.valid_from:
            window.valid_from = window.valid_to
    elif window.ends_at and window.ends_at > now:
        window.ends_at = max(now, window.starts_at)
    window.save()
    return window


# --- incidents ----------------------------------------------------------------------------------------------------

def _locked_incident(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("system").get(pk=incident.pk)


@transaction.atomic
def incident_open(*, system: System, title: str, user, started_at: dt.datetime | None = None, error: str = "",
                  cause: str = "", actions: str = "", check: Check | None = None) -> Incident:
    """Open an outage by hand (`user` set) or for the runner (`user` None). One ongoing outage per system."""
    if user is not None:
        _require_manager(user, system.owner, "system")
    now = timezone.now()
    started_at = started_at or now
    problems = {}
    if not (title or "").strip():
        problems["title"] = _("Enter a title saying what is not working.")
    if started_at > now + dt.timedelta(minutes=5):
        problems["started_at"] = _("The start cannot be in the future.")
    _clean_text({"title": title, "error": error, "cause": cause, "actions": actions})
    if Incident.objects.filter(system=system, ended_at__isnull=True).exclude(status=Incident.Status.CLOSED).exists():
        problems["system"] = _("This system already has an ongoing incident; add to it instead.")
    if problems:
        raise ValidationError(problems)
    incident = Incident(system=system, check=check, title=title.strip(), started_at=started_at, error=error,
                        cause=cause.strip(), actions=actions.strip(), opened_by=user)
    incident.full_clean(exclude=["check"])
    _save_unique(incident, "system", _("This system already has an ongoing incident; add to it instead."))
    return incident


@transaction.atomic
def incident_acknowledge(*, incident: Incident, user) -> Incident:
    """The operator says they are on it."""
    incident = _locked_incident(incident)
    _require_manager(user, incident.system.owner, "system")
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError(_("This incident is closed."))
    if incident.status == Incident.Status.OPEN:
        incident.status = Incident.Status.ACKNOWLEDGED
        incident.acknowledged_by, incident.acknowledged_at = user, timezone.now()
        incident.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return incident


@transaction.atomic
def incident_note(*, incident: Incident, cause: str, actions: str, user) -> Incident:
    """Record the cause found and the actions taken (also after closing: the report is often written later)."""
    incident = _locked_incident(incident)
    _require_manager(user, incident.system.owner, "system")
    _clean_text({"cause": cause, "actions": actions})
    incident.cause, incident.actions = (cause or "").strip(), (actions or "").strip()
    incident.full_clean(exclude=["check"])
    incident.save(update_fields=["cause", "actions"])
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, user) -> Incident:
    """Close the incident. One closed while its system is still down ends now (its duration stops growing); the
    runner does not reopen it, and opens a new one only at the next outage."""
    incident = _locked_incident(incident)
    _require_manager(user, incident.system.owner, "system")
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError(_("This incident is already closed."))
    now = timezone.now()
    incident.status, incident.closed_at, incident.closed_by = Incident.Status.CLOSED, now, user
    incident.ended_at = incident.ended_at or now
    incident.save(update_fields=["status", "closed_at", "closed_by", "ended_at"])
    return incident


# --- housekeeping (daily jobs) ------------------------------------------------------------------------------------

def results_purge(*, before: dt.datetime, batch: int = 5000) -> int:
    """Delete raw results older than `before`, `batch` rows per transaction, so the worker recording new results
    is never blocked for long. Check by check: the (check, at) index finds each one's old rows without scanning
    the table (a thousand checks a minute make 43 million rows in 30 days). Returns how many were deleted."""
    deleted = 0
    for check_id in Check.objects.values_list("pk", flat=True).iterator():
        while True:
            ids = list(CheckResult.objects.filter(check_id=check_id, at__lt=before).order_by("at")
                       .values_list("pk", flat=True)[:batch])
            if not ids:
                break
            with transaction.atomic():
                deleted += CheckResult.objects.filter(pk__in=ids).delete()[0]
    return deleted
