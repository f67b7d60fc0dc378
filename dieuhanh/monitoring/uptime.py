"""Uptime measured in time from the state changes (healthchecks' flips), not by counting probes: a burst of
retries in one hour must not weigh more than a quiet day.

Over [start, end) (clipped at now) a system's state at each moment is the worst of its checks' states then,
rebuilt from each check's last StateChange before `start` and the changes inside. Then:
- maintenance time: what its maintenance windows cover, and what it spent in the "maintenance" state; left out;
- unknown time: before its first result, or with no active check; left out too (nothing was measured);
- down time: time in the "down" state outside maintenance (a pending, unconfirmed failure is not down);
- counted = the rest plus the down time; ratio = (counted − down) / counted, None when nothing was counted.

Times are counted in whole microseconds (Span), so that the figures of consecutive ranges add up exactly to the
figure of the whole: the board's kept days (uptime_days.py) and a live figure over the same time agree.

Monthly figures are kept for ever in SystemMonth (filled every day by `system_months_update`), so that reports
for past years do not depend on the raw results, which are purged."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dieuhanh.monitoring.models import LOCAL_TZ, Check, CheckResult, MaintenanceWindow, State, StateChange, System
from dieuhanh.monitoring.runner.records import STATE_RANK

Interval = tuple[dt.datetime, dt.datetime]
Segment = tuple[dt.datetime, dt.datetime, str]


@dataclasses.dataclass(frozen=True)
class UptimeFigure:
    ratio: float | None  # 0..1; None when no time was counted
    down_seconds: int
    maintenance_seconds: int
    counted_seconds: int

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else self.ratio * 100


EMPTY = UptimeFigure(None, 0, 0, 0)


@dataclasses.dataclass(slots=True)  # not frozen: a board makes thousands, and frozen ones are slower to make
class Span:
    """The time of one range in whole microseconds: down, maintenance and counted. Integers, so that the spans of
    consecutive ranges add up to exactly the span of the whole (the kept days of uptime_days.py and a live figure
    over the same time agree to the microsecond, and so to the last digit of the ratio)."""

    down: int = 0
    maintenance: int = 0
    counted: int = 0

    def __add__(self, other: Span) -> Span:
        return Span(self.down + other.down, self.maintenance + other.maintenance, self.counted + other.counted)

    @property
    def ratio(self) -> float | None:
        return (self.counted - self.down) / self.counted if self.counted > 500_000 else None  # over half a second

    def figure(self) -> UptimeFigure:
        return UptimeFigure(self.ratio, round(self.down / 1e6), round(self.maintenance / 1e6),
                            round(self.counted / 1e6))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)


def us(moment: dt.datetime) -> int:
    """Microseconds since the epoch: the integers the spans are counted in."""
    return (moment - _EPOCH) // _US


def _union(intervals: Iterable[tuple]) -> list[tuple]:
    merged: list[tuple] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        elif s < e:
            merged.append((s, e))
    return merged


def _outside(a: int, b: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [a, b) outside the sorted, disjoint `holes`."""
    out, cursor = [], a
    for s, e in holes:
        if e <= cursor:
            continue
        if s >= b:
            break
        if s > cursor:
            out.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < b:
        out.append((cursor, b))
    return out


def _spread(intervals: Iterable[tuple[int, int]], bounds: list[int], into: list[int]) -> None:
    """Add each interval's length to the buckets [bounds[i], bounds[i+1]) it overlaps."""
    last = len(bounds) - 1
    for a, b in intervals:
        i = max(bisect.bisect_right(bounds, a) - 1, 0)
        while i < last and bounds[i] < b:
            length = min(b, bounds[i + 1]) - max(a, bounds[i])
            if length > 0:
                into[i] += length
            i += 1


# Plain strings: an enum member looked up on its class costs more than the comparison, a thousand systems over.
_DOWN, _UNKNOWN, _MAINTENANCE = State.DOWN.value, State.UNKNOWN.value, State.MAINTENANCE.value


def spans_of(pieces: list[Segment], windows: list[Interval], bounds: list[dt.datetime]) -> list[Span]:
    """The one definition of uptime over a range, for each bucket [bounds[i], bounds[i+1]) at once (one pass over
    the pieces, however many buckets): maintenance is what the windows cover and the time in the "maintenance"
    state; down and unknown time are counted outside it; counted = the bucket − maintenance − unknown."""
    return spans_us([(us(a), us(b), s) for a, b, s in pieces], [(us(a), us(b)) for a, b in windows],
                     [us(b) for b in bounds])


