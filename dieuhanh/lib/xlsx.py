"""Workbooks and CSV files in and out, safely: the one place that opens an uploaded XLSX and the one place that
saves one.

In: an XLSX is a zip of XML, so its 5 MB upload limit says nothing about what it holds. A 3 MB workbook can inflate
to a gigabyte, a 6 kB one can put a cell at row 1,048,576 (and a reader looping to `max_row` then makes a million
rows), and XML entity declarations ("billion laughs") multiply text on parsing. `workbook_load` checks the zip's
uncompressed size, the XML for DOCTYPE/ENTITY declarations and the number of cells before openpyxl parses
anything, and the sheets' dimensions after, refusing with a Vietnamese message.

Out: user text starting with "=" would be written by openpyxl as a live formula (=HYPERLINK(...), DDE), and a CSV
cell starting with = + - @ is run as one by spreadsheet programs. `workbook_bytes` saves a workbook with every
such cell turned into text, and `csv_text` prefixes a CSV cell with an apostrophe as OWASP advises.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from dieuhanh.lib.vnformat import format_number

MAX_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
MAX_CELLS = 300_000
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_PARTS = 2_000
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*%?$")  # a figure we formatted ("-1.234,5"), not text to neutralise


class WorkbookRefused(ValueError):
    """The upload is not a workbook we will read; the message (Vietnamese) says why."""


def _mb(size: int) -> str:
    return format_number(Decimal(size) / 1024 / 1024, 1)


def size_problem(size: int, max_bytes: int) -> str | None:
    if size <= max_bytes:
        return None
    return _("The file is %(size)s MB, over the limit of %(limit)s MB") % {"size": _mb(size), "limit": _mb(max_bytes)}


def _not_a_workbook() -> WorkbookRefused:
    return WorkbookRefused(_("The file is not an Excel workbook (.xlsx) that can be read"))


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_cells: int, cells: int) -> int:
    """Read one XML part in chunks (its size is bounded by the zip's, which zipfile enforces with the CRC), refusing
    entity declarations; returns the running count of worksheet cells."""
    is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in _DECLARATIONS):
                raise WorkbookRefused(_("The file holds XML declarations (DOCTYPE or ENTITY) that a workbook saved by "
                                        "Excel or LibreOffice never has; save it again as .xlsx"))
            if is_sheet:
                cells += len(_CELL.findall(window)) - len(_CELL.findall(tail))
                if cells > max_cells:
                    raise WorkbookRefused(_("The workbook holds more than %(n)s cells; a form or an import file has "
                                            "far fewer. Remove the extra rows or sheets") % {
                        "n": format_number(max_cells, 0)})
            tail = window[-16:]
    return cells


def workbook_check(data: bytes, *, max_bytes: int, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
                   max_cells: int = MAX_CELLS) -> None:
    """Refuse (WorkbookRefused) an upload too big packed or unpacked, with entity declarations, or with too many
    cells, reading at most `max_uncompressed` bytes and never building the workbook."""
    too_big = size_problem(len(data), max_bytes)
    if too_big:
        raise WorkbookRefused(too_big)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise _not_a_workbook()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > max_uncompressed:
            raise WorkbookRefused(_("The workbook unpacks to %(size)s MB, over the limit of %(limit)s MB; a form or "
                                    "an import file is far smaller. Remove what it does not need (pictures, other "
                                    "sheets, long texts)") % {"size": _mb(unpacked), "limit": _mb(max_uncompressed)})
        cells = 0
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                cells = _scan(zf, info, max_cells, cells)
    except WorkbookRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, RuntimeError,
            ValueError) as exc:
        raise _not_a_workbook() from exc


def workbook_load(data: bytes, *, max_bytes: int, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS,
                  max_uncompressed: int = MAX_UNCOMPRESSED_BYTES, max_cells: int = MAX_CELLS) -> Workbook:
    """An uploaded workbook, checked (workbook_check) before it is parsed and its sheets' sizes after: a sheet
    reaching past `max_rows` rows or `max_columns` columns is refused, so no reader loops to row 1,048,576."""
    workbook_check(data, max_bytes=max_bytes, max_uncompressed=max_uncompressed, max_cells=max_cells)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file (KeyError, TypeError, …)
        raise _not_a_workbook() from exc
    for ws in wb.worksheets:
        if ws.max_row > max_rows or ws.max_column > max_columns:
            raise WorkbookRefused(_("Sheet \"%(sheet)s\" reaches row %(rows)s and column %(cols)s, over the limit of "
                                    "%(max_rows)s rows and %(max_cols)s columns; delete the cells below or to the "
                                    "right of the data") % {
                "sheet": ws.title, "rows": format_number(ws.max_row, 0), "cols": format_number(ws.max_column, 0),
                "max_rows": format_number(max_rows, 0), "max_cols": format_number(max_columns, 0)})
    return wb


def _neutralise(cell) -> None:
    text = cell.value
    if not isinstance(text, str):  # an ArrayFormula or other formula object: keep its text, inert
        text = getattr(text, "text", None) or str(text)
    cell.value = text
    cell.data_type = "s"
    cell.quotePrefix = True  # Excel keeps it text when someone edits the cell


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with every cell whose text would be a formula written as text. The product
    writes no formulas of its own, so any formula here came from someone's text."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # the cells that exist; iter_rows would create the empty ones
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and value[:1] in _FORMULA_START):
                _neutralise(cell)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def text_cell(ws, row: int, col: int, value) -> object:
    """Write `value` as text (a string starting with "=" stays a string)."""
    cell = ws.cell(row, col)
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    if cell.value[:1] in _FORMULA_START:
        cell.quotePrefix = True
    return cell


def csv_text(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ (or a tab or carriage return)
    gets a leading apostrophe (OWASP's advice); numbers and figures we formatted are left alone."""
    if isinstance(value, str) and value[:1] in _FORMULA_START and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_error_text(exc: csv.Error, line: int | None = None) -> str:
    """A CSV reader's error in words: the English of the csv module ("field larger than field limit (131072)")
    means nothing to an official."""
    where = _("Line %(line)s: ") % {"line": format_number(line, 0)} if line else ""
    if "field limit" in str(exc):
        return where + _("a cell is longer than %(n)s characters; a figure or a code is far shorter") % {
            "n": format_number(csv.field_size_limit(), 0)}
    return where + _("the line cannot be read as CSV (a quotation mark without its pair, or a stray character)")
