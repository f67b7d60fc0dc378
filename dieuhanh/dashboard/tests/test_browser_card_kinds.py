"""A leader's configured dashboard in a real browser: the KPI card, the chart card (an ECharts chart of the last
months, the estimate among its bars), the ranking of the communes and the task panel, in the operator's order; the
ranking opens the indicator page of a commune; on a 360 px phone the page does not scroll sideways."""

import pytest
from django.urls import reverse

from dieuhanh.analytics import queries
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.dashboard.tests.test_browser_overview import FITS, figures  # noqa: F401
from dieuhanh.lib.vnformat import format_number
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dashboard(figures, revenue, subscribers):  # noqa: F811
    """The overview test's figures (revenue and subscribers of two communes, months back to January last year,
    commune B's latest month an estimate) on a dashboard of a KPI, a chart, a ranking and the task panel."""
    board = Dashboard.objects.create(name="Viễn thông", is_default=True)
    for order, (kind, indicator) in enumerate([(Card.Kind.KPI, subscribers), (Card.Kind.CHART, revenue),
                                               (Card.Kind.RANKING, revenue), (Card.Kind.TASKS, None)]):
        Card.objects.create(dashboard=board, order=order, kind=kind, indicator=indicator)
    return figures


def test_a_leader_reads_a_configured_dashboard(browser_page, live_server, leader, dashboard, revenue,  # noqa: F811
                                               province, commune_a):
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("home"))
    kinds = page.locator("#kpi-cards > .card-block").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert kinds == ["kpi", "chart", "ranking", "tasks"]

    chart = page.locator('.chart-card[data-indicator="DT_VT"]')
    expected = queries.comparison(revenue, province, dashboard.id, ytd=True).value.value
    assert chart.locator(".kpi-number").inner_text() == format_number(expected, 2)
    assert chart.locator(".chart-card-plot svg").count() == 1  # ECharts drew it
    assert chart.locator(".chart-card-plot svg path").count() >= 12  # twelve bars at least
    # The chart card is two KPI cards wide on a desktop.
    kpi_width = page.locator('#kpi-cards > [data-kind="kpi"]').bounding_box()["width"]
    chart_width = page.locator('#kpi-cards > [data-kind="chart"]').bounding_box()["width"]
    assert chart_width == pytest.approx(2 * kpi_width, rel=0.02)
    screenshot(page, "ioc-card-kinds")

    ranking = page.locator('.ranking-card[data-indicator="DT_VT"]')
    rows = ranking.locator(".ranking-row")
    assert rows.evaluate_all("els => els.map(e => e.dataset.unit)") == ["XA-A", "XA-B"]
    first = queries.breakdown(revenue, province, dashboard.id, ytd=True)[0][1].value
    assert format_number(first, 2) in rows.first.inner_text()
    with page.expect_navigation():
        rows.first.locator("a").click()
    assert page.url.startswith(live_server.url + reverse("dashboard:indicator", args=["DT_VT"]))
    assert f"unit={commune_a.code}" in page.url


def test_a_configured_dashboard_fits_a_phone(browser_page, live_server, leader, dashboard):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("home"))
    page.wait_for_load_state("networkidle")
    assert page.locator(".chart-card-plot svg").count() == 1
    assert page.evaluate(FITS)
    # Full width on a phone: the chart card as wide as the KPI card.
    kpi_width = page.locator('#kpi-cards > [data-kind="kpi"]').bounding_box()["width"]
    assert page.locator('#kpi-cards > [data-kind="chart"]').bounding_box()["width"] == pytest.approx(kpi_width)
    screenshot(page, "ioc-card-kinds-phone")
