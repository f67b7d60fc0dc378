"""One indicator for one unit: its last 24 periods (chart and table), the ranking of the unit's children for the
chosen period, and downloads (XLSX, CSV) of exactly what is shown; the chart itself downloads as PNG in the page.

`?unit=` a unit in the user's scope (default: the top of the scope; outside it: 404), `?period=` a period id of
the indicator's own period type (default: the latest with a figure), `?series=year` the years instead of the
indicator's own periods (2017–2026 in one series), `?boundaries=as_reported` the units as they were when they reported
instead of today's boundaries (dieuhanh.analytics.lineage; figures converted from predecessors are marked).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dieuhanh.accounts.selectors import get_unit_or_404
from dieuhanh.analytics import queries
from dieuhanh.dashboard import cards as kpi
from dieuhanh.dashboard import datacache
from dieuhanh.dashboard.models import Card
from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.periods import Period, PeriodError, PeriodType
from dieuhanh.lib.vnformat import format_number, format_percent
from dieuhanh.lib.xlsx import csv_text, workbook_bytes
from dieuhanh.reporting.completeness import local_today

HISTORY = 24
PER_YEAR = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.SIX_MONTHS: 2, PeriodType.YEAR: 1}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Row:
    period: Period
    value: Decimal | None
    is_estimate: bool
    target: Decimal | None
    last_year: Decimal | None
    growth: str
    growth_class: str
    reported: str
    pending: str = ""  # "1 chờ duyệt": units in the figure submitted but not yet approved
    converted: str = ""  # the units a figure converted to today's boundaries came from ("Tây Ninh (cũ), Long An (cũ)")
    months_note: str = ""  # a year not yet complete: "11 tháng"
    growth_note: str = ""  # "so sánh trên 4/6 đơn vị đã báo cáo": the growth is like-for-like
    decimals: int = 2
    # Flows (summed over periods): lũy kế from January to this period, and the share of the year's target it is.
    ytd: Decimal | None = None
    ytd_estimate: bool = False
    year_target: Decimal | None = None

    @property
    def value_text(self) -> str:
        return format_number(self.value, self.decimals) if self.value is not None else "—"

    @property
    def target_text(self) -> str:
        return format_number(self.target, self.decimals)

    @property
    def ytd_text(self) -> str:
        return format_number(self.ytd, self.decimals)

    @property
    def ytd_pct(self) -> Decimal | None:
        if self.ytd is None or not self.year_target:
            return None
        return self.ytd * 100 / self.year_target

    @property
    def ytd_pct_text(self) -> str:
        pct = self.ytd_pct
        return "" if pct is None else format_percent(pct)

    @property
    def last_year_text(self) -> str:
        return format_number(self.last_year, self.decimals)


@dataclass
class RankRow:
    rank: int | None
    unit: object
    value: Decimal | None
    is_estimate: bool
    share: str
    url: str
    unit_url: str
    decimals: int = 2

    @property
    def value_text(self) -> str:
        return format_number(self.value, self.decimals) if self.value is not None else "—"


def unit_for(request):
    code = request.GET.get("unit", "").strip()
    if code:
        return get_unit_or_404(request.user, code)
    tops = kpi.top_units(request.user)
    if not tops:
        raise Http404
    return tops[0]


def _val(figure):
    return getattr(figure, "value", None) if figure is not None else None


def _sources_text(reader, *figures) -> str:
    """The names of the units the figures were converted from, "" when none was."""
    ids = sorted({s for f in figures if f is not None for s in getattr(f, "sources", ())})
    names = reader.lineage.names if reader.lineage is not None else {}
    return ", ".join(sorted({names.get(i, str(i)) for i in ids}))


def _switch(request, name: str, values: dict[str, str | None]) -> dict[str, str]:
    """The page's address with `name` set to each value (None: left out), the other parameters kept."""
    out = {}
    for key, value in values.items():
        query = request.GET.copy()
        query.pop("format", None)
        query.pop(name, None)
        if value is not None:
            query[name] = value
        out[key] = f"?{query.urlencode()}"
    return out


