"""Turning a dashboard's cards into figures a leader reads: "1.762,38 tỷ đồng · tăng 19,0% so với cùng kỳ".

Every figure comes from the analytics API (dieuhanh.analytics.queries) in bulk, through one Reader: one `figures`
call for the sparklines (and chart cards' longer series), one `comparisons` call per (span, period) for the headline
values and, with chart cards, one `figures` call for their targets, whatever the number of cards, each stored period
read once. When the user has no dashboard configured, the default one is built here
from the main ICT and socio-economic indicators of the demo catalogue (those that exist), or the first active
indicators.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.accounts.selectors import holds_any
from dieuhanh.analytics import queries
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.indicators.models import DataValue, Indicator, ValueState
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number, format_percent
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.models import FormRow

# The cards of the default dashboard, in order: revenue and budget first, then infrastructure, e-government and
# the province's economy.
DEFAULT_CODES = ["DT_VT", "DT_BC", "NS_BCVT", "TB_DD", "TB_BRCD", "TRAM_BTS", "TL_DVC_TT", "TL_HS_DH", "CQ_WAN",
                 "THU_NS", "XK", "FDI", "GRDP_TT"]
DEFAULT_SIZE = 12
SPARK_LENGTH = {PeriodType.MONTH: 12, PeriodType.QUARTER: 8, PeriodType.SIX_MONTHS: 6,
                PeriodType.NINE_MONTHS: 6, PeriodType.YEAR: 8}
CHART_LENGTH = 12  # a chart card's periods of the indicator's own type
FINEST = [PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SIX_MONTHS, PeriodType.NINE_MONTHS, PeriodType.YEAR]
LEADER_ROLES = (Role.LEADER, Role.ADMIN)

PACE = {
    "on_track": ("success", gettext_lazy("On track")),
    "at_risk": ("warning", gettext_lazy("At risk")),
    "behind": ("danger", gettext_lazy("Behind")),
}


# --- who sees what --------------------------------------------------------------------------------------------
def is_leader(user) -> bool:
    """Leaders and administrators get the operations overview; others the module links."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return holds_any(user, LEADER_ROLES)


def top_units(user, *roles: str) -> list[OrgUnit]:
    """The top units of the user's scope (the province for its leaders), in tree order."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("path"))
    from dieuhanh.accounts.selectors import READ_ROLES

    wanted = set(roles or READ_ROLES) | {Role.ADMIN}
    units = sorted(
        {a.orgunit for a in RoleAssignment.objects.filter(user=user, role__in=wanted).select_related("orgunit")},
        key=lambda u: u.path,
    )
    return [u for u in units if not any(o is not u and u.path.startswith(o.path) for o in units)]


@dataclass
class CardSpec:
    """A card to show: a saved Card or one of the default dashboard's."""

    kind: str
    indicator: Indicator | None = None
    span: str = Card.Span.YEAR_TO_DATE
    title: str = ""


def default_specs() -> list[CardSpec]:
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=DEFAULT_CODES, active=True)}
    indicators = [by_code[c] for c in DEFAULT_CODES if c in by_code]
    if not indicators:
        indicators = list(Indicator.objects.filter(active=True).select_related("sector")[:DEFAULT_SIZE])
    return [CardSpec(Card.Kind.KPI, indicator=i) for i in indicators]


def specs_of(dashboard: Dashboard | None) -> list[CardSpec]:
    if dashboard is None:
        return default_specs()
    return [
        CardSpec(c.kind, indicator=c.indicator, span=c.span, title=c.title)
        for c in dashboard.cards.select_related("indicator").order_by("order", "id")
    ]


def unit_indicators(unit: OrgUnit) -> list[Indicator]:
    """The indicators with figures for `unit`: those of the forms it or a unit below it reports, and those
    stored for the unit itself; in catalogue order."""
    on_forms = FormRow.objects.filter(
        Q(section__form__units=unit) | Q(section__form__units__path__startswith=unit.path),
        section__form__active=True,
    ).values("indicator_id")
    own = DataValue.objects.filter(orgunit=unit, state__gte=ValueState.counted()).values("indicator_id")
    return list(
        Indicator.objects.filter(active=True).filter(Q(pk__in=on_forms) | Q(pk__in=own))
        .select_related("sector").order_by("sector__order", "code")
    )