def spans_us(pieces: list[tuple[int, int, str]], windows: list[tuple[int, int]], edges: list[int]) -> list[Span]:
    """spans_of in microseconds since the epoch (see us): for callers that convert their moments once."""
    buckets = len(edges) - 1
    if buckets < 1:
        return []
    lo, hi = edges[0], edges[-1]
    clipped = []
    for a, b, state in pieces:
        a, b = max(a, lo), min(b, hi)
        if a < b:
            clipped.append((a, b, state))
    maintenance = _union([(max(a, lo), min(b, hi)) for a, b in windows]
                         + [(a, b) for a, b, s in clipped if s == _MAINTENANCE])
    held, down, unknown = [0] * buckets, [0] * buckets, [0] * buckets
    if maintenance:
        _spread(maintenance, edges, held)
    for a, b, state in clipped:
        if state == _DOWN:
            _spread(_outside(a, b, maintenance), edges, down)
        elif state == _UNKNOWN:
            _spread(_outside(a, b, maintenance), edges, unknown)
    return [Span(down[i], held[i], max(edges[i + 1] - edges[i], 0) - held[i] - unknown[i]) for i in range(buckets)]


class Scope(NamedTuple):
    """Systems as the queries take them: their ids, and what `system_id__in` filters with."""

    ids: list[int]
    where: object


def system_filter(systems) -> Scope:
    """The ids, and what a query filters `system_id__in` with: the systems' own query when they come as one (a
    sub-select, where a list of a thousand ids would be a thousand parameters). A Scope is passed on as it is."""
    if isinstance(systems, Scope):
        return systems
    if isinstance(systems, QuerySet):
        return Scope(list(systems.values_list("pk", flat=True)), systems.values("pk"))
    ids = [s if isinstance(s, int) else s.pk for s in systems]
    return Scope(ids, ids)


def states_at(where, moment: dt.datetime) -> dict[int, dict[int, str]]:
    """Each system's checks (all of them, active or not) and each one's state at `moment`: the `new` of its last
    StateChange before it, "unknown" when none. One query for any number of systems."""
    before = StateChange.objects.filter(check=OuterRef("pk"), at__lt=moment).order_by("-at", "-id").values("new")[:1]
    current: dict[int, dict[int, str]] = defaultdict(dict)
    for check_id, system_id, state in (Check.objects.filter(system_id__in=where).order_by()
                                       .annotate(state_then=Subquery(before))
                                       .values_list("pk", "system_id", "state_then")):
        current[system_id][check_id] = state or State.UNKNOWN
    return current


Change = tuple[dt.datetime, int, str]  # (at, check, new state)


def changes_between(where, ranges: list[Interval]) -> dict[int, list[Change]]:
    """Each system's state changes inside any of the [start, end) `ranges`, in order. One query."""
    inside = Q()
    for start, end in ranges:
        inside |= Q(at__gte=start, at__lt=end)
    changes: dict[int, list[Change]] = defaultdict(list)
    for system_id, check_id, at, new in (StateChange.objects.filter(inside, system_id__in=where)
                                         .order_by("at", "id").values_list("system_id", "check_id", "at", "new")):
        changes[system_id].append((at, check_id, new))
    return changes


def pieces_of(states: dict[int, str], changes: list, start, end) -> list[tuple]:
    """A system's states over [start, end) as (from, to, state) pieces, the worst of its checks' at each moment,
    from their states at `start` and the changes inside (others are skipped). Moments are datetimes, or all
    microseconds (see us)."""
    if not any(start <= c[0] < end for c in changes):  # most systems most days: one piece
        worst = max(states.values(), key=lambda s: STATE_RANK.get(s, 0), default=State.UNKNOWN)
        return [(start, end, worst)] if start < end else []
    states = dict(states)
    pieces: list[Segment] = []
    moment = start
    for at, check_id, new in [c for c in changes if start <= c[0] < end] + [(end, None, None)]:
        if at > moment:
            worst = max(states.values(), key=lambda s: STATE_RANK.get(s, 0), default=State.UNKNOWN)
            if pieces and pieces[-1][2] == worst:
                pieces[-1] = (pieces[-1][0], at, worst)
            else:
                pieces.append((moment, at, worst))
            moment = at
        if check_id is not None:
            states[check_id] = new
    return pieces


