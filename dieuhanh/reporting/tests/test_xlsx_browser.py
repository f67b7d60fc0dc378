"""XLSX upload and CSV import through a real browser: the entry page's file actions and the import page."""

import io

import pytest
from openpyxl import load_workbook

from dieuhanh.indicators.models import DataValue
from dieuhanh.reporting.selectors import entry_or_404
from dieuhanh.reporting.xlsx import form_workbook
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_uploads_a_workbook_from_the_entry_page(browser_page, live_server, monthly_form, reporter_a,  # noqa: F811
                                                   tmp_path):
    page = browser_page
    entry = entry_or_404(reporter_a, monthly_form.pk, "XA-A", "202603")
    wb = load_workbook(io.BytesIO(form_workbook(entry, blank=True)))
    ws = wb.worksheets[0]
    ws["F10"] = "abc"
    bad = tmp_path / "sai.xlsx"
    wb.save(bad)
    log_in(page, live_server, "reporter_a")
    page.goto(f"{live_server.url}/reporting/forms/{monthly_form.pk}/XA-A/202603/")
    screenshot(page, "entry_file_actions")
    page.set_input_files("#xlsx-file", str(bad))
    page.click(".file-actions button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "sai.xlsx" in page.content() and "F10" in page.content()
    screenshot(page, "xlsx_upload_errors")
    assert DataValue.objects.count() == 0
    ws["F10"] = 1762.38
    good = tmp_path / "dung.xlsx"
    wb.save(good)
    page.set_input_files("#xlsx-file", str(good))
    page.click(".file-actions button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "dung.xlsx" in page.content()
    assert DataValue.objects.count() == 1
    screenshot(page, "xlsx_upload_saved")


def test_it_imports_a_csv_on_the_import_page(browser_page, live_server, monthly_form, reporter_a,  # noqa: F811
                                            tmp_path):
    page = browser_page
    bad = tmp_path / "sai.csv"
    bad.write_text("form,unit,period,indicator,kind,value\n01/BC-VT,XA-A,202603,DT_VT,actual,abc\n"
                   "01/BC-VT,XA-B,202603,DT_VT,actual,1\n", encoding="utf-8")
    log_in(page, live_server, "reporter_a")
    page.goto(f"{live_server.url}/reporting/import/")
    page.set_input_files("#csv-file", str(bad))
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_load_state("networkidle")
    assert "sai.csv" in page.content() and page.locator("ul.errors li").count() == 2
    screenshot(page, "csv_import_errors")
    assert DataValue.objects.count() == 0
