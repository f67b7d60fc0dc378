"""The reporting pages on a 360 px phone, in Vietnamese: nothing wider than the screen, lists stacked into
labelled rows, the entry table readable (it scrolls sideways inside its own box)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.completeness import local_today, period_to_report
from dieuhanh.reporting.services import submission_save_values
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
# The label a stacked cell shows above its value (CSS ::before with the column's name).
LABEL = "el => getComputedStyle(el, '::before').content"


def stacked(page, table: str, below: int = 1) -> bool:
    """The table's header is hidden and, in its first row, cell `below` sits under the first cell."""
    if page.locator(f"{table} thead").is_visible():
        return False
    cells = page.locator(f"{table} tbody tr").first.locator("td")
    first, other = cells.nth(0).bounding_box(), cells.nth(below).bounding_box()
    return other["y"] >= first["y"] + first["height"] - 1


@pytest.fixture
def phone(browser_page, live_server, monthly_form, commune_a, reporter_a, revenue, subscribers):  # noqa: F811
    submission_save_values(
        form=monthly_form, orgunit=commune_a, period=period_to_report(monthly_form, local_today()).id,
        user=reporter_a, channel=Channel.WEB,
        values=[ValueInput(revenue, "actual", Decimal("1762.38")), ValueInput(subscribers, "actual", Decimal("9"))],
    )
    browser_page.set_viewport_size({"width": 360, "height": 780})
    return browser_page


def test_the_form_list_and_completeness_stack_on_a_phone(phone, live_server, monthly_form, leader):
    page = phone
    log_in(page, live_server, "reporter_a")
    page.goto(live_server.url + reverse("reporting:form_list"))
    assert page.evaluate(FITS)
    assert stacked(page, "#form-list")
    period_cell = page.locator("#form-list tbody tr").first.locator("td").nth(2)
    assert "Kỳ cần báo cáo" in period_cell.evaluate(LABEL)
    assert page.locator("#csv-import-link").is_visible()
    screenshot(page, "phone-form-list")

    log_in(page, live_server, "leader")
    period = period_to_report(monthly_form, local_today()).id
    page.goto(live_server.url + reverse("reporting:completeness", args=[monthly_form.pk, period]))
    assert page.evaluate(FITS)
    assert stacked(page, "#completeness")
    assert "Hạn nộp" in page.locator("#completeness td.stack-half").nth(1).evaluate(LABEL)
    screenshot(page, "phone-completeness")


def test_the_entry_page_keeps_indicator_names_readable_on_a_phone(phone, live_server, monthly_form, commune_a,
                                                                  revenue):
    page = phone
    log_in(page, live_server, "reporter_a")
    period = period_to_report(monthly_form, local_today()).id
    page.goto(live_server.url + reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, period]))
    assert page.evaluate(FITS)  # the wide table scrolls inside its own box, not the page
    name = page.locator(f"tr[data-indicator='{revenue.code}'] td").nth(1)
    assert name.bounding_box()["width"] >= 150  # not a word per line
    assert stacked(page, "#workflow-events", below=2)  # when and who share a line, the change comes under
    screenshot(page, "phone-entry")
