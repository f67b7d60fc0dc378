"""Recording a result: the raw row, the check's state machine, its system's state, and the system's incident.

A check's state (thresholds as in Gatus):
- a failure while up (or unknown) makes it "pending"; `failures_to_down` failures in a row make it "down";
- a success makes a pending or unknown check "up" at once; a down check needs `successes_to_up` in a row;
- inside an active maintenance window the result is recorded and the counters move, but the state is
  "maintenance" and no incident opens; after the window the counters decide at once.
A heartbeat is already confirmed by its grace time: one late evaluation makes it down, one ping makes it up.

The system's state is the worst of its active checks' (down > pending > maintenance > up > unknown). A system
going down opens an incident with the check's error (one ongoing per system); coming back up sets its
`ended_at`; an operator closes it. Every change of a check's state is a StateChange row: uptime is computed from
them, and the alerts read them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.dashboard import datacache
from dieuhanh.monitoring.models import Check, CheckResult, Incident, MaintenanceWindow, State, StateChange, System
from dieuhanh.monitoring.signals import system_state_changed

STATE_RANK = {State.UNKNOWN: 0, State.UP: 1, State.MAINTENANCE: 2, State.PENDING: 3, State.DOWN: 4}


def worst_state(states) -> str:
    return max(states, key=lambda s: STATE_RANK.get(s, 0), default=State.UNKNOWN)


def system_state_of(system: System) -> str:
    """The one definition of a system's state: the worst of its active checks' states."""
    return worst_state(Check.objects.filter(system=system, active=True).values_list("state", flat=True))


def in_maintenance(system_id: int, at: dt.datetime) -> bool:
    """Whether a maintenance window of the system covers `at`."""
    windows = MaintenanceWindow.objects.filter(systems=system_id).filter(
        Q(starts_at__lte=at, ends_at__gt=at) | ~Q(weekdays=""))
    return any(window.covers(at) for window in windows)


def thresholds(check: Check) -> tuple[int, int]:
    if check.kind == Check.Kind.HEARTBEAT:
        return 1, 1
    return max(1, check.failures_to_down), max(1, check.successes_to_up)


def next_state(check: Check, *, ok: bool, maintenance: bool) -> str:
    """The check's state after its counters took in one more result (the counters are already updated)."""
    if maintenance:
        return State.MAINTENANCE
    to_down, to_up = thresholds(check)
    if ok:
        if check.state == State.DOWN and check.consecutive_successes < to_up:
            return State.DOWN
        return State.UP
    if check.state == State.DOWN or check.consecutive_failures >= to_down:
        return State.DOWN
    return State.PENDING


def state_change_record(*, check: Check, new: str, at: dt.datetime, error: str) -> StateChange:
    """Record the check's change of state (the caller saves the check)."""
    change = StateChange.objects.create(check=check, system_id=check.system_id, at=at, old=check.state, new=new,
                                        error=error)
    check.state, check.state_since = new, at
    return change


