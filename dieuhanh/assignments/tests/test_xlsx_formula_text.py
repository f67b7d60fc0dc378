# ruff: noqa: F811 (the shared fixtures are imported, then asked for by name)
"""A task whose text starts like a formula is exported as text: the export never carries a live formula."""

import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from dieuhanh.assignments.models import Task
from dieuhanh.assignments.tests.test_xlsx import (  # noqa: F401 (fixtures)
    chairman,
    english,
    logged_office,
    sheet,
    task_row,
    upload,
)
from dieuhanh.assignments.xlsx import EXPORT_HEADER_ROW

EVIL = "=cmd|' /C calc'!A0"


def test_it_exports_formula_like_task_text_as_text(logged_office, chairman):
    # The import refuses formula-like cells, so the text arrives as a person would type it on the task's page.
    assert upload(logged_office, sheet(task_row()), chairman).status_code == 302
    Task.objects.update(title=EVIL)
    response = logged_office.get(reverse("assignments:export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws.cell(EXPORT_HEADER_ROW + 1, 2)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (EVIL, "s", True)
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
