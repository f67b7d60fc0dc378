"""A form as an XLSX workbook in the layout officials use, and reading such a workbook back.

The workbook carries its identity (form, unit, period) in a hidden sheet and the indicator code of every data
row in a hidden column, so an upload is matched to the right report and rows are found by their key, not by
their position. Reading is all or nothing: every problem is collected (naming the cell) before anything is
returned, and the caller saves through `submission_save_values`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from dieuhanh.accounts.models import roles_may_set_targets
from dieuhanh.indicators.models import DataValue, Indicator, ValueKind
from dieuhanh.indicators.services import ValueInput, value_problem
from dieuhanh.lib.vnformat import NumberFormatError, format_number, parse_number, roman
from dieuhanh.lib.xlsx import WorkbookRefused, workbook_bytes, workbook_load
from dieuhanh.reporting.services import form_rows

ID_SHEET = "_dieuhanh"
KEY_COLUMN = 8  # H: the indicator code of a data row (hidden)
KIND_COLUMNS = {ValueKind.TARGET: 4, ValueKind.ESTIMATE: 5, ValueKind.ACTUAL: 6}  # D, E, F
COMMENT_COLUMN = 7  # G
HEADER_ROW = 8
FIRST_DATA_ROW = 9
ROMAN = {roman(n) for n in range(1, 100)}  # a section row's number (column A), not a figure typed off the form

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="D9D9D9")
SET_BY_PROVINCE = PatternFill("solid", fgColor="F2F2F2")  # a target the person may not change
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FONT = "Times New Roman"


class WorkbookErrors(Exception):
    """The workbook cannot be taken; `errors` lists every problem, each naming its cell."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _comment_of(values: dict[str, DataValue]) -> str:
    # One "Ghi chú" cell per row: the comment of the most final kind that has one.
    for kind in (ValueKind.ACTUAL, ValueKind.ESTIMATE, ValueKind.TARGET):
        dv = values.get(kind)
        if dv and dv.comment:
            return dv.comment
    return ""


