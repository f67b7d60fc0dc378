"""The analytics API: the figures the IOC pages show, read from the rollups (pages call only this module).

Rules
- Only reported values count: a value whose report has not left the unit (a draft, a returned report) is in no
  figure; with settings.REPORTED_DATA = "approved" only approved reports count. `Figure.pending` says how many of the
  units in a figure are submitted but not yet approved.
- Over units (dieuhanh.indicators.rollups): sums are summed; averages are the mean of the units' values; weighted
  averages are weighted by the weight indicator's value of the same unit and period; "none" indicators are the unit's
  own value only. A unit's own value wins over its sub-units'.
- "best" is each unit's actual where it exists, else its estimate; a figure with any estimate in it is flagged
  `is_estimate`.
- Boundaries (dieuhanh.analytics.lineage): by default "theo địa giới hiện nay" — a unit's figure for a stored period
  that began before its merger or split is folded from its predecessors' cells (a split's by the operator's shares,
  as estimates) before periods are combined, and `Figure.sources` names the units it came from (such a figure has no
  `units_expected`: today's forms do not apply to the units it came from); a Reader made with
  boundaries="as_reported" shows the units as they were.
- Over periods: a period is read from the stored periods inside it (a monthly indicator's 2026Q1 is its three
  months, a quarterly one's 2026 its four quarters), combined by the indicator's period_aggregation: sum, last value
  (the latest period), average (of the periods). Among the period types stored inside the requested span the one
  covering the most months is used, the finer one on a tie: so a stored year estimate answers for the year until the
  months of the whole year are in, and twelve monthly actuals then win over it.
- Lũy kế (year_to_date) is January to the end of the period, by the same rule (so 2026Q3's is 2026N9 if stored).
- Targets (kind="target") follow the same rules; comparisons set a figure against the year's target.
- Growth (against the same span last year) and change (against the previous period) of a total are given only when
  both figures cover as many months (a province whose series starts in July 2025 has no lũy kế growth for 2026).
- Partial reporting: a change (growth, change on the previous period) where either figure lacks some of the units
  expected to report is computed like-for-like, over the reporting units that have a figure in both (sums summed,
  averages averaged; other rules give none), and says over how many (`Change.compared` of `expected`). Against a
  figure converted from predecessors (no breakdown by today's units) the change is whole, and given only when the
  latest period of neither span has fewer units than an earlier one of it; pace is not
  given for a figure that lacks units (the target is the whole unit's). Missing reports never paint a decline.
- Pace (comparison.pace): the share of the target achieved against the share of the year elapsed. For indicators
  summed over periods the expected figure is target × months elapsed / 12 (the months of the span read); for levels
  (last value, average) it is the target itself. ratio = figure / expected (higher is better) or expected / figure
  (lower is better); on_track when ratio ≥ 0.95, at_risk when ≥ 0.85, behind below (PACE_ON_TRACK, PACE_AT_RISK).
"""

from __future__ import annotations

import bisect
import datetime
import decimal
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dieuhanh.analytics.lineage import LineageResolver
from dieuhanh.indicators.models import DataValue, Indicator, RollupKind, ValueKind, ValueRollup, ValueState
from dieuhanh.lib.periods import Period, PeriodType, periods_of_year
from dieuhanh.lib.vnformat import format_number
from dieuhanh.orgunits.models import LineageEvent, OrgUnit

PACE_ON_TRACK = Decimal("0.95")
PACE_AT_RISK = Decimal("0.85")
PACE_LABELS = {
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk"),
    "behind": gettext_lazy("Behind"),
}
BOUNDARIES = ("current", "as_reported")
_FINENESS = [PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SIX_MONTHS, PeriodType.NINE_MONTHS, PeriodType.YEAR]
_QUANTUM = Decimal("0.000001")
_CONTEXT = decimal.Context(prec=60)
PA = Indicator.PeriodAggregation
UA = Indicator.UnitAggregation


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build, and pages build thousands
class Figure:
    value: Decimal | None = None
    is_estimate: bool = False
    units_reported: int = 0
    units_expected: int | None = None
    as_of: datetime.datetime | None = None  # the last change that fed it
    months: int = 0  # how many months of the span asked for the stored periods cover
    pending: int = 0  # of units_reported, how many are submitted but not yet approved
    own: bool = False  # the unit's own figure (its own value won over its sub-units'): whole, whatever they reported
    sources: tuple[int, ...] = ()  # other units whose figures were converted into it ("quy đổi theo địa giới mới")


