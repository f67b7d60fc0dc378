# ruff: noqa: F811 (the shared fixtures are imported, then asked for by name)
"""A workbook downloaded before someone else saved: the cells they changed are never silently undone by the file's
older figures; changes on different cells merge."""

from decimal import Decimal

from dieuhanh.indicators.models import DataValue, ValueHistory
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
    upload,
    workbook,
)


def stored(indicator, kind="actual"):
    return DataValue.objects.get(indicator=indicator, kind=kind).value


def colleague_saves(form, unit, user, indicator, value):
    submission_save_values(form=form, orgunit=unit, period=PERIOD, user=user, channel="web",
                           values=[ValueInput(indicator, "actual", Decimal(value))])


def test_an_untouched_stale_cell_does_not_undo_a_newer_figure(client, filled, commune_a, reporter_a, approver_a,
                                                              revenue):
    client.force_login(reporter_a)
    wb = workbook(download(client, filled).content)  # DT_VT actual 1762.38 at download
    colleague_saves(filled, commune_a, reporter_a, revenue, "1800")  # someone saves a newer figure
    version = Submission.objects.get().version
    history = ValueHistory.objects.count()
    ws = wb.worksheets[0]
    r = row_of(ws, "DT_VT")
    errors = refused(client, filled, save(wb), "after this file was downloaded",
                     f"Cell F{r} (DT_VT, actual): changed to 1.800 since this file was downloaded (it was 1.762,38); "
                     "the file says 1.762,38")
    assert len(errors) == 2
    assert stored(revenue) == Decimal("1800")
    assert Submission.objects.get().version == version and ValueHistory.objects.count() == history


def test_changes_on_other_cells_merge(client, filled, commune_a, reporter_a, revenue, subscribers):
    client.force_login(reporter_a)
    wb = workbook(download(client, filled).content)
    colleague_saves(filled, commune_a, reporter_a, revenue, "1800")
    ws = wb.worksheets[0]
    ws.cell(row_of(ws, "TB_DD"), 6).value = 130000  # the file changes another cell
    ws.cell(row_of(ws, "DT_VT"), 6).value = 1800  # and agrees with the colleague on this one
    response = upload(client, filled, save(wb))
    assert response.status_code == 302
    assert stored(revenue) == Decimal("1800") and stored(subscribers) == Decimal("130000")


def test_a_blank_file_downloaded_before_the_colleagues_save_is_refused_too(client, filled, commune_a, reporter_a,
                                                                           revenue):
    client.force_login(reporter_a)
    wb = workbook(download(client, filled, blank=True).content)
    colleague_saves(filled, commune_a, reporter_a, revenue, "1800")
    ws = wb.worksheets[0]
    ws.cell(row_of(ws, "DT_VT"), 6).value = 1900
    refused(client, filled, save(wb), "changed to 1.800 since this file was downloaded (it was 1.762,38); the file "
                                      "says 1.900")
    assert stored(revenue) == Decimal("1800")


def test_a_fresh_file_saves_as_before(client, filled, reporter_a, revenue):
    client.force_login(reporter_a)
    wb = workbook(download(client, filled).content)
    ws = wb.worksheets[0]
    ws.cell(row_of(ws, "DT_VT"), 6).value = 1900
    assert upload(client, filled, save(wb)).status_code == 302
    assert stored(revenue) == Decimal("1900")