def form_workbook(entry, blank: bool) -> bytes:
    """The form of `entry` (form, unit, period) as XLSX bytes, blank or filled with the current values.

    For a person who may not change targets, even a blank form carries the province's targets, locked: the file
    then comes back with them unchanged, which the save accepts, instead of clearing them, which it refuses."""
    form, unit, period = entry.form, entry.unit, entry.period
    rows = form_rows(form)
    targets_locked = not roles_may_set_targets(entry.roles)
    current: dict[int, dict[str, DataValue]] = {}
    if not blank or targets_locked:
        indicator_ids = {r.indicator_id for r in rows}
        stored = DataValue.objects.filter(orgunit=unit, period=period.id, indicator__in=indicator_ids)
        for dv in stored.filter(kind=ValueKind.TARGET) if blank else stored:
            current.setdefault(dv.indicator_id, {})[dv.kind] = dv

    wb = Workbook()
    ws = wb.active
    ws.title = form.code.replace("/", "-")[:31]
    base = Font(name=FONT, size=12)
    bold = Font(name=FONT, size=12, bold=True)

    def put(cell: str, value, font=base, merge_to: str | None = None, align="left"):
        ws[cell] = value
        ws[cell].font = font
        ws[cell].alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if merge_to:
            ws.merge_cells(f"{cell}:{merge_to}")

    # National-style header: issuing unit top left, the national motto top right.
    put("A1", unit.name.upper(), bold, "C1", "center")
    put("A2", _("Form %(code)s") % {"code": form.code}, base, "C2", "center")
    put("D1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, "G1", "center")
    put("D2", "Độc lập - Tự do - Hạnh phúc", Font(name=FONT, size=12, bold=True, underline="single"), "G2", "center")
    put("A4", form.name.upper(), Font(name=FONT, size=14, bold=True), "G4", "center")
    put("A5", _("Reporting unit: %(unit)s") % {"unit": unit.name}, base, "G5", "center")
    put("A6", _("Reporting period: %(period)s") % {"period": period.label}, base, "G6", "center")

    headers = [_("No."), _("Indicator"), _("Unit of measure"), _("Target"), _("Estimate"), _("Actual"), _("Note")]
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, col, text)
        cell.font, cell.fill, cell.border = bold, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 32

    r = FIRST_DATA_ROW
    section_id, section_no, row_no = None, 0, 0
    for row in rows:
        if row.section_id != section_id:
            section_id, section_no, row_no = row.section_id, section_no + 1, 0
            ws.cell(r, 1, roman(section_no))
            ws.cell(r, 2, row.section.title)
            for col in range(1, 8):
                c = ws.cell(r, col)
                c.font, c.border = bold, BORDER
                c.alignment = Alignment(horizontal="center" if col == 1 else "left", vertical="center")
            r += 1
        row_no += 1
        indicator = row.indicator
        values = current.get(indicator.pk, {})
        ws.cell(r, 1, row_no).alignment = Alignment(horizontal="center", vertical="center")
        ws.cell(r, 2, str(row)).alignment = Alignment(vertical="center", wrap_text=True, indent=1 if row.total_row_id
                                                      else 0)
        ws.cell(r, 3, indicator.unit).alignment = Alignment(horizontal="center", vertical="center")
        for kind, col in KIND_COLUMNS.items():
            cell = ws.cell(r, col)
            if kind in row.kind_list:
                dv = values.get(kind)
                cell.value = dv.value if dv else None
                cell.number_format = number_format(indicator.decimals)
                locked = targets_locked and kind == ValueKind.TARGET
                cell.protection = Protection(locked=locked)
                if locked:
                    cell.fill = SET_BY_PROVINCE
            else:
                cell.fill = GREY
        comment = ws.cell(r, COMMENT_COLUMN, None if blank else _comment_of(values) or None)
        comment.protection = Protection(locked=False)
        comment.alignment = Alignment(wrap_text=True, vertical="center")
        ws.cell(r, KEY_COLUMN, indicator.code)
        for col in range(1, 8):
            c = ws.cell(r, col)
            c.border = BORDER
            if c.font != bold:
                c.font = base
        r += 1

    for col, width in zip(range(1, 9), [6, 48, 14, 16, 16, 16, 24, 12], strict=True):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(KEY_COLUMN)].hidden = True
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:G{max(r - 1, HEADER_ROW)}"
    # Locked cells (labels, cells the row does not ask for) cannot be typed into; no password, it guards slips.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    ids = wb.create_sheet(ID_SHEET)
    ids.sheet_state = "hidden"
    for i, (key, value) in enumerate(
        [("form_id", form.pk), ("form_code", form.code), ("unit_code", unit.code), ("period", period.id)], start=1
    ):
        ids.cell(i, 1, key)
        ids.cell(i, 2, value)
    # What the file was based on: the report's version and every stored figure at download (even in a blank
    # file), so that an upload after someone else saved can tell their changes from the file's.
    submission = entry.submission()
    ids.cell(5, 1, "version")
    ids.cell(5, 2, submission.version if submission else 0)
    stored_now = {(dv.indicator_id, dv.kind): dv.value for dv in DataValue.objects.filter(
        orgunit=unit, period=period.id, indicator__in={r.indicator_id for r in rows})}
    ids.cell(6, 1, "row_keys")
    for i, row in enumerate(rows, start=7):
        ids.cell(i, 1, row.indicator.code)
        for col, kind in enumerate(KIND_COLUMNS, start=2):
            value = stored_now.get((row.indicator_id, kind))
            ids.cell(i, col, "" if value is None else str(value))
    return workbook_bytes(wb)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _identity_problems(entry, wb) -> list[str]:
    if ID_SHEET not in wb.sheetnames:
        return [_("This workbook was not downloaded from this system (its identity sheet is missing); download the "
                  "form again and fill that file")]
    ids = wb[ID_SHEET]
    found = {_text(ids.cell(i, 1).value): _text(ids.cell(i, 2).value) for i in range(1, 5)}
    expected = {
        "form_code": entry.form.code, "form_id": str(entry.form.pk), "unit_code": entry.unit.code,
        "period": entry.period.id,
    }
    if found.get("form_id") != expected["form_id"] or found.get("form_code") != expected["form_code"]:
        return [_("This file is for form %(found)s, not form %(expected)s") % {
            "found": found.get("form_code") or "?", "expected": expected["form_code"]}]
    problems = []
    if found.get("unit_code") != expected["unit_code"]:
        problems.append(_("This file is for unit %(found)s, not %(expected)s") % {
            "found": found.get("unit_code") or "?", "expected": f"{entry.unit.code} ({entry.unit.name})"})
    if found.get("period") != expected["period"]:
        problems.append(_("This file is for period %(found)s, not %(expected)s") % {
            "found": found.get("period") or "?", "expected": f"{entry.period.id} ({entry.period.label})"})
    return problems


