"""Indicator sections of a report: one sentence per indicator ("Năm 2020, doanh thu bưu chính đạt 95,5 tỷ đồng,
bằng 102,3% kế hoạch, tăng 8,1% so với năm 2019.") and the table of indicators (STT, Chỉ tiêu, ĐVT, Kế hoạch,
Thực hiện, % kế hoạch, % cùng kỳ).

Every figure comes from `dieuhanh.analytics.queries.comparisons` (one bulk read per section), so what the report
says is what the dashboard says; this module only words and formats it. The parts of a sentence that the data
does not support are left out: no plan part without a target, no comparison without last year's figure. A figure
that does not cover every unit expected to report says so ("số liệu của 12/15 đơn vị đã báo cáo") and is not set
against the whole unit's target (the analytics give it no pace for the same reason); a figure converted across the
2025 reform says "quy đổi theo địa giới mới". Strings carry the context "report" so that other apps' translations
of the same English words ("Target", "Unit") are not taken over.

`figures` keys: `<indicator code>.value` (the figure with its unit of measure, as the sentence writes it),
`.period_value` (the period's own figure when the sentence also gives the lũy kế), `.target`, `.pct_target`,
`.growth` ("tăng 8,1%"), `.pct_last_year` ("108,1%"), `.units` ("12/15"). Both kinds write the same value under
the same key, so a report holding both has one figure per key.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import pgettext

# _lacks_units: the analytics' own rule of a figure missing units (the one that withholds its pace), one definition.
from dieuhanh.analytics.queries import Comparison, Figure, _lacks_units, comparisons
from dieuhanh.indicators.models import Indicator, Sector
from dieuhanh.lib.officialdoc import Paragraph, Table
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number, format_percent, roman
from dieuhanh.reports.sections import ReportScope, SectionContent

EMPTY_CELL = "-"


# --- words ---------------------------------------------------------------------------------------------------------
def lower_first(text: str) -> str:
    """"Doanh thu bưu chính" → "doanh thu bưu chính" inside a sentence; an acronym ("GRDP …", "Quý") whose second
    letter is a capital stays as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def number_text(indicator: Indicator, value: Decimal | None) -> str:
    """The figure as the catalogue writes it (the indicator's decimals, trailing zeros dropped: "95,5", "377")."""
    if value is None:
        return ""
    return format_number(value, indicator.decimals, trim=True)


def value_text(indicator: Indicator, value: Decimal | None) -> str:
    """"95,5 tỷ đồng", "85,3%" (no space before a percent sign), "" for no figure."""
    number = number_text(indicator, value)
    unit = (indicator.unit or "").strip()
    if not number or not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def _reads_from_january(period: Period, ytd: bool) -> bool:
    return not ytd or period.first_month == 1


def ytd_label(period: Period) -> str:
    """"lũy kế 9 tháng", "lũy kế 6 tháng đầu năm", "lũy kế cả năm"."""
    if period.last_month == 6:
        return pgettext("report", "year to date over the first six months")
    if period.last_month == 12:
        return pgettext("report", "year to date over the whole year")
    return pgettext("report", "year to date over %(n)d months") % {"n": period.last_month}


def lead(period: Period) -> str:
    """The period as a sentence opens with it: "Năm 2020", "Tháng 9/2026", "Quý III/2026", "9 tháng năm 2026"."""
    return upper_first(period.label)


def _against(period: Period, comparison: Comparison) -> str:
    """"năm 2019" for a year, "cùng kỳ năm 2025" otherwise; "(quy đổi theo địa giới mới)" when either figure was
    converted from the units that existed before a merger or split."""
    year = period.year - 1
    if period.type == PeriodType.YEAR:
        text = pgettext("report", "year %(y)d") % {"y": year}
    else:
        text = pgettext("report", "the same period of %(y)d") % {"y": year}
    if comparison.last_year.sources or comparison.value.sources:
        text = pgettext("report", "%(against)s (converted to the new boundaries)") % {"against": text}
    return text


def growth_text(growth: Decimal) -> str:
    """"tăng 8,1%", "giảm 2,5%", "bằng" — the figure's own direction, also for lower-is-better indicators."""
    amount = format_percent(abs(growth))
    if growth > 0:
        return pgettext("report", "up %(pct)s") % {"pct": amount}
    if growth < 0:
        return pgettext("report", "down %(pct)s") % {"pct": amount}
    return pgettext("report", "unchanged")


def _verb(figure: Figure, scope: ReportScope) -> str:
    if figure.is_estimate or scope.estimate:
        return pgettext("report", "is estimated at")
    return pgettext("report", "reached")


