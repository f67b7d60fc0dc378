"""The pages' uptime figures, from core's one definition (uptime.Timeline): the board's 90 daily bars and 24-hour
and 30-day uptime for any number of systems from one load of their state changes (a fixed number of queries,
never one per system), and a system's uptime table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.monitoring.models import LOCAL_TZ, System
from dieuhanh.monitoring.selectors import WINDOWS, Timeline
from dieuhanh.monitoring.uptime import local_midnight

BAR_DAYS = 90


@dataclass
class Figures:
    """One system's bars (date, ratio or None) and its uptime ratios over the last 24 hours and 30 days."""

    bars: list[tuple[datetime.date, float | None]] = field(default_factory=list)
    day: float | None = None
    month: float | None = None


def board_figures(systems: QuerySet[System] | list[int], *, now: datetime.datetime | None = None,
                  days: int = BAR_DAYS) -> dict[int, Figures]:
    """{system id: Figures} for every system of `systems`, from one Timeline."""
    now = now or timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    first = today - datetime.timedelta(days=days - 1)
    ids = list(systems.values_list("pk", flat=True)) if isinstance(systems, QuerySet) else list(systems)
    start = min(local_midnight(first), now - WINDOWS["30d"])
    timeline = Timeline(ids, start, now, now=now)
    bounds = [local_midnight(first + datetime.timedelta(days=i)) for i in range(days + 1)]
    out = {}
    for pk in ids:
        out[pk] = Figures(
            bars=[(first + datetime.timedelta(days=i), timeline.figure(pk, bounds[i], bounds[i + 1]).ratio)
                  for i in range(days)],
            day=timeline.figure(pk, now - WINDOWS["24h"], now).ratio,
            month=timeline.figure(pk, now - WINDOWS["30d"], now).ratio,
        )
    return out


def uptime_table(system: System, *, now: datetime.datetime | None = None) -> list[tuple[str, float | None]]:
    """(label, ratio) for the last 24 hours, 7, 30 and 90 days, then each month of this year, latest first."""
    now = now or timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    year_start = local_midnight(today.replace(month=1, day=1))
    timeline = Timeline([system.pk], min(year_start, now - WINDOWS["90d"]), now, now=now)
    labels = {"24h": _("24 hours"), "7d": _("7 days"), "30d": _("30 days"), "90d": _("90 days")}
    rows: list[tuple[str, float | None]] = [
        (labels[key], timeline.figure(system.pk, now - length, now).ratio) for key, length in WINDOWS.items()]
    for month in range(today.month, 0, -1):
        first = local_midnight(today.replace(month=month, day=1))
        last = now if month == today.month else local_midnight(today.replace(month=month + 1, day=1))
        if system.created_at and last <= system.created_at:
            break  # months before the system was registered have nothing to say
        rows.append((_("Month %(month)s") % {"month": f"{month:02d}/{today.year}"},
                     timeline.figure(system.pk, first, last).ratio))
    return rows
