"""The pivot and the dashboard configuration on a 360 px phone: the page never scrolls sideways; a wide pivot
table scrolls inside its own box with the unit column kept in view."""

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


@pytest.fixture
def phone(browser_page):  # noqa: F811
    browser_page.set_viewport_size({"width": 360, "height": 780})
    return browser_page


def test_the_pivot_table_scrolls_in_its_own_box_on_a_phone(phone, live_server, leader, admin_user, commune_a,
                                                            commune_b, revenue, subscribers):
    for month in range(1, 13):
        datavalues_save(state=ValueState.APPROVED,
                        orgunit=commune_a, period=f"2026{month:02d}", user=admin_user, channel=Channel.WEB,
                        values=[ValueInput(revenue, "actual", Decimal("1762.38") + month)])
    page = phone
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("dashboard:pivot"))
    assert page.evaluate(FITS)
    page.fill("#indicator-filter", "doanh thu vien")  # without diacritics
    assert page.locator("#id_indicators option[value='TB_DD']").evaluate("o => o.hidden")
    page.select_option("#id_indicators", ["DT_VT"])
    page.click("#pivot-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#pivot-table").is_visible()
    assert page.evaluate(FITS)
    box = page.locator("#pivot-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # twelve months do not fit: the box scrolls
    first = page.locator("#pivot-table tbody tr[data-unit='XA-A'] th")
    before = first.bounding_box()["x"]
    box.evaluate("el => el.scrollLeft = 400")
    assert abs(first.bounding_box()["x"] - before) < 1  # the unit column stays in view
    assert "1.763,38" in page.locator("#pivot-table").inner_text()
    screenshot(page, "phone-pivot")


def test_the_dashboard_configuration_fits_a_phone(phone, live_server, admin_user, province, revenue, subscribers):
    board = dashboard_create(name="Bảng điều hành của lãnh đạo tỉnh Tây Ninh", orgunit=province)
    card_add(dashboard=board, kind=Card.Kind.KPI, indicator=revenue, title="Doanh thu viễn thông lũy kế năm 2026")
    tasks = card_add(dashboard=board, kind=Card.Kind.TASKS)
    page = phone
    log_in(page, live_server, "admin")
    page.goto(live_server.url + reverse("dashboard:config_list"))
    assert page.evaluate(FITS)
    screenshot(page, "phone-dashboards")
    page.goto(live_server.url + reverse("dashboard:config_edit", args=[board.pk]))
    assert page.evaluate(FITS)
    # Move the tasks card up with HTMX, then add a card found without diacritics.
    page.locator("#card-list li[data-card] >> nth=1").locator("button[value=up]").click()
    page.wait_for_function(f"() => document.querySelector('#card-list li').dataset.card === '{tasks.pk}'")
    page.fill("#indicator-filter", "thue bao")
    page.select_option("#id_indicator", str(subscribers.pk))
    page.click("#card-form button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#card-list li[data-card]').length === 3")
    assert page.evaluate(FITS)
    assert list(board.cards.order_by("order").values_list("kind", flat=True)) == ["tasks", "kpi", "kpi"]
    screenshot(page, "phone-dashboard-edit")
