"""Tasks as XLSX: a list in the table layout of official reports, and the import of many tasks at once.

The column titles are those of provincial reports and are kept in Vietnamese whatever the page language, so a
file downloaded by anyone can be read back. The import is all or nothing: the whole workbook is checked first
(every problem names its cell), then documents and tasks are created through the services in one transaction.
Size, formula and "not a workbook" checks are the reporting app's (`dieuhanh.reporting.xlsx`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments import services
from dieuhanh.assignments.models import Document, Status, Task, TaskEvent
from dieuhanh.indicators.models import Sector
from dieuhanh.lib.dates import parse_date
from dieuhanh.lib.docnumbers import (
    DOCUMENT_TYPES,
    DocumentNumberError,
    normalise_document_number,
    parse_document_number,
)
from dieuhanh.lib.periods import Period, PeriodError
from dieuhanh.lib.vnformat import fold
from dieuhanh.lib.xlsx import WorkbookRefused, workbook_bytes, workbook_load
from dieuhanh.reporting.xlsx import BORDER, FONT, HEADER_FILL, WorkbookErrors, _is_formula

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 2000
MAX_BLANK_RUN = 1000  # rows; reading stops after this many empty ones in a row

# --- import template ---------------------------------------------------------------------------------------------
# (key, column title). The part of a title before "(" is what an uploaded header must start with.
IMPORT_COLUMNS = [
    ("title", "Nội dung nhiệm vụ"),
    ("number", "Số văn bản giao"),
    ("issued_on", "Ngày văn bản"),
    ("lead_unit", "Đơn vị chủ trì (mã hoặc tên)"),
    ("coordinating", "Đơn vị phối hợp (mã hoặc tên, cách nhau bởi dấu ;)"),
    ("deadline", "Thời hạn (dd/mm/yyyy hoặc trống = không thời hạn)"),
    ("is_key", "Trọng tâm (x)"),
    ("product", "Sản phẩm"),
    ("sector", "Lĩnh vực"),
    ("summary", "Trích yếu văn bản (nếu văn bản chưa có trong hệ thống)"),
]
COL = {key: i for i, (key, _title) in enumerate(IMPORT_COLUMNS, start=1)}
IMPORT_TITLE = "DANH SÁCH NHIỆM VỤ GIAO (MẪU NHẬP)"
IMPORT_HEADER_ROW = 4
REFERENCE_SHEET = "Danh mục"
KEY_MARKS = {"x", "co", "1", "true"}  # folded: "x", "X", "có", "1"


def _header_key(title: str) -> str:
    return fold(title.split("(")[0])


def _font(size=12, bold=False, italic=False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _header_cells(ws, row: int, titles: list[str]) -> None:
    for col, text in enumerate(titles, start=1):
        cell = ws.cell(row, col, text)
        cell.font, cell.fill, cell.border = _font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(ws, row: int, text: str, last_col: int, font: Font) -> None:
    ws.cell(row, 1, text).font = font
    ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def _save(wb: Workbook) -> bytes:
    return workbook_bytes(wb)


# The products as the office writes them in its files, whatever the page language.
PRODUCT_NAMES_VI = {
    Task.Product.REPORT: "Báo cáo",
    Task.Product.PLAN: "Kế hoạch",
    Task.Product.DRAFT_DECISION: "Dự thảo quyết định",
    Task.Product.PROPOSAL: "Tờ trình",
    Task.Product.DOCUMENT: "Văn bản hướng dẫn, chỉ đạo",
    Task.Product.OTHER: "Khác",
}


def product_labels() -> dict[str, str]:
    """Folded name, label or code → product code: Vietnamese names, the page language's labels, the codes."""
    labels = {fold(name): value for value, name in PRODUCT_NAMES_VI.items()}
    for value, label in Task.Product.choices:
        labels.setdefault(fold(value), value)
        labels.setdefault(fold(str(label)), value)
    return labels


