"""API: heartbeats of the province's systems — a system (or its scheduled job) that holds an API key says it is
alive through the API instead of the check's secret URL (/systems/hb/<token>); both record the same success
(monitoring.services.heartbeat_receive), so the check, its state and its uptime do not care which way it came.

The call needs a read-write key whose units include the system's owner unit (its reporters, approvers, operators
or administrators); a system outside the key's reach answers 404, as the pages do."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from dieuhanh.accounts.models import Role
from dieuhanh.api.errors import ApiError, ErrorOut
from dieuhanh.api.values_import import no_nul
from dieuhanh.monitoring.models import Check, System
from dieuhanh.monitoring.services import heartbeat_receive

router = Router(tags=["systems"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
HEARTBEAT_ROLES = (Role.REPORTER, Role.APPROVER, Role.OPERATOR)


class HeartbeatIn(Schema):
    check: str = Field("", max_length=200, description="the heartbeat check's name; may be left out when the "
                                                          "system has one active heartbeat check")


class HeartbeatOut(Schema):
    system: str = Field(description="the system's code")
    check: str = Field(description="the heartbeat check's name")
    state: str = Field(description="the check's state after this heartbeat: up | pending | down | maintenance | "
                                   "unknown (a check that was down needs its successes before it is up again)")
    received_at: datetime.datetime
    late_after: datetime.datetime | None = Field(description="the check goes late if no heartbeat arrives by then "
                                                             "(its period plus the grace time)")


def _heartbeat_check(request, code: str, name: str) -> Check:
    request.auth.require_write()
    try:
        system = System.objects.get(code=code, active=True,
                                    owner__in=request.auth.units(*HEARTBEAT_ROLES).values("pk"))
    except System.DoesNotExist as exc:
        raise Http404 from exc
    checks = list(system.checks.filter(kind=Check.Kind.HEARTBEAT, active=True).order_by("name", "pk"))
    if name:
        checks = [c for c in checks if c.name == name]
    if len(checks) == 1:
        return checks[0]
    if not checks:
        message = (_("The system %(system)s has no active heartbeat check named “%(check)s”") if name
                   else _("The system %(system)s has no active heartbeat check")) % {"system": code, "check": name}
        raise ApiError(422, "E_NO_HEARTBEAT_CHECK", message, field="check" if name else None)
    raise ApiError(422, "E_CHECK_AMBIGUOUS", _(
        "The system %(system)s has several heartbeat checks: name one of them (%(names)s)") % {
        "system": code, "names": ", ".join(c.name for c in checks)}, field="check")


@router.post("/{code}/heartbeat", response={200: HeartbeatOut, **ERRORS},
             summary="Say that a system (or its scheduled job) is alive")
def system_heartbeat(request, code: str, payload: HeartbeatIn | None = None):
    """Record a heartbeat for the system's heartbeat check, as a call of the check's URL does. Needs a read-write
    key whose units include the system's owner unit. With several heartbeat checks, name one in `check`."""
    name = payload.check.strip() if payload else ""
    no_nul(code, name)
    check = _heartbeat_check(request, code, name)
    received = heartbeat_receive(check.heartbeat_token)
    if received is None:  # switched off between the two reads
        raise Http404
    received.refresh_from_db(fields=["state", "last_ok_at", "next_run_at"])
    return HeartbeatOut(system=code, check=received.name, state=received.state, received_at=received.last_ok_at,
                        late_after=received.next_run_at)
