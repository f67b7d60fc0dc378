"""XLSX download and upload of a form: layout, round trips, and every refused file saving nothing."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from dieuhanh.indicators.models import DataValue, ValueHistory
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_save_values, submission_submit

PERIOD = "202603"


@pytest.fixture(autouse=True)
def english(client):
    # Assertions are on the English msgids; the Vietnamese catalogue arrives later.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    with translation.override("en"):
        yield


def url(name, form, unit="XA-A", period=PERIOD):
    return reverse(f"reporting:{name}", args=[form.pk, unit, period])


def download(client, form, blank=False, unit="XA-A"):
    response = client.get(url("xlsx_download", form, unit) + ("?blank=1" if blank else ""))
    assert response.status_code == 200
    return response


def upload(client, form, data: bytes, name="form.xlsx", unit="XA-A", period=PERIOD):
    return client.post(url("xlsx_upload", form, unit, period), {"file": _named(data, name)})


def _named(data, name):
    f = io.BytesIO(data)
    f.name = name
    return f


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counts():
    return DataValue.objects.count(), ValueHistory.objects.count()


def row_of(ws, code):
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 8).value == code:
            return r
    raise AssertionError(code)


@pytest.fixture
def filled(monthly_form, commune_a, revenue, mobile_revenue, subscribers, reporter_a, admin_user):
    submission_save_values(  # the province sets the target
        form=monthly_form, orgunit=commune_a, period=PERIOD, user=admin_user, channel="web",
        values=[ValueInput(revenue, "target", Decimal("2000"))],
    )
    submission_save_values(
        form=monthly_form, orgunit=commune_a, period=PERIOD, user=reporter_a, channel="web",
        values=[ValueInput(revenue, "actual", Decimal("1762.38")),
                ValueInput(mobile_revenue, "actual", Decimal("900.5")),
                ValueInput(subscribers, "actual", Decimal("125000"))],
    )
    return monthly_form


def test_it_lays_out_the_form_as_officials_do(client, filled, reporter_a):
    client.force_login(reporter_a)
    response = download(client, filled)
    assert response["Content-Disposition"] == 'attachment; filename="01-BC-VT_XA-A_202603.xlsx"'
    ws = workbook(response.content).worksheets[0]
    assert ws["A1"].value == "XÃ HƯNG ĐIỀN"
    assert ws["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["D2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert ws["A2"].value == "Form 01/BC-VT"
    assert ws["A4"].value == "BÁO CÁO TÌNH HÌNH VIỄN THÔNG"
    assert ws["A5"].value == "Reporting unit: Xã Hưng Điền"
    assert ws["A6"].value == "Reporting period: Month 3/2026"
    assert [c.value for c in ws[8][:7]] == ["No.", "Indicator", "Unit of measure", "Target", "Estimate", "Actual",
                                             "Note"]
    assert (ws["A9"].value, ws["B9"].value, ws["A9"].font.b) == ("I", "Doanh thu", True)
    assert (ws["A10"].value, ws["B10"].value, ws["C10"].value) == (1, "Doanh thu viễn thông", "tỷ đồng")
    assert ws["F10"].value == pytest.approx(1762.38) and ws["F10"].number_format == "#,##0.00"
    assert ws["D10"].value == 2000
    assert (ws["A12"].value, ws["B12"].value) == ("II", "Thuê bao")
    assert ws["F13"].value == 125000 and ws["F13"].number_format == "#,##0"
    # Subscribers take only the actual: target and estimate are grey and locked; inputs are unlocked.
    assert ws["D13"].fill.fgColor.rgb.endswith("D9D9D9") and ws["D13"].protection.locked
    assert not ws["F13"].protection.locked and ws.protection.sheet
    assert ws.column_dimensions["H"].hidden and ws["H10"].value == "DT_VT"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    ids = workbook(response.content)["_dieuhanh"]
    assert ids.sheet_state == "hidden"
    assert [ids.cell(i, 2).value for i in range(1, 5)] == [filled.pk, "01/BC-VT", "XA-A", PERIOD]


def test_it_downloads_a_blank_form(client, filled, leader):
    client.force_login(leader)  # any reading role may download
    response = download(client, filled, blank=True)
    assert "_blank.xlsx" in response["Content-Disposition"]
    ws = workbook(response.content).worksheets[0]
    assert ws["F10"].value is None and ws["E10"].value is None
    # The province's target is not the unit's to fill: it stays in, locked, for those who may not change it.
    assert ws["D10"].value == 2000 and ws["D10"].protection.locked


def test_it_changes_nothing_when_the_filled_form_comes_back_unchanged(client, filled, reporter_a):
    client.force_login(reporter_a)
    before = counts()
    version = Submission.objects.get().version
    response = upload(client, filled, download(client, filled).content)
    assert response.status_code == 302
    assert response["Location"] == url("entry", filled)
    assert counts() == before
    assert Submission.objects.get().version == version + 1


def test_it_saves_a_filled_in_blank_form_with_history(client, monthly_form, reporter_a, revenue, subscribers):
    client.force_login(reporter_a)
    wb = workbook(download(client, monthly_form, blank=True).content)
    ws = wb.worksheets[0]
    ws.cell(row_of(ws, "DT_VT"), 6).value = "1.762,38"  # Vietnamese style text
    ws.cell(row_of(ws, "DT_VT"), 5).value = 2000.5  # a real number
    ws.cell(row_of(ws, "TB_DD"), 6).value = "125000"
    ws.cell(row_of(ws, "TB_DD"), 7).value = "gồm trả trước"
    response = upload(client, monthly_form, save(wb), name="xa-a.xlsx")
    assert response.status_code == 302
    values = {(v.indicator.code, v.kind): v.value for v in DataValue.objects.select_related("indicator")}
    assert values == {("DT_VT", "actual"): Decimal("1762.38"), ("DT_VT", "estimate"): Decimal("2000.5"),
                      ("TB_DD", "actual"): Decimal("125000")}
    assert set(ValueHistory.objects.values_list("channel", flat=True)) == {"xlsx"}
    assert ValueHistory.objects.count() == 3
    assert DataValue.objects.get(indicator=subscribers).comment == "gồm trả trước"
    msgs = [str(m) for m in response.wsgi_request._messages]
    assert msgs == ["Saved 3 values from file xa-a.xlsx"]


def refused(client, form, data, *expected, name="form.xlsx", unit="XA-A", period=PERIOD):
    before = counts()
    response = upload(client, form, data, name=name, unit=unit, period=period)
    assert response.status_code == 400
    errors = response.context["errors"]
    for text in expected:
        assert any(text in e for e in errors), (text, errors)
    assert counts() == before
    assert name in response.content.decode()
    return errors


@pytest.fixture
def sheet(client, filled, reporter_a):
    client.force_login(reporter_a)
    wb = workbook(download(client, filled).content)
    return wb, wb.worksheets[0]


def test_it_refuses_text_in_a_number_cell(client, filled, sheet):
    wb, ws = sheet
    r = row_of(ws, "DT_VT")
    ws.cell(r, 5).value = "abc"
    ws.cell(row_of(ws, "DT_DD"), 6).value = "1.762"  # ambiguous: parse_number's reason is kept
    errors = refused(client, filled, save(wb), f"Cell E{r}: 'abc' is not a number", "'1.762' is ambiguous")
    assert len(errors) == 2


def test_it_refuses_formulas(client, filled, sheet):
    wb, ws = sheet
    r = row_of(ws, "DT_VT")
    ws.cell(r, 6).value = "=SUM(F11:F11)"
    refused(client, filled, save(wb), f"Cell F{r} holds a formula (=SUM(F11:F11)); enter the value")


def test_it_refuses_values_out_of_range_and_fractions_of_whole_numbers(client, filled, sheet):
    wb, ws = sheet
    ws.cell(row_of(ws, "DT_VT"), 6).value = -5
    ws.cell(row_of(ws, "TB_DD"), 6).value = 12.5
    refused(client, filled, save(wb), f"Cell F{row_of(ws, 'DT_VT')}: -5 is below the minimum 0",
            f"Cell F{row_of(ws, 'TB_DD')}: '12.5' is not a whole number")


def test_it_refuses_a_figure_in_a_cell_the_row_does_not_ask_for(client, filled, sheet):
    wb, ws = sheet
    r = row_of(ws, "TB_DD")
    ws.cell(r, 4).value = 5
    refused(client, filled, save(wb), f"Cell D{r}: TB_DD takes no target")


def test_it_refuses_duplicated_and_unknown_rows(client, filled, sheet):
    wb, ws = sheet
    r = row_of(ws, "DT_VT")
    last = ws.max_row + 1
    for col in range(1, 9):
        ws.cell(last, col).value = ws.cell(r, col).value
    ws.cell(last + 1, 8).value = "NOPE"
    ws.cell(last + 1, 6).value = 1
    ws.cell(last + 2, 6).value = 7  # a figure on a row that is not the form's
    refused(client, filled, save(wb), f"Row {last} repeats the row of DT_VT (row {r})",
            f"Row {last + 1}: indicator NOPE is not on form 01/BC-VT", f"Row {last + 2} is not a row of the form")


def test_it_refuses_a_sum_rule_breach_from_the_service(client, filled, sheet):
    wb, ws = sheet
    ws.cell(row_of(ws, "DT_DD"), 6).value = 5000  # more than the total 1762.38
    refused(client, filled, save(wb), "more than the total")


def test_it_refuses_another_units_or_periods_file(client, filled, sheet, reporter_a, approver_a):
    wb, _ws = sheet
    data = save(wb)
    refused(client, filled, data, "This file is for period 202603, not 202604 (Month 4/2026)", period="202604")
    wb["_dieuhanh"]["B3"] = "XA-B"
    refused(client, filled, save(wb), "This file is for unit XA-B, not XA-A (Xã Hưng Điền)")
    wb["_dieuhanh"]["B2"] = "02/BC-XX"
    refused(client, filled, save(wb), "This file is for form 02/BC-XX, not form 01/BC-VT")
    del wb["_dieuhanh"]
    refused(client, filled, save(wb), "identity sheet is missing")


def test_it_refuses_a_file_that_is_not_a_workbook(client, filled, reporter_a):
    client.force_login(reporter_a)
    refused(client, filled, b"form,unit\n1,2\n", "not an Excel workbook", name="values.csv")
    empty = Workbook()
    refused(client, filled, save(empty), "identity sheet is missing")


def test_it_refuses_a_file_over_the_limit(client, filled, reporter_a, settings):
    client.force_login(reporter_a)
    settings.UPLOAD_MAX_BYTES = 1000
    errors = refused(client, filled, b"x" * 2000, "over the limit of")
    assert len(errors) == 1


def test_it_refuses_a_locked_report(client, filled, sheet, reporter_a):
    wb, ws = sheet
    submission_submit(submission=Submission.objects.get(), user=reporter_a)
    ws.cell(row_of(ws, "DT_VT"), 6).value = 1
    refused(client, filled, save(wb), "locked")


def test_it_hides_other_units_and_needs_the_reporter_role(client, filled, reporter_b, leader, outsider):
    client.force_login(reporter_b)
    data = download(client, filled, unit="XA-B").content
    assert client.get(url("xlsx_download", filled, "XA-A")).status_code == 404
    before = counts()
    assert upload(client, filled, data).status_code == 404
    client.force_login(leader)  # may read, may not enter
    assert upload(client, filled, data).status_code == 404
    client.force_login(outsider)
    assert client.get(url("xlsx_download", filled, "XA-A")).status_code == 404
    assert counts() == before


def test_it_shows_the_file_actions_only_to_those_who_may_use_them(filled, reporter_a, leader):
    from django.template.loader import render_to_string

    from dieuhanh.reporting.selectors import entry_or_404

    html = render_to_string("reporting/_file_actions.html", {"entry": entry_or_404(reporter_a, filled.pk, "XA-A",
                                                                                   PERIOD)})
    assert url("xlsx_upload", filled) in html and "?blank=1" in html
    html = render_to_string("reporting/_file_actions.html", {"entry": entry_or_404(leader, filled.pk, "XA-A", PERIOD)})
    assert url("xlsx_upload", filled) not in html and url("xlsx_download", filled) in html
