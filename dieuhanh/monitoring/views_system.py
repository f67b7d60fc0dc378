"""A system's page `/systems/<code>/`: its details (owner, category, security level and its approving document,
the operator's contacts, what it depends on and what depends on it), its checks with their state, last run, last
error and certificate expiry, the response-time chart for 24 hours or 7 days, the uptime table and its incidents.
A system outside the user's units answers 404."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dieuhanh.monitoring.forms import window_text
from dieuhanh.monitoring.models import System
from dieuhanh.monitoring.selectors import response_series
from dieuhanh.monitoring.services import parse_warn_days
from dieuhanh.monitoring.views_common import (
    STATE_COLOURS,
    bars_data,
    bars_summary,
    may_manage,
    system_or_404,
    uptime_text,
    visible_systems,
    with_durations,
)
from dieuhanh.monitoring.views_figures import board_figures, uptime_table

# The chart's range and its number of points: five-minute means over a day, hourly means over a week.
RANGES = {"24h": (datetime.timedelta(hours=24), 288), "7d": (datetime.timedelta(days=7), 168)}
INCIDENTS_SHOWN = 20


def response_chart(system: System, chosen: str, now: datetime.datetime) -> dict:
    """The chart's data: the system's mean response time (ms) per bucket, from core's response_series; a bucket
    without a successful probe is a gap, not a fast answer."""
    span, points = RANGES[chosen]
    start = now - span
    series = response_series(system, start, now, points=points)
    return {
        "start": int(start.timestamp() * 1000), "end": int(now.timestamp() * 1000),
        "series": [{"name": _("Response time (ms)"),
                    "data": [[int(at.timestamp() * 1000), ms] for at, ms in series]}],
        "labels": {"ms": "ms", "empty": _("No response times in this period.")},
    }


def cert_class(check, now: datetime.datetime) -> str:
    """The certificate's expiry in red when expired or inside the last warning, amber inside the first."""
    if check.cert_expires_at is None:
        return ""
    try:
        days = sorted(parse_warn_days(check.cert_warn_days)) or [30]
    except ValueError:
        days = [30]
    left = check.cert_expires_at - now
    if left <= datetime.timedelta(days=days[0]):
        return "text-danger fw-semibold"
    return "text-warning-emphasis" if left <= datetime.timedelta(days=days[-1]) else ""


@login_required
@require_GET
def system_detail(request, code: str):
    system = system_or_404(request.user, code)
    now = timezone.now()
    chosen = request.GET.get("range") if request.GET.get("range") in RANGES else "24h"
    checks = list(system.checks.order_by("name", "pk"))
    figures = board_figures(System.objects.filter(pk=system.pk), now=now)[system.pk]
    visible = visible_systems(request.user)
    return render(request, "monitoring/system.html", {
        "system": system,
        "colour": STATE_COLOURS.get(system.state, "secondary"),
        "checks": [(c, STATE_COLOURS.get(c.state, "secondary"), cert_class(c, now)) for c in checks],
        "windows": [(w, window_text(w)) for w in system.maintenance_windows.order_by("-created_at", "-pk")[:10]],
        "row": {"bars": bars_data(figures.bars), "bars_mean": uptime_text(bars_summary(figures.bars))},
        "uptime": [(label, uptime_text(ratio)) for label, ratio in uptime_table(system, now=now)],
        "chart": response_chart(system, chosen, now),
        "range": chosen,
        "depends_on": system.depends_on.filter(pk__in=visible.values("pk")).order_by("name"),
        "dependents": system.dependents.filter(pk__in=visible.values("pk")).order_by("name"),
        "incidents": with_durations(system.incidents.order_by("-started_at")[:INCIDENTS_SHOWN]),
        "incident_count": system.incidents.count(),
        "manages": may_manage(request.user, system),
        "now": now,
    })