def _is_formula(cell) -> bool:
    return isinstance(cell.value, ArrayFormula) or (cell.data_type == "f") or (
        isinstance(cell.value, str) and cell.value.startswith("=")
    )


MAX_ERRORS = 200  # as the CSV import: a page of 100,000 messages helps nobody


class WorkbookValues(list):
    """The values read from a workbook (a list of ValueInput), with what the file was based on: the report's
    `version` at download (None for a file from before versions were written) and the stored figure of each
    (indicator code, kind) then, and the cell each value came from."""

    def __init__(self, version: int | None, originals: dict[tuple[str, str], Decimal | None]):
        super().__init__()
        self.version = version
        self.originals = originals
        self.cells: dict[tuple[int, str], str] = {}


def _base_of(wb) -> tuple[int | None, dict[tuple[str, str], Decimal | None]]:
    ids = wb[ID_SHEET]
    if _text(ids.cell(5, 1).value) != "version":
        return None, {}
    try:
        version = int(_text(ids.cell(5, 2).value))
        originals = {}
        for i in range(7, ids.max_row + 1):
            code = _text(ids.cell(i, 1).value)
            for col, kind in enumerate(KIND_COLUMNS, start=2):
                text = _text(ids.cell(i, col).value)
                originals[(code, kind)] = Decimal(text) if text else None
    except (ValueError, ArithmeticError):
        return None, {}  # a damaged identity sheet: no base to compare with, as for an old file
    return version, originals


def stale_problems(entry, read: WorkbookValues) -> tuple[int | None, list[str]]:
    """(the version the save must still find, the cells refused) for a workbook uploaded after the report was
    saved by someone else since its download. A cell is refused when its stored figure changed since the download
    and the file would set it to something else: the file's old figure would silently undo the newer one. Cells
    changed only in the file, or only by the other person, merge."""
    submission = entry.submission()
    if read.version is None or submission is None:
        return None, []
    if submission.version == read.version:
        return read.version, []
    current = {(dv.indicator_id, dv.kind): dv.value for dv in DataValue.objects.filter(
        orgunit=entry.unit, period=entry.period.id, indicator__in={v.indicator.pk for v in read})}
    problems = []
    for v in read:
        now = current.get((v.indicator.pk, v.kind))
        then = read.originals.get((v.indicator.code, v.kind))
        if now != then and v.value != now:
            def shown(value, indicator=v.indicator):
                return _("empty") if value is None else format_number(value, indicator.decimals, trim=True)
            problems.append(_("Cell %(cell)s (%(ind)s, %(kind)s): changed to %(now)s since this file was downloaded "
                              "(it was %(then)s); the file says %(file)s") % {
                "cell": read.cells.get((v.indicator.pk, v.kind), "?"), "ind": v.indicator.code,
                "kind": ValueKind(v.kind).label.lower(), "now": shown(now), "then": shown(then),
                "file": shown(v.value)})
    if problems:
        who = submission.updated_by.get_full_name() or submission.updated_by.get_username() \
            if submission.updated_by else _("Someone")
        problems.insert(0, _("%(who)s saved this report at %(when)s, after this file was downloaded. Nothing was "
                             "saved: download the form again and type your changes in the new file") % {
            "who": who, "when": timezone.localtime(submission.updated_at).strftime("%H:%M %d/%m/%Y")})
    return submission.version, problems


