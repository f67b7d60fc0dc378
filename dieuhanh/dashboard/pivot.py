"""The pivot table: indicators × units × periods, from the analytics API (one bulk `figures` call), on a page
or as an XLSX workbook with Vietnamese headers and number formats.

Two layouts: "indicator" (a block per indicator, a row per unit) and "unit" (a block per unit, a row per
indicator); the columns are always the periods. Estimates (no actual yet) are marked: "ước" on the page,
italic in the workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.periods import Period
from dieuhanh.lib.vnformat import format_number
from dieuhanh.lib.xlsx import workbook_bytes
from dieuhanh.orgunits.models import OrgUnit

LAYOUT_INDICATOR = "indicator"
LAYOUT_UNIT = "unit"
KIND_BEST = "best"
KIND_TARGET = "target"


@dataclass
class PivotRow:
    indicator: Indicator
    unit: OrgUnit
    figures: list  # one analytics Figure (or None) per period
    layout: str = LAYOUT_INDICATOR

    def html(self) -> str:
        """The whole <tr>: the unit (or indicator) heading and the cells."""
        if self.layout == LAYOUT_INDICATOR:
            head = conditional_escape(self.unit.name)
        else:
            head = format_html('{} <span class="text-muted small">({})</span>', self.indicator.name,
                               self.indicator.unit)
        return format_html('<tr data-indicator="{}" data-unit="{}"><th class="pivot-head fw-normal" scope="row">{}'
                           '</th>{}</tr>', self.indicator.code, self.unit.code, head, self.cells_html())

    def cells_html(self) -> str:
        """The row's <td>s, built here rather than by a template loop: a pivot of 10 indicators × 100 units × 12
        months has twelve thousand cells, and the template engine would spend most of the page's time on them.
        The texts are numbers formatted by us; the estimate mark is escaped once."""
        mark = format_html(' <small class="text-muted">{}</small>', pgettext("estimate mark", "est."))
        waiting = format_html('<sup class="pending-mark" title="{}">*</sup>', _("includes figures awaiting approval"))
        parts = []
        for (text, estimate), figure in zip(self.cells(), self.figures, strict=True):
            pending = waiting if figure is not None and figure.value is not None and figure.pending else ""
            if estimate:
                parts.append(f'<td class="text-end text-nowrap fst-italic">{text}{pending}{mark}</td>')
            else:
                parts.append(f'<td class="text-end text-nowrap">{text}{pending}</td>')
        return mark_safe("".join(parts))  # noqa: S308 — only our formatted numbers and the escaped marks

    def cells(self) -> list[tuple[str, bool]]:
        """(text in Vietnamese number format, is_estimate) per period, for templates."""
        out = []
        for figure in self.figures:
            if figure is None or figure.value is None:
                out.append(("", False))
            else:
                out.append((format_number(figure.value, self.indicator.decimals), bool(figure.is_estimate)))
        return out


@dataclass
class PivotGroup:
    indicator: Indicator | None  # the block's indicator in the "indicator" layout
    unit: OrgUnit | None  # the block's unit in the "unit" layout
    rows: list[PivotRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.indicator is not None:
            return f"{self.indicator.name} ({self.indicator.unit})"
        return str(self.unit)


@dataclass
class Pivot:
    layout: str
    kind: str
    indicators: list[Indicator]
    units: list[OrgUnit]
    periods: list[Period]
    groups: list[PivotGroup]

    @property
    def size(self) -> int:
        return len(self.indicators) * len(self.units) * len(self.periods)


def pivot_build(*, indicators: Sequence[Indicator], units: Sequence[OrgUnit], periods: Sequence[Period],
                layout: str = LAYOUT_INDICATOR, kind: str = KIND_BEST, skip_empty: bool = False) -> Pivot:
    """The table for the given dimensions; the figures come from one call of the analytics bulk API.
    `skip_empty` leaves out the rows without any figure (an enterprise indicator has none for the communes)."""
    from dieuhanh.analytics.queries import figures  # the analytics API: pages read figures only through it

    indicators, units, periods = list(indicators), list(units), list(periods)
    period_ids = [p.id for p in periods]
    found = figures(indicators, units, period_ids, kind=kind, as_of=False) if indicators and units and periods else {}

    def row(indicator, unit):
        return PivotRow(indicator, unit, [found.get((indicator.pk, unit.pk, pid)) for pid in period_ids], layout)

    if layout != LAYOUT_UNIT:
        layout = LAYOUT_INDICATOR
    if layout == LAYOUT_UNIT:
        groups = [PivotGroup(None, u, [row(i, u) for i in indicators]) for u in units]
    else:
        groups = [PivotGroup(i, None, [row(i, u) for u in units]) for i in indicators]
    if skip_empty:
        for group in groups:
            group.rows = [r for r in group.rows if any(f is not None and f.value is not None for f in r.figures)]
        groups = [g for g in groups if g.rows]
    return Pivot(layout, kind, indicators, units, periods, groups)


# --- XLSX ----------------------------------------------------------------------------------------------------------
FONT = "Times New Roman"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
SHEET_TITLE = "BẢNG SỐ LIỆU CHỈ TIÊU"
KIND_TEXT = {
    KIND_BEST: "Số liệu thực hiện (số in nghiêng: ước thực hiện, chưa có số thực hiện)",
    KIND_TARGET: "Số liệu kế hoạch",
}


def number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def pivot_workbook(pivot: Pivot, *, scope_label: str = "") -> bytes:
    """One sheet, one line per indicator × unit (Excel filters work on it), a column per period."""
    with translation.override("vi"):
        period_labels = [p.label for p in pivot.periods]
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    first_titles = ["STT", "Chỉ tiêu", "Đơn vị tính", "Đơn vị"] if pivot.layout == LAYOUT_INDICATOR else \
        ["STT", "Đơn vị", "Chỉ tiêu", "Đơn vị tính"]
    titles = first_titles + period_labels
    last_col = len(titles)
    ws.cell(1, 1, SHEET_TITLE).font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(last_col, 4))
    ws.cell(2, 1, " · ".join(t for t in (scope_label, KIND_TEXT.get(pivot.kind, "")) if t)).font = Font(
        name=FONT, size=11, italic=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(last_col, 4))
    header = 4
    for col, text in enumerate(titles, start=1):
        cell = ws.cell(header, col, text)
        cell.font, cell.fill, cell.border = Font(name=FONT, size=12, bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = header
    number = 0
    plain, italic = Font(name=FONT, size=12), Font(name=FONT, size=12, italic=True)
    for group in pivot.groups:
        for row in group.rows:
            r += 1
            number += 1
            ind, unit = row.indicator, row.unit
            lead = [number, ind.name, ind.unit, unit.name] if pivot.layout == LAYOUT_INDICATOR else \
                [number, unit.name, ind.name, ind.unit]
            for col, value in enumerate(lead, start=1):
                cell = ws.cell(r, col, value)
                cell.font, cell.border = plain, BORDER
            fmt = number_format(ind.decimals)
            for offset, figure in enumerate(row.figures):
                cell = ws.cell(r, len(lead) + 1 + offset)
                cell.border = BORDER
                if figure is not None and figure.value is not None:
                    cell.value = figure.value
                    cell.number_format = fmt
                    cell.font = italic if figure.is_estimate else plain
    widths = [6, 40, 14, 28] if pivot.layout == LAYOUT_INDICATOR else [6, 28, 40, 14]
    for col in range(1, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1] if col <= 4 else 16
    ws.freeze_panes = ws.cell(header + 1, 5)
    if r > header:
        ws.auto_filter.ref = f"A{header}:{get_column_letter(last_col)}{r}"
    return workbook_bytes(wb)
