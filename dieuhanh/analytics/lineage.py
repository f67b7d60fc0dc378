"""Figures under today's boundaries ("theo địa giới hiện nay"): which units, with which shares, make a unit's figure
for a period that began before one of its lineage events, and how their stored cells fold into one.

Rules (a native stored period P — a month, a quarter, a year — and a unit U):
- An event into U counts for P when it took effect after P began (effective date > first day of P). Months before
  1/7/2025 thus come from the predecessors and months from July from U; a stored period straddling the date (the
  year 2025) takes U's own cell plus the predecessors' cells for it, if any.
- A merge into U (or a rename that links another unit to U): U's own cell, if it has one (a unit that absorbed
  others), plus each predecessor's cell. Nothing is added twice as long as a period of one area is stored once;
  values entered again on the new boundaries for months before the event would be counted beside the predecessors'.
- A split: each resulting unit takes the predecessor's cell times its allocation share (LineageShare, set by an
  operator); such figures are estimates. A predecessor that continues keeps 1 − the successors' shares. A split
  without shares allocates nothing (the successors show no figure before it rather than an invented one).
- Predecessors are resolved the same way for the same period, so a chain (a commune split in 2019 and merged in
  2025) is followed to the end; a predecessor reached through an event counts only the events before that one.
- Combining follows the indicator: sums add their totals, averages and weighted averages add (Σ value × weight,
  Σ weight) and divide — the pair a rollup row keeps, so the result is the figure of the whole area; a share scales
  both, which keeps a rate and gives it its share's weight. "none" indicators are not combined: a figure passes
  through only from a single whole unit (a rename, a one-unit merge).
- Moves need nothing here: rollups follow the tree as it is today, so a moved unit's history is already under its
  new parent.

The Reader (dieuhanh.analytics.queries) reads the sources' cells with its own and calls `LineageResolver.fold`
before combining periods; `boundaries="as_reported"` skips all of this (the units as they were).
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Context, Decimal

from django.db.models import Q

from dieuhanh.indicators.models import DataValue, Indicator, ValueKind
from dieuhanh.lib.periods import Period
from dieuhanh.orgunits.models import LineageEvent, LineageShare, OrgUnit

UA = Indicator.UnitAggregation
MAX_DEPTH = 32  # a chain longer than this is a loop recorded by mistake
ONE = Decimal(1)
_QUANTUM = Decimal("0.000001")  # as the Reader's figures
_CONTEXT = Context(prec=60)


@dataclass(frozen=True, slots=True)
class Source:
    """One unit's stored cell feeding a figure: times `factor`; `estimated` when a split share is in the way."""

    unit_id: int
    factor: Decimal
    estimated: bool


@dataclass(frozen=True, slots=True)
class _Event:
    id: int
    kind: str
    date: datetime.date
    predecessors: tuple[int, ...]
    successors: tuple[int, ...]
    shares: dict[int, Decimal]  # successor id → share (splits)


@functools.lru_cache(maxsize=1024)
def _start(period_id: str) -> datetime.date:
    return Period.parse(period_id).start


