"""The unit page in Chromium: a sector chip unfolds its section, "show more" brings the rest of a long sector, the
search narrows the list as one types (without diacritics); on a 360 px phone nothing scrolls sideways."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.analytics import queries
from dieuhanh.dashboard.tests.test_unit_page import catalogue  # noqa: F401
from dieuhanh.indicators.models import Channel, Indicator, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reporting.completeness import local_today
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
ROWS = "code => document.querySelectorAll(`section[data-sector='${code}'] tr[data-indicator]`).length"


@pytest.mark.parametrize("width", [1366, 360])
def test_sectors_unfold_on_demand_and_the_search_narrows_the_list(browser_page, live_server, width, leader,  # noqa: F811
                                                                    admin_user, province, commune_a, catalogue):  # noqa: F811
    cases = Indicator.objects.get(code="YT_21")
    month = Period.containing(PeriodType.MONTH, local_today())
    datavalues_save(state=ValueState.APPROVED, orgunit=commune_a, period=month.id, user=admin_user, channel=Channel.WEB,
                    values=[ValueInput(cases, "actual", Decimal("1200"))])
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("dashboard:unit", args=[province.code]))
    assert page.evaluate(ROWS, "VT") == 3
    assert page.evaluate(ROWS, "YT") == 0  # folded: its rows are not computed with the page
    assert page.evaluate(FITS)

    page.click(".sector-nav a[data-sector='YT']")
    page.wait_for_function(f"() => ({ROWS})('YT') === 20")
    heading = page.locator("section[data-sector='YT'] h3")
    assert 0 <= heading.bounding_box()["y"] < 800  # the chip brought the section into view
    page.click("section[data-sector='YT'] .sector-more a")
    page.wait_for_function(f"() => ({ROWS})('YT') === 22")
    assert page.locator("section[data-sector='YT'] .sector-more").count() == 0
    figure = queries.comparison(cases, province, month.id, ytd=True).value.value
    assert format_number(figure, 0) in page.locator('tr[data-indicator="YT_21"]').inner_text()
    assert page.evaluate(FITS)
    screenshot(page, f"ioc-unit-sectors-{width}")

    page.fill("#indicator-search", "hoc sinh")
    page.wait_for_function("() => location.search === '?q=hoc+sinh'")
    page.wait_for_function(f"() => ({ROWS})('GD') === 3 && !document.querySelector(\"section[data-sector='YT']\")")
    assert page.evaluate(FITS)
    screenshot(page, f"ioc-unit-search-{width}")
    page.fill("#indicator-search", "")
    page.wait_for_function("() => document.querySelectorAll('section.unit-sector').length === 3")
    assert page.url == live_server.url + reverse("dashboard:unit", args=[province.code])
