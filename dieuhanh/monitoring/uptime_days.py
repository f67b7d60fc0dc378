"""Each finished local day's uptime per system, kept in SystemDays so that the systems board reads a system's 89
finished days from one short row instead of rebuilding them from 90 days of state changes on every view (only
today, the last 24 hours and the first, partial day of the 30 are measured live, see views_figures.py).

The days are computed by the one definition (uptime.Timeline), in whole microseconds, and kept as running totals:
any run of kept days adds up to exactly what a live figure over the same time gives.

A finished day changes only when what it was computed from changes afterwards; each read checks that, per row:
- a state change recorded late (its moment in a kept day): the changes numbered above the row's `changes_seen`
  are looked at, and the days from the earliest such change's day on are computed again;
- a check added or deleted (deleting a check deletes its history): the row's `checks` differ; all days again;
- a maintenance window added, changed, given other systems or removed over the kept days (the admin edits them
  without a service): the digest of the windows over the row's days differs; all days again.
Ids are handed out at insert and rows appear at commit: on PostgreSQL a late change committed after a higher
numbered one that a read had already seen would escape the watermark. The nightly job (`system_days_update`)
computes every row afresh and rewrites what differs, so such a day is right again by the next night at worst."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib

from django.db.models import Max
from django.utils import timezone

from dieuhanh.dashboard import datacache
from dieuhanh.monitoring.models import LOCAL_TZ, Check, MaintenanceWindow, StateChange, System, SystemDays
from dieuhanh.monitoring.uptime import Span, Timeline, local_midnight, maintenance_of, states_at, system_filter

BAR_DAYS = 90  # the board's bars: today and the 89 finished days before it
KEPT_DAYS = BAR_DAYS - 1
MONTH_DAYS = 30  # the board's 30-day figure: its first, partial day is the 30th before today
FIELDS = ["first_day", "last_day", "down_us", "maintenance_us", "unknown_us", "down_total", "maintenance_total",
          "unknown_total", "month_down", "month_maintenance", "month_unknown", "bars", "day_states", "month_states",
          "checks", "windows", "changes_seen", "computed_at"]
_US = dt.timedelta(microseconds=1)


def bar_text(span: Span) -> str:
    """A day's bar as the page's script reads it: its percent with two decimals, "100", or "-" (no data)."""
    ratio = span.ratio
    if ratio is None:
        return "-"
    return "100" if ratio >= 1 else f"{ratio * 100:.2f}"


@functools.lru_cache(maxsize=512)  # the same few runs of days for every system
def _length(first: dt.date, days: int) -> int:
    """Microseconds from the start of `first` to the start of the day `days` later."""
    return (local_midnight(first + dt.timedelta(days=days)) - local_midnight(first)) // _US


def _tail(text: str, n: int) -> int:
    """The sum of the last `n` of the day values: only the text's end is split."""
    return sum(map(int, text.rsplit(",", n)[-n:])) if n > 0 else 0


@dataclasses.dataclass(slots=True)  # slotted: a board holds a thousand, fewer objects for the collector
class Kept:
    """A system's kept days from `first_day`: the bars' text, what all of them and the last MONTH_DAYS - 1 add up to,
    and the checks' states where the board's live pieces begin. The days one by one are read only when asked for
    (a system's page, a run of days other than those two): the board does not need them."""

    system_id: int
    first_day: dt.date
    count: int
    bars: str
    totals: tuple[int, int, int]  # down, maintenance, unknown over all the days
    month: tuple[int, int, int]  # … over the last MONTH_DAYS - 1 days
    day_text: str = ""  # the checks' states at the start of the last day: "id:state,…"
    month_text: str = ""  # … and at the start of the 30th day before today
    texts: tuple[str, str, str] | None = None  # down, maintenance, unknown per day (read on demand)

    @property
    def day_states(self) -> dict[int, str]:
        return _read_states(self.day_text)

    @property
    def month_states(self) -> dict[int, str]:
        return _read_states(self.month_text)

    def _texts(self) -> tuple[str, str, str]:
        if self.texts is None:
            self.texts = SystemDays.objects.filter(pk=self.system_id).values_list(
                "down_us", "maintenance_us", "unknown_us").get()
        return self.texts

    def total(self, since: dt.date | None = None) -> Span:
        """The Span of the kept days from `since` (default: all) to the last."""
        skip = 0 if since is None else max((since - self.first_day).days, 0)
        n = self.count - skip
        if n <= 0:
            return Span()
        if skip == 0:
            down, held, unknown = self.totals
        elif n == MONTH_DAYS - 1:
            down, held, unknown = self.month
        else:  # a sum known to be 0 (most systems' maintenance and unknown time) is not parsed
            texts = self._texts()
            down, held, unknown = (_tail(text, n) if total else 0 for text, total in zip(texts, self.totals,
                                                                                          strict=True))
        return Span(down, held, _length(self.first_day + dt.timedelta(days=skip), n) - held - unknown)

    def spans(self) -> list[Span]:
        values = [list(map(int, t.split(","))) for t in self._texts()]
        return [Span(d, m, _length(self.first_day + dt.timedelta(days=i), 1) - m - u)
                for i, (d, m, u) in enumerate(zip(*values, strict=True))]


