"""The pages' uptime figures, from core's one definition (uptime.Timeline): the board's 90 daily bars and 24-hour
and 30-day uptime for any number of systems in a fixed number of queries (never one per system), and a system's
uptime table.

The board reads the 89 finished days from the kept days (uptime_days.py, brought up to date there) and measures
live only what is not finished: today, the last 24 hours, and the first, partial day of the 30. Kept days and
live pieces are Spans in whole microseconds, so the 30 days add up to exactly what Timeline.figure gives over
the same time (the tests compare them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.monitoring.models import LOCAL_TZ, State, System
from dieuhanh.monitoring.runner.records import STATE_RANK
from dieuhanh.monitoring.selectors import WINDOWS, Timeline
from dieuhanh.monitoring.uptime import (
    Scope,
    Span,
    changes_between,
    local_midnight,
    maintenance_of,
    pieces_of,
    spans_us,
    system_filter,
    us,
    window_intervals,
)
from dieuhanh.monitoring.uptime_days import BAR_DAYS, MONTH_DAYS, Kept, bar_text, kept_days


class Bars(list):
    """The days' (date, ratio) pairs, with `text` (what the page's script reads: "first date;p1,p2,…") and `total`
    (the Span of all the days: the summary beside the bars is their uptime measured in time)."""

    text: str = ""
    total: Span = Span()


@dataclass(slots=True)  # slotted: a board holds a thousand, fewer objects for the collector
class Figures:
    """One system's bars and its uptime ratios over the last 24 hours and 30 days."""

    kept: Kept | None = None
    first_day: datetime.date | None = None
    today: Span = field(default_factory=Span)
    day: float | None = None
    month: float | None = None

    @property
    def bars(self) -> Bars:
        """Built on demand (a system's page); the board reads `bars_text` and `bars_total` without it."""
        spans = self._kept_spans() + [self.today]
        bars = Bars((self.first_day + datetime.timedelta(days=i), s.ratio) for i, s in enumerate(spans))
        bars.text, bars.total = self.bars_text, self.bars_total
        return bars

    def _kept_spans(self) -> list[Span]:
        if self.kept is None:
            return []
        skip = (self.first_day - self.kept.first_day).days
        return self.kept.spans()[skip:]

    @property
    def bars_text(self) -> str:
        if self.first_day is None:
            return ""
        kept = ""
        skip = (self.first_day - self.kept.first_day).days if self.kept is not None else 0
        if self.kept is not None and skip < self.kept.count:
            kept = (self.kept.bars if skip <= 0 else ",".join(self.kept.bars.split(",")[skip:])) + ","
        return f"{self.first_day.isoformat()};{kept}{bar_text(self.today)}"

    @property
    def bars_total(self) -> Span:
        kept = self.kept.total(self.first_day) if self.kept is not None else Span()
        return kept + self.today


def board_figures(systems: QuerySet[System] | list[int] | Scope, *, now: datetime.datetime | None = None,
                  days: int = BAR_DAYS) -> dict[int, Figures]:
    """{system id: Figures} for every system of `systems` (a query, ids or a Scope), `days` bars (at most
    BAR_DAYS)."""
    now = now or timezone.now()
    days = max(min(days, BAR_DAYS), 1)
    today = now.astimezone(LOCAL_TZ).date()
    first = today - datetime.timedelta(days=days - 1)
    midnight, yesterday = local_midnight(today), local_midnight(today - datetime.timedelta(days=1))
    scope = system_filter(systems)
    ids, where = scope
    if not ids:
        return {}
    day_from, month_from = now - WINDOWS["24h"], now - WINDOWS["30d"]
    month_day = today - datetime.timedelta(days=MONTH_DAYS)  # the 30 days' first, partial day
    early = (local_midnight(month_day), local_midnight(month_day + datetime.timedelta(days=1)))
    # One load of the windows over the kept and the live days, for both.
    maintenance = maintenance_of(where, local_midnight(today - datetime.timedelta(days=BAR_DAYS - 1)), now)
    kept = kept_days(scope, now=now, maintenance=maintenance)
    # What is not finished, from the kept states where it begins and the changes since: the first day of the 30,
    # yesterday and today (the last 24 hours and today's bar).
    changes = changes_between(where, [early, (yesterday, now)])
    # In microseconds, converted once: the same bounds for every system.
    early_us = (us(early[0]), us(early[1]))
    live_us = (us(yesterday), us(now))
    month_edges = [us(max(month_from, early[0])), early_us[1]]
    day_edges = [us(day_from), us(midnight), live_us[1]]
    since = month_day + datetime.timedelta(days=1)
    # Most systems have neither a change nor a window in these hours: their pieces are one state each, whose spans
    # are the same for every such system (computed once per state, by the same function).
    steady: dict[tuple[str, str], tuple] = {}
    out = {}
    for pk in ids:
        k = kept[pk]
        found = changes.get(pk)
        windows = maintenance.get(pk)
        if not found and not windows:
            key = (_worst(k.month_text), _worst(k.day_text))
            if key not in steady:
                (month_first,) = spans_us([(*early_us, key[0])], [], month_edges)
                before, today_span = spans_us([(*live_us, key[1])], [], day_edges)
                steady[key] = (month_first + today_span, (before + today_span).ratio, today_span)
            live_part, day, today_span = steady[key]
            out[pk] = Figures(k, first, today_span, day, (live_part + k.total(since)).ratio)
            continue
        found = [(us(at), check, new) for at, check, new in found or ()]
        (month_first,) = spans_us(pieces_of(k.month_states, found, *early_us),
                                  _in_us(window_intervals(windows, *early)), month_edges)
        before, today_span = spans_us(pieces_of(k.day_states, found, *live_us),
                                      _in_us(window_intervals(windows, yesterday, now)), day_edges)
        out[pk] = Figures(k, first, today_span, (before + today_span).ratio,
                          (month_first + k.total(since) + today_span).ratio)
    return out


def _worst(states_text: str) -> str:
    """The worst of the checks' states in "id:state,…" (what pieces_of makes of them without changes)."""
    if states_text and "," not in states_text:  # one check
        return states_text.partition(":")[2]
    return max((x.partition(":")[2] for x in states_text.split(",")) if states_text else (),
               key=lambda s: STATE_RANK.get(s, 0), default=State.UNKNOWN)


def _in_us(intervals: list[tuple]) -> list[tuple[int, int]]:
    return [(us(a), us(b)) for a, b in intervals]


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
