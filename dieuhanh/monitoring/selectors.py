"""Reads of the monitoring app, scoped to the person: leaders and operators (and administrators) on a unit see the
systems owned by that unit's subtree; operators and administrators manage them; the public sees the systems an
administrator opted in (`public=True`). A system outside the scope answers 404, never leaks.

Uptime figures live in uptime.py and are re-exported here for the pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.monitoring.models import Check, Incident, MaintenanceWindow, System
from dieuhanh.monitoring.uptime import (  # noqa: F401  (re-exported: the pages read them from here)
    WINDOWS,
    Timeline,
    UptimeFigure,
    daily_bars,
    daily_bars_many,
    months_of_year,
    response_series,
    uptime,
    uptime_windows,
    uptime_windows_many,
    uptime_year,
)

VIEW_ROLES = (Role.LEADER, Role.OPERATOR)  # administrators are always included by units_in_scope
MANAGE_ROLES = (Role.OPERATOR,)


def systems_visible(user) -> QuerySet[System]:
    """The systems `user` may see (active or not)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return System.objects.none()
    return System.objects.filter(owner__in=units_in_scope(user, *VIEW_ROLES))


def systems_manageable(user) -> QuerySet[System]:
    """The systems `user` may change, with their checks, maintenance and incidents."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return System.objects.none()
    return System.objects.filter(owner__in=units_in_scope(user, *MANAGE_ROLES))


def units_manageable(user):
    """The units under which `user` may register systems (the choices of a system's owner)."""
    return units_in_scope(user, *MANAGE_ROLES)


def can_manage(user, system: System) -> bool:
    return systems_manageable(user).filter(pk=system.pk).exists()


def public_systems() -> QuerySet[System]:
    """What the public status page shows: active systems an administrator opted in."""
    return System.objects.filter(public=True, active=True)


def system_or_404(user, code: str, *, manage: bool = False) -> System:
    systems = systems_manageable(user) if manage else systems_visible(user)
    try:
        return systems.select_related("owner").get(code=code)
    except (System.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def public_system_or_404(code: str) -> System:
    try:
        return public_systems().get(code=code)
    except (System.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def checks_visible(user) -> QuerySet[Check]:
    return Check.objects.filter(system__in=systems_visible(user)).select_related("system")


def check_or_404(user, pk, *, manage: bool = False) -> Check:
    systems = systems_manageable(user) if manage else systems_visible(user)
    try:
        return Check.objects.select_related("system").get(pk=pk, system__in=systems)
    except (Check.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def incidents_visible(user) -> QuerySet[Incident]:
    return Incident.objects.filter(system__in=systems_visible(user)).select_related("system", "check")


def incidents_public() -> QuerySet[Incident]:
    return Incident.objects.filter(system__in=public_systems()).select_related("system")


def incident_or_404(user, pk, *, manage: bool = False) -> Incident:
    systems = systems_manageable(user) if manage else systems_visible(user)
    try:
        return Incident.objects.select_related("system", "check").get(pk=pk, system__in=systems)
    except (Incident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def open_incidents(user) -> QuerySet[Incident]:
    """Incidents not yet closed (the outage may have ended and await the operator's closing)."""
    return incidents_visible(user).exclude(status=Incident.Status.CLOSED)


def maintenance_visible(user) -> QuerySet[MaintenanceWindow]:
    """Windows touching a system `user` may see."""
    return MaintenanceWindow.objects.filter(systems__in=systems_visible(user)).distinct()


def maintenance_or_404(user, pk, *, manage: bool = False) -> MaintenanceWindow:
    systems = systems_manageable(user) if manage else systems_visible(user)
    try:
        return MaintenanceWindow.objects.filter(systems__in=systems).distinct().get(pk=pk)
    except (MaintenanceWindow.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