def maintenance_of(where, start: dt.datetime, end: dt.datetime) -> dict[int, list[MaintenanceWindow]]:
    """The maintenance windows that may cover some of [start, end) for each of the systems (`where`: ids or a
    query of their pks): one-off windows overlapping it and every recurring one. Two queries."""
    links = MaintenanceWindow.systems.through.objects.filter(system_id__in=where)
    windows = {w.pk: w for w in MaintenanceWindow.objects.filter(pk__in=links.values("maintenancewindow_id")).filter(
        Q(starts_at__lt=end, ends_at__gt=start) | ~Q(weekdays=""))}
    found: dict[int, list[MaintenanceWindow]] = defaultdict(list)
    if windows:
        for system_id, window_id in links.filter(maintenancewindow_id__in=list(windows)).values_list(
                "system_id", "maintenancewindow_id"):
            found[system_id].append(windows[window_id])
    return found


def window_intervals(windows: Iterable[MaintenanceWindow] | None, start: dt.datetime, end: dt.datetime
                     ) -> list[Interval]:
    """The parts of [start, end) the windows cover, merged."""
    return _union([i for w in windows for i in w.intervals(start, end)]) if windows else []


def _windows(found: dict[int, list[MaintenanceWindow]], start: dt.datetime, end: dt.datetime
             ) -> dict[int, list[Interval]]:
    """The maintenance each system had over [start, end), merged."""
    return {pk: window_intervals(windows, start, end) for pk, windows in found.items()}


class Timeline:
    """The systems' states and maintenance over [start, end), loaded once, asked for any sub-range.

    `systems`: ids, System rows or a query of systems; `maintenance`: the windows of maintenance_of() when the
    caller has them already (they must cover [start, end))."""

    def __init__(self, systems, start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None, *,
                 maintenance: dict[int, list[MaintenanceWindow]] | None = None):
        self.ids, where = system_filter(systems)
        self.start, self.end = start, min(end, now or timezone.now())
        self.pieces: dict[int, list[Segment]] = {}
        self.checks: dict[int, list[int]] = {}  # each system's checks, active or not
        self.windows: dict[int, list[Interval]] = {}
        self._us: dict[int, tuple[list, list]] = {}
        if self.end > self.start and self.ids:
            current = states_at(where, self.start)
            changes = changes_between(where, [(self.start, self.end)])
            self.checks = {pk: sorted(states) for pk, states in current.items()}
            self.pieces = {pk: pieces_of(current.get(pk, {}), changes.get(pk, []), self.start, self.end)
                           for pk in self.ids}
            found = maintenance if maintenance is not None else maintenance_of(where, self.start, self.end)
            self.windows = _windows(found, self.start, self.end)

    def spans(self, system_id: int, bounds: list[dt.datetime]) -> list[Span]:
        """The system's Span in each bucket [bounds[i], bounds[i+1]) (bounds inside the timeline, ascending)."""
        found = self._us.get(system_id)
        if found is None:  # the pieces in microseconds once, however many ranges are asked
            found = self._us[system_id] = (
                [(us(a), us(b), s) for a, b, s in self.pieces.get(system_id, [])],
                [(us(a), us(b)) for a, b in self.windows.get(system_id, [])])
        return spans_us(found[0], found[1], [us(b) for b in bounds])

    def span(self, system_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None) -> Span:
        start = max(start or self.start, self.start)
        end = min(end or self.end, self.end)
        return self.spans(system_id, [start, end])[0] if end > start else Span()

    def figure(self, system_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None
               ) -> UptimeFigure:
        return self.span(system_id, start, end).figure()


def uptime(system: System, start: dt.datetime, end: dt.datetime, *, now: dt.datetime | None = None
           ) -> UptimeFigure:
    """The system's uptime over [start, end) (aware datetimes)."""
    return Timeline([system], start, end, now=now).figure(system.pk)


WINDOWS = {"24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30),
           "90d": dt.timedelta(days=90)}


def uptime_windows_many(systems: Iterable[System | int], *, now: dt.datetime | None = None
                        ) -> dict[int, dict[str, UptimeFigure]]:
    """For each system: {"24h": …, "7d": …, "30d": …, "90d": …}, from one load of 90 days."""
    now = now or timezone.now()
    timeline = Timeline(systems, now - WINDOWS["90d"], now, now=now)
    return {pk: {key: timeline.figure(pk, now - length, now) for key, length in WINDOWS.items()}
            for pk in timeline.ids}


def uptime_windows(system: System, *, now: dt.datetime | None = None) -> dict[str, UptimeFigure]:
    return uptime_windows_many([system], now=now)[system.pk]


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ)


