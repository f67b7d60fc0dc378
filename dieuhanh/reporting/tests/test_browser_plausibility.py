"""In a real browser: a figure far from the unit's history is saved but flagged, submitting asks for confirmation
and is refused until the flagged cell has a note, and the approver sees the flag and the note."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.indicators.models import Channel, DataValue, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.reporting.models import Submission
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MONTHS = ["202503", "202504", "202505", "202506", "202507", "202508", "202509", "202510", "202511", "202512",
          "202601", "202602"]


@pytest.fixture
def history(commune_a, reporter_a, revenue, mobile_revenue, subscribers):
    """A year of commune A's reports: 61 subscribers every month, revenue near 1.700 tỷ đồng."""
    for i, month in enumerate(MONTHS):
        datavalues_save(state=ValueState.APPROVED, orgunit=commune_a, period=month, user=reporter_a,
                        channel=Channel.WEB, values=[
                            ValueInput(revenue, "actual", Decimal(1650 + 10 * i)),
                            ValueInput(mobile_revenue, "actual", Decimal(700 + 5 * i)),
                            ValueInput(subscribers, "actual", Decimal(61))])


def test_a_flagged_figure_needs_a_note_and_a_confirmation(browser_page, live_server, history, monthly_form,  # noqa: F811
                                                         commune_a, approver_a, revenue, mobile_revenue,
                                                         subscribers):
    page = browser_page
    url = live_server.url + reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"])
    log_in(page, live_server, "reporter_a")
    page.goto(url)
    cell = f"#v-{subscribers.pk}-actual"
    note = f"#c-{subscribers.pk}-actual"
    page.fill(f"#v-{revenue.pk}-actual", "1.780,5")
    page.fill(f"#v-{mobile_revenue.pk}-actual", "760")
    page.fill(cell, "2.060")
    with page.expect_navigation():
        page.click("button[value=save]")
    assert DataValue.objects.get(period="202603", indicator=subscribers).value == 2060  # saved, not refused
    flag = page.locator(f"#v-{subscribers.pk}-actual-flag")
    assert flag.is_visible()
    assert "gấp 33,8 lần kỳ trước (Tháng 2/2026: 61)" in flag.inner_text()
    assert "is-flagged" in page.locator(cell).get_attribute("class")
    assert page.locator(note).is_visible()
    assert page.locator(f"#v-{revenue.pk}-actual-flag").count() == 0  # an ordinary month is not flagged
    assert "1 số liệu khác xa" in page.locator("#plausibility-note").inner_text()
    page.locator(cell).scroll_into_view_if_needed()
    screenshot(page, "entry-plausibility-1366")

    # Submitting asks first, in the page's own words, and lists the flagged cell.
    page.click("#submit-open")
    modal = page.locator("#submit-modal")
    modal.wait_for(state="visible")
    assert "Nộp báo cáo này?" in modal.inner_text()
    assert "Thuê bao di động (Thực hiện): gấp 33,8 lần kỳ trước" in modal.inner_text()
    page.wait_for_timeout(400)  # the modal's fade-in
    screenshot(page, "entry-submit-confirm-1366")
    with page.expect_navigation():
        page.click("#submit-confirm")
    # No note yet: refused, saying which cell and what to do; nothing moved.
    alert = page.locator("#entry-alerts")
    assert "nếu đúng, ghi rõ lý do vào ghi chú của ô" in alert.inner_text()
    assert "Thuê bao di động (Thực hiện): gấp 33,8 lần kỳ trước" in alert.inner_text()
    assert Submission.objects.get(period="202603").status == "draft"
    screenshot(page, "entry-plausibility-refused-1366")

    page.fill(note, "Sáp nhập 33 xã từ 01/3/2026, số thuê bao cộng dồn")
    page.click("#submit-open")
    modal.wait_for(state="visible")
    with page.expect_navigation():
        page.click("#submit-confirm")
    assert Submission.objects.get(period="202603").status == "submitted"
    assert DataValue.objects.get(period="202603", indicator=subscribers).comment.startswith("Sáp nhập 33 xã")

    # The approver sees the flagged cell, why, and the reporter's note.
    log_in(page, live_server, "approver_a")
    page.goto(url)
    assert "gấp 33,8 lần kỳ trước" in page.locator(f"#v-{subscribers.pk}-actual-flag").inner_text()
    assert "Sáp nhập 33 xã" in page.locator("td.cell-flagged .flag-note-text").inner_text()
    page.locator(cell).scroll_into_view_if_needed()
    screenshot(page, "entry-plausibility-approver-1366")


def test_the_flag_and_the_confirmation_fit_a_phone(browser_page, live_server, history, monthly_form,  # noqa: F811
                                                   commune_a, reporter_a, subscribers):
    from dieuhanh.reporting.services import submission_save_values

    submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a,
                           channel=Channel.WEB, values=[ValueInput(subscribers, "actual", Decimal(2060))])
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server, "reporter_a")
    page.goto(live_server.url + reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"]))
    note = page.locator(f"#c-{subscribers.pk}-actual")
    note.scroll_into_view_if_needed()
    assert note.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the table scrolls, not the page
    screenshot(page, "entry-plausibility-360")
    page.click("#submit-open")
    page.locator("#submit-modal").wait_for(state="visible")
    page.wait_for_timeout(400)
    box = page.locator("#submit-modal .modal-dialog").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.locator("#submit-confirm").is_visible()
    screenshot(page, "entry-submit-confirm-360")