def _windows_digest(windows: list[MaintenanceWindow], start: dt.datetime, end: dt.datetime) -> str:
    """What a system's maintenance over [start, end) was computed from: the windows that may cover part of it
    ("" for none, the common case)."""
    relevant = sorted((w.pk, str(w.starts_at), str(w.ends_at), w.weekdays, str(w.start_time), w.duration_minutes,
                       str(w.valid_from), str(w.valid_to)) for w in windows
                      if w.recurring or (w.starts_at and w.ends_at and w.starts_at < end and w.ends_at > start))
    return hashlib.blake2b(repr(relevant).encode(), digest_size=16).hexdigest() if relevant else ""


def _checks_text(check_ids) -> str:
    return ",".join(map(str, sorted(check_ids)))


@dataclasses.dataclass(slots=True)
class _Row:
    """A SystemDays row as read (plain values: a thousand model instances cost more than their reading), without
    its days one by one."""

    system_id: int
    first_day: dt.date
    last_day: dt.date
    down_total: int
    maintenance_total: int
    unknown_total: int
    month_down: int
    month_maintenance: int
    month_unknown: int
    bars: str
    day_states: str
    month_states: str
    checks: str
    windows: str
    changes_seen: int
    texts: tuple[str, str, str] | None = None

    def kept(self) -> Kept:
        return Kept(self.system_id, self.first_day, (self.last_day - self.first_day).days + 1, self.bars,
                    (self.down_total, self.maintenance_total, self.unknown_total),
                    (self.month_down, self.month_maintenance, self.month_unknown), self.day_states,
                    self.month_states, self.texts)


def _states_text(states: dict[int, str]) -> str:
    return ",".join(f"{pk}:{state}" for pk, state in sorted(states.items()))


def _read_states(text: str) -> dict[int, str]:
    return {int(pk): state for pk, state in (x.split(":") for x in text.split(","))} if text else {}


_READ = [f.name for f in dataclasses.fields(_Row)][:-1]


def kept_days(systems, *, now: dt.datetime | None = None,
              maintenance: dict[int, list[MaintenanceWindow]] | None = None, full: bool = False) -> dict[int, Kept]:
    """{system id: Kept} of the KEPT_DAYS finished days before today for `systems` (ids, rows or a query of
    systems), brought up to date first: days missing or stale are computed (one Timeline for all of them) and
    written. `maintenance` (maintenance_of() over at least the kept days) saves its queries when the caller has it;
    `full` computes every row afresh (the nightly job)."""
    now = now or timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    first, last = today - dt.timedelta(days=KEPT_DAYS), today - dt.timedelta(days=1)
    ids, where = system_filter(systems)
    if not ids:
        return {}
    if maintenance is None:
        maintenance = maintenance_of(where, local_midnight(first), local_midnight(today))
    checks: dict[int, list[int]] = {}
    for system_id, check_id in Check.objects.filter(system_id__in=where).order_by().values_list("system_id", "pk"):
        checks.setdefault(system_id, []).append(check_id)
    rows = {r[0]: _Row(*r) for r in SystemDays.objects.filter(system_id__in=where).values_list(*_READ)}
    newest = StateChange.objects.aggregate(m=Max("pk"))["m"] or 0  # before looking for late ones: none slips by
    late: dict[int, dt.date] = {}
    if rows and not full:
        seen = min(r.changes_seen for r in rows.values())
        recorded = StateChange.objects.filter(pk__gt=seen, at__lt=local_midnight(today)).order_by()
        for pk, system_id, at in recorded.values_list("pk", "system_id", "at"):
            row = rows.get(system_id)
            if row is not None and pk > row.changes_seen:
                day = at.astimezone(LOCAL_TZ).date()
                late[system_id] = min(day, late.get(system_id, day))
    redo: dict[int, dt.date] = {}  # system → the first day to compute
    for pk in ids:
        row = rows.get(pk)
        windows = maintenance.get(pk)
        if (not full and row is not None and row.first_day == first and row.last_day == last and pk not in late
                and not windows and not row.windows and row.checks == _checks_text(checks.get(pk, ()))):
            continue  # up to date: most rows, every view but the day's first
        if full or row is None or row.first_day > first or row.last_day < first - dt.timedelta(days=1) or (
                row.checks != _checks_text(checks.get(pk, []))) or ((windows or row.windows) and row.windows != (
                _windows_digest(windows or [], local_midnight(row.first_day),
                                local_midnight(row.last_day + dt.timedelta(days=1))))):
            redo[pk] = first
            continue
        since = min(late.get(pk, row.last_day + dt.timedelta(days=1)), row.last_day + dt.timedelta(days=1))
        if since <= last or row.first_day != first:
            redo[pk] = max(since, first)
    if redo:
        _compute(redo, rows, first, last, now=now, maintenance=maintenance, checks=checks, newest=newest)
    wanted = set(ids)
    return {pk: r.kept() for pk, r in rows.items() if pk in wanted}