# --- periods --------------------------------------------------------------------------------------------------
def native_types(indicators) -> dict[int, PeriodType]:
    """Each indicator's own period: the finest period type of the forms that collect it; a year when no form
    does (figures published yearly or by nine months, like GRDP)."""
    found: dict[int, PeriodType] = {}
    rows = FormRow.objects.filter(indicator__in=[i.pk for i in indicators]).values_list(
        "indicator_id", "section__form__period_type")
    for indicator_id, ptype in rows:
        ptype = PeriodType(ptype)
        current = found.get(indicator_id)
        if current is None or FINEST.index(ptype) < FINEST.index(current):
            found[indicator_id] = ptype
    return {i.pk: found.get(i.pk, PeriodType.YEAR) for i in indicators}


def periods_back(ptype: PeriodType, today: datetime.date, count: int) -> list[Period]:
    """The `count` periods of `ptype` up to the one containing today, oldest first."""
    if ptype == PeriodType.NINE_MONTHS:
        ptype = PeriodType.YEAR  # nine months once a year: the series is yearly
    current = Period.containing(ptype, today)
    out = [current]
    while len(out) < count:
        out.append(out[-1].previous())
    return out[::-1]


# --- formatting -----------------------------------------------------------------------------------------------
def value_text(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format_number(value, indicator.decimals)


def with_unit(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if indicator.unit == "%":
        return f"{value_text(indicator, value)}%"
    return f"{value_text(indicator, value)} {indicator.unit}"


def percent_text(value: Decimal | None) -> str:
    return format_percent(value)


def change_text(indicator: Indicator, now: Decimal | None, before: Decimal | None, pct: Decimal | None,
                against: str) -> tuple[str, str]:
    """("tăng 19,0% so với cùng kỳ", css class). Shares (%) change in points, not in percent of themselves."""
    if now is None or before is None:
        return "", ""
    if indicator.value_type == Indicator.ValueType.PERCENT:
        delta = now - before
        amount = _("%(n)s percentage points") % {"n": format_number(abs(delta), 1)}
    else:
        if pct is None:
            if not before:
                return "", ""
            pct = (now - before) * 100 / abs(before)
        delta = pct
        amount = format_percent(abs(pct))
    if format_number(abs(delta), 1) == "0,0":  # what the reader would see as "0,0"
        return _("unchanged %(against)s") % {"against": against}, "text-secondary"
    up = delta > 0
    better = up == (indicator.direction == Indicator.Direction.HIGHER)
    word = _("up %(amount)s %(against)s") if up else _("down %(amount)s %(against)s")
    return word % {"amount": amount, "against": against}, "text-success" if better else "text-danger"


def moment_text(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def span_label(span: str, period: Period, indicator: Indicator | None = None) -> str:
    """"Lũy kế đến Tháng 11/2026" for a flow; a stock's year to date is its latest level, an average's the mean
    of the year so far."""
    if period.type == PeriodType.YEAR:
        return period.label
    if span == Card.Span.YEAR_TO_DATE:
        rule = indicator.period_aggregation if indicator is not None else Indicator.PeriodAggregation.SUM
        if rule == Indicator.PeriodAggregation.LAST:
            return period.label
        if rule == Indicator.PeriodAggregation.AVERAGE:
            return _("Average of the year, to %(period)s") % {"period": period.label}
        return _("Year to date, to %(period)s") % {"period": period.label}
    if span == Card.Span.YEAR:
        return Period(period.year, PeriodType.YEAR).label
    return period.label


# --- the analytics API, read tolerantly: values may come as Figures or as plain numbers --------------------------
def _value(thing):
    return getattr(thing, "value", thing)


def _figure_of(comparison):
    value = getattr(comparison, "value", None)
    return value if hasattr(value, "value") else comparison


@dataclass
class Kpi:
    """One KPI card, ready for the template (every number already formatted)."""

    indicator: Indicator
    title: str
    url: str
    period: Period
    period_label: str
    value: str
    unit: str
    is_estimate: bool = False
    target: str = ""
    pct_of_target: str = ""
    pct_width: str = "0"
    growth: str = ""
    growth_class: str = ""
    pace: str = ""
    pace_label: str = ""
    pace_ratio: Decimal | None = None  # figure ÷ expected by now, inverted when lower is better (lower: behind)
    as_of: str = ""
    reported: str = ""
    missing: int = 0
    spark: str = "[]"
    kind: str = Card.Kind.KPI
    chart: str = ""  # a chart card's bars and targets (see chart_json)
    raw_value: Decimal | None = None
    own: str = ""  # a flow's own period beside its year to date: "Tháng 11/2026: 286,88 tỷ đồng"
    pending: str = ""  # "2/6 đơn vị chờ duyệt": how much of the figure is submitted but not yet approved
    basis: str = ""  # "so sánh trên 2/6 đơn vị đã báo cáo": a change compared like-for-like
    converted: str = ""  # the figure or the one it is compared with was converted from the units before the reform
    change: str = ""  # the own period against the previous one
    change_class: str = ""
    extra: dict = field(default_factory=dict)


def _spark_json(points: list[tuple[Period, object]], labels: dict[Period, str] | None = None) -> str:
    """`labels`: the periods' labels already translated (thirty cards share the same twelve months)."""
    data = []
    for period, figure in points:
        value = getattr(figure, "value", None) if figure is not None else None
        label = labels[period] if labels is not None and period in labels else period.label
        data.append([label, float(value) if value is not None else None,
                     bool(getattr(figure, "is_estimate", False))])
    return json.dumps(data, ensure_ascii=False)


def _has_value(figure) -> bool:
    return figure is not None and getattr(figure, "value", None) is not None


def kpis(specs: list[CardSpec], orgunit: OrgUnit, today: datetime.date | None = None, *,
         lookback: int | None = None) -> list[Kpi]:
    """The KPI cards of `specs` for `orgunit`: a few analytics calls whatever the number of cards.

    Each card is read at the latest of its recent periods with a figure, looking back over its sparkline's length,
    or `lookback` periods when given (pages without sparklines look back less)."""
    today = today or timezone.localdate()
    specs = [s for s in specs if s.kind in (Card.Kind.KPI, Card.Kind.CHART, Card.Kind.RANKING) and s.indicator]
    if not specs:
        return []
    indicators = list({s.indicator.pk: s.indicator for s in specs}.values())
    types = native_types(indicators)

    # Sparklines and chart cards' bars (and the latest period with a figure): one bulk call for every period type.
    charted = {s.indicator.pk for s in specs if s.kind == Card.Kind.CHART}
    spark = {i.pk: lookback or SPARK_LENGTH[types[i.pk]] for i in indicators}
    spans = {i.pk: periods_back(types[i.pk], today, max(spark[i.pk], CHART_LENGTH if i.pk in charted else 0))
             for i in indicators}
    wanted = sorted({p.id for periods in spans.values() for p in periods})
    reader = queries.Reader(indicators, [orgunit])  # the comparisons below reuse the months read here
    for spec in specs:  # each card is most likely read at its latest period: its comparison's periods come along
        latest = spans[spec.indicator.pk][-1]
        reader.expect(Period(latest.year, PeriodType.YEAR).id if spec.span == Card.Span.YEAR else latest.id,
                      ytd=spec.span == Card.Span.YEAR_TO_DATE)
    found = reader.figures(wanted)
    series: dict[int, list[tuple[Period, object]]] = {
        i.pk: [(p, found.get((i.pk, orgunit.pk, p.id))) for p in spans[i.pk]] for i in indicators
    }

    # The period each card is read at: the latest with a figure (the current one when none has any).
    chosen: dict[int, Period] = {}
    recent: dict[int, list[tuple[Period, object]]] = {}
    for indicator in indicators:
        points = recent[indicator.pk] = series[indicator.pk][-spark[indicator.pk]:]  # a chart's are longer
        with_values = [p for p, f in points if _has_value(f)]
        chosen[indicator.pk] = with_values[-1] if with_values else points[-1][0]

    # Headline comparisons: one bulk call per (span, period).
    groups: dict[tuple[str, str], list[Indicator]] = defaultdict(list)
    for spec in specs:
        period = chosen[spec.indicator.pk]
        read_at = Period(period.year, PeriodType.YEAR).id if spec.span == Card.Span.YEAR else period.id
        groups[(spec.span, read_at)].append(spec.indicator)
    compared: dict[tuple[str, int], object] = {}
    for (span, period_id), group in groups.items():
        unique = list({i.pk: i for i in group}.values())
        result = reader.comparisons(orgunit, period_id, ytd=span == Card.Span.YEAR_TO_DATE, indicators=unique)
        for indicator in unique:
            compared[(span, indicator.pk)] = result.get(indicator.pk)

    # Chart cards' targets: those of their periods, and a level's year target for each of its periods. The
    # comparisons above read this year's; earlier years come in one more read for all chart cards.
    targets = {}
    if charted:
        periods = {p for pk in charted for p in spans[pk]}
        targets = reader.figures(sorted({p.id for p in periods} | {str(p.year) for p in periods}), kind="target",
                                 indicators=[i for i in indicators if i.pk in charted])

    cards = []
    pattern = reverse("dashboard:indicator", args=["CODE"])
    labels = {p: p.label for p in {p for periods in spans.values() for p in periods}}
    for spec in specs:
        indicator = spec.indicator
        period = chosen[indicator.pk]
        comparison = compared.get((spec.span, indicator.pk))
        card = kpi_card(indicator, orgunit, period, spec.span, comparison, recent[indicator.pk],
                        title=spec.title, url_pattern=pattern, labels=labels)
        card.kind = spec.kind
        if spec.kind == Card.Kind.CHART:
            card.chart = chart_json(indicator, orgunit, series[indicator.pk], targets, labels)
        cards.append(card)
    return cards


def period_target(indicator: Indicator, orgunit: OrgUnit, period: Period, targets: dict) -> Decimal | None:
    """A period's target from analytics target figures keyed (indicator, unit, period id): its own, or for a level
    (last value, average) the year's, which holds for each of its periods; a flow's year target is not a month's."""
    own = _value(targets.get((indicator.pk, orgunit.pk, period.id)))
    if own is None and indicator.period_aggregation != Indicator.PeriodAggregation.SUM:
        own = _value(targets.get((indicator.pk, orgunit.pk, str(period.year))))
    return own


def chart_json(indicator: Indicator, orgunit: OrgUnit, points: list[tuple[Period, object]], targets: dict,
               labels: dict[Period, str]) -> str:
    """A chart card's data: each period's figure (estimates marked) and target. A level's (last value, average)
    year target holds for each of its periods; a flow's is not comparable with a month and is left out."""
    def target_of(p: Period):
        own = period_target(indicator, orgunit, p, targets)
        return float(own) if own is not None else None

    first = next((n for n, (p, f) in enumerate(points) if _has_value(f) or target_of(p) is not None), len(points) - 1)
    points = points[first:]  # periods before the first figure (a unit that did not exist yet) are left out
    return json.dumps({
        "labels": [labels.get(p, p.label) for p, _f in points],
        "values": [float(f.value) if _has_value(f) else None for _p, f in points],
        "estimates": [bool(getattr(f, "is_estimate", False)) for _p, f in points],
        "targets": [target_of(p) for p, _f in points],
        "decimals": indicator.decimals,
        "unit": indicator.unit,
        "names": {"actual": _("Actual"), "estimate": _("Estimate"), "target": _("Target")},
    }, ensure_ascii=False)


def _comparable(indicator: Indicator, pct: Decimal | None) -> bool:
    """Whether a change may be stated: the analytics leave it out (None) when two totals cover unequal stretches
    of time; shares change in points and are compared whenever both exist."""
    return pct is not None or indicator.value_type == Indicator.ValueType.PERCENT


def _converted_note(figure, last_year) -> str:
    """"Quy đổi theo địa giới mới" when the figure, or the last year's figure its growth is against, was converted
    from the units that existed before a merger or split (the indicator page names them)."""
    if getattr(figure, "sources", ()):
        return _("converted to today's boundaries")
    if getattr(last_year, "sources", ()):
        return _("same period last year converted to today's boundaries")
    return ""


def kpi_card(indicator, orgunit, period, span, comparison, points, *, title="", url_pattern="",
             labels: dict[Period, str] | None = None) -> Kpi:
    """One card; `url_pattern` is the indicator page's address with CODE for the code (resolved once per page),
    `labels` the periods' labels (see _spark_json)."""
    figure = _figure_of(comparison) if comparison is not None else None
    value = _value(getattr(comparison, "value", None)) if comparison is not None else None
    target = _value(getattr(comparison, "target", None)) if comparison is not None else None
    pct = getattr(comparison, "pct_of_target", None)
    growth_basis = getattr(comparison, "growth_basis", None)
    # Where units are missing the change is like-for-like: the figures compared are the reporting units' only.
    now = growth_basis.now if growth_basis is not None else value
    last_year = growth_basis.before if growth_basis is not None else _value(getattr(comparison, "last_year", None))
    growth_pct = getattr(comparison, "growth_pct", None)
    if not _comparable(indicator, growth_pct):
        last_year = None  # lũy kế of 11 months against a year that holds only 2: no growth to state
    growth, growth_class = change_text(indicator, now, last_year, growth_pct, _("year on year"))
    basis = growth_basis.note if growth_basis is not None and growth else ""
    pace = getattr(comparison, "pace", None)
    colour, pace_label = PACE.get(pace, ("secondary", ""))
    reported = getattr(figure, "units_reported", 0) or 0
    expected = getattr(figure, "units_expected", None)
    # A unit's own figure (the province's own estimate) is whole: no "1/96 units have this figure".
    missing = 0 if getattr(figure, "own", False) else max((expected or 0) - reported, 0)
    base = url_pattern or reverse("dashboard:indicator", args=["CODE"])
    url = base.replace("CODE", quote(indicator.code), 1) + f"?unit={orgunit.code}&period={period.id}"
    own, change, change_class = "", "", ""
    own_value = _value(getattr(comparison, "period_value", None))
    if own_value is not None and period.type != PeriodType.YEAR:
        change_pct = getattr(comparison, "change_pct", None)
        change_basis = getattr(comparison, "change_basis", None)
        own_now = change_basis.now if change_basis is not None else own_value
        previous = change_basis.before if change_basis is not None else _value(getattr(comparison, "previous", None))
        if not _comparable(indicator, change_pct):
            previous = None
        change, change_class = change_text(indicator, own_now, previous, change_pct, _("on the previous period"))
        if change and change_basis is not None and change_basis.note:
            change = f"{change} ({change_basis.note})"
        if value != own_value:
            own = f"{period.label}: {with_unit(indicator, own_value)}"
    return Kpi(
        indicator=indicator,
        title=title or indicator.name,
        url=url,
        period=period,
        period_label=span_label(span, period, indicator),
        value=value_text(indicator, value),
        unit=indicator.unit,
        is_estimate=bool(getattr(figure, "is_estimate", False)),
        target=with_unit(indicator, target) if target is not None else "",
        pct_of_target=percent_text(pct) if pct is not None else "",
        pct_width=f"{min(max(float(pct), 0), 100):.1f}" if pct is not None else "0",
        growth=growth,
        growth_class=growth_class,
        pace=colour,
        pace_label=str(pace_label),
        pace_ratio=getattr(comparison, "pace_ratio", None),
        as_of=moment_text(getattr(figure, "as_of", None)),
        # Units with the figure, which may be fewer than the reports submitted (a report may leave a cell empty):
        # worded so that it never contradicts the completeness count of reports ("đã báo cáo").
        reported=_("%(n)s of %(m)s units have this figure") % {"n": reported, "m": expected} if missing else "",
        missing=missing,
        pending=_("%(n)s/%(m)s units awaiting approval") % {"n": pending, "m": expected or reported}
        if (pending := getattr(figure, "pending", 0) or 0) else "",
        converted=_converted_note(figure, getattr(comparison, "last_year", None) if growth else None),
        basis=basis,
        spark=_spark_json(points, labels),
        raw_value=value,
        own=own,
        change=change,
        change_class=change_class,
    )


def latest_moment(cards: list[Kpi]) -> str:
    """"Số liệu đến …" of the whole page: the latest change behind any card."""
    moments = [c.as_of for c in cards if c.as_of]
    if not moments:
        return ""
    return max(moments, key=lambda m: datetime.datetime.strptime(m, "%d/%m/%Y %H:%M"))
