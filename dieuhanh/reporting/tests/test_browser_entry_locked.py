"""The entry page once figures are locked, and the history modal when its request fails, in a real browser."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import submission_save_values
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entry_url(live_server, monthly_form, commune_a, reporter_a, revenue, subscribers):
    submission_save_values(
        form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a, channel=Channel.WEB,
        values=[ValueInput(revenue, "actual", Decimal("1762.38")), ValueInput(subscribers, "actual", Decimal("9"))],
    )
    return live_server.url + reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"])


def test_a_submitted_report_offers_the_download_but_no_upload(browser_page, live_server, entry_url,  # noqa: F811
                                                              reporter_a):
    page = browser_page
    log_in(page, live_server, "reporter_a")
    page.goto(entry_url)
    assert page.locator("#xlsx-file").is_visible()  # a draft can be replaced from a file
    page.click("#submit-open")  # submitting is confirmed first
    with page.expect_navigation():
        page.click("#submit-confirm")
    assert page.locator("#locked-note").is_visible()
    assert page.locator("#xlsx-file").count() == 0
    assert page.locator(".file-actions a[href*='/xlsx/']").count() == 2  # blank and filled downloads stay
    screenshot(page, "entry-submitted")


def test_the_history_modal_says_so_when_its_request_fails(browser_page, live_server, entry_url, revenue):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "reporter_a")
    page.goto(entry_url)
    history = f"td:has(#v-{revenue.pk}-actual) a.history-link"

    page.route("**/history/**", lambda route: route.fulfill(status=500, body="Server Error"))
    page.click(history)
    failed = page.locator("#history-body .alert-danger")
    failed.wait_for()
    assert "Đang tải" not in page.locator("#history-body").inner_text()
    assert "không tải được" in failed.inner_text().lower()
    page.click("#history-modal .btn-close")
    page.locator("#history-modal").wait_for(state="hidden")

    page.unroute("**/history/**")
    page.route("**/history/**", lambda route: route.abort())  # the network is down: no response at all
    page.click(history)
    page.locator("#history-body .alert-danger").wait_for()
    page.click("#history-modal .btn-close")
    page.locator("#history-modal").wait_for(state="hidden")

    page.unroute("**/history/**")
    page.click(history)  # once the server answers again, the error gives way to the history
    page.locator("#cell-history").wait_for()
    assert page.locator("#history-body .alert-danger").count() == 0
    assert "1.762,38" in page.locator("#cell-history").inner_text()