class LineageResolver:
    """The lineage events behind a set of units, read once: a few queries whatever the number of units."""

    def __init__(self, units: Iterable[OrgUnit]):
        self.units = {u.pk: u for u in units}
        self._into: dict[int, list[_Event]] = defaultdict(list)  # unit → events it results from
        self._out: dict[int, list[_Event]] = defaultdict(list)  # unit → events it is a predecessor of
        self.names: dict[int, str] = {u.pk: u.name for u in self.units.values()}
        self._alive: dict[int, datetime.date | None] = {u.pk: u.valid_to for u in self.units.values()}
        self._cache: dict[tuple[int, datetime.date], list[Source] | None] = {}
        self._load()

    def _load(self) -> None:
        """Walk the events backwards from the units, one round of queries per generation of predecessors."""
        seen_units: set[int] = set()
        frontier = set(self.units)
        events: dict[int, _Event] = {}
        through = LineageEvent.successors.through
        before = LineageEvent.predecessors.through
        kinds = [LineageEvent.Kind.MERGE, LineageEvent.Kind.SPLIT, LineageEvent.Kind.RENAME]
        for _generation in range(MAX_DEPTH):
            frontier -= seen_units
            if not frontier:
                break
            seen_units |= frontier
            # Events that produced a unit of the frontier, and splits the frontier's units continued through: one
            # query, which is all a Reader pays when no unit of its has a history.
            ids = set(LineageEvent.objects.filter(
                Q(successors__in=frontier, kind__in=kinds) | Q(predecessors__in=frontier, kind=LineageEvent.Kind.SPLIT)
            ).order_by().values_list("id", flat=True).distinct())
            ids -= set(events)
            if not ids:
                break
            preds, succs = defaultdict(list), defaultdict(list)
            for event_id, unit_id in before.objects.filter(lineageevent_id__in=ids).values_list(
                    "lineageevent_id", "orgunit_id"):
                preds[event_id].append(unit_id)
            for event_id, unit_id in through.objects.filter(lineageevent_id__in=ids).values_list(
                    "lineageevent_id", "orgunit_id"):
                succs[event_id].append(unit_id)
            described = list(LineageEvent.objects.filter(pk__in=ids).values_list("id", "kind", "effective_date"))
            shares = defaultdict(dict)
            splits = [event_id for event_id, kind, _date in described if kind == LineageEvent.Kind.SPLIT]
            for event_id, unit_id, share in LineageShare.objects.filter(event_id__in=splits).values_list(
                    "event_id", "orgunit_id", "share") if splits else ():
                shares[event_id][unit_id] = share
            fresh = []
            for event_id, kind, date in described:
                event = _Event(event_id, kind, date, tuple(sorted(preds[event_id])), tuple(sorted(succs[event_id])),
                               shares[event_id])
                if set(event.predecessors) == set(event.successors):
                    continue  # a rename of the unit itself: the same unit before and after
                events[event_id] = event
                fresh.append(event)
            for event in fresh:
                for unit_id in event.successors:
                    self._into[unit_id].append(event)
                for unit_id in event.predecessors:
                    self._out[unit_id].append(event)
            frontier = {u for e in fresh for u in e.predecessors}
        for found in (*self._into.values(), *self._out.values()):
            found.sort(key=lambda e: (e.date, e.id))
        wanted = {u for e in events.values() for u in (*e.predecessors, *e.successors)} - set(self.names)
        for pk, name, valid_to in OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name", "valid_to"):
            self.names[pk] = name
            self._alive[pk] = valid_to
        self.has_events = bool(events)

    @property
    def source_units(self) -> set[int]:
        """Every unit whose cells may feed one of the units (the units themselves included)."""
        return set(self.names)

    def sources(self, unit_id: int, period_id: str) -> list[Source] | None:
        """The cells that make `unit_id`'s figure for the stored period, or None when the unit's own cell is its
        figure (no event into or out of it after the period began) — the usual case, answered without work."""
        if not self.has_events:
            return None
        start = _start(period_id)
        key = (unit_id, start)
        if key not in self._cache:  # a pivot asks for a hundred units × many periods, with few distinct starts
            self._cache[key] = self._sources(unit_id, start)
        return self._cache[key]

    def _sources(self, unit_id: int, start: datetime.date) -> list[Source] | None:
        if not self._matters(unit_id, start, None):
            return None
        found: dict[int, list] = {}
        self._resolve(unit_id, start, ONE, False, None, found, 0)
        return [Source(u, factor, estimated) for u, (factor, estimated) in found.items()]

    def _matters(self, unit_id: int, start: datetime.date, until: datetime.date | None) -> bool:
        return any(start < e.date and (until is None or e.date < until)
                   for e in (*self._into.get(unit_id, ()), *self._out.get(unit_id, ())))

    def _resolve(self, unit_id: int, start: datetime.date, factor: Decimal, estimated: bool,
                 until: datetime.date | None, found: dict[int, list], depth: int) -> None:
        """Add `unit_id`'s sources for a period from `start`, as it was just before `until` (None: today)."""
        if depth > MAX_DEPTH or factor == 0:
            return

        def counts(event: _Event) -> bool:
            return start < event.date and (until is None or event.date < until)

        own, own_estimated = factor, estimated
        for event in self._out.get(unit_id, ()):
            # A part split away while the unit continued: the unit keeps what the resulting units did not take.
            if event.kind == LineageEvent.Kind.SPLIT and counts(event) and self._continues(unit_id, event):
                taken = sum((event.shares.get(s, Decimal(0)) for s in event.successors), Decimal(0))
                if taken:
                    own, own_estimated = own * (ONE - taken), True
        entry = found.setdefault(unit_id, [Decimal(0), False])
        entry[0] += own
        entry[1] = entry[1] or own_estimated
        for event in self._into.get(unit_id, ()):
            if not counts(event):
                continue
            if event.kind == LineageEvent.Kind.SPLIT:
                share = event.shares.get(unit_id)
                if share is None:
                    continue  # not allocated: no figure is invented
                for pred in event.predecessors:
                    self._resolve(pred, start, factor * share, True, event.date, found, depth + 1)
            else:
                for pred in event.predecessors:
                    if pred != unit_id:
                        self._resolve(pred, start, factor, estimated, event.date, found, depth + 1)

    def _continues(self, unit_id: int, event: _Event) -> bool:
        valid_to = self._alive.get(unit_id)
        return valid_to is None or valid_to >= event.date

    # --- folding stored cells ---------------------------------------------------------------------------------
    def fold(self, cells: dict, indicators: dict[int, Indicator], unit_ids: Iterable[int],
             wanted: set[tuple[str, str]], make_cell: Callable, counted_states: int | None = None) -> None:
        """Replace, in `cells` ({(indicator, unit, kind): {period: cell}}), each unit's cells of the (kind, period)
        pairs in `wanted` that lineage touches by the fold of their sources' cells (read beside them).

        A cell has value, estimate, units, at, total, weight, pending (None where it is not known); `make_cell`
        builds one from keyword arguments."""
        if not self.has_events:
            return
        plans = []
        for unit_id in unit_ids:
            for kind, period in wanted:
                sources = self.sources(unit_id, period)
                if sources is not None:
                    plans.append((unit_id, kind, period, sources))
        if not plans:
            return
        weights = self._weights(cells, indicators, plans, counted_states)
        folded = {}
        for ind_id, indicator in indicators.items():
            rule = indicator.unit_aggregation
            for unit_id, kind, period, sources in plans:
                parts = []
                for source in sources:
                    cell = cells.get((ind_id, source.unit_id, kind), {}).get(period)
                    if cell is None or cell.value is None:
                        continue
                    total, weight = _pair(indicator, cell, weights.get((ind_id, source.unit_id, period)))
                    if total is None:
                        continue
                    parts.append((source, cell, total * source.factor, weight * source.factor))
                folded[(ind_id, unit_id, kind, period)] = _fold(rule, unit_id, parts, make_cell)
        for (ind_id, unit_id, kind, period), cell in folded.items():
            found = cells[(ind_id, unit_id, kind)]
            if cell is None:
                found.pop(period, None)
            else:
                found[period] = cell

    def _weights(self, cells, indicators, plans, counted_states) -> dict[tuple[int, int, str], Decimal]:
        """The weight of each weighted-average cell that is a unit's own value (a rollup row carries its weight):
        the weight indicator's actual, else estimate, else target, of the same unit and period — as the rollups
        weigh. One query, and only when such a cell is folded."""
        need: dict[int, set] = defaultdict(set)  # weight indicator → {(unit, period)}
        by_weight: dict[int, list[int]] = defaultdict(list)
        for ind_id, indicator in indicators.items():
            if indicator.unit_aggregation != UA.WEIGHTED_AVERAGE or not indicator.weight_indicator_id:
                continue
            for _unit, kind, period, sources in plans:
                for source in sources:
                    cell = cells.get((ind_id, source.unit_id, kind), {}).get(period)
                    if cell is not None and cell.weight is None:
                        need[indicator.weight_indicator_id].add((source.unit_id, period))
                        by_weight[indicator.weight_indicator_id].append(ind_id)
        if not need:
            return {}
        rank = {ValueKind.ACTUAL: 0, ValueKind.ESTIMATE: 1, ValueKind.TARGET: 2}
        query = DataValue.objects.filter(
            indicator_id__in=list(need), orgunit_id__in={u for pairs in need.values() for u, _p in pairs},
            period__in={p for pairs in need.values() for _u, p in pairs})
        if counted_states is not None:
            query = query.filter(Q(state__gte=counted_states))
        best: dict[tuple[int, int, str], tuple[int, Decimal]] = {}
        for weight_id, unit_id, period, kind, value in query.values_list(
                "indicator_id", "orgunit_id", "period", "kind", "value"):
            if (unit_id, period) not in need[weight_id]:
                continue
            key = (weight_id, unit_id, period)
            if key not in best or rank[kind] < best[key][0]:
                best[key] = (rank[kind], value)
        out = {}
        for (weight_id, unit_id, period), (_rank, value) in best.items():
            for ind_id in set(by_weight[weight_id]):
                out[(ind_id, unit_id, period)] = value
        return out