@dataclass(frozen=True)
class Comparison:
    indicator: Indicator
    orgunit: OrgUnit
    period_id: str
    ytd: bool
    value: Figure  # lũy kế when ytd, else the period's own figure
    period_value: Figure  # the period's own figure
    target: Figure  # the year's target
    pct_of_target: Decimal | None
    last_year: Figure  # the same span a year before
    growth_pct: Decimal | None  # value against last_year, %
    previous: Figure  # the previous period's own figure (202601 → 202512)
    change_pct: Decimal | None  # period_value against previous, %
    pace: str | None  # "on_track" | "at_risk" | "behind" | None
    pace_ratio: Decimal | None = field(default=None)
    growth_basis: Change | None = field(default=None)  # how growth_pct was compared (like-for-like or whole)
    change_basis: Change | None = field(default=None)

    @property
    def pace_label(self) -> str:
        return str(PACE_LABELS[self.pace]) if self.pace else ""


class Change(NamedTuple):
    """A figure against an earlier one, %: over the whole unit (`compared` None) or, where some expected units have
    not reported, like-for-like over the `compared` units of `expected` that have figures in both."""

    pct: Decimal | None
    now: Decimal | None = None  # the figures compared (like-for-like: over the compared units only)
    before: Decimal | None = None
    compared: int | None = None
    expected: int | None = None

    @property
    def note(self) -> str:
        """"so sánh trên 2/6 đơn vị đã báo cáo", or "" for a whole-unit comparison."""
        if self.compared is None:
            return ""
        return _("compared over %(n)s/%(m)s reporting units") % {"n": self.compared, "m": self.expected}


@dataclass(frozen=True)
class _Span:
    year: int
    first: int
    last: int

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    def inside(self) -> list[_Inside]:
        return _inside(self)


@dataclass(frozen=True)
class _Inside:
    """A stored period that lies inside a span, with what combining needs read once."""

    id: str
    type: PeriodType
    months: int


@functools.lru_cache(maxsize=512)
def _inside(span: _Span) -> list[_Inside]:
    """The periods of every type inside the span: finest type first, each type in calendar order."""
    return [_Inside(p.id, p.type, p.last_month - p.first_month + 1)
            for ptype in _FINENESS for p in periods_of_year(ptype, span.year)
            if p.first_month >= span.first and p.last_month <= span.last]


def _span(period_id: str, ytd: bool = False) -> _Span:
    p = Period.parse(period_id)
    return _Span(p.year, 1 if ytd else p.first_month, p.last_month)


def _q(value: Decimal) -> Decimal:
    return value.quantize(_QUANTUM, context=_CONTEXT)


