"""Hostile workbooks are refused before they are parsed, with memory bounded; text never leaves as a formula."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from dieuhanh.lib.xlsx import (
    WorkbookRefused,
    csv_text,
    text_cell,
    workbook_bytes,
    workbook_check,
    workbook_load,
)

LIMIT = 5 * 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def plain_workbook(**cells) -> bytes:
    wb = Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The workbook with some parts replaced or added, compressed as Excel does."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def refused(data: bytes, **limits) -> str:
    with pytest.raises(WorkbookRefused) as caught:
        workbook_load(data, max_bytes=LIMIT, **limits)
    return str(caught.value)


def test_it_reads_an_ordinary_workbook():
    wb = workbook_load(plain_workbook(A1="Doanh thu", B2=1762.38), max_bytes=LIMIT)
    assert wb.active["A1"].value == "Doanh thu" and wb.active["B2"].value == 1762.38


def test_it_refuses_a_zip_bomb_before_inflating_it():
    # 200 MB of one repeated string compresses to ~200 kB: under the 5 MB upload limit, far over what it unpacks to.
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + \
        b"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + b"A" * (200 * 1024 * 1024) + b"</t></is></c></row>" + \
        b"</sheetData></worksheet>"
    bomb = rezip(plain_workbook(A1="x"), replace={"xl/worksheets/sheet1.xml": sheet})
    del sheet
    assert len(bomb) < LIMIT
    tracemalloc.start()
    try:
        message = refused(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "unpacks to 200,0 MB, over the limit of 30,0 MB" in message
    assert peak < 20 * 1024 * 1024, peak  # it read the sizes, not the text


def test_it_refuses_a_size_the_zip_header_lies_about():
    # The central directory claims a small sheet; zipfile stops at the claimed size and the CRC fails.
    data = plain_workbook(A1="x")
    raw = bytearray(data)
    src = zipfile.ZipFile(io.BytesIO(data))
    info = src.getinfo("xl/worksheets/sheet1.xml")
    central = raw.rfind(b"PK\x01\x02", 0, len(raw))
    while central != -1:
        name_len = int.from_bytes(raw[central + 28:central + 30], "little")
        if raw[central + 46:central + 46 + name_len] == info.filename.encode():
            raw[central + 24:central + 28] = (10).to_bytes(4, "little")  # uncompressed size
            break
        central = raw.rfind(b"PK\x01\x02", 0, central)
    assert "not an Excel workbook" in refused(bytes(raw))


def test_it_refuses_entity_declarations():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              b"<si><t>&lol2;</t></si></sst>")
    data = rezip(plain_workbook(A1="x"), add={"xl/sharedStrings.xml": laughs})
    assert "DOCTYPE or ENTITY" in refused(data)


def test_it_refuses_a_cell_at_the_last_row_without_looping_to_it():
    data = plain_workbook(A1="x", A1048576="far")
    assert len(data) < 10_000
    message = refused(data)
    assert 'Sheet "Sheet" reaches row 1.048.576 and column 1, over the limit of 20.000 rows' in message


def test_it_refuses_too_many_cells_before_parsing():
    wb = Workbook()
    for _row in range(300):
        wb.active.append(list(range(20)))
    out = io.BytesIO()
    wb.save(out)
    assert "more than 5.000 cells" in refused(out.getvalue(), max_cells=5_000)
    assert workbook_load(out.getvalue(), max_bytes=LIMIT, max_cells=6_000).active.max_row == 300


def test_it_refuses_what_is_not_a_zip_and_what_is_too_big():
    assert "not an Excel workbook" in refused(b"form,unit\n1,2\n")
    with pytest.raises(WorkbookRefused, match="over the limit of 0,0 MB"):
        workbook_check(plain_workbook(A1="x"), max_bytes=10)


def test_it_writes_formula_text_as_text():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=HYPERLINK(\"http://evil\",\"x\")"
    ws["A2"] = "+cmd|' /C calc'!A0"
    ws["A3"] = "@SUM(1+1)"
    ws["A4"] = "Doanh thu"
    ws["A5"] = -12.5
    text_cell(ws, 6, 1, "=1+1")
    back = load_workbook(io.BytesIO(workbook_bytes(wb))).active
    for r in (1, 2, 3, 6):
        assert back.cell(r, 1).data_type == "s", r
        assert back.cell(r, 1).quotePrefix, r
    assert back["A1"].value == "=HYPERLINK(\"http://evil\",\"x\")"
    assert back["A4"].value == "Doanh thu" and not back["A4"].quotePrefix
    assert back["A5"].value == -12.5 and back["A5"].data_type == "n"
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(wb))) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")


def test_it_prefixes_csv_text_that_a_spreadsheet_would_run():
    out = io.StringIO()
    cells = ["=1+1", "+A1", "+1", "-A1", "@x", "\t=1", "-1.234,5", "12,5%", "Xã A", 17, None]
    csv.writer(out).writerow([csv_text(v) for v in cells])
    assert out.getvalue().strip() == "'=1+1,'+A1,+1,'-A1,'@x,'\t=1,\"-1.234,5\",\"12,5%\",Xã A,17,"