# --- the narrative -------------------------------------------------------------------------------------------------
def indicator_sentence(comparison: Comparison, scope: ReportScope, *, ytd: bool = True, with_lead: bool = True
                       ) -> tuple[str, dict[str, str]]:
    """One indicator's sentence and the figures it shows. `with_lead=False`: without the period in front (the
    sentences after the first of a section: "Doanh thu viễn thông đạt …")."""
    indicator = comparison.indicator
    code = indicator.code
    period = Period.parse(comparison.period_id)
    name = lower_first(indicator.name)
    figures: dict[str, str] = {}
    value = comparison.value
    if value.value is None:
        if not with_lead:
            return pgettext("report", "%(name)s has no figures yet.") % {"name": upper_first(name)}, figures
        return pgettext("report", "%(lead)s, %(name)s has no figures yet.") % {
            "lead": lead(period), "name": name}, figures

    from_january = _reads_from_january(period, ytd)
    own = comparison.period_value
    parts: list[str] = []  # the clauses after the figure, each ", …"
    figure_text = value_text(indicator, value.value)
    figures[f"{code}.value"] = figure_text
    if value.sources:
        figure_text = pgettext("report", "%(value)s (converted to the new boundaries)") % {"value": figure_text}
    if _lacks_units(value):
        units = f"{value.units_reported}/{value.units_expected}"
        figures[f"{code}.units"] = units
        figure_text = pgettext("report", "%(value)s (figures of %(units)s units that have reported)") % {
            "value": figure_text, "units": units}
    elif comparison.pct_of_target is not None:
        pct = format_percent(comparison.pct_of_target)
        figures[f"{code}.pct_target"] = pct
        if period.type == PeriodType.YEAR:
            parts.append(pgettext("report", "%(pct)s of the target") % {"pct": pct})
        else:
            parts.append(pgettext("report", "%(pct)s of the year's target") % {"pct": pct})
    if comparison.growth_pct is not None:
        growth = growth_text(comparison.growth_pct)
        figures[f"{code}.growth"] = growth
        clause = pgettext("report", "%(growth)s on %(against)s") % {
            "growth": growth, "against": _against(period, comparison)}
        basis = comparison.growth_basis
        if basis is not None and basis.compared is not None:
            clause = f"{clause} ({basis.note})"
        parts.append(clause)
    tail = "".join(f", {part}" for part in parts)

    words = {"lead": lead(period), "name": name if with_lead else upper_first(name), "ytd": ytd_label(period)}
    if from_january:
        words |= {"verb": _verb(value, scope), "value": figure_text}
        sentence = (pgettext("report", "%(lead)s, %(name)s %(verb)s %(value)s") if with_lead
                    else pgettext("report", "%(name)s %(verb)s %(value)s")) % words
    elif own.value is not None:
        own_text = value_text(indicator, own.value)
        figures[f"{code}.period_value"] = own_text
        words |= {"verb": _verb(own, scope), "value": own_text, "ytd_verb": _verb(value, scope),
                  "ytd_value": figure_text}
        sentence = (pgettext("report", "%(lead)s, %(name)s %(verb)s %(value)s; %(ytd)s %(ytd_verb)s %(ytd_value)s")
                    if with_lead else
                    pgettext("report", "%(name)s %(verb)s %(value)s; %(ytd)s %(ytd_verb)s %(ytd_value)s")) % words
    else:  # the lũy kế without the period's own figure (a quarterly indicator read in a month, say)
        words |= {"verb": _verb(value, scope), "value": figure_text}
        sentence = (pgettext("report", "%(lead)s, %(name)s %(ytd)s %(verb)s %(value)s") if with_lead
                    else pgettext("report", "%(name)s %(ytd)s %(verb)s %(value)s")) % words
    return f"{sentence}{tail}.", figures


def _comparisons(scope: ReportScope, indicators: Sequence[Indicator], ytd: bool) -> list[Comparison]:
    indicators = list(indicators)
    if not indicators:
        return []
    found = comparisons(indicators, scope.unit, scope.period_id, ytd=ytd)
    return [found[indicator.pk] for indicator in indicators]


def narrative_section(scope: ReportScope, indicators: Sequence[Indicator], options: dict) -> SectionContent:
    ytd = bool(options.get("ytd", True))
    content = SectionContent()
    lead_each = bool(options.get("lead_each"))
    for n, comparison in enumerate(_comparisons(scope, indicators, ytd)):
        sentence, figures = indicator_sentence(comparison, scope, ytd=ytd, with_lead=lead_each or n == 0)
        content.blocks.append(Paragraph(sentence))
        content.figures.update(figures)
    return content


# --- the table -----------------------------------------------------------------------------------------------------
# STT, Chỉ tiêu, ĐVT, Kế hoạch, Thực hiện, % kế hoạch, % cùng kỳ: 160 mm, the text width of an A4 page with the
# Decree 30 margins (30 mm left, 20 mm right).
TABLE_WIDTHS_MM = (12.0, 56.0, 18.0, 20.0, 20.0, 17.0, 17.0)