def _compute(redo: dict[int, dt.date], rows: dict[int, _Row], first: dt.date, last: dt.date, *,
             now: dt.datetime, maintenance, checks, newest: int) -> None:
    """Compute the days from redo[system] to `last`, keep the row's earlier days from `first`, write the rows."""
    start = min(redo.values())
    end = local_midnight(last + dt.timedelta(days=1))
    timeline = Timeline(list(redo), local_midnight(start), end, now=now, maintenance=maintenance)
    merging = [pk for pk, since in redo.items() if pk in rows and since > first]
    for pk, *texts in SystemDays.objects.filter(pk__in=merging).values_list(
            "system_id", "down_us", "maintenance_us", "unknown_us"):
        rows[pk].texts = tuple(texts)
    day_states = states_at(list(redo), local_midnight(last))
    month_states = states_at(list(redo), local_midnight(last - dt.timedelta(days=MONTH_DAYS - 1)))
    written = []
    for pk, since in redo.items():
        row = rows.get(pk)
        spans: list[Span] = []
        if row is not None and since > first:
            offset = (first - row.first_day).days
            spans = row.kept().spans()[offset:offset + (since - first).days]
        days = [since + dt.timedelta(days=i) for i in range((last - since).days + 1)]
        spans += timeline.spans(pk, [local_midnight(d) for d in days] + [end])
        lengths = [_length(first + dt.timedelta(days=i), 1) for i in range(len(spans))]
        unknown = [n - s.maintenance - s.counted for n, s in zip(lengths, spans, strict=True)]
        tail = -(MONTH_DAYS - 1)
        fields = {
            "first_day": first, "last_day": last,
            "down_total": sum(s.down for s in spans), "maintenance_total": sum(s.maintenance for s in spans),
            "unknown_total": sum(unknown), "month_down": sum(s.down for s in spans[tail:]),
            "month_maintenance": sum(s.maintenance for s in spans[tail:]), "month_unknown": sum(unknown[tail:]),
            "bars": ",".join(bar_text(s) for s in spans),
            "day_states": _states_text(day_states.get(pk, {})), "month_states": _states_text(month_states.get(pk, {})),
            "checks": _checks_text(checks.get(pk, [])),
            "windows": _windows_digest(maintenance.get(pk, []), local_midnight(first), end),
            "changes_seen": newest}
        texts = (",".join(str(s.down) for s in spans), ",".join(str(s.maintenance) for s in spans),
                 ",".join(map(str, unknown)))
        rows[pk] = _Row(pk, **fields, texts=texts)
        written.append(SystemDays(system_id=pk, computed_at=now, down_us=texts[0], maintenance_us=texts[1],
                                  unknown_us=texts[2], **fields))
    # Two views after midnight may both bring a row up to date: the same figures, the last one stays. The figures
    # are those the pages would compute without the rows: the leaders' cache stays valid.
    with datacache.unchanged_figures():
        SystemDays.objects.bulk_create(written, batch_size=500, update_conflicts=True, unique_fields=["system"],
                                       update_fields=FIELDS)


def system_days_update(*, now: dt.datetime | None = None) -> int:
    """The nightly job: every system's kept days computed afresh (see the module's note); returns the rows
    written."""
    return len(kept_days(System.objects.all(), now=now, full=True))
