"""Reads of the information-security incident register, scoped by the user's units.

Operators (and administrators) on the incident's reporting unit or above manage it; leaders there see it; anyone
else gets 404, so an incident of another unit does not even show that it exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.monitoring.models import System, SystemMonth
from dieuhanh.monitoring.models_security import Deadline, ReportingRule, SecurityIncident
from dieuhanh.monitoring.selectors import systems_visible
from dieuhanh.monitoring.uptime import UptimeFigure
from dieuhanh.orgunits.models import OrgUnit

MANAGE_ROLES = (Role.OPERATOR,)  # administrators are implied by units_in_scope
READ_ROLES = (Role.OPERATOR, Role.LEADER)


def security_units_managed(user) -> QuerySet[OrgUnit]:
    return units_in_scope(user, *MANAGE_ROLES)


def security_units_visible(user) -> QuerySet[OrgUnit]:
    return units_in_scope(user, *READ_ROLES)


def security_incidents_visible(user) -> QuerySet[SecurityIncident]:
    return SecurityIncident.objects.filter(orgunit__in=security_units_visible(user))


def security_incident_or_404(user, pk) -> SecurityIncident:
    try:
        return security_incidents_visible(user).select_related("orgunit", "created_by").get(pk=pk)
    except (SecurityIncident.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def security_can_manage(user, incident: SecurityIncident) -> bool:
    return security_units_managed(user).filter(pk=incident.orgunit_id).exists()


def security_systems_choosable(user) -> QuerySet[System]:
    """Systems an incident of this user may name as affected: those the user sees (core's one definition). A
    leader's or operator's shared system owned above an operator's unit is not among them: such an incident is the
    province operator's to record."""
    return systems_visible(user).order_by("name")


def security_incidents_filtered(
    user, *, year: int | None = None, status: str = "", serious: bool | None = None
) -> QuerySet[SecurityIncident]:
    """The register page's rows: the user's incidents detected in `year` (local time), in `status`, serious or not."""
    incidents = security_incidents_visible(user).select_related("orgunit").prefetch_related("systems")
    if year:
        start, end = _year_bounds(year)
        incidents = incidents.filter(detected_at__gte=start, detected_at__lt=end)
    if status:
        incidents = incidents.filter(status=status)
    if serious is not None:
        incidents = incidents.filter(serious=serious)
    return incidents.order_by("-detected_at", "-id")


def security_incident_years(user) -> list[int]:
    """The years with incidents the user sees, newest first, and the current year whatever the data."""
    years = {timezone.localtime(at).year for at in security_incidents_visible(user).values_list(
        "detected_at", flat=True)}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- deadlines ----------------------------------------------------------------------------------------------------
def reporting_rules_for(incident: SecurityIncident, rules: list[ReportingRule] | None = None) -> list[ReportingRule]:
    """The rules in force on the day the incident was detected (from `rules` when a list page read them once)."""
    day = incident.detected_on
    if rules is None:
        rules = list(ReportingRule.objects.order_by("order", "code"))
    return [rule for rule in rules if rule.applies_on(day)]


def deadlines(incident: SecurityIncident, today: datetime.date | None = None, *,
              rules: list[ReportingRule] | None = None) -> list[Deadline]:
    """Each applicable rule's due date, days left (negative when overdue) and whether its report was recorded."""
    today = today or timezone.localdate()
    return [rule.deadline(incident, today) for rule in reporting_rules_for(incident, rules)]


def security_overdue_reports(units=None, today: datetime.date | None = None
                             ) -> list[tuple[SecurityIncident, Deadline]]:
    """Reports past their deadline and not recorded as sent, for `units` (None: all): the one definition of an
    overdue incident report, for the register, the overview and alerts alike."""
    today = today or timezone.localdate()
    rules = list(ReportingRule.objects.order_by("order", "code"))
    # Only incidents still missing a report can be overdue.
    incidents = SecurityIncident.objects.filter(Q(initial_report_date__isnull=True) | Q(
        closing_report_date__isnull=True)).select_related("orgunit").order_by("detected_at", "id")
    if units is not None:
        incidents = incidents.filter(orgunit__in=units)
    return [(incident, deadline) for incident in incidents
            for deadline in deadlines(incident, today, rules=rules) if deadline.overdue]


# --- the year's figures -------------------------------------------------------------------------------------------
def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz))


@dataclass
class SecurityYearFigures:
    year: int
    incidents: int
    serious: int
    open: int
    closed: int
    # (system, its year's figure) for each active system in scope, by name: "downtime per system" of the report.
    downtime: list[tuple[System, UptimeFigure]] = field(default_factory=list)


def security_year_figures(year: int, units=None) -> SecurityYearFigures:
    """The year's figures for the overview and the year-end report ("số sự cố nghiêm trọng", downtime per system):
    incidents detected in `year` (local time) reported by `units` (None: the whole register), how many were judged
    serious, how many are still open and closed; and each active system's downtime in the year from the monthly
    figures (`SystemMonth`, kept for ever and refreshed by the daily job, as `uptime.uptime_year` reads them, but
    for all systems in one query), for the systems owned by `units`.

    Not scoped to a person: callers pass the units the reader may see (`units_in_scope`)."""
    start, end = _year_bounds(year)
    incidents = SecurityIncident.objects.filter(detected_at__gte=start, detected_at__lt=end)
    systems = System.objects.filter(active=True)
    if units is not None:
        incidents = incidents.filter(orgunit__in=units)
        systems = systems.filter(owner__in=units)
    counts = incidents.aggregate(
        total=Count("id"),
        serious=Count("id", filter=Q(serious=True)),
        closed=Count("id", filter=Q(status=SecurityIncident.Status.CLOSED)),
    )
    months = (
        SystemMonth.objects.filter(system__in=systems, month__year=year)
        .values("system_id")
        .annotate(down=Sum("down_seconds"), maintenance=Sum("maintenance_seconds"), counted=Sum("counted_seconds"))
    )
    by_system = {row["system_id"]: row for row in months}
    downtime = []
    for system in systems.order_by("name"):
        row = by_system.get(system.pk) or {"down": 0, "maintenance": 0, "counted": 0}
        counted = row["counted"] or 0
        ratio = (counted - row["down"]) / counted if counted else None
        downtime.append((system, UptimeFigure(ratio, row["down"] or 0, row["maintenance"] or 0, counted)))
    return SecurityYearFigures(
        year=year, incidents=counts["total"], serious=counts["serious"], open=counts["total"] - counts["closed"],
        closed=counts["closed"], downtime=downtime,
    )
