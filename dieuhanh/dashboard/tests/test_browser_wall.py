"""Wall mode in Chromium: panels rotate after `wall_seconds`, and the page is readable from across the room at
1920×1080 and 3840×2160 (screenshots under var/screenshots/)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.dashboard.models import Card
from dieuhanh.dashboard.services import card_add, dashboard_create
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
VISIBLE = "() => [...document.querySelectorAll('.wall-panel')].filter(p => !p.hidden).map(p => p.dataset.kind)"
NUMBER_PX = ("() => parseFloat(getComputedStyle("
             "document.querySelector('.wall-panel:not([hidden]) .wall-number')).fontSize)")
# Nothing of the visible panel is cut off at the bottom of the screen.
INSIDE = """() => { const p = document.querySelector('.wall-panel:not([hidden])');
  return [...p.querySelectorAll('*')].every(e => e.getBoundingClientRect().bottom <= window.innerHeight + 1); }"""


@pytest.fixture
def wall(browser_page, live_server, province, commune_a, commune_b, leader, admin_user, revenue, subscribers,  # noqa: F811
         mobile_revenue, monthly_form):
    dashboard = dashboard_create(name="Phòng điều hành IOC", orgunit=province, users=[leader], wall_seconds=2)
    for indicator in (revenue, mobile_revenue, subscribers):
        card_add(dashboard=dashboard, kind=Card.Kind.KPI, indicator=indicator)
    for month in range(1, 11):
        for unit, value in ((commune_a, Decimal("162.38")), (commune_b, Decimal("40.5"))):
            datavalues_save(state=ValueState.APPROVED,
                            orgunit=unit, period=f"2026{month:02d}", user=admin_user, channel=Channel.WEB, values=[
                ValueInput(revenue, "actual", value + 7 * month),
                ValueInput(mobile_revenue, "actual", Decimal(90 + month % 3)),
                ValueInput(subscribers, "actual", Decimal(125000 + 800 * month))])
    return dashboard


def test_the_wall_rotates_its_panels_and_reads_at_both_screen_sizes(wall, browser_page, live_server):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "leader")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(live_server.url + reverse("dashboard:wall") + f"?dashboard={wall.pk}")
    assert page.evaluate(VISIBLE) == ["kpi"]
    assert page.locator("nav.navbar").count() == 0
    assert page.locator("#wall-exit").is_visible()
    assert page.evaluate(FITS) and page.evaluate(INSIDE)
    small = page.evaluate(NUMBER_PX)
    assert small >= 56  # the headline numbers, about 3.4% of the width
    screenshot(page, "wall-1920x1080")

    page.wait_for_function("() => document.getElementById('wall').dataset.current === '1'", timeout=6000)
    assert page.evaluate(VISIBLE) == ["alerts"]
    assert page.evaluate(INSIDE)
    screenshot(page, "wall-1920x1080-alerts")
    page.wait_for_function("() => document.getElementById('wall').dataset.current === '2'", timeout=6000)
    assert page.evaluate(VISIBLE) == ["tasks"]
    page.wait_for_function("() => document.getElementById('wall').dataset.current === '3'", timeout=6000)
    assert page.evaluate(VISIBLE) == ["completeness"]
    assert page.evaluate(INSIDE)
    screenshot(page, "wall-1920x1080-completeness")

    page.set_viewport_size({"width": 3840, "height": 2160})
    page.goto(live_server.url + reverse("dashboard:wall") + f"?dashboard={wall.pk}")
    assert page.evaluate(FITS) and page.evaluate(INSIDE)
    assert page.evaluate(NUMBER_PX) >= 1.9 * small  # it grows with the screen
    screenshot(page, "wall-3840x2160")
    page.wait_for_function("() => document.getElementById('wall').dataset.current === '2'", timeout=12000)
    assert page.evaluate(VISIBLE) == ["tasks"] and page.evaluate(INSIDE)
    screenshot(page, "wall-3840x2160-tasks")


def test_the_panels_are_fetched_again_and_keep_their_place(wall, browser_page, live_server):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "leader")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(live_server.url + reverse("dashboard:wall") + f"?dashboard={wall.pk}")
    page.wait_for_function("() => document.getElementById('wall').dataset.current === '1'", timeout=6000)
    with page.expect_response(lambda r: reverse("dashboard:wall_panels") in r.url):
        # What the polling does every REFRESH_SECONDS, asked for now.
        page.evaluate("() => { const el = document.getElementById('wall-panels');"
                      " htmx.ajax('GET', el.getAttribute('hx-get'), {target: el, swap: 'innerHTML'}); }")
    page.wait_for_timeout(200)
    visible = page.evaluate(VISIBLE)
    assert len(visible) == 1 and visible[0] in ("alerts", "tasks", "completeness")
