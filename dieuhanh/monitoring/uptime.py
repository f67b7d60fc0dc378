"""Uptime measured in time from the state changes (healthchecks' flips), not by counting probes: a burst of
retries in one hour must not weigh more than a quiet day.

Over [start, end) (clipped at now) a system's state at each moment is the worst of its checks' states then,
rebuilt from each check's last StateChange before `start` and the changes inside. Then:
- maintenance time: what its maintenance windows cover, and what it spent in the "maintenance" state; left out;
- unknown time: before its first result, or with no active check; left out too (nothing was measured);
- down time: time in the "down" state outside maintenance (a pending, unconfirmed failure is not down);
- counted = the rest plus the down time; ratio = (counted − down) / counted, None when nothing was counted.

Monthly figures are kept for ever in SystemMonth (filled every day by `system_months_update`), so that reports
for past years do not depend on the raw results, which are purged."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Avg, Count, OuterRef, Q, Subquery
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


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        elif s < e:
            merged.append((s, e))
    return merged


def _overlap(a: dt.datetime, b: dt.datetime, intervals: list[Interval]) -> float:
    """Seconds of [a, b) inside the sorted, disjoint `intervals`."""
    total = 0.0
    for s, e in intervals:
        if e <= a:
            continue
        if s >= b:
            break
        total += (min(b, e) - max(a, s)).total_seconds()
    return total


def _segments(system_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, list[Segment]]:
    """Each system's states over [start, end) as (from, to, state) pieces: two queries for any number of systems."""
    before = StateChange.objects.filter(check=OuterRef("pk"), at__lt=start).order_by("-at", "-id").values("new")[:1]
    current: dict[int, dict[int, str]] = defaultdict(dict)
    for check_id, system_id, state in (Check.objects.filter(system_id__in=system_ids)
                                       .annotate(state_then=Subquery(before))
                                       .values_list("pk", "system_id", "state_then")):
        current[system_id][check_id] = state or State.UNKNOWN
    changes: dict[int, list[tuple[dt.datetime, int, str]]] = defaultdict(list)
    for system_id, check_id, at, new in (StateChange.objects.filter(system_id__in=system_ids, at__gte=start,
                                                                      at__lt=end)
                                         .order_by("at", "id").values_list("system_id", "check_id", "at", "new")):
        changes[system_id].append((at, check_id, new))
    out: dict[int, list[Segment]] = {}
    for system_id in system_ids:
        states = current[system_id]
        pieces: list[Segment] = []
        moment = start
        for at, check_id, new in changes[system_id] + [(end, None, None)]:
            if at > moment:
                worst = max(states.values(), key=lambda s: STATE_RANK.get(s, 0), default=State.UNKNOWN)
                if pieces and pieces[-1][2] == worst:
                    pieces[-1] = (pieces[-1][0], at, worst)
                else:
                    pieces.append((moment, at, worst))
                moment = at
            if check_id is not None:
                states[check_id] = new
        out[system_id] = pieces
    return out


def _windows(system_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, list[Interval]]:
    """The maintenance each system had over [start, end), merged."""
    found: dict[int, list[Interval]] = defaultdict(list)
    windows = (MaintenanceWindow.objects.filter(systems__in=system_ids)
               .filter(Q(starts_at__lt=end, ends_at__gt=start) | ~Q(weekdays=""))
               .prefetch_related("systems").distinct())
    for window in windows:
        intervals = window.intervals(start, end)
        for system in window.systems.all():
            if system.pk in system_ids:
                found[system.pk] += intervals
    return {pk: _union(v) for pk, v in found.items()}


def _figure(pieces: list[Segment], windows: list[Interval], start: dt.datetime, end: dt.datetime) -> UptimeFigure:
    if end <= start:
        return EMPTY
    maintenance = _union(windows + [(max(a, start), min(b, end)) for a, b, s in pieces
                                    if s == State.MAINTENANCE and a < end and b > start])
    maintenance_seconds = _overlap(start, end, maintenance)
    down = unknown = 0.0
    for a, b, state in pieces:
        a, b = max(a, start), min(b, end)
        if a >= b or state not in (State.DOWN, State.UNKNOWN):
            continue
        outside = (b - a).total_seconds() - _overlap(a, b, maintenance)
        if state == State.DOWN:
            down += outside
        else:
            unknown += outside
    counted = (end - start).total_seconds() - maintenance_seconds - unknown
    ratio = (counted - down) / counted if counted > 0.5 else None
    return UptimeFigure(ratio, round(down), round(maintenance_seconds), round(max(counted, 0)))


class Timeline:
    """The systems' states and maintenance over [start, end), loaded once, asked for any sub-range."""

    def __init__(self, systems: Iterable[System | int], start: dt.datetime, end: dt.datetime,
                 now: dt.datetime | None = None):
        self.ids = [s if isinstance(s, int) else s.pk for s in systems]
        self.start, self.end = start, min(end, now or timezone.now())
        self.pieces = _segments(self.ids, self.start, self.end) if self.end > self.start else {}
        self.windows = _windows(self.ids, self.start, self.end) if self.end > self.start else {}

    def figure(self, system_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None
               ) -> UptimeFigure:
        start = max(start or self.start, self.start)
        end = min(end or self.end, self.end)
        return _figure(self.pieces.get(system_id, []), self.windows.get(system_id, []), start, end)


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
    out = {}
    for pk in timeline.ids:
        bars = []
        for i in range(days):
            day = first + dt.timedelta(days=i)
            bars.append((day, timeline.figure(pk, local_midnight(day), local_midnight(day + dt.timedelta(days=1)))
                         .ratio))
        out[pk] = bars
    return out


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