def page_data(request, indicator: Indicator):
    """Everything the page shows (and the downloads contain), from a few analytics calls."""
    unit = unit_for(request)
    today = local_today()
    native = kpi.native_types([indicator])[indicator.pk]
    boundaries = "as_reported" if request.GET.get("boundaries") == "as_reported" else "current"
    by_year = request.GET.get("series") == "year" and native not in (PeriodType.YEAR, PeriodType.NINE_MONTHS)
    series_type = PeriodType.YEAR if native == PeriodType.NINE_MONTHS or by_year else native
    asked = request.GET.get("period", "").strip()
    period = None
    if asked:
        try:
            period = Period.parse(asked)
        except PeriodError as exc:
            messages.error(request, str(exc))
    per_year = PER_YEAR[series_type]
    end = period if period is not None and period.type == series_type else Period.containing(series_type, today)
    shown = kpi.periods_back(series_type, end.end, HISTORY)
    earlier = kpi.periods_back(series_type, shown[0].previous().end, per_year)
    ids = [p.id for p in earlier + shown]
    # The series, targets, lũy kế and headline read each period once.
    reader = queries.Reader([indicator], [unit], boundaries=boundaries)
    found = reader.figures(ids)
    values = {pid: found[(indicator.pk, unit.pk, pid)] for pid in ids}
    # Targets of the periods themselves; for a level (last value, average), the year's target holds for each of
    # its periods too. A flow's year target is not comparable with a month: the headline shows it instead.
    years = sorted({str(p.year) for p in shown})
    targets = reader.figures([p.id for p in shown] + years, kind="target")
    level = indicator.period_aggregation != Indicator.PeriodAggregation.SUM

    def target_of(p: Period):
        return kpi.period_target(indicator, unit, p, targets)

    if period is None:
        with_values = [p for p in shown if _val(values.get(p.id)) is not None]
        period = with_values[-1] if with_values else shown[-1]
    rows = []
    growths = reader.growths(unit, [p.id for p in shown])  # like-for-like where units have not reported
    # A flow's year that holds fewer than twelve months says so; the year under way (January to November) is set
    # against the same months of the year before.
    flow = indicator.period_aggregation == Indicator.PeriodAggregation.SUM
    partial = {p.id for p in shown if flow and p.type == PeriodType.YEAR and 0 < values[p.id].months < 12}
    to_date = {p.id: Period.month(p.year, values[p.id].months) for p in shown
               if p.id in partial and p.year == today.year}
    if to_date:
        found_to_date = reader.growths(unit, [m.id for m in to_date.values()], ytd=True)
        growths.update({(indicator.pk, pid): found_to_date[(indicator.pk, m.id)] for pid, m in to_date.items()})
    for p in shown:
        figure = values.get(p.id)
        value = _val(figure)
        before = _val(values.get(p.same_period_last_year().id))
        change = growths[(indicator.pk, p.id)]
        if p.id in to_date:
            before = change.before
        growth, growth_class = kpi.change_text(indicator, change.now, change.before, change.pct, _("year on year"))
        reported, expected = getattr(figure, "units_reported", 0), getattr(figure, "units_expected", None)
        rows.append(Row(
            period=p, value=value, is_estimate=bool(getattr(figure, "is_estimate", False)),
            target=target_of(p), last_year=before, growth=growth,
            growth_class=growth_class, reported=f"{reported}/{expected}" if expected else "",
            pending=_("%(n)s awaiting approval") % {"n": figure.pending} if getattr(figure, "pending", 0) else "",
            growth_note=change.note if growth else "",
            decimals=indicator.decimals,
            converted=_sources_text(reader, figure),
            months_note=_("%(n)s months") % {"n": figure.months} if p.id in partial else "",
        ))
    # Periods before the first figure (a unit created last year, an indicator collected recently) are left out.
    while len(rows) > 1 and rows[0].value is None and rows[0].target is None and rows[0].period != period:
        rows.pop(0)
    cumulative = not level and series_type != PeriodType.YEAR
    if cumulative:  # a flow's lũy kế per period, against the year's target: how far along the plan the year is
        ytd = reader.figures([r.period.id for r in rows], ytd=True)
        for r in rows:
            figure = ytd.get((indicator.pk, unit.pk, r.period.id))
            r.ytd, r.ytd_estimate = _val(figure), bool(getattr(figure, "is_estimate", False))
            r.year_target = _val(targets.get((indicator.pk, unit.pk, str(r.period.year))))
    comparison = reader.comparisons(unit, period.id, ytd=True)[indicator.pk]
    headline = kpi.kpi_card(indicator, unit, period, "ytd", comparison, [])
    headline_converted = _sources_text(reader, comparison.value)
    last_year_converted = "" if headline_converted else _sources_text(reader, comparison.last_year)
    as_of, missing = queries.freshness(indicator, unit, period.id)
    # A flow's units ranked by the period's own figure, or by their lũy kế (`?ranking=ytd`, the dashboards' ranking
    # cards link here that way).
    ranking_ytd = request.GET.get("ranking") == "ytd" and series_type != PeriodType.YEAR
    ranking = ranking_rows(indicator, unit, period, ytd=ranking_ytd, boundaries=boundaries)
    return {
        "indicator": indicator, "unit": unit, "period": period, "native": series_type, "rows": rows,
        "headline": headline, "as_of": kpi.moment_text(as_of), "missing": missing,
        "ranking": [r for r in ranking if r.rank is not None],
        # Units below without a figure are listed only when they (or a unit under them) owe one: a province has
        # a hundred communes that never report an enterprise's subscribers.
        "unranked": [r for r in ranking if r.rank is None and any(m.path.startswith(r.unit.path) for m in missing)],
        "chart": chart_json(indicator, rows, cumulative),
        "cumulative": cumulative,
        "ranking_ytd": ranking_ytd,
        "ranking_label": kpi.span_label(Card.Span.YEAR_TO_DATE, period, indicator) if ranking_ytd else period.label,
        "ranking_switch": _ranking_switch(request) if cumulative else None,
        "boundaries": boundaries,
        "boundaries_switch": _switch(request, "boundaries", {"current": None, "as_reported": "as_reported"}),
        "by_year": by_year,
        "series_switch": None if native in (PeriodType.YEAR, PeriodType.NINE_MONTHS) else _switch(
            request, "series", {"native": None, "year": "year"}),
        "native_label": PeriodType(native).label,
        "headline_converted": headline_converted,
        "last_year_converted": last_year_converted,
        "converted_from": ", ".join(sorted({n for r in rows if r.converted for n in r.converted.split(", ")})),
    }


