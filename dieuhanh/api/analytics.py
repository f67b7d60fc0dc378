"""API: analytics — figures for indicators × units × periods with what the pages set beside them: the year's target
and the share of it reached, the same span last year (growth), the previous period (change), the pace toward the
target, "data as of", completeness (units with the figure of those expected, how many await approval), estimate flags
and the basis of each comparison.

Every figure comes from the pages' own Reader (dieuhanh.analytics.queries.Reader.comparisons, as the indicator page
and the KPI cards call it), so the API and the pages never disagree. Only units the key may read are answered; any
other answers 404."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dieuhanh.analytics.queries import BOUNDARIES, Change, Comparison, Figure, Reader, freshness
from dieuhanh.api.errors import ApiError, ErrorOut
from dieuhanh.api.values_import import no_nul
from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.periods import Period, PeriodError, PeriodType, periods_of_year
from dieuhanh.orgunits.models import OrgUnit

router = Router(tags=["analytics"])
# indicators × units × periods answered at once; a wider question is refused (400) rather than left to time out.
MAX_CELLS = 2000
# Listing the units that have not reported runs the completeness rule per cell: fewer cells.
MAX_CELLS_NOT_REPORTED = 200
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class AnalyticsQuery(Schema):
    indicator: list[str] = Field([], description="indicator codes (repeatable), at least one")
    orgUnit: list[str] = Field([], description="unit codes (repeatable); default: the key's root unit")  # noqa: N815
    children: bool = Field(False, description="also each unit's children (today's, or those that existed during "
                                              "the periods with boundaries=as_reported)")
    period: list[str] = Field([], description="period ids (repeatable): 202603, 2026Q1, 2026S1, 2026N9, 2026")
    periodType: PeriodType | None = Field(None, description="split each period into its periods of this type: "  # noqa: N815
                                                            "period=2026&periodType=month gives the year's months")
    ytd: bool = Field(False, description="each value is lũy kế (January to the end of the period) instead of the "
                                         "period's own figure; growth compares the same span last year")
    boundaries: str = Field("current", description="current: today's units, history converted from the units they "
                                                   "replaced; as_reported: the units as they were")
    notReported: bool = Field(False, description="also list the units that have not reported the period "  # noqa: N815
                                                 f"(at most {MAX_CELLS_NOT_REPORTED} figures)")


class Basis(Schema):
    """How a change was compared: over the whole unit, or like-for-like over the units that reported both times."""

    pct: Decimal | None
    now: Decimal | None = Field(description="the figure compared (like-for-like: over the compared units only)")
    before: Decimal | None
    compared: int | None = Field(description="units compared like-for-like; null: the whole unit")
    expected: int | None
    note: str = Field(description="e.g. 'so sánh trên 2/6 đơn vị đã báo cáo'; empty for a whole-unit comparison")


class FigureOut(Schema):
    value: Decimal | None = Field(description="decimal, as a string")
    is_estimate: bool = Field(description="some of it is an estimate (no actual yet)")
    units_reported: int = Field(description="units whose figures are in it")
    units_expected: int | None = Field(description="units expected to report it; null: no form collects it here, "
                                                   "or the figure was converted from other units")
    pending: int = Field(description="of units_reported, those submitted but not yet approved")
    months: int = Field(description="months of the span covered by stored periods")
    own: bool = Field(description="the unit's own figure (its own value won over its sub-units'), whole by itself")
    as_of: datetime.datetime | None = Field(description="the last change that fed it")
    converted_from: list[str] = Field(description="codes of the units it was converted from to today's boundaries")


class Pace(Schema):
    code: str = Field(description="on_track | at_risk | behind")
    label: str
    ratio: Decimal | None = Field(description="figure ÷ what the target expects by now (inverted when lower is "
                                              "better); ≥ 0.95 on track, ≥ 0.85 at risk")


class CellOut(Schema):
    indicator: str
    indicator_name: str
    unit_of_measure: str
    org_unit: str
    org_unit_name: str
    period: str
    period_label: str
    ytd: bool = Field(description="value is lũy kế (January to the end of the period)")
    value: FigureOut = Field(description="the figure: lũy kế with ytd=true, else the period's own")
    period_value: FigureOut = Field(description="the period's own figure")
    target: FigureOut = Field(description="the year's target")
    pct_of_target: Decimal | None
    pace: Pace | None = Field(description="null without a target, or when units expected to report are missing")
    last_year: FigureOut = Field(description="the same span a year before")
    growth: Basis = Field(description="value against last_year, %")
    previous: FigureOut = Field(description="the previous period's own figure")
    change: Basis = Field(description="period_value against previous, %")
    not_reported: list[str] | None = Field(description="with notReported=true: codes of the units in the subtree "
                                                       "that have not reported the period (the completeness rule)")


class AnalyticsOut(Schema):
    boundaries: str
    generated_at: datetime.datetime
    items: list[CellOut]


def _indicators(codes: list[str]) -> list[Indicator]:
    if not codes:
        raise ApiError(400, "E_REQUIRED", _("Name at least one indicator"), field="indicator")
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    for index, code in enumerate(codes):
        if code not in found:
            raise ApiError(400, "E_UNKNOWN", _("Unknown indicator %(code)s") % {"code": code}, field="indicator",
                           index=index)
    return [found[code] for code in dict.fromkeys(codes)]


def _periods(ids: list[str], split: PeriodType | None) -> list[Period]:
    if not ids:
        raise ApiError(400, "E_REQUIRED", _("Name at least one period"), field="period")
    out: list[Period] = []
    for index, pid in enumerate(ids):
        try:
            period = Period.parse(pid)
        except PeriodError as exc:
            raise ApiError(400, "E_PERIOD", str(exc), field="period", index=index) from exc
        if split is None:
            out.append(period)
        else:
            out += [p for p in periods_of_year(split, period.year)
                    if p.first_month >= period.first_month and p.last_month <= period.last_month]
    return list(dict.fromkeys(out))


def _units(request, codes: list[str], children: bool, boundaries: str, periods: list[Period]) -> list[OrgUnit]:
    """The units asked for, each followed by its children when asked; 404 for any the key may not read."""
    if not codes:
        root = request.auth.key.root
        if root is None:
            raise ApiError(400, "E_REQUIRED", _("Name the unit (orgUnit)"), field="orgUnit")
        codes = [root.code]
    readable = request.auth.units()
    out: list[OrgUnit] = []
    for code in dict.fromkeys(codes):
        unit = request.auth.unit_or_404(code)
        out.append(unit)
        if children:
            below = readable.filter(parent=unit).order_by("search_name", "code")
            if boundaries == "current":
                today = timezone.localdate()
                below = below.exclude(valid_to__lt=today)
            elif periods:
                below = below.exclude(valid_to__lt=min(p.start for p in periods)).exclude(
                    valid_from__gt=max(p.end for p in periods))
            out += [u for u in below if u not in out]
    return out


def _figure(figure: Figure, codes: dict[int, str]) -> FigureOut:
    return FigureOut(value=figure.value, is_estimate=figure.is_estimate, units_reported=figure.units_reported,
                     units_expected=figure.units_expected, pending=figure.pending, months=figure.months,
                     own=figure.own, as_of=figure.as_of,
                     converted_from=sorted(codes.get(s, str(s)) for s in figure.sources))


def _basis(change: Change | None, pct: Decimal | None) -> Basis:
    if change is None:
        return Basis(pct=pct, now=None, before=None, compared=None, expected=None, note="")
    return Basis(pct=change.pct, now=change.now, before=change.before, compared=change.compared,
                 expected=change.expected, note=change.note)


def _cell(c: Comparison, period: Period, codes: dict[int, str], not_reported: list[str] | None) -> CellOut:
    ind, unit = c.indicator, c.orgunit
    pace = Pace(code=c.pace, label=c.pace_label, ratio=c.pace_ratio) if c.pace else None
    return CellOut(
        indicator=ind.code, indicator_name=ind.name, unit_of_measure=ind.unit, org_unit=unit.code,
        org_unit_name=unit.name, period=period.id, period_label=period.label, ytd=c.ytd,
        value=_figure(c.value, codes), period_value=_figure(c.period_value, codes), target=_figure(c.target, codes),
        pct_of_target=c.pct_of_target, pace=pace, last_year=_figure(c.last_year, codes),
        growth=_basis(c.growth_basis, c.growth_pct), previous=_figure(c.previous, codes),
        change=_basis(c.change_basis, c.change_pct), not_reported=not_reported,
    )


@router.get("", response={200: AnalyticsOut, **ERRORS}, summary="Figures with target, growth, pace, completeness")
def analytics(request, query: Query[AnalyticsQuery]):
    """Figures for every indicator × unit × period asked for, each with the year's target, the same span last year
    and the growth, the previous period and the change, the pace toward the target, when the data last changed,
    how many units have the figure of those expected (and how many await approval), whether it holds estimates, and
    how each change was compared (whole, or like-for-like over the units that reported both times).

    Only reported values count (a draft is in no figure). Figures are those of the indicator page and the KPI cards
    (the same Reader). A unit the key may not read answers 404."""
    no_nul(*query.indicator, *query.orgUnit, *query.period)
    if query.boundaries not in BOUNDARIES:
        raise ApiError(400, "E_INVALID", _("boundaries must be one of: %(values)s") % {
            "values": ", ".join(BOUNDARIES)}, field="boundaries")
    indicators = _indicators(query.indicator)
    periods = _periods(query.period, query.periodType)
    units = _units(request, query.orgUnit, query.children, query.boundaries, periods)
    cells = len(indicators) * len(units) * len(periods)
    limit = MAX_CELLS_NOT_REPORTED if query.notReported else MAX_CELLS
    if cells > limit:
        raise ApiError(400, "E_TOO_BROAD", _("Too many figures at once (%(n)s); at most %(max)s: ask for fewer "
                                             "indicators, units or periods") % {"n": cells, "max": limit})
    reader = Reader(indicators, units, boundaries=query.boundaries)
    found: list[tuple[Comparison, Period]] = []
    for unit in units:
        for period in periods:
            for comparison in reader.comparisons(unit, period.id, ytd=query.ytd).values():
                found.append((comparison, period))
    sources = {s for c, _p in found for f in (c.value, c.period_value, c.last_year, c.previous) for s in f.sources}
    codes = dict(OrgUnit.objects.filter(pk__in=sources).values_list("pk", "code")) if sources else {}
    items = []
    for comparison, period in found:
        missing = None
        if query.notReported:
            _as_of, units_missing = freshness(comparison.indicator, comparison.orgunit, period.id)
            missing = [u.code for u in units_missing]
        items.append(_cell(comparison, period, codes, missing))
    return AnalyticsOut(boundaries=query.boundaries, generated_at=timezone.now(), items=items)