def import_template(user) -> bytes:
    """The blank import workbook, with a second sheet listing the units, sectors and products it accepts."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    last = len(IMPORT_COLUMNS)
    _title(ws, 1, IMPORT_TITLE, last, _font(14, bold=True))
    _title(ws, 2, "Mỗi dòng một nhiệm vụ. Ngày ghi dd/mm/yyyy; để trống Thời hạn nếu nhiệm vụ không có thời hạn; "
                  "ghi x ở cột Trọng tâm cho nhiệm vụ trọng tâm. Mã đơn vị, lĩnh vực, sản phẩm: xem trang "
                  f"\"{REFERENCE_SHEET}\". Nếu có lỗi, không nhiệm vụ nào được nhập.", last, _font(11, italic=True))
    ws.row_dimensions[2].height = 48
    _header_cells(ws, IMPORT_HEADER_ROW, [title for _key, title in IMPORT_COLUMNS])
    ws.row_dimensions[IMPORT_HEADER_ROW].height = 64
    for col, width in enumerate([50, 18, 14, 26, 26, 18, 11, 18, 18, 36], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    first, end = IMPORT_HEADER_ROW + 1, IMPORT_HEADER_ROW + 500
    for r in range(first, first + 50):  # a bordered area to type into; rows below it are read too
        for c in range(1, last + 1):
            cell = ws.cell(r, c)
            cell.border, cell.font = BORDER, _font()
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for key, number_format in (("issued_on", "DD/MM/YYYY"), ("deadline", "DD/MM/YYYY"), ("number", "@"),
                               ("lead_unit", "@"), ("coordinating", "@")):
        letter = get_column_letter(COL[key])
        for r in range(first, end + 1):
            ws[f"{letter}{r}"].number_format = number_format  # "@": text, so "01" keeps its zero
    key_mark = DataValidation(type="list", formula1='"x"', allow_blank=True)
    key_mark.add(f"{get_column_letter(COL['is_key'])}{first}:{get_column_letter(COL['is_key'])}{end}")
    ws.add_data_validation(key_mark)
    ws.freeze_panes = ws.cell(first, 1)

    ref = wb.create_sheet(REFERENCE_SHEET)
    ref.append(["Mã đơn vị", "Tên đơn vị", "", "Mã lĩnh vực", "Lĩnh vực", "", "Sản phẩm", "", "Loại văn bản",
                "Viết tắt"])
    for cell in ref[1]:
        cell.font = _font(bold=True)
    units = list(units_in_scope(user, Role.OFFICE).filter(valid_to__isnull=True).order_by("path"))
    sectors = list(Sector.objects.all())
    products = list(PRODUCT_NAMES_VI.values())
    types = list(DOCUMENT_TYPES.items())
    for i in range(max(len(units), len(sectors), len(products), len(types))):
        row = ["", "", "", "", "", "", "", "", "", ""]
        if i < len(units):
            row[0], row[1] = units[i].code, units[i].name
        if i < len(sectors):
            row[3], row[4] = sectors[i].code, sectors[i].name
        if i < len(products):
            row[6] = products[i]
        if i < len(types):
            row[8], row[9] = types[i][1], types[i][0]
        ref.append(row)
    for col, width in zip("ABCDEFGHIJ", [14, 40, 3, 12, 30, 3, 34, 3, 20, 10], strict=True):
        ref.column_dimensions[col].width = width
    return _save(wb)


# --- reading an import ---------------------------------------------------------------------------------------------
@dataclass
class ImportRow:
    """One task read from the workbook, with its references resolved."""

    row: int
    title: str
    number: str  # normalised
    issued_on: datetime.date | None
    summary: str
    lead_unit: object
    coordinating_units: list = field(default_factory=list)
    deadline: datetime.date | None = None
    is_key: bool = False
    product: str = Task.Product.REPORT
    product_note: str = ""
    sector: Sector | None = None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date_of(value) -> datetime.date | None:
    """A cell's date; None for an empty cell; raises ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and (parsed := parse_date(value)) is not None:
        return parsed
    raise ValueError(value)