def _ranking_switch(request) -> dict[str, str]:
    """The page's address ranking by the period's own figure and by lũy kế (the other parameters kept)."""
    return {mode: f"{url}#ranking" for mode, url in _switch(request, "ranking", {"period": None, "ytd": "ytd"}).items()}


def ranking_rows(indicator: Indicator, unit, period: Period, *, ytd: bool = False,
                 boundaries: str = "current") -> list[RankRow]:
    """The children of `unit` for `period` (its lũy kế with `ytd`), best first (by the indicator's direction);
    units without a figure last, unranked."""
    found = queries.breakdown(indicator, unit, period.id, ytd=ytd, boundaries=boundaries)
    with_value = [(u, f) for u, f in found if _val(f) is not None]
    without = [(u, f) for u, f in found if _val(f) is None]
    with_value.sort(key=lambda uf: uf[1].value, reverse=indicator.direction == Indicator.Direction.HIGHER)
    total = sum((f.value for _u, f in with_value), Decimal(0))
    summable = indicator.unit_aggregation == Indicator.UnitAggregation.SUM and total > 0
    rows = []
    base = reverse("dashboard:indicator", args=[indicator.code])
    for i, (child, figure) in enumerate(with_value + without, start=1):
        value = _val(figure)
        share = format_percent(value * 100 / total) if summable and value is not None else ""
        rows.append(RankRow(
            rank=i if value is not None else None, unit=child, value=value,
            is_estimate=bool(getattr(figure, "is_estimate", False)), share=share,
            url=f"{base}?unit={child.code}&period={period.id}" + ("&ranking=ytd" if ytd else ""),
            unit_url=reverse("dashboard:unit", args=[child.code]), decimals=indicator.decimals,
        ))
    return rows