def table_columns(scope: ReportScope) -> tuple[str, ...]:
    done = pgettext("report table", "Estimated") if scope.estimate else pgettext("report table", "Actual")
    return (pgettext("report table", "No."), pgettext("report table", "Indicator"),
            pgettext("report table", "Unit"), pgettext("report table", "Target"), done,
            pgettext("report table", "% of target"), pgettext("report table", "% of same period"))


def pct_of_last_year(comparison: Comparison) -> Decimal | None:
    """The figure as a percentage of last year's (108,1%): the analytics' growth (like-for-like where units are
    missing) plus 100, so the table and the sentence never disagree. None when last year's figure is not positive
    (a ratio to a negative figure says nothing)."""
    before = comparison.last_year.value
    if comparison.growth_pct is None or before is None or before <= 0:
        return None
    return comparison.growth_pct + 100


def table_row(number: str, comparison: Comparison) -> tuple[tuple[str, ...], dict[str, str]]:
    indicator, code = comparison.indicator, comparison.indicator.code
    figures: dict[str, str] = {}
    value, target = comparison.value.value, comparison.target.value
    if value is not None:
        figures[f"{code}.value"] = value_text(indicator, value)
    if target is not None:
        figures[f"{code}.target"] = value_text(indicator, target)
    pct_target = None
    if comparison.pct_of_target is not None and not _lacks_units(comparison.value):
        pct_target = format_percent(comparison.pct_of_target)
        figures[f"{code}.pct_target"] = pct_target
    if _lacks_units(comparison.value):
        figures[f"{code}.units"] = f"{comparison.value.units_reported}/{comparison.value.units_expected}"
    ratio = pct_of_last_year(comparison)
    pct_last_year = format_percent(ratio) if ratio is not None else None
    if pct_last_year is not None:
        figures[f"{code}.pct_last_year"] = pct_last_year
    row = (number, indicator.name, indicator.unit or EMPTY_CELL,
           number_text(indicator, target) or EMPTY_CELL, number_text(indicator, value) or EMPTY_CELL,
           pct_target or EMPTY_CELL, pct_last_year or EMPTY_CELL)
    return row, figures


def indicator_table_section(scope: ReportScope, indicators: Sequence[Indicator], options: dict) -> SectionContent:
    ytd = bool(options.get("ytd", True))
    found = _comparisons(scope, indicators, ytd)
    content = SectionContent()
    if not found:
        return content
    sectors = Sector.objects.in_bulk({c.indicator.sector_id for c in found})
    grouped = len(sectors) > 1 or bool(options.get("group"))
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    if grouped:
        by_sector: dict[int, list[Comparison]] = {}
        for comparison in found:
            by_sector.setdefault(comparison.indicator.sector_id, []).append(comparison)
        ordered = sorted(by_sector, key=lambda pk: (sectors[pk].order, sectors[pk].name))
        for group_number, sector_id in enumerate(ordered, start=1):
            bold.add(len(rows))
            rows.append((roman(group_number), sectors[sector_id].name, "", "", "", "", ""))
            for number, comparison in enumerate(by_sector[sector_id], start=1):
                row, figures = table_row(str(number), comparison)
                rows.append(row)
                content.figures.update(figures)
    else:
        for number, comparison in enumerate(found, start=1):
            row, figures = table_row(str(number), comparison)
            rows.append(row)
            content.figures.update(figures)
    notes = _table_notes(found)
    period = Period.parse(scope.period_id)
    caption = ""
    if not _reads_from_january(period, ytd):
        caption = pgettext("report table", "Actual: %(ytd)s %(period)s") % {
            "ytd": ytd_label(period), "period": str(period.year)}
    content.blocks.append(Table(columns=table_columns(scope), rows=tuple(rows), numeric=frozenset({3, 4, 5, 6}),
                                widths_mm=TABLE_WIDTHS_MM, bold_rows=frozenset(bold), caption=caption))
    content.blocks.extend(Paragraph(note, italic=True) for note in notes)
    return content


def _table_notes(found: list[Comparison]) -> list[str]:
    """What the cells cannot say, under the table: the figures of fewer units than expected to report, and the
    figures converted from the units that existed before a merger or split."""
    partial = [pgettext("report table", "%(name)s (%(units)s units reported)") % {
        "name": c.indicator.name, "units": f"{c.value.units_reported}/{c.value.units_expected}"}
        for c in found if c.value.value is not None and _lacks_units(c.value)]
    converted = [c.indicator.name for c in found if c.value.value is not None and c.value.sources
                 or c.growth_pct is not None and c.last_year.sources]  # only where a cell shows a converted figure
    notes = []
    if partial:
        notes.append(pgettext("report table", "Figures not yet from every unit: %(list)s.") % {
            "list": "; ".join(partial)})
    if converted:
        notes.append(pgettext("report table", "Converted to the new boundaries: %(list)s.") % {
            "list": "; ".join(converted)})
    return notes
