"""A reporter fills a form in a real browser: a bad cell is named under the cell, fixed, saved and submitted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.indicators.models import Channel, DataValue, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.reporting.models import Submission
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_enters_fixes_saves_and_submits(browser_page, live_server, monthly_form, commune_a, reporter_a,  # noqa: F811
                                          revenue, mobile_revenue, subscribers):
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period="202602", user=reporter_a, channel=Channel.XLSX, values=[
        ValueInput(revenue, "actual", Decimal("1650.4")), ValueInput(mobile_revenue, "actual", Decimal("702.1")),
        ValueInput(subscribers, "actual", Decimal("182345")),
    ])
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period="202503", user=reporter_a, channel=Channel.XLSX, values=[
        ValueInput(revenue, "estimate", Decimal("1480")), ValueInput(subscribers, "actual", Decimal("175002")),
    ])
    page = browser_page
    log_in(page, live_server, "reporter_a")
    page.goto(live_server.url + reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"]))
    assert "Tháng 3/2026" in page.content()

    revenue_actual = page.locator(f"#v-{revenue.pk}-actual")
    subscribers_actual = page.locator(f"#v-{subscribers.pk}-actual")
    assert page.locator(f"#v-{revenue.pk}-target").is_disabled()  # the province sets the target
    revenue_actual.fill("1.762,38")
    page.fill(f"#v-{mobile_revenue.pk}-actual", "745.2")
    subscribers_actual.fill("abc")
    with page.expect_navigation():
        page.click("button[value=save]")

    error = page.locator(f"#v-{subscribers.pk}-actual-error")
    assert error.is_visible()
    assert "abc" in error.inner_text()
    assert "is-invalid" in subscribers_actual.get_attribute("class")
    assert revenue_actual.input_value() == "1.762,38"  # what was typed is kept
    assert not DataValue.objects.filter(period="202603").exists()
    screenshot(page, "entry-errors")

    subscribers_actual.fill("185.120")
    with page.expect_navigation():
        page.click("button[value=save]")
    assert page.locator(".alert-success").count() == 1
    assert page.locator(f"#v-{subscribers.pk}-actual").input_value() == "185.120"
    assert DataValue.objects.get(period="202603", indicator=revenue, kind="actual").value == Decimal("1762.38")

    page.click("#submit-open")
    page.locator("#submit-modal").wait_for(state="visible")
    page.click("#submit-modal button[data-bs-dismiss=modal].btn-outline-secondary")  # cancelled: nothing sent
    page.locator("#submit-modal").wait_for(state="hidden")
    assert Submission.objects.get(orgunit=commune_a).status == "draft"
    page.click("#submit-open")
    with page.expect_navigation():
        page.click("#submit-confirm")
    assert Submission.objects.get(orgunit=commune_a).status == "submitted"
    assert page.locator(f"#v-{revenue.pk}-actual").is_disabled()

    # The history of a cell opens in a modal over the page.
    page.click(f"td:has(#v-{revenue.pk}-actual) a.history-link")
    page.locator("#cell-history").wait_for()
    assert "1.762,38" in page.locator("#cell-history").inner_text()
    screenshot(page, "entry-history")
    page.click("#history-modal .btn-close")
    page.locator("#history-modal").wait_for(state="hidden")
    page.locator(".modal-backdrop").wait_for(state="detached")
    screenshot(page, "entry")


def test_an_approver_returns_a_report_with_a_reason(browser_page, live_server, monthly_form, commune_a,  # noqa: F811
                                                    reporter_a, approver_a, revenue, mobile_revenue, subscribers):
    from dieuhanh.reporting.services import submission_save_values, submission_submit

    submission = submission_save_values(
        form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a, channel=Channel.WEB,
        values=[ValueInput(revenue, "actual", Decimal("1762.38")), ValueInput(subscribers, "actual", Decimal("9"))],
    )
    submission_submit(submission=submission, user=reporter_a)
    page = browser_page
    log_in(page, live_server, "approver_a")
    url = live_server.url + reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"])
    page.goto(url)
    assert page.locator(f"#v-{revenue.pk}-actual").is_disabled()  # approvers do not type figures
    page.click("button[value=return]")  # the browser asks for the reason first: nothing is sent
    assert page.locator("#return-reason").evaluate("el => el.validity.valueMissing")
    assert Submission.objects.get().status == "submitted"
    page.fill("#return-reason", "Thiếu số thuê bao cố định")
    screenshot(page, "entry-approval")
    with page.expect_navigation():
        page.click("button[value=return]")
    assert Submission.objects.get().status == "returned"
    log_in(page, live_server, "reporter_a")
    page.goto(url)
    assert "Thiếu số thuê bao cố định" in page.locator("#returned-reason").inner_text()
    assert not page.locator(f"#v-{revenue.pk}-actual").is_disabled()
    screenshot(page, "entry-returned")