def chart_json(indicator: Indicator, rows: list[Row], cumulative: bool = False) -> str:
    """The chart's data; with `cumulative`, also each period's lũy kế and its year's target (the second view)."""
    def num(v):
        return float(v) if v is not None else None

    data = {
        "labels": [r.period.label for r in rows],
        "values": [num(r.value) for r in rows],
        "estimates": [r.is_estimate for r in rows],
        "targets": [num(r.target) for r in rows],
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "names": {"actual": _("Actual"), "estimate": _("Estimate"), "target": _("Target"),
                  "ytd": _("Year to date"), "ytd_estimate": _("Year to date, with estimates"),
                  "year_target": _("Year target")},
    }
    if cumulative:
        data["cumulative"] = {
            "values": [num(r.ytd) for r in rows],
            "estimates": [r.ytd_estimate for r in rows],
            "targets": [num(r.year_target) for r in rows],
        }
    return json.dumps(data, ensure_ascii=False)


# --- downloads --------------------------------------------------------------------------------------------------
def table_lines(data) -> list[list]:
    """The two tables of the page as lines of cells (numbers stay numbers), for XLSX and CSV."""
    indicator, unit = data["indicator"], data["unit"]
    boundaries = _("By today's boundaries") if data["boundaries"] == "current" else _("By the boundaries when reported")
    lines: list[list] = [
        [f"{indicator.code} · {indicator.name} ({indicator.unit})"],
        [_("Unit"), unit.name],
        [_("Boundaries"), boundaries],
        [],
    ]
    # Figures converted from merged or split units name them in a last column, as the page marks them.
    converted = [_("Converted to today's boundaries from")] if data["converted_from"] else []
    if data["cumulative"]:
        lines.append([_("Period"), _("Value"), _("Estimate"), _("Year to date"), _("Share of the year target"),
                      _("Same period last year"), _("Change"), *converted])
        for r in data["rows"]:
            pct = r.ytd_pct.quantize(Decimal("0.1")) if r.ytd_pct is not None else None
            lines.append([r.period.label, r.value, _("yes") if r.is_estimate else "", r.ytd, pct, r.last_year,
                          r.growth, *([r.converted] if converted else [])])
    else:
        lines.append([_("Period"), _("Value"), _("Estimate"), _("Target"), _("Same period last year"), _("Change"),
                      *converted])
        for r in data["rows"]:
            lines.append([r.period.label, r.value, _("yes") if r.is_estimate else "", r.target, r.last_year,
                          r.growth, *([r.converted] if converted else [])])
    if data["ranking"] or data["unranked"]:
        lines += [[], [_("Units, %(period)s") % {"period": data["ranking_label"]}],
                  [_("Rank"), _("Unit"), _("Value"), _("Estimate"), _("Share")]]
        for r in data["ranking"] + data["unranked"]:
            lines.append([r.rank, r.unit.name, r.value, _("yes") if r.is_estimate else "", r.share])
    return lines


def _filename(data, ext: str) -> str:
    return f"{data['indicator'].code}_{data['unit'].code}_{data['period'].id}.{ext}"


def csv_response(data) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in table_lines(data):
        writer.writerow(["" if c is None else (format_number(c, data["indicator"].decimals)
                                               if isinstance(c, Decimal) else csv_text(c)) for c in line])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "csv")}"'
    return response


def xlsx_response(data) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = data["indicator"].code[:31]
    number_format = "#,##0" + ("." + "0" * data["indicator"].decimals if data["indicator"].decimals else "")
    for line in table_lines(data):
        ws.append([float(c) if isinstance(c, Decimal) else c for c in line])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = number_format
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 30
    for col in "CDEF":
        ws.column_dimensions[col].width = 18
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "xlsx")}"'
    return response


def _period_readable(request) -> bool:
    asked = request.GET.get("period", "").strip()
    try:
        asked and Period.parse(asked)
    except PeriodError:
        return False
    return True


@login_required
@require_GET
def indicator_page(request, code):
    indicator = get_object_or_404(Indicator.objects.select_related("sector"), code=code)
    fmt = request.GET.get("format", "")
    if fmt or not _period_readable(request):  # downloads, and a mistyped period (its message), are not cached
        data = page_data(request, indicator)
    else:
        # The same figures for everyone with the same roles on the same units, until the next write.
        key = ("indicator", datacache.scope_key(request.user), indicator.pk, sorted(request.GET.lists()),
               local_today())
        data = datacache.cached(key, lambda: page_data(request, indicator))
    if fmt == "csv":
        return csv_response(data)
    if fmt == "xlsx":
        return xlsx_response(data)
    query = request.GET.copy()
    query.pop("format", None)
    data["query"] = query.urlencode()
    return render(request, "dashboard/indicator.html", data)