def daily_bars_many(systems: Iterable[System | int], days: int = 90, *, now: dt.datetime | None = None
                    ) -> dict[int, list[tuple[dt.date, float | None]]]:
    """For each system, its last `days` local days (today last, partial) as (day, ratio or None)."""
    now = now or timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    first = today - dt.timedelta(days=days - 1)
    timeline = Timeline(systems, local_midnight(first), now, now=now)
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    bounds = [local_midnight(d) for d in dates] + [timeline.end]
    return {pk: [(d, span.ratio) for d, span in zip(dates, timeline.spans(pk, bounds), strict=True)]
            for pk in timeline.ids}


def daily_bars(system: System, days: int = 90, *, now: dt.datetime | None = None
               ) -> list[tuple[dt.date, float | None]]:
    return daily_bars_many([system], days, now=now)[system.pk]


def response_series(system: System, start: dt.datetime, end: dt.datetime, *, points: int = 240
                    ) -> list[tuple[dt.datetime, int | None]]:
    """The system's average response time (ms, over its probed checks' successful results) in `points` equal
    buckets of [start, end): (bucket start, average or None when nothing was measured)."""
    if end <= start or points < 1:
        return []
    step = (end - start) / points
    sums, counts = [0] * points, [0] * points
    rows = CheckResult.objects.filter(check__system=system, at__gte=start, at__lt=end, ok=True,
                                      response_ms__isnull=False).values_list("at", "response_ms")
    for at, ms in rows.iterator(chunk_size=5000):
        i = min(points - 1, int((at - start) / step))
        sums[i] += ms
        counts[i] += 1
    return [(start + step * i, round(sums[i] / counts[i]) if counts[i] else None) for i in range(points)]


# --- monthly figures ----------------------------------------------------------------------------------------------

def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def system_months_update(*, months: Iterable[dt.date] | None = None, now: dt.datetime | None = None) -> int:
    """Fill SystemMonth for `months` (first days; default: this month and the last) for every system; returns
    the rows written. The daily job calls it; a past month is final once its day has passed."""
    from dieuhanh.monitoring.models import SystemMonth

    now = now or timezone.now()
    if months is None:
        this = month_start(now.astimezone(LOCAL_TZ).date())
        months = [month_start(this - dt.timedelta(days=1)), this]
    written = 0
    system_ids = list(System.objects.values_list("pk", flat=True))
    for month in months:
        start, end = local_midnight(month), local_midnight(next_month(month))
        if start >= now or not system_ids:
            continue
        timeline = Timeline(system_ids, start, end, now=now)
        averages = _response_averages(start, end)
        for pk in system_ids:
            figure = timeline.figure(pk)
            average = averages.get(pk)
            SystemMonth.objects.update_or_create(system_id=pk, month=month, defaults={
                "down_seconds": figure.down_seconds, "maintenance_seconds": figure.maintenance_seconds,
                "counted_seconds": figure.counted_seconds,
                "response_ms_avg": round(average) if average is not None else None})
            written += 1
    return written


def _response_averages(start: dt.datetime, end: dt.datetime) -> dict[int, float]:
    """Each system's average response time over [start, end), asked check by check so that the (check, at) index
    serves each question (one question over all results would scan the whole table)."""
    sums: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for check_id, system_id in Check.objects.values_list("pk", "system_id"):
        found = CheckResult.objects.filter(check_id=check_id, at__gte=start, at__lt=end, ok=True,
                                           response_ms__isnull=False).aggregate(n=Count("pk"), avg=Avg("response_ms"))
        if found["n"]:
            sums[system_id] += found["avg"] * found["n"]
            counts[system_id] += found["n"]
    return {pk: sums[pk] / counts[pk] for pk in counts}


def months_of_year(system: System, year: int) -> list[tuple[dt.date, UptimeFigure]]:
    """The system's kept monthly figures of `year`, month by month (months without a row are left out)."""
    return [(row.month, _from_month(row)) for row in system.months.filter(month__year=year).order_by("month")]


def _from_month(row) -> UptimeFigure:
    counted = row.counted_seconds
    ratio = (counted - row.down_seconds) / counted if counted else None
    return UptimeFigure(ratio, row.down_seconds, row.maintenance_seconds, counted)


def uptime_year(system: System, year: int) -> UptimeFigure:
    """The year's figure, summed from the kept monthly figures (down time per system for the year's report)."""
    rows = list(system.months.filter(month__year=year))
    down = sum(r.down_seconds for r in rows)
    counted = sum(r.counted_seconds for r in rows)
    return UptimeFigure((counted - down) / counted if counted else None, down,
                        sum(r.maintenance_seconds for r in rows), counted)
