"""Dates in an English browser: Chromium with locale en-US would show its own date input as mm/dd/yyyy with
English month names; ours are text fields typed and shown dd/mm/yyyy with a Vietnamese calendar, and the file
input's button is ours ("Chọn tệp…"), not the browser's "Choose File"."""

import datetime

import pytest
from django.urls import reverse

from dieuhanh.assignments.models import Document
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_page(browser_page):  # noqa: F811
    context = browser_page.context.browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    assert page.evaluate("navigator.language") == "en-US"
    yield page
    context.close()


def test_a_date_typed_dd_mm_yyyy_in_an_english_browser_is_saved_and_shown_so(english_page, live_server, office,
                                                                               province):
    page = english_page
    log_in(page, live_server, "office")
    page.goto(live_server.url + reverse("assignments:document_create"))
    date_input = page.locator("#id_issued_on")
    assert date_input.get_attribute("type") == "text"
    assert date_input.get_attribute("placeholder") == "dd/mm/yyyy"

    # The calendar speaks Vietnamese and starts its weeks on Monday.
    date_input.click()
    calendar = page.locator(".flatpickr-calendar.open")
    assert calendar.is_visible()
    assert calendar.locator(".flatpickr-weekday").first.inner_text().strip() == "T2"
    assert "Tháng" in calendar.locator(".flatpickr-monthDropdown-months option").first.inner_text()
    page.keyboard.press("Escape")

    # The file input's visible button and its "no file" text are the page's.
    picker = page.locator("#id_attachment").locator("xpath=..")
    assert picker.locator("label").inner_text().strip() == "Chọn tệp…"
    assert picker.locator(".file-pick-name").inner_text().strip() == "Chưa chọn tệp"
    assert "Choose" not in page.locator("#document-form").inner_text()

    page.fill("#id_number", "1789/QĐ-UBND")
    date_input.fill("")
    date_input.type("31/02/2026")  # no such day: refused with what to type, the text kept
    page.fill("#id_summary", "Quyết định ban hành Kế hoạch chuyển đổi số năm 2026")
    with page.expect_navigation():
        page.click("#save-document")
    assert "Nhập ngày theo dạng 31/12/2026." in page.locator("#id_issued_on-error").inner_text()
    assert page.locator("#id_issued_on").input_value() == "31/02/2026"
    assert not Document.objects.exists()

    page.locator("#id_issued_on").fill("")
    page.locator("#id_issued_on").type("05/03/2026")  # 5 March, not May 3rd as an en-US browser would read it
    page.keyboard.press("Escape")
    page.set_input_files("#id_attachment", files=[{"name": "qd-1789.pdf", "mimeType": "application/pdf",
                                                   "buffer": b"%PDF-1.4 quyet dinh"}])
    assert page.locator(".file-pick-name").inner_text() == "qd-1789.pdf"
    screenshot(page, "dates-english-browser-form")
    with page.expect_navigation():
        page.click("#save-document")
    document = Document.objects.get(number="1789/QĐ-UBND")
    assert document.issued_on == datetime.date(2026, 3, 5)
    assert page.locator("h1").inner_text() == "Số: 1789/QĐ-UBND"
    assert "05/03/2026" in page.locator("main").inner_text()

    # A filter shows the date as typed back, dd/mm/yyyy, also when a link brought it in ISO.
    page.goto(live_server.url + reverse("assignments:task_list") + "?deadline_from=2026-01-01")
    assert page.locator("#id_deadline_from").input_value() == "01/01/2026"
    page.locator("#id_deadline_to").type("31/12/2026")
    page.keyboard.press("Escape")
    page.click("#task-filters button[type=submit]")  # the list is fetched by HTMX and the address follows
    page.wait_for_url("**deadline_to=31%2F12%2F2026**")
    page.reload()
    assert page.locator("#id_deadline_to").input_value() == "31/12/2026"
    screenshot(page, "dates-english-browser-filter")

    # An import sent without its file: the browser stops it, in Vietnamese rather than "Please select a file."
    page.goto(live_server.url + reverse("assignments:import"))
    assert page.locator("label[for=xlsx-file].btn").inner_text().strip() == "Chọn tệp…"
    page.click("#import-form button[type=submit]")
    assert page.eval_on_selector("#xlsx-file", "e => e.validationMessage") == "Hãy chọn một tệp."
    assert page.url.endswith(reverse("assignments:import"))