def _pct(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None or b == 0:
        return None
    return _q(_CONTEXT.divide(a * 100, b))


def _growth(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    pct = _pct(a, b)
    if pct is None:
        return None
    return pct - 100 if b > 0 else -(pct - 100)


class _Cell(NamedTuple):
    """A stored period's figure for one unit: its rollup row, or its own value (`own`) when it has no rollup row.
    A tuple: a pivot builds thousands of them per page."""

    value: Decimal | None
    estimate: bool
    units: int
    at: datetime.datetime | None
    own: bool = False
    pending: int = 0
    total: Decimal | None = None  # a rollup row's pair, which lineage folds (None: the unit's own value)
    weight: Decimal | None = None
    sources: tuple[int, ...] = ()


def _cell_from_rollup(indicator: Indicator, row) -> _Cell:
    total, weight, units, estimates, pending, *when = row
    at = when[0] if when else None
    if indicator.unit_aggregation == UA.SUM:
        value = total
    else:
        value = _q(_CONTEXT.divide(total, weight)) if total is not None and weight else None
    return _Cell(value, estimates > 0, units, at, False, pending, total, weight)


def _as_list(objects, model):
    objects = list(objects)
    ids = [o for o in objects if not isinstance(o, model)]
    if ids:
        found = model.objects.in_bulk(ids)
        objects = [o if isinstance(o, model) else found[o] for o in objects]
    return objects


def _expected(indicators: list[Indicator], units: list[OrgUnit]) -> dict[tuple[int, int], frozenset[int] | None]:
    """The units of each unit's subtree that report each indicator on an active form (None: no form has it).

    Two small reads (the forms of the indicators, the members of those forms) and a binary search of each unit's
    path among the members' sorted paths, rather than a join of every member with every unit."""
    from dieuhanh.reporting.models import FormRow, ReportForm

    forms_of: dict[int, set[int]] = defaultdict(set)
    for ind_id, form_id in FormRow.objects.filter(
        indicator__in=indicators, section__form__active=True
    ).values_list("indicator_id", "section__form_id").order_by().distinct():
        forms_of[ind_id].add(form_id)
    members: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for form_id, path, unit_id in ReportForm.units.through.objects.filter(
        reportform_id__in={f for forms in forms_of.values() for f in forms}
    ).values_list("reportform_id", "orgunit__path", "orgunit_id"):
        members[form_id].append((path, unit_id))
    for rows in members.values():
        rows.sort()

    def below(form_id: int, path: str) -> list[tuple[str, int]]:
        rows = members.get(form_id, [])
        return rows[bisect.bisect_left(rows, (path, 0)):bisect.bisect_left(rows, (path + "\uffff", 0))]

    out = {}
    for ind in indicators:
        forms = forms_of.get(ind.pk)
        for unit in units:
            if not forms or not any(members.get(f) for f in forms):
                out[(ind.pk, unit.pk)] = None
            else:  # a unit on two forms with the indicator is counted once
                out[(ind.pk, unit.pk)] = frozenset(unit_id for f in forms for _p, unit_id in below(f, unit.path))
    return out


def _comparison_requests(period_id: str, ytd: bool) -> list[tuple[str, _Span, str]]:
    """What a comparison at `period_id` reads: its value (lũy kế when `ytd`), the period's own figure, the same
    span last year, the previous period and the year's target."""
    period = Period.parse(period_id)
    value_span = _span(period_id, ytd)
    return [
        ("value", value_span, RollupKind.BEST),
        ("period", _span(period_id), RollupKind.BEST),
        ("last_year", _Span(value_span.year - 1, value_span.first, value_span.last), RollupKind.BEST),
        ("previous", _span(period.previous().id), RollupKind.BEST),
        ("target", _Span(period.year, 1, 12), RollupKind.TARGET),
    ]


class Reader:
    """Figures of a fixed set of indicators × units, each stored period read from the database once.

    A page asks several questions of the same indicators and units — sparklines, then lũy kế, last year, the target —
    whose stored periods overlap (this year's months serve the sparkline and the lũy kế): one Reader answers them
    all, reading only the (kind, period) pairs not read before, and counting the reporting units once. The
    module functions below make a Reader per call."""

    def __init__(self, indicators: Iterable, orgunits: Iterable, *, as_of: bool = True, boundaries: str = "current"):
        """`as_of=False`: the figures carry no "data as of" time, which a pivot of thousands of figures does not
        show and would otherwise pay for in date parsing. `boundaries`: "current" (today's units, history folded
        from predecessors) or "as_reported" (the units as they were)."""
        if boundaries not in BOUNDARIES:
            raise ValueError(f"boundaries must be one of {BOUNDARIES}")
        self.as_of = as_of
        self.boundaries = boundaries
        self.lineage: LineageResolver | None = None  # read with the first question (current boundaries only)
        self.indicators = _as_list(indicators, Indicator)
        self.units = _as_list(orgunits, OrgUnit)
        self._by_id = {i.pk: i for i in self.indicators}
        self._cells: dict[tuple[int, int, str], dict[str, _Cell]] = defaultdict(dict)  # (ind, unit, kind) → period
        self._read: set[tuple[str, str]] = set()  # (kind, period id) pairs read
        self._ahead: set[tuple[str, str]] = set()  # pairs a later question will need (see expect)
        self._expected: dict[tuple[int, int], int | None] | None = None
        self._members: dict[tuple[int, int], frozenset[int] | None] | None = None
        self._member_reader: Reader | None = None  # the reporting units', for like-for-like changes

    def _load(self, wanted: set[tuple[str, str]]) -> None:
        """Read the rollups and the units' own values of the (kind, period id) pairs not read yet: two queries."""
        wanted = (wanted | self._ahead) - self._read
        self._ahead = set()
        if not wanted or not self.indicators or not self.units:
            return
        kinds = {k for k, _p in wanted}
        per_kind = Q()
        for kind in kinds:  # not kinds × periods: the target's months need not bring the actuals' months
            per_kind |= Q(kind=kind, period__in=[p for k, p in wanted if k == kind])
        cells, by_id = self._cells, self._by_id
        if self.boundaries == "current" and self.lineage is None:
            self.lineage = LineageResolver(self.units)
        # Under today's boundaries the predecessors' cells are read with the units' own, in the same two queries.
        units = self.units if self.lineage is None else list(self.lineage.source_units)
        rolled = ValueRollup.objects.filter(per_kind, indicator__in=self.indicators, orgunit__in=units)
        at = ["updated_at"] if self.as_of else []
        rolled = rolled.values_list("indicator_id", "orgunit_id", "period", "kind", "total", "weight",
                                    "units_reported", "estimates", "pending", *at)
        for ind_id, unit_id, period, kind, *stats in rolled:
            indicator = by_id[ind_id]
            if (kind, period) in wanted and indicator.unit_aggregation != UA.NONE:
                cells[(ind_id, unit_id, kind)][period] = _cell_from_rollup(indicator, stats)
        own_kind = Q()
        for kind in kinds:
            stored = [ValueKind.TARGET] if kind == RollupKind.TARGET else [ValueKind.ACTUAL, ValueKind.ESTIMATE]
            own_kind |= Q(kind__in=stored, period__in=[p for k, p in wanted if k == kind])
        own = DataValue.objects.filter(own_kind, indicator__in=self.indicators, orgunit__in=units,
                                       state__gte=ValueState.counted())
        own = own.values_list("indicator_id", "orgunit_id", "period", "kind", "value", "state", *at)
        # Plain strings in the loop: it runs once per stored value (twelve thousand for a pivot).
        target, actual, estimate = str(ValueKind.TARGET), str(ValueKind.ACTUAL), str(ValueKind.ESTIMATE)
        best_kind, target_kind = str(RollupKind.BEST), str(RollupKind.TARGET)
        submitted = int(ValueState.SUBMITTED)
        for ind_id, unit_id, period, kind, value, state, *when in own:
            rkind = target_kind if kind == target else best_kind
            if (rkind, period) not in wanted:
                continue
            found = cells[(ind_id, unit_id, rkind)]
            current = found.get(period)
            # A rollup row already includes the unit's own value (it won over the sub-units'): the row is the unit's
            # own figure, whole by itself. Between own values the actual beats the estimate.
            if current is None or (current.own and current.estimate and kind == actual):
                found[period] = _Cell(value, kind == estimate, 1, when[0] if when else None, True,
                                      int(state == submitted))
            elif not current.own:
                found[period] = current._replace(own=True)
        if self.lineage is not None:
            self.lineage.fold(cells, by_id, [u.pk for u in self.units], wanted, _Cell, ValueState.counted())
        self._read |= wanted

    def compute(self, requests: Sequence[tuple[str, _Span, str]], indicators: Iterable | None = None,
                units: Iterable | None = None) -> dict[tuple[int, int, str], Figure]:
        """Figures for every indicator × unit (of the Reader's, or the subsets given) × request (key, span, kind)."""
        indicators = self.indicators if indicators is None else [self._by_id[_pk(i)] for i in indicators]
        units = self.units if units is None else self._own_units(units)
        if not indicators or not units or not requests:
            return {}
        inside = {span: span.inside() for _key, span, _kind in requests}
        self._load({(kind, p.id) for _key, span, kind in requests for p in inside[span]})
        if self._expected is None:
            self._members = _expected(self.indicators, self.units)
            self._expected = {key: None if ids is None else len(ids) for key, ids in self._members.items()}
        cells, expected = self._cells, self._expected
        out = {}
        for key, span, kind in requests:
            periods = inside[span]
            single = periods[0] if len(periods) == 1 else None  # a month: its cell is its figure
            for ind in indicators:
                ind_id = ind.pk
                for unit in units:
                    unit_id = unit.pk
                    stored = cells.get((ind_id, unit_id, kind))
                    units_expected = expected.get((ind_id, unit_id))
                    cell = stored.get(single.id) if stored and single is not None else None
                    if cell is not None:
                        figure = Figure(cell.value, cell.estimate, cell.units,
                                        None if cell.sources else units_expected, cell.at, single.months,
                                        cell.pending, cell.own, cell.sources)
                    elif stored and single is None and (found := [(p, stored[p.id]) for p in periods
                                                                   if p.id in stored]):
                        figure = _combine(ind, found, units_expected)
                    else:
                        figure = Figure(units_expected=units_expected)
                    out[(ind_id, unit_id, key)] = figure
        return out

    def _own_units(self, units: Iterable) -> list[OrgUnit]:
        """`units`, which must be among the Reader's: it read nothing for others (their figures would be empty)."""
        mine = {u.pk: u for u in self.units}
        missing = [u for u in units if _pk(u) not in mine]
        if missing:
            raise ValueError(f"the Reader was not made for the units {missing}")
        return [mine[_pk(u)] for u in units]

    def figures(self, period_ids: Iterable[str], *, kind: str = "best", ytd: bool = False,
                indicators: Iterable | None = None) -> dict[tuple[int, int, str], Figure]:
        """See the module function `figures`."""
        requests = [(pid, _span(pid, ytd), kind) for pid in dict.fromkeys(period_ids)]
        return self.compute(requests, indicators)

    def expect(self, period_id: str, *, ytd: bool = True) -> None:
        """Comparisons at `period_id` are likely to be asked: read their periods with the next question's, in the
        same two queries (the overview reads its sparklines and the cards' comparisons in one round trip)."""
        self._ahead |= {(kind, p.id) for _key, span, kind in _comparison_requests(period_id, ytd)
                        for p in span.inside()}

    def comparisons(self, orgunit, period_id: str, *, ytd: bool = True,
                    indicators: Iterable | None = None) -> dict[int, Comparison]:
        """See the module function `comparisons`."""
        unit = self._own_units([orgunit])[0]
        indicators = self.indicators if indicators is None else [self._by_id[_pk(i)] for i in indicators]
        period = Period.parse(period_id)
        requests = _comparison_requests(period_id, ytd)
        value_span = requests[0][1]
        found = self.compute(requests, indicators, [unit])
        changes = self._changes(unit, indicators, requests, found, [("value", "last_year"), ("period", "previous")])
        out = {}
        for ind in indicators:
            value, own, last_year, previous, target = (found[(ind.pk, unit.pk, key)] for key, *_rest in requests)
            pace, ratio = pace_of(ind, value.value, target.value, value_span.months)
            if _lacks_units(value):  # 2 of 6 units against the whole unit's target is no pace
                pace, ratio = None, None
            growth, change = changes[(ind.pk, "value")], changes[(ind.pk, "period")]
            out[ind.pk] = Comparison(
                indicator=ind, orgunit=unit, period_id=period.id, ytd=ytd, value=value, period_value=own,
                target=target, pct_of_target=_pct(value.value, target.value), last_year=last_year,
                growth_pct=growth.pct, previous=previous, change_pct=change.pct, pace=pace, pace_ratio=ratio,
                growth_basis=growth, change_basis=change,
            )
        return out

    def growths(self, orgunit, period_ids: Iterable[str], *, ytd: bool = False,
                indicators: Iterable | None = None) -> dict[tuple[int, str], Change]:
        """{(indicator id, period id): Change} of each period's figure (lũy kế when `ytd`) against the same span a
        year before, like-for-like where units are missing (the indicator page's table)."""
        unit = self._own_units([orgunit])[0]
        indicators = self.indicators if indicators is None else [self._by_id[_pk(i)] for i in indicators]
        out = {}
        for pid in dict.fromkeys(period_ids):
            span = _span(pid, ytd)
            requests = [("value", span, RollupKind.BEST),
                        ("last_year", _Span(span.year - 1, span.first, span.last), RollupKind.BEST)]
            found = self.compute(requests, indicators, [unit])
            for (ind_id, _key), change in self._changes(unit, indicators, requests, found,
                                                        [("value", "last_year")]).items():
                out[(ind_id, pid)] = change
        return out

    def _changes(self, unit: OrgUnit, indicators: list[Indicator], requests, found,
                 pairs: list[tuple[str, str]]) -> dict[tuple[int, str], Change]:
        """{(indicator id, later key): Change} for each (later, earlier) pair of request keys; whole-unit where both
        figures hold every expected unit, else like-for-like over the reporting units (one read for all)."""
        out, partial = {}, []
        spans = {key: (span, kind) for key, span, kind in requests}
        for ind in indicators:
            for later, earlier in pairs:
                a, b = found[(ind.pk, unit.pk, later)], found[(ind.pk, unit.pk, earlier)]
                if a.sources or b.sources:
                    # A figure converted from predecessors has no breakdown by today's units, so no like-for-like:
                    # compared whole, and only when neither span's latest period lacks units that reported before it.
                    settled = all(self._settled(ind.pk, unit.pk, *spans[key]) for key in (later, earlier))
                    out[(ind.pk, later)] = Change(_change_pct(ind, a, b), a.value, b.value) if settled else Change(None)
                elif a.value is not None and b.value is not None and (_lacks_units(a) or _lacks_units(b)):
                    partial.append((ind, later, earlier))
                else:
                    out[(ind.pk, later)] = Change(_change_pct(ind, a, b), a.value, b.value)
        if partial:
            members = {ind.pk: self._members.get((ind.pk, unit.pk)) or frozenset() for ind, *_k in partial}
            reader = self._member_reader_for({u for ids in members.values() for u in ids})
            wanted = {key for _ind, later, earlier in partial for key in (later, earlier)}
            by_unit = reader.compute([(key, *spans[key]) for key in wanted], [ind for ind, *_k in partial])
            for ind, later, earlier in partial:
                out[(ind.pk, later)] = _like_for_like(ind, members[ind.pk], by_unit, later, earlier)
        return out

    def _settled(self, ind_id: int, unit_id: int, span: _Span, kind: str) -> bool:
        """Whether the latest stored period of the span holds as many units as any earlier one of the same type,
        converted periods aside: a figure compared with a converted one must not lack units that reported before."""
        stored = self._cells.get((ind_id, unit_id, kind)) or {}
        counts: dict[PeriodType, list[int]] = defaultdict(list)
        for p in span.inside():
            cell = stored.get(p.id)
            if cell is not None and not cell.sources:
                counts[p.type].append(cell.units)
        return all(found[-1] >= max(found) for found in counts.values())

    def _member_reader_for(self, unit_ids: set[int]) -> Reader:
        """One Reader of the reporting units for the page (it reads each stored period once, as this one does)."""
        reader = self._member_reader
        if reader is None or not unit_ids <= {u.pk for u in reader.units}:
            known = {u.pk for u in reader.units} if reader else set()
            reader = self._member_reader = Reader(self.indicators, known | unit_ids, as_of=False,
                                                  boundaries=self.boundaries)
        return reader



def _lacks_units(figure: Figure) -> bool:
    """Whether some units expected to report are missing from the figure (a unit's own figure lacks none)."""
    return (figure.units_expected is not None and not figure.own
            and figure.units_reported < figure.units_expected)


def _change_pct(indicator: Indicator, a: Figure, b: Figure) -> Decimal | None:
    """a against b, %; totals over unequal stretches of time are not compared."""
    if indicator.period_aggregation == PA.SUM and a.months != b.months:
        return None
    return _growth(a.value, b.value)


def _like_for_like(indicator: Indicator, unit_ids: frozenset[int], by_unit: dict, later: str, earlier: str
                   ) -> Change:
    """The change over the reporting units with a figure in both spans: sums summed, averages averaged. Weighted
    averages and "none" indicators would need more than the units' figures: no change is given for them."""
    pairs = []
    for unit_id in unit_ids:
        a, b = by_unit[(indicator.pk, unit_id, later)], by_unit[(indicator.pk, unit_id, earlier)]
        if a.value is not None and b.value is not None and _change_pct(indicator, a, b) is not None:
            pairs.append((a.value, b.value))
    rule = indicator.unit_aggregation
    if not pairs or rule not in (UA.SUM, UA.AVERAGE):
        return Change(None, None, None, len(pairs), len(unit_ids))
    a_total, b_total = sum(a for a, _b in pairs), sum(b for _a, b in pairs)
    if rule == UA.AVERAGE:
        a_total, b_total = _q(_CONTEXT.divide(a_total, len(pairs))), _q(_CONTEXT.divide(b_total, len(pairs)))
    return Change(_growth(a_total, b_total), a_total, b_total, len(pairs), len(unit_ids))


def _combine(indicator: Indicator, found: list[tuple[_Inside, _Cell]], units_expected: int | None) -> Figure:
    """One figure from the stored periods found inside a span (in the order of `_inside`)."""
    first_type = found[0][0].type
    if all(p.type is first_type for p, _c in found):
        used = found  # the usual case: one period type stored, already in calendar order
    else:
        coverage: dict[PeriodType, int] = defaultdict(int)
        for p, _cell in found:
            coverage[p.type] += p.months
        best_type = max(coverage, key=lambda t: (coverage[t], -_FINENESS.index(t)))
        used = [(p, c) for p, c in found if p.type is best_type]
    values = [c.value for _p, c in used if c.value is not None]
    rule = indicator.period_aggregation
    if not values:
        value = None
    elif rule == PA.LAST:
        value = values[-1]
    elif rule == PA.AVERAGE:
        value = _q(_CONTEXT.divide(sum(values, Decimal(0)), len(values)))
    else:
        value = sum(values, Decimal(0))
    ats = [c.at for _p, c in used if c.at is not None]
    return Figure(value=value, is_estimate=any(c.estimate for _p, c in used), units_reported=used[-1][1].units,
                  units_expected=None if used[-1][1].sources else units_expected, as_of=max(ats) if ats else None,
                  months=sum(p.months for p, _c in used), pending=max(c.pending for _p, c in used),
                  own=all(c.own for _p, c in used), sources=tuple(sorted({s for _p, c in used for s in c.sources})))


# --- the API -------------------------------------------------------------------------------------------------------
def figures(indicators: Iterable, orgunits: Iterable, period_ids: Iterable[str], *, kind: str = "best",
            ytd: bool = False, as_of: bool = True, boundaries: str = "current") -> dict[tuple[int, int, str], Figure]:
    """{(indicator id, unit id, period id): Figure} for every combination (an empty Figure where nothing is stored);
    a few queries in total whatever the sizes. `ytd`: each period's lũy kế instead; `as_of=False`: without the
    time of the last change; `boundaries`: see Reader."""
    return Reader(indicators, orgunits, as_of=as_of, boundaries=boundaries).figures(period_ids, kind=kind, ytd=ytd)


def figure(indicator, orgunit, period_id: str, *, kind: str = "best") -> Figure:
    """One indicator's figure for a unit (its subtree) and period."""
    return figures([indicator], [orgunit], [period_id], kind=kind)[(_pk(indicator), _pk(orgunit), period_id)]


def year_to_date(indicator, orgunit, period_id: str, *, kind: str = "best") -> Figure:
    """Lũy kế: January to the end of `period_id`."""
    return figures([indicator], [orgunit], [period_id], kind=kind, ytd=True)[
        (_pk(indicator), _pk(orgunit), period_id)]


def series(indicator, orgunit, period_ids: Iterable[str], *, kind: str = "best") -> list[tuple[str, Figure]]:
    period_ids = list(dict.fromkeys(period_ids))
    found = figures([indicator], [orgunit], period_ids, kind=kind)
    return [(pid, found[(_pk(indicator), _pk(orgunit), pid)]) for pid in period_ids]


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def pace_of(indicator: Indicator, value: Decimal | None, target: Decimal | None,
            months: int = 12) -> tuple[str | None, Decimal | None]:
    """(pace, ratio) of a figure over `months` months of the year against the year's target; see the module note."""
    if value is None or target is None or target <= 0:
        return None, None
    expected = target * months / 12 if indicator.period_aggregation == PA.SUM else target
    if indicator.direction == Indicator.Direction.LOWER:
        ratio = _CONTEXT.divide(expected, value) if value > 0 else Decimal("Infinity")
    else:
        ratio = _CONTEXT.divide(value, expected)
    if ratio >= PACE_ON_TRACK:
        pace = "on_track"
    elif ratio >= PACE_AT_RISK:
        pace = "at_risk"
    else:
        pace = "behind"
    return pace, (_q(ratio) if ratio.is_finite() else None)


def comparisons(indicators: Iterable, orgunit, period_id: str, *, ytd: bool = True) -> dict[int, Comparison]:
    """{indicator id: Comparison} for one unit and period; one bulk read for all the indicators."""
    return Reader(indicators, [orgunit]).comparisons(orgunit, period_id, ytd=ytd)


def comparison(indicator, orgunit, period_id: str, *, ytd: bool = True) -> Comparison:
    return comparisons([indicator], orgunit, period_id, ytd=ytd)[_pk(indicator)]


def breakdowns(indicators: Iterable, parent, period_id: str, *, kind: str = "best", ytd: bool = False,
               boundaries: str = "current") -> dict[int, list[tuple[OrgUnit, Figure]]]:
    """{indicator id: the children of `parent` that existed during the period with their figures, best first by
    the indicator's direction; no figure last} — one read for all the indicators (a dashboard's ranking cards).
    Under today's boundaries the children created since count too (their figures converted from their
    predecessors), and those that merged or split away since give way to them."""
    indicators = _as_list(indicators, Indicator)
    period = Period.parse(period_id)
    current = boundaries == "current"
    last_start = max(period.end, timezone.localdate()) if current else period.end
    children = [u for u in OrgUnit.objects.filter(parent=parent)
                if (u.valid_from is None or u.valid_from <= last_start)
                and (u.valid_to is None or u.valid_to >= period.start)]
    ended = [u.pk for u in children if u.valid_to is not None]
    if current and ended:
        gone = set(LineageEvent.predecessors.through.objects.filter(
            orgunit_id__in=ended, lineageevent__effective_date__gt=period.start,
            lineageevent__kind__in=[LineageEvent.Kind.MERGE, LineageEvent.Kind.SPLIT],
        ).values_list("orgunit_id", flat=True))
        children = [u for u in children if u.pk not in gone]
    found = figures(indicators, children, [period_id], kind=kind, ytd=ytd, boundaries=boundaries) if children else {}
    out = {}
    for indicator in indicators:
        rows = [(child, found[(indicator.pk, child.pk, period_id)]) for child in children]
        lower = indicator.direction == Indicator.Direction.LOWER
        with_value = sorted((r for r in rows if r[1].value is not None), key=lambda r: r[1].value,
                            reverse=not lower)
        out[indicator.pk] = with_value + [r for r in rows if r[1].value is None]
    return out


def breakdown(indicator, parent, period_id: str, *, kind: str = "best", ytd: bool = False,
              boundaries: str = "current") -> list[tuple[OrgUnit, Figure]]:
    """One indicator's breakdown (see breakdowns)."""
    indicator = _as_list([indicator], Indicator)[0]
    return breakdowns([indicator], parent, period_id, kind=kind, ytd=ytd, boundaries=boundaries)[indicator.pk]


def freshness(indicator, orgunit, period_id: str) -> tuple[datetime.datetime | None, list[OrgUnit]]:
    """(the last change of a value in the unit's subtree for the period, the units in that subtree that have not
    reported an active form of the period's type holding the indicator — any indicator when None).

    "Not reported" is the completeness rule (reporting.completeness.units_not_reported), so this list names the same
    units as the completeness page and the overview: a draft with figures typed in has not reported, a unit that
    submitted its report without this figure has."""
    from dieuhanh.reporting.completeness import units_not_reported
    from dieuhanh.reporting.models import ReportForm

    unit = _as_list([orgunit], OrgUnit)[0]
    period = Period.parse(period_id)
    forms = ReportForm.objects.filter(active=True, period_type=period.type.value)
    values = DataValue.objects.filter(orgunit__path__startswith=unit.path, period=period.id,
                                      kind__in=[ValueKind.ACTUAL, ValueKind.ESTIMATE],
                                      state__gte=ValueState.counted())  # a draft's save is no "data as of"
    if indicator is not None:
        indicator = _as_list([indicator], Indicator)[0]
        forms = forms.filter(sections__rows__indicator=indicator)
        values = values.filter(indicator=indicator)
    as_of = values.aggregate(at=Max("updated_at"))["at"]
    subtree = OrgUnit.objects.filter(path__startswith=unit.path)
    return as_of, units_not_reported(forms.distinct().order_by("code"), period, units=subtree)


# --- wording -------------------------------------------------------------------------------------------------------
def change_text(pct: Decimal | None, *, against: str = "last_year") -> str:
    """"tăng 19,0% so với cùng kỳ", "giảm 2,5% so với kỳ trước", "" when unknown."""
    if pct is None:
        return ""
    label = {"last_year": _("the same period last year"), "previous": _("the previous period"),
             "target": _("the target")}[against]
    amount = format_number(abs(pct), 1)
    if pct > 0:
        return _("up %(pct)s%% on %(against)s") % {"pct": amount, "against": label}
    if pct < 0:
        return _("down %(pct)s%% on %(against)s") % {"pct": amount, "against": label}
    return _("unchanged on %(against)s") % {"against": label}