def result_record(*, check: Check, at: dt.datetime, ok: bool, response_ms: int | None, error: str,
                  cert_expires_at: dt.datetime | None = None, started: dt.datetime | None = None,
                  maintenance: bool | None = None) -> str:
    """Record one result of `check` (a row the caller has locked) and everything that follows from it; returns the
    check's new state. Releases the check's claim and schedules its next run."""
    with transaction.atomic(savepoint=False):
        error = (error or "").replace("\x00", "")
        with datacache.unchanged_figures():  # a result shows on the system's page, not on the leaders' pages
            CheckResult.objects.create(check=check, at=at, ok=ok, response_ms=response_ms, error=error)
        if ok:
            check.consecutive_successes += 1
            check.consecutive_failures = 0
            check.last_ok_at = at
        else:
            check.consecutive_failures += 1
            check.consecutive_successes = 0
        if maintenance is None:
            maintenance = in_maintenance(check.system_id, at)
        new = next_state(check, ok=ok, maintenance=maintenance)
        changed = new != check.state
        if changed:
            state_change_record(check=check, new=new, at=at, error=error)
        check.last_checked_at, check.last_error, check.last_response_ms = at, error, response_ms
        if cert_expires_at is not None:
            check.cert_expires_at = cert_expires_at
        if check.kind == Check.Kind.HEARTBEAT:
            # The next look is when it would be late; a late one is looked at again every interval.
            late_after = dt.timedelta(seconds=check.period_seconds + check.grace_seconds)
            check.next_run_at = (at + late_after) if ok else at + dt.timedelta(seconds=check.interval_seconds)
        else:
            check.next_run_at = (started or at) + dt.timedelta(seconds=check.interval_seconds)
        check.claimed_until, check.claim_token = None, ""
        # The check's last run and next run: bookkeeping, unless its state moved (the state change above has then
        # given the data a new version already).
        with datacache.unchanged_figures():
            check.save(update_fields=[
                "state", "state_since", "consecutive_failures", "consecutive_successes", "last_checked_at",
                "last_ok_at", "last_error", "last_response_ms", "cert_expires_at", "next_run_at", "claimed_until",
                "claim_token"])
        if changed:  # the worst of the checks' states can only move when one of them does
            system_follow(system_id=check.system_id, at=at, check=check, error=error)
        return new


def system_follow(*, system_id: int, at: dt.datetime, check: Check | None = None, error: str = "") -> str:
    """Bring the system's state in line with its checks; open or end its incident. The system row is locked so
    that two workers finishing checks of one system at once take turns."""
    system = System.objects.select_for_update().get(pk=system_id)
    old, new = system.state, system_state_of(system)
    if new == old:
        return new
    System.objects.filter(pk=system.pk).update(state=new, state_since=at)
    system_state_changed.send(sender=System, system_id=system.pk, old=old, new=new, at=at)
    ongoing = Incident.objects.filter(system=system, ended_at__isnull=True).exclude(status=Incident.Status.CLOSED)
    if new == State.DOWN:
        incident = ongoing.first()
        if incident is None:
            Incident.objects.create(
                system=system, check=check, started_at=at, error=error,
                title=_("%(system)s is down") % {"system": system.name})
        elif not incident.error:  # one opened by hand before the checks confirmed it: give it the error
            Incident.objects.filter(pk=incident.pk).update(error=error, check=check)
    elif old in (State.DOWN, State.MAINTENANCE) and new in (State.UP, State.PENDING):
        ongoing.update(ended_at=at)
    return new


def heartbeat_evaluate(*, check: Check, now: dt.datetime) -> str | None:
    """The worker's look at a heartbeat check (a row the caller has locked): late when now is past the last ping
    plus its period plus its grace time. Records a failure only when it changes something; a check that never
    pinged stays unknown (as healthchecks' "new"). Returns the new state, or None when nothing was recorded."""
    release = {"claimed_until": None, "claim_token": ""}
    if check.last_ok_at is None:
        Check.objects.filter(pk=check.pk).update(
            next_run_at=now + dt.timedelta(seconds=check.period_seconds + check.grace_seconds), **release)
        return None
    due = check.last_ok_at + dt.timedelta(seconds=check.period_seconds + check.grace_seconds)
    if now < due:
        Check.objects.filter(pk=check.pk).update(next_run_at=due, **release)
        return None
    maintenance = in_maintenance(check.system_id, now)
    if (check.state == State.DOWN and not maintenance) or (check.state == State.MAINTENANCE and maintenance):
        Check.objects.filter(pk=check.pk).update(
            next_run_at=now + dt.timedelta(seconds=check.interval_seconds), **release)
        return None
    last = timezone.localtime(check.last_ok_at).strftime("%H:%M %d/%m/%Y")
    error = _("No signal since %(time)s (period %(period)s min plus %(grace)s min grace)") % {
        "time": last, "period": check.period_seconds // 60, "grace": check.grace_seconds // 60}
    return result_record(check=check, at=now, ok=False, response_ms=None, error=error, maintenance=maintenance)

