"""Demo figures: a sink that writes them through the one writer, and the yearly province series 2017–2026.

Pre-reform figures belong to the provinces that existed then (Tây Ninh (cũ), Long An (cũ)): yearly 2017–2024, and
the ICT sector's months from January 2024 to June 2025; the new Tây Ninh's own figures start on 1/7/2025.
Comparing across the reform is the lineage's job (dieuhanh.analytics.lineage), so no figure is copied onto a unit
that did not exist when it was measured. The 2020 figures of the old Tây Ninh are the ones the seed articles quote.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from dieuhanh.indicators.models import Channel, Indicator, ValueKind, ValueState
from dieuhanh.indicators.writer import WriteErrors, datavalues_write
from dieuhanh.orgunits.models import OrgUnit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HISTORY_YEARS = list(range(2017, 2025))
SEED_YEAR = 2020
SEED_SOURCE = "Số liệu năm 2020 theo BTNO (Báo Tây Ninh Online), 21/01/2021"
SEED_SOURCE_2 = "Theo BTNO, Hội nghị Điển hình tiên tiến Sở TT&TT Tây Ninh, 26/6/2020"

# The figures the seed articles give for the old Tây Ninh in 2020.
SEED_FIGURES: dict[str, tuple[Decimal, str]] = {
    "DT_BC": (Decimal("95.5"), SEED_SOURCE),
    "DT_VT": (Decimal("1762.38"), SEED_SOURCE),
    "NS_BCVT": (Decimal("377"), SEED_SOURCE),
    "DT_BCPT": (Decimal("27.3"), SEED_SOURCE),
    "NS_BCPT": (Decimal("1.54"), SEED_SOURCE),
    "CQ_WAN": (Decimal("37"), SEED_SOURCE_2),
    "TL_CBCC_MT": (Decimal("100"), SEED_SOURCE_2),
    "TL_XA_VT": (Decimal("100"), SEED_SOURCE_2),
}


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


@dataclass
class Cell:
    indicator: Indicator
    unit: OrgUnit
    period: str
    kind: str
    value: Decimal
    at: datetime.datetime
    user: object | None = None
    comment: str = ""
    # Figures on no report (the old provinces' statistics, the province's own) are the record: approved. Cells on
    # a report take its state (ValueSink.follow_reports).
    state: int = ValueState.APPROVED


class ValueSink:
    """Collects cells and writes the missing ones through the one writer, each with its history row (channel
    "system", the cell's own moment and author). Cells already present are left alone, so a second build writes
    nothing."""

    def __init__(self, indicators: dict[str, Indicator]):
        self.indicators = indicators
        self.cells: dict[tuple[int, int, str, str], Cell] = {}

    def add(self, code: str, unit: OrgUnit, period: str, kind: str, value, when: datetime.datetime,
            user=None, comment: str = "") -> None:
        indicator = self.indicators[code]
        quantum = Decimal(1).scaleb(-indicator.decimals)
        number = Decimal(str(value)).quantize(quantum)
        if indicator.max_value is not None:
            number = min(number, Decimal(indicator.max_value))
        if indicator.min_value is not None:
            number = max(number, Decimal(indicator.min_value))
        cell = Cell(indicator, unit, period, kind, number, when, user, comment)
        self.cells[(indicator.pk, unit.pk, period, kind)] = cell

    def follow_reports(self, reports: Iterable[tuple[int, int, str, int]],
                       cells_of: dict[int, set[tuple[int, str]]]) -> None:
        """Give each cell on a report that report's value state: `reports` are (form id, unit id, period,
        ValueState), `cells_of` maps a form id to the (indicator id, kind) cells it asks for. A draft's or a returned
        report's figures then stay out of leaders' totals, as they would had they been typed in."""
        for form_id, unit_id, period, state in reports:
            for indicator_id, kind in cells_of.get(form_id, ()):
                cell = self.cells.get((indicator_id, unit_id, period, kind))
                if cell is not None:
                    cell.state = state

    def value(self, code: str, unit: OrgUnit, period: str, kind: str = ValueKind.ACTUAL) -> Decimal | None:
        cell = self.cells.get((self.indicators[code].pk, unit.pk, period, kind))
        return cell.value if cell else None

    def flush(self) -> int:
        """Write the cells that are not there yet through the one writer (CREATE: existing cells are left
        alone), each with its own moment and author; the rollups are rebuilt once after the whole demo."""
        cells = [(i, c.unit.pk, c.period, c.indicator.pk, c.kind, str(c.value), c.comment, int(c.state), 0, c.at,
                  c.user.pk if c.user else None) for i, c in enumerate(self.cells.values())]
        try:
            result = datavalues_write(cells, user=None, channel=Channel.SYSTEM, strategy="CREATE",
                                      refresh_rollups=False)
        except WriteErrors as exc:
            listed = list(self.cells.values())
            raise ValueError("; ".join(f"{listed[p.index].indicator.code} {listed[p.index].unit.code} "
                                       f"{listed[p.index].period}: {p.message}" for p in exc.problems[:5])) from exc
        self.cells.clear()
        return result.imported


# --- yearly series -------------------------------------------------------------------------------------------
# Growth rates of the old Tây Ninh from the year before; Long An (cũ) follows with its own noise and scale.
GROWTH = {
    "DT_BC": {2018: .12, 2019: .13, 2020: .08, 2021: .10, 2022: .15, 2023: .12, 2024: .11, 2025: .10, 2026: .09},
    "DT_VT": {2018: .045, 2019: .04, 2020: .02, 2021: .03, 2022: .05, 2023: .04, 2024: .045, 2025: .04,
              2026: .045},
    "DT_BCPT": {2018: .02, 2019: .01, 2020: -.06, 2021: -.02, 2022: .03, 2023: .01, 2024: .02, 2025: .02,
                2026: .03},
    "TB_DD": {y: .015 for y in range(2018, 2027)},
    "TB_BRCD": {2018: .14, 2019: .13, 2020: .12, 2021: .11, 2022: .10, 2023: .09, 2024: .08, 2025: .07, 2026: .06},
    "TRAM_BTS": {y: .06 for y in range(2018, 2027)},
    "HS_TN": {y: .06 for y in range(2018, 2027)},
    "VB_DT": {y: .12 for y in range(2018, 2027)},
    "GRDP_BQ": {2018: .07, 2019: .07, 2020: .03, 2021: .01, 2022: .08, 2023: .07, 2024: .07, 2025: .07, 2026: .08},
    "THU_NS": {y: .08 for y in range(2018, 2027)},
    "XK": {2018: .09, 2019: .09, 2020: .02, 2021: .05, 2022: .11, 2023: .07, 2024: .10, 2025: .09, 2026: .08},
}
ANCHORS_TN = {  # old Tây Ninh, anchor year 2020 for the seed indicators, 2017 for the others
    "DT_BC": (2020, 95.5), "DT_VT": (2020, 1762.38), "DT_BCPT": (2020, 27.3), "TB_DD": (2020, 1_365_000),
    "TB_BRCD": (2020, 214_000), "TRAM_BTS": (2020, 2_460), "HS_TN": (2017, 185_000), "VB_DT": (2017, 420_000),
    "GRDP_BQ": (2017, 62.4), "THU_NS": (2017, 7_320), "XK": (2017, 3_950),
}
SCALE_LA = {"DT_BC": 1.35, "DT_VT": 1.28, "DT_BCPT": 1.15, "TB_DD": 1.42, "TB_BRCD": 1.5, "TRAM_BTS": 1.38,
            "HS_TN": 1.4, "VB_DT": 1.3, "GRDP_BQ": 1.07, "THU_NS": 1.77, "XK": 1.48}
# Shares and rates given year by year (2017–2024).
LEVELS_TN = {
    "TL_XA_VT": [97.1, 98.6, 99.3, 100, 100, 100, 100, 100],
    "TL_XA_CQ": [82.4, 86.9, 91.6, 95.8, 97.9, 100, 100, 100],
    "CQ_WAN": [31, 33, 35, 37, 38, 40, 41, 42],
    "TL_CBCC_MT": [97.8, 98.9, 99.6, 100, 100, 100, 100, 100],
    "TL_DVC_TT": [4.2, 9.8, 16.5, 28.4, 41.2, 48.9, 53.7, 58.2],
    "TL_HS_TT": [2.1, 4.5, 8.9, 17.3, 28.6, 39.4, 47.8, 56.1],
    "TL_HS_DH": [97.2, 98.1, 98.6, 98.9, 99.1, 99.3, 99.4, 99.6],
    "GRDP_TT": [8.62, 8.31, 8.05, 4.03, 1.62, 7.53, 7.31, 7.62],
}
LEVELS_LA = {
    "TL_XA_VT": [96.5, 98.0, 99.5, 100, 100, 100, 100, 100],
    "TL_XA_CQ": [79.8, 85.2, 90.4, 94.7, 98.2, 99.4, 100, 100],
    "CQ_WAN": [29, 32, 34, 36, 38, 39, 41, 43],
    "TL_CBCC_MT": [96.9, 98.2, 99.1, 99.8, 100, 100, 100, 100],
    "TL_DVC_TT": [5.1, 11.3, 18.0, 30.2, 43.5, 50.1, 55.9, 61.4],
    "TL_HS_TT": [3.0, 6.2, 10.8, 19.9, 31.0, 42.2, 50.3, 58.8],
    "TL_HS_DH": [96.8, 97.9, 98.2, 98.7, 98.8, 99.1, 99.3, 99.5],
    "GRDP_TT": [9.61, 10.01, 10.15, 3.72, -1.63, 7.27, 6.04, 7.18],
}
# Ratios to another series: contributions to revenue, mobile revenue to telecom revenue.
RATIOS = {"NS_BCVT": ("DT_VT", 0.2139), "NS_BCPT": ("DT_BCPT", 0.0564), "DT_VT_DD": ("DT_VT", 0.70)}
FDI_RANGE = {"TN": (700, 1400), "LA": (500, 1500)}
TARGETED = ["DT_BC", "DT_VT", "NS_BCVT", "DT_BCPT", "CQ_WAN", "TL_DVC_TT", "TL_HS_TT", "GRDP_TT", "THU_NS", "XK"]


def grown(anchor_year: int, anchor: float, rates: dict[int, float], years: Iterable[int], rng: random.Random,
          noise: float = 0.01) -> dict[int, float]:
    """A series through `anchor` in `anchor_year`, moving by `rates` (each jittered by ±noise)."""
    years = sorted(set(years) | {anchor_year})
    out = {anchor_year: anchor}
    jitter = {y: rates.get(y, 0.0) + rng.uniform(-noise, noise) for y in range(years[0], years[-1] + 1)}
    for y in range(anchor_year + 1, years[-1] + 1):
        out[y] = out[y - 1] * (1 + jitter[y])
    for y in range(anchor_year - 1, years[0] - 1, -1):
        out[y] = out[y + 1] / (1 + jitter[y + 1])
    return out


def province_series(rng: random.Random, years: list[int]) -> dict[str, dict[str, dict[int, float]]]:
    """{"TN"|"LA": {indicator: {year: value}}} for the two old provinces (2017–2024 by default) and, with
    2025/2026 in `years`, the continuation used to size the new province."""
    out: dict[str, dict[str, dict[int, float]]] = {"TN": {}, "LA": {}}
    span = sorted(set(years) | set(HISTORY_YEARS))
    for code, (year, anchor) in ANCHORS_TN.items():
        out["TN"][code] = grown(year, anchor, GROWTH[code], span, rng)
        la_anchor = out["TN"][code][year] * SCALE_LA[code]
        out["LA"][code] = grown(year, la_anchor, GROWTH[code], span, rng, noise=0.02)
    for key, levels in (("TN", LEVELS_TN), ("LA", LEVELS_LA)):
        for code, values in levels.items():
            out[key][code] = dict(zip(HISTORY_YEARS, values, strict=True))
        for code, (base, ratio) in RATIOS.items():
            out[key][code] = {y: v * ratio * rng.uniform(0.96, 1.04) for y, v in out[key][base].items()}
        low, high = FDI_RANGE[key]
        out[key]["FDI"] = {y: rng.uniform(low, high) for y in span}
    # The seed figures are exact, not modelled.
    for code, (value, _) in SEED_FIGURES.items():
        out["TN"][code][SEED_YEAR] = float(value)
    return out


def _target(code: str, actual: float, rng: random.Random) -> float:
    """A plan figure near what was achieved: round numbers, as plans are written."""
    if code == "GRDP_TT":
        return round(max(actual, 6.0) * rng.uniform(0.98, 1.1) * 2) / 2
    if code in {"TL_DVC_TT", "TL_HS_TT"}:
        return min(100.0, round(actual * rng.uniform(0.95, 1.08)))
    if code == "CQ_WAN":
        return round(actual * rng.uniform(0.97, 1.05))
    target = actual * rng.uniform(0.95, 1.05)
    return round(target) if target > 50 else round(target, 1)


def history_add(sink: ValueSink, *, old_tn: OrgUnit, old_la: OrgUnit, series, years: list[int],
                rng: random.Random) -> None:
    """Yearly actuals and plan figures of the two old provinces."""
    for key, unit in (("TN", old_tn), ("LA", old_la)):
        for code, by_year in series[key].items():
            for year in years:
                if year not in by_year or year > 2024:
                    continue
                comment = SEED_FIGURES[code][1] if key == "TN" and year == SEED_YEAR and code in SEED_FIGURES else ""
                sink.add(code, unit, str(year), ValueKind.ACTUAL, by_year[year], at(year + 1, 1, 20), comment=comment)
                if code in TARGETED:
                    sink.add(code, unit, str(year), ValueKind.TARGET, _target(code, by_year[year], rng),
                             at(year - 1, 12, 15))


# --- the months around the reform ----------------------------------------------------------------------------------
BRIDGE_FLOWS = ["DT_BC", "DT_VT", "DT_VT_DD", "NS_BCVT"]
BRIDGE_STOCKS = ["TB_DD", "TB_BRCD", "TRAM_BTS"]
# Revenue by month within a year (Tết in February, the year-end push in December); the enterprises use the same.
MONTH_WEIGHTS = [1.02, 1.10, 0.93, 0.97, 0.99, 0.98, 1.00, 1.01, 0.99, 1.00, 1.01, 1.06]
REFORM_MONTH = "202507"


def months_before_reform_add(sink: ValueSink, *, old_tn: OrgUnit, old_la: OrgUnit, series, rng: random.Random
                             ) -> None:
    """The ICT sector's monthly figures of the two old provinces, January 2024 – June 2025: what their departments
    reported before the merger. 2024's months add up to the year's figure; stocks reach the year's level in
    December. From July 2025 the new province's enterprises report (periodic.enterprises_add)."""
    for key, unit in (("TN", old_tn), ("LA", old_la)):
        for year, last_month in ((2024, 12), (2025, 6)):
            for code in BRIDGE_FLOWS:
                yearly = Decimal(str(series[key][code][year]))
                quantum = Decimal(1).scaleb(-sink.indicators[code].decimals)
                weights = [w * rng.uniform(0.985, 1.015) for w in MONTH_WEIGHTS]  # no two years alike
                months = [(yearly * Decimal(w) / Decimal(sum(weights))).quantize(quantum) for w in weights]
                months[-1] = yearly.quantize(quantum) - sum(months[:-1])  # the months add up to the year exactly
                for month in range(1, last_month + 1):
                    sink.add(code, unit, f"{year}{month:02d}", ValueKind.ACTUAL, months[month - 1],
                             at(year + (month == 12), month % 12 + 1, 10))
            for code in BRIDGE_STOCKS:
                start, end = series[key][code][year - 1], series[key][code][year]
                for month in range(1, last_month + 1):
                    level = start + (end - start) * month / 12
                    if month != 12:
                        level *= rng.uniform(0.998, 1.002)
                    sink.add(code, unit, f"{year}{month:02d}", ValueKind.ACTUAL, level,
                             at(year + (month == 12), month % 12 + 1, 10))