class _Lookup:
    """Units (in the office's scope) and sectors by code or by name, without diacritics."""

    def __init__(self, user):
        self.units_by_code, self.units_by_name = {}, {}
        for unit in units_in_scope(user, Role.OFFICE):
            self.units_by_code[unit.code.upper()] = unit
            self.units_by_name.setdefault(fold(unit.name), []).append(unit)
        self.sectors_by_key = {}
        for sector in Sector.objects.all():
            self.sectors_by_key[fold(sector.code)] = sector
            self.sectors_by_key[fold(sector.name)] = sector

    def unit(self, text: str):
        """The unit named by `text`, or raises ValueError with the message to show."""
        unit = self.units_by_code.get(text.upper())
        if unit is None and text.isdigit():
            # Official codes have leading zeros ("01", "00004") that Excel drops from a number typed in a cell.
            unit = self.units_by_code.get(text.zfill(2)) or self.units_by_code.get(text.zfill(5))
        if unit:
            return unit
        named = [u for u in self.units_by_name.get(fold(text), []) if u.valid_to is None] or \
            self.units_by_name.get(fold(text), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise ValueError(_("several units are named '%(value)s'; enter the unit's code (%(codes)s)") % {
                "value": text, "codes": ", ".join(u.code for u in named)})
        raise ValueError(_("'%(value)s' is not a unit in your scope; enter its code or its full name (see the "
                           "sheet \"%(sheet)s\" of the template)") % {"value": text, "sheet": REFERENCE_SHEET})


def _load(data: bytes, max_bytes: int):
    try:
        return workbook_load(data, max_bytes=max_bytes)
    except WorkbookRefused as exc:
        raise WorkbookErrors([str(exc)]) from exc


def _find_header(ws) -> int | None:
    wanted = _header_key(IMPORT_COLUMNS[0][1])
    for r in range(1, min(ws.max_row, 20) + 1):
        if fold(_text(ws.cell(r, 1).value)).startswith(wanted):
            return r
    return None


def workbook_tasks(user, data: bytes, *, max_bytes: int) -> list[ImportRow]:
    """The tasks in an uploaded import workbook; raises WorkbookErrors listing every problem by cell."""
    wb = _load(data, max_bytes)
    ws = wb.worksheets[0]
    header = _find_header(ws)
    if header is None:
        raise WorkbookErrors([_("No header row found: column A must be titled '%(title)s'. Download the template "
                                "and fill it in.") % {"title": IMPORT_COLUMNS[0][1]}])
    errors: list[str] = []
    for key, title in IMPORT_COLUMNS[:-1]:  # the last column (summary) is optional
        cell = ws.cell(header, COL[key])
        if not fold(_text(cell.value)).startswith(_header_key(title)):
            errors.append(_("Cell %(cell)s: the column must be titled '%(expected)s', not '%(found)s'. Download the "
                            "template and fill it in.") % {
                "cell": cell.coordinate, "expected": title, "found": _text(cell.value)})
    if errors:
        raise WorkbookErrors(errors)

    lookup = _Lookup(user)
    products = product_labels()
    rows: list[ImportRow] = []
    seen: dict[tuple, int] = {}
    blank_run = 0
    for r in range(header + 1, ws.max_row + 1):
        if blank_run >= MAX_BLANK_RUN:
            break  # formatting copied down a whole column makes max_row huge; the tasks ended long ago
        cells = {key: ws.cell(r, COL[key]) for key, _title in IMPORT_COLUMNS}
        formulas = [c for c in cells.values() if _is_formula(c)]
        for c in formulas:
            text = c.value.text if isinstance(c.value, ArrayFormula) else c.value
            errors.append(_("Cell %(cell)s holds a formula (%(formula)s); enter the value") % {
                "cell": c.coordinate, "formula": text})
        if formulas:
            continue
        if not any(_text(c.value) for c in cells.values()):
            blank_run += 1
            continue
        blank_run = 0
        if len(rows) >= MAX_IMPORT_ROWS:
            errors.append(_("The file has more than %(max)d tasks; split it into several files") % {
                "max": MAX_IMPORT_ROWS})
            break
        row_errors: list[str] = []

        def problem(key: str, message: str, values: dict | None = None, _r=r, _errs=row_errors) -> None:
            _errs.append(_("Cell %(cell)s: %(problem)s") % {
                "cell": f"{get_column_letter(COL[key])}{_r}", "problem": message % (values or {})})

        title = _text(cells["title"].value)
        if not title:
            problem("title", _("the task (Nội dung nhiệm vụ) is missing"))

        number, raw_number = "", _text(cells["number"].value)
        if not raw_number:
            problem("number", _("the document number is missing"))
        else:
            try:
                number = normalise_document_number(raw_number)
            except DocumentNumberError as exc:
                problem("number", "%(p)s", {"p": str(exc)})

        dates = {}
        for key in ("issued_on", "deadline"):
            raw = cells[key].value
            try:
                dates[key] = _date_of(raw)
            except ValueError:
                dates[key] = None
                problem(key, _("'%(value)s' is not a date (dd/mm/yyyy)"), {"value": _text(raw)})
        issued_on, deadline = dates["issued_on"], dates["deadline"]

        lead_unit, raw_lead = None, _text(cells["lead_unit"].value)
        if not raw_lead:
            problem("lead_unit", _("the lead unit is missing"))
        else:
            try:
                lead_unit = lookup.unit(raw_lead)
            except ValueError as exc:
                problem("lead_unit", "%(p)s", {"p": str(exc)})

        coordinating = []
        for part in _text(cells["coordinating"].value).replace(",", ";").replace("\n", ";").split(";"):
            if not part.strip():
                continue
            try:
                unit = lookup.unit(part.strip())
            except ValueError as exc:
                problem("coordinating", "%(p)s", {"p": str(exc)})
                continue
            if unit == lead_unit:
                problem("coordinating", _("%(unit)s is the lead unit; it cannot also coordinate"), {"unit": unit.code})
            elif unit not in coordinating:
                coordinating.append(unit)

        raw_key = fold(_text(cells["is_key"].value))
        if raw_key and raw_key not in KEY_MARKS:
            problem("is_key", _("write x for a key task or leave it empty, not '%(value)s'"), {
                "value": _text(cells["is_key"].value)})

        product, product_note = Task.Product.REPORT, ""
        raw_product = _text(cells["product"].value)
        if raw_product:
            product = products.get(fold(raw_product), Task.Product.OTHER)
            if product == Task.Product.OTHER:
                product_note = raw_product
            if len(product_note) > 255:
                problem("product", _("the product is longer than 255 characters"))

        sector, raw_sector = None, _text(cells["sector"].value)
        if raw_sector:
            sector = lookup.sectors_by_key.get(fold(raw_sector))
            if sector is None:
                problem("sector", _("'%(value)s' is not a sector; sectors: %(valid)s"), {
                    "value": raw_sector, "valid": ", ".join(sorted({s.name for s in lookup.sectors_by_key.values()}))})

        if issued_on and deadline and deadline < issued_on:
            problem("deadline", _("the deadline %(deadline)s is before the document's date %(issued)s"), {
                "deadline": f"{deadline:%d/%m/%Y}", "issued": f"{issued_on:%d/%m/%Y}"})

        if not row_errors:
            key = (fold(title), number, lead_unit.pk)
            if key in seen:
                row_errors.append(_("Row %(row)d repeats row %(first)d (same task, document and lead unit); keep only "
                                    "one") % {"row": r, "first": seen[key]})
            else:
                seen[key] = r
        errors.extend(row_errors)
        if row_errors:
            continue
        rows.append(ImportRow(
            row=r, title=title, number=number, issued_on=issued_on, summary=_text(cells["summary"].value),
            lead_unit=lead_unit, coordinating_units=coordinating, deadline=deadline,
            is_key=bool(raw_key), product=product, product_note=product_note, sector=sector,
        ))
    if not errors and not rows:
        errors.append(_("The file has no tasks: fill one task a row below the header (row %(row)d)") % {"row": header})
    if not errors:
        errors = _document_problems(rows)
    if errors:
        raise WorkbookErrors(errors)
    return rows


def _same_year(number: str, issued_on: datetime.date | None):
    documents = Document.objects.filter(number=number)
    return documents.filter(issued_on__year=issued_on.year) if issued_on else documents


def _document_problems(rows: list[ImportRow]) -> list[str]:
    """Documents: a new one needs its date; one already registered must not get another date; the same number
    in one file must have one date; a task already registered is not registered twice."""
    errors = []
    date_col = get_column_letter(COL["issued_on"])
    first_date: dict[str, tuple[datetime.date, int]] = {}
    for item in rows:
        existing = list(_same_year(item.number, item.issued_on))
        if item.issued_on is None and not existing:
            errors.append(_("Cell %(cell)s: document %(number)s is not registered yet; enter its date") % {
                "cell": f"{date_col}{item.row}", "number": item.number})
            continue
        if item.issued_on and existing and all(d.issued_on != item.issued_on for d in existing):
            errors.append(_("Cell %(cell)s: document %(number)s is registered with the date %(date)s") % {
                "cell": f"{date_col}{item.row}", "number": item.number, "date": f"{existing[0].issued_on:%d/%m/%Y}"})
            continue
        if item.issued_on:
            earlier = first_date.setdefault(item.number, (item.issued_on, item.row))
            if earlier[0] != item.issued_on:
                errors.append(_("Cell %(cell)s: document %(number)s has the date %(date)s in row %(row)d") % {
                    "cell": f"{date_col}{item.row}", "number": item.number, "date": f"{earlier[0]:%d/%m/%Y}",
                    "row": earlier[1]})
                continue
        if existing:
            document = next((d for d in existing if item.issued_on in (None, d.issued_on)), existing[0])
            twin = Task.objects.filter(document=document, lead_unit=item.lead_unit).only("pk", "title")
            if any(fold(t.title) == fold(item.title) for t in twin):
                errors.append(_("Row %(row)d: this task of document %(number)s is already registered for %(unit)s") % {
                    "row": item.row, "number": item.number, "unit": item.lead_unit.code})
    return errors


# --- saving an import ----------------------------------------------------------------------------------------------
@dataclass
class ImportResult:
    tasks: list[Task]
    documents_created: list[Document]


def tasks_import(*, user, data: bytes, assigner, max_bytes: int) -> ImportResult:
    """Create every task of the workbook (and the documents not registered yet), or nothing.

    Raises WorkbookErrors (every problem by cell), or PermissionDenied if the user may not register tasks.
    """
    if not units_in_scope(user, Role.OFFICE).exists():
        raise PermissionDenied
    rows = workbook_tasks(user, data, max_bytes=max_bytes)
    documents: dict[str, Document] = {}
    created: list[Document] = []
    tasks: list[Task] = []
    current = rows[0]
    try:
        with transaction.atomic():
            for item in rows:
                current = item
                key = f"{item.number}|{item.issued_on.year if item.issued_on else ''}"
                document = documents.get(key)
                if document is None:
                    existing = _same_year(item.number, item.issued_on).first()
                    if existing is None:
                        existing = services.document_create(
                            user=user, number=item.number, issued_on=item.issued_on, issuer=assigner.orgunit,
                            summary=item.summary or _document_summary(item.number),
                        )
                        created.append(existing)
                    document = documents[key] = existing
                tasks.append(services.task_create(
                    user=user, title=item.title, assigner=assigner, assigned_on=item.issued_on or document.issued_on,
                    lead_unit=item.lead_unit, coordinating_units=item.coordinating_units,
                    deadline_kind=Task.DeadlineKind.DATE if item.deadline else Task.DeadlineKind.NONE,
                    deadline=item.deadline, document=document, is_key=item.is_key, product=item.product,
                    product_note=item.product_note, sector=item.sector,
                ))
    except ValidationError as exc:
        raise WorkbookErrors(_service_problems(exc, current.row)) from exc
    return ImportResult(tasks=tasks, documents_created=created)


# The column of the template that holds each field the services may complain about.
FIELD_COLUMNS = {
    "title": "title", "number": "number", "issued_on": "issued_on", "assigned_on": "issued_on",
    "summary": "summary", "lead_unit": "lead_unit", "coordinating_units": "coordinating", "deadline": "deadline",
    "is_key": "is_key", "product": "product", "product_note": "product", "sector": "sector",
}


def _service_problems(exc: ValidationError, row: int) -> list[str]:
    """A service's refusal, naming the cell where the field is known, else the row."""
    fields = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
    problems = []
    for name, errors in fields:
        column = FIELD_COLUMNS.get(name)
        for message in ValidationError(errors).messages:
            if column:
                cell = f"{get_column_letter(COL[column])}{row}"
                problems.append(_("Cell %(cell)s: %(problem)s") % {"cell": cell, "problem": message})
            else:
                problems.append(_("Row %(row)d: %(problem)s") % {"row": row, "problem": message})
    return problems


def _document_summary(number: str) -> str:
    return f"{parse_document_number(number).type_name} số {number}"


# --- export of a list ----------------------------------------------------------------------------------------------
EXPORT_TITLE = "DANH SÁCH NHIỆM VỤ UBND TỈNH GIAO"
EXPORT_COLUMNS = [
    ("STT", 6),
    ("Nội dung nhiệm vụ", 48),
    ("Văn bản giao", 28),
    ("Đơn vị chủ trì", 24),
    ("Thời hạn", 16),
    ("Tình hình thực hiện", 44),
    ("Kết quả", 26),
]
EXPORT_HEADER_ROW = 5


def _source_text(task: Task) -> str:
    if task.document_id:
        doc = task.document
        return _("%(type)s %(number)s dated %(date)s") % {
            "type": _document_type_name(doc.number), "number": doc.number, "date": f"{doc.issued_on:%d/%m/%Y}"}
    if task.instruction_id:
        ins = task.instruction
        return _("Instruction of %(who)s at %(meeting)s on %(date)s") % {
            "who": ins.instructed_by, "meeting": ins.meeting, "date": f"{ins.held_on:%d/%m/%Y}"}
    return ""


def _document_type_name(number: str) -> str:
    try:
        return parse_document_number(number).type_name
    except DocumentNumberError:
        return ""


def _deadline_text(occurrence) -> str:
    if occurrence.deadline is None:
        text = str(Task.DeadlineKind.NONE.label)
    else:
        text = f"{occurrence.deadline:%d/%m/%Y}"
        if occurrence.original_deadline and occurrence.original_deadline != occurrence.deadline:
            text += "\n" + _("(extended from %(date)s)") % {"date": f"{occurrence.original_deadline:%d/%m/%Y}"}
    if occurrence.period_id:
        try:
            text = f"{Period.parse(occurrence.period_id).label}: {text}"
        except PeriodError:
            pass
    return text


def _progress_text(occurrence, last_progress) -> str:
    lines = []
    if last_progress is not None:
        line = f"{timezone.localtime(last_progress.created_at):%d/%m/%Y}: {last_progress.text}".strip()
        if last_progress.percent is not None and f"{last_progress.percent}%" not in last_progress.text:
            line += f" ({last_progress.percent}%)"
        lines.append(line)
    if occurrence.progress == occurrence.Progress.REPORTED and occurrence.completed_on:
        lines.append(_("Completion reported on %(date)s, awaiting confirmation") % {
            "date": f"{occurrence.completed_on:%d/%m/%Y}"})
    return "\n".join(lines)


def _result_text(occurrence, status: str, on: datetime.date) -> str:
    text = str(Status(status).label)
    if status in (Status.DONE_ON_TIME, Status.DONE_LATE) and occurrence.completed_on:
        text += " " + _("on %(date)s") % {"date": f"{occurrence.completed_on:%d/%m/%Y}"}
        if occurrence.result_number:
            text += f" ({occurrence.result_number})"
        if occurrence.result_note:
            text += f"\n{occurrence.result_note}"
    elif status == Status.OVERDUE and occurrence.deadline:
        text += " " + _("(%(days)d days)") % {"days": (on - occurrence.deadline).days}
    return text


def tasks_workbook(rows, *, on: datetime.date, heading: str = EXPORT_TITLE, subtitle: str = "") -> bytes:
    """`rows` (each with `.occurrence` and `.status` on `on`) as the table of official reports."""
    rows = list(rows)
    occurrence_ids = [row.occurrence.pk for row in rows]
    last_progress = {}
    for event in TaskEvent.objects.filter(occurrence_id__in=occurrence_ids, kind=TaskEvent.Kind.PROGRESS).order_by(
            "occurrence_id", "created_at", "id"):
        last_progress[event.occurrence_id] = event  # ordered: the last one wins

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    last = len(EXPORT_COLUMNS)
    _title(ws, 1, heading, last, _font(14, bold=True))
    _title(ws, 2, f"(Tính đến ngày {on:%d/%m/%Y})", last, _font(12, italic=True))
    if subtitle:
        _title(ws, 3, subtitle, last, _font(12, italic=True))
    _header_cells(ws, EXPORT_HEADER_ROW, [title for title, _width in EXPORT_COLUMNS])
    ws.row_dimensions[EXPORT_HEADER_ROW].height = 32
    body = _font()
    r = EXPORT_HEADER_ROW
    for number, row in enumerate(rows, start=1):
        r += 1
        occurrence = row.occurrence
        task = occurrence.task
        values = [
            number,
            task.title,
            _source_text(task),
            task.lead_unit.name,
            _deadline_text(occurrence),
            _progress_text(occurrence, last_progress.get(occurrence.pk)),
            _result_text(occurrence, row.status, on),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            cell.font, cell.border = body, BORDER
            cell.alignment = Alignment(horizontal="center" if col in (1, 5) else "left", vertical="top",
                                       wrap_text=True)
    for col, (_t, width) in enumerate(EXPORT_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(EXPORT_HEADER_ROW + 1, 1)
    ws.print_title_rows = f"{EXPORT_HEADER_ROW}:{EXPORT_HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return _save(wb)


# --- scorecard ------------------------------------------------------------------------------------------------------
SCORECARD_COLUMNS = [
    ("STT", 6),
    ("Đơn vị", 40),
    ("Số nhiệm vụ được giao", 14),
    ("Số nhiệm vụ đến hạn", 14),
    ("Hoàn thành đúng hạn", 14),
    ("Hoàn thành quá hạn", 14),
    ("Chưa hoàn thành, trong hạn", 14),
    ("Chưa hoàn thành, quá hạn", 14),
    ("Tạm dừng", 11),
    ("Tỷ lệ hoàn thành (%)", 14),
    ("Tỷ lệ hoàn thành đúng hạn (%)", 16),
]


RATE_COLUMN = len(SCORECARD_COLUMNS) - 1  # the last two columns are the rates


def scorecard_workbook(*, scope_name: str, window_label: str, cut: datetime.date, key_only: bool, total,
                       by_unit: list, by_assigner: list) -> bytes:
    """The scorecard as the summary table of provincial reports: one row per lead unit and a total, then the same
    per assigner. `by_unit` / `by_assigner`: (name, Scorecard) pairs. The columns after "fell due" are its parts
    (Scorecard.due_parts) and add up to it. Rates are numbers, so they can be summed up; shown with one decimal,
    as the pages write them."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    last = len(SCORECARD_COLUMNS)
    heading = "KẾT QUẢ THỰC HIỆN NHIỆM VỤ " + ("TRỌNG TÂM " if key_only else "") + "UBND TỈNH GIAO"
    _title(ws, 1, heading, last, _font(14, bold=True))
    _title(ws, 2, f"{window_label}" + (f" – {scope_name}" if scope_name else ""), last, _font(12, bold=True))
    _title(ws, 3, f"(Tình trạng tính đến ngày {cut:%d/%m/%Y}; tỷ lệ hoàn thành = số hoàn thành ÷ số đến hạn)", last,
           _font(12, italic=True))
    body, bold = _font(), _font(bold=True)
    r = 4

    def table(first_heading: str, rows: list) -> None:
        nonlocal r
        r += 1
        _header_cells(ws, r, [first_heading if col == 2 else title for col, (title, _w) in
                              enumerate(SCORECARD_COLUMNS, start=1)])
        ws.row_dimensions[r].height = 48
        for number, (name, card) in enumerate([*rows, ("Tổng cộng", total)], start=1):
            r += 1
            is_total = number == len(rows) + 1
            values = ["" if is_total else number, name, card.assigned, card.due,
                      *(n for _status, n in card.due_parts), card.completion_rate, card.on_time_rate]
            for col, value in enumerate(values, start=1):
                is_rate = col >= RATE_COLUMN
                cell = ws.cell(r, col, float(value) if is_rate and value is not None else value)
                cell.font, cell.border = (bold if is_total else body), BORDER
                cell.alignment = Alignment(horizontal="left" if col == 2 else "center", vertical="center",
                                           wrap_text=True)
                if is_rate:
                    cell.number_format = "0.0"
        r += 1

    table("Đơn vị chủ trì", by_unit)
    table("Người giao", by_assigner)
    for col, (_t, width) in enumerate(SCORECARD_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    return _save(wb)
