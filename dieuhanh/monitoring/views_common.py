"""What the monitoring pages share: who sees and manages which system (core's selectors), the look of a state,
and the 90-day bars written compactly for the page's script."""

from __future__ import annotations

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from dieuhanh.lib.vnformat import format_percent
from dieuhanh.monitoring import selectors
from dieuhanh.monitoring.models import State

# Bootstrap colour of each state: the badge, the wall tile's edge.
STATE_COLOURS = {State.UP: "success", State.DOWN: "danger", State.PENDING: "warning", State.MAINTENANCE: "info",
                 State.UNKNOWN: "secondary"}
# The board lists the systems in trouble first.
STATE_ORDER = {State.DOWN: 0, State.PENDING: 1, State.MAINTENANCE: 2, State.UNKNOWN: 3, State.UP: 4}


# Who sees and manages what is core's (selectors.py); the pages ask it under these names.
visible_systems = selectors.systems_visible
manageable_systems = selectors.systems_manageable
public_systems = selectors.public_systems
may_manage = selectors.can_manage
system_or_404 = selectors.system_or_404


_CENT = Decimal("0.01")


@functools.lru_cache(maxsize=4096)  # a board of a thousand systems writes "100,00%" most of its 3,000 times
def uptime_text(ratio: float | None) -> str:
    """99,95% — two decimals, since 99,9% and 99,99% are a month's 43 minutes apart. format_percent's rounding
    (half up from the float's shortest repr) without its grouping, which a ratio never needs (tested)."""
    percent = None if ratio is None else ratio * 100
    if percent is None or not 0 <= percent < 1000:
        return format_percent(percent, 2)
    return f"{Decimal(repr(percent)).quantize(_CENT, rounding=ROUND_HALF_UP):.2f}".replace(".", ",") + "%"


def bars_data(bars: list[tuple[datetime.date, float | None]]) -> str:
    """The days' uptime as the page's script reads it: the first date, then each day's percent or "-" (no data):
    "2026-09-05;100,100,99.31,-,…" — a few hundred bytes a system where 90 elements would be several kilobytes.
    The board's bars (views_figures.Bars) come with it written already, the kept days' part kept as text."""
    if getattr(bars, "text", None):
        return bars.text
    if not bars:
        return ""
    values = ",".join("-" if r is None else ("100" if r >= 1 else f"{r * 100:.2f}") for _d, r in bars)
    return f"{bars[0][0].isoformat()};{values}"


def bars_summary(bars) -> float | None:
    """The text beside the bars when scripts are off: the uptime over the bars' days, measured in time like every
    figure (views_figures.Bars.total); for bare (date, ratio) pairs the mean of the days with data."""
    total = getattr(bars, "total", None)
    if total is not None:
        return total.ratio
    known = [r for _d, r in bars if r is not None]
    return sum(known) / len(known) if known else None


def duration_text(delta: datetime.timedelta) -> str:
    """"3 ngày 4 giờ", "2 giờ 15 phút", "5 phút": the two largest parts are what an operator reads."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


def with_durations(incidents):
    """The incidents, each with `duration_text` for the tables."""
    incidents = list(incidents)
    for incident in incidents:
        incident.duration_text = duration_text(incident.duration)
    return incidents