def workbook_read(entry, data: bytes, *, max_bytes: int) -> list[ValueInput]:
    """The values in an uploaded workbook for `entry`; raises WorkbookErrors listing every problem."""
    try:
        wb = workbook_load(data, max_bytes=max_bytes)
    except WorkbookRefused as exc:
        raise WorkbookErrors([str(exc)]) from exc
    problems = _identity_problems(entry, wb)
    if problems:
        raise WorkbookErrors(problems)
    ws = wb.worksheets[0]

    rows_by_code = {row.indicator.code: row for row in form_rows(entry.form)}
    seen: dict[str, int] = {}
    values = WorkbookValues(*_base_of(wb))
    errors: list[str] = []
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        if len(errors) >= MAX_ERRORS:
            errors.append(_("More problems after row %(row)d are not listed; correct these first") % {"row": r - 1})
            break
        code = _text(ws.cell(r, KEY_COLUMN).value)
        inputs = [ws.cell(r, col) for col in KIND_COLUMNS.values()]
        if not code:
            if any(_text(c.value) for c in inputs) and _text(ws.cell(r, 1).value) not in ROMAN:
                errors.append(_("Row %(row)d is not a row of the form; type figures only in the form's rows") % {
                    "row": r})
            continue
        row = rows_by_code.get(code)
        if row is None:
            errors.append(_("Row %(row)d: indicator %(code)s is not on form %(form)s") % {
                "row": r, "code": code, "form": entry.form.code})
            continue
        if code in seen:
            errors.append(_("Row %(row)d repeats the row of %(code)s (row %(first)d); keep only one") % {
                "row": r, "code": code, "first": seen[code]})
            continue
        seen[code] = r
        indicator: Indicator = row.indicator
        comment = _text(ws.cell(r, COMMENT_COLUMN).value)[:500]
        for kind, col in KIND_COLUMNS.items():
            cell = ws.cell(r, col)
            if _is_formula(cell):
                text = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                errors.append(_("Cell %(cell)s holds a formula (%(formula)s); enter the value") % {
                    "cell": cell.coordinate, "formula": text})
                continue
            if kind not in row.kind_list:
                if _text(cell.value):
                    errors.append(_("Cell %(cell)s: %(ind)s takes no %(kind)s") % {
                        "cell": cell.coordinate, "ind": indicator.code, "kind": ValueKind(kind).label.lower()})
                continue
            raw = cell.value
            if not isinstance(raw, int | float | Decimal | str | type(None)):
                errors.append(_("Cell %(cell)s: '%(value)s' is not a number") % {
                    "cell": cell.coordinate, "value": raw})
                continue
            try:
                value = parse_number(raw, integer=indicator.value_type == Indicator.ValueType.INTEGER)
            except NumberFormatError as exc:
                errors.append(_("Cell %(cell)s: %(problem)s") % {"cell": cell.coordinate, "problem": exc})
                continue
            problem = value_problem(indicator, value)
            if problem:
                errors.append(_("Cell %(cell)s: %(problem)s") % {"cell": cell.coordinate, "problem": problem})
                continue
            values.append(ValueInput(indicator=indicator, kind=kind, value=value,
                                     comment=comment if value is not None else ""))
            values.cells[(indicator.pk, kind)] = cell.coordinate
    if not seen and not errors:
        # A workbook without the form's rows (its header only, or another sheet first) would save nothing and still
        # count as a new version of the report.
        raise WorkbookErrors([_("The workbook has none of the form's rows; download the form's workbook and type the "
                                "figures in it")])
    if errors:
        raise WorkbookErrors(errors)
    return values