def _pair(indicator: Indicator, cell, own_weight: Decimal | None) -> tuple[Decimal | None, Decimal]:
    """(total, weight) of a cell: a rollup row's own pair, or a unit's own value with weight 1 (its weight
    indicator's value for a weighted average; none known: the cell cannot be weighed and is left out)."""
    if cell.total is not None and cell.weight is not None:
        return cell.total, cell.weight
    if indicator.unit_aggregation == UA.WEIGHTED_AVERAGE:
        if own_weight is None:
            return None, Decimal(0)
        return cell.value * own_weight, own_weight
    return cell.value, ONE


def _fold(rule: str, unit_id: int, parts: list, make_cell: Callable):
    """One cell from its sources' parts (source, cell, total × factor, weight × factor); None when nothing is left."""
    if not parts:
        return None
    only = parts[0][0]
    if len(parts) == 1 and only.unit_id == unit_id and only.factor == ONE and not only.estimated:
        return parts[0][1]  # the unit's own cell alone: nothing was converted
    if rule == UA.NONE:
        # Not combined: only one whole unit's value passes (a rename, a one-unit merge).
        if len(parts) != 1 or parts[0][0].factor != ONE:
            return None
        source, cell = parts[0][0], parts[0][1]
        return make_cell(value=cell.value, estimate=cell.estimate or source.estimated, units=cell.units,
                         at=cell.at, total=None, weight=None, pending=getattr(cell, "pending", 0),
                         sources=_others(unit_id, parts))
    total = sum((p[2] for p in parts), Decimal(0))
    weight = sum((p[3] for p in parts), Decimal(0))
    if rule == UA.SUM:
        value = total
    elif weight:
        value = _CONTEXT.divide(total, weight)
    else:
        return None
    value = value.quantize(_QUANTUM, context=_CONTEXT)
    ats = [p[1].at for p in parts if p[1].at is not None]
    return make_cell(
        value=value, estimate=any(p[1].estimate or p[0].estimated for p in parts),
        units=sum(p[1].units for p in parts), at=max(ats) if ats else None, total=total, weight=weight,
        pending=sum(getattr(p[1], "pending", 0) or 0 for p in parts), sources=_others(unit_id, parts))


def _others(unit_id: int, parts: list) -> tuple[int, ...]:
    """The units other than the figure's own that fed it (the mark "quy đổi theo địa giới mới" names them)."""
    return tuple(sorted({p[0].unit_id for p in parts} - {unit_id}))
