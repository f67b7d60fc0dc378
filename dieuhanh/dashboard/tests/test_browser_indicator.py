"""The indicator page's second view in a real browser: a flow's lũy kế against the year's target."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.analytics import queries
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.reporting.completeness import local_today
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_switches_the_chart_to_year_to_date(browser_page, live_server, leader, province, commune_a,  # noqa: F811
                                                     revenue, monthly_form):
    month = Period.containing(PeriodType.MONTH, local_today())
    period = month
    for n in range(5):
        datavalues_save(state=ValueState.APPROVED,
                        orgunit=commune_a, period=period.id, user=leader, channel=Channel.WEB,
                        values=[ValueInput(revenue, "actual", Decimal(100 + n))])
        period = period.previous()
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=province, period=str(month.year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "target", Decimal("1500"))])
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("dashboard:indicator", args=["DT_VT"]) + f"?unit={province.code}")
    page.wait_for_function("() => window.indicatorChart !== undefined")
    first = "() => window.indicatorChart.getOption().series[0]"
    assert page.evaluate(f"({first})().name") == "Thực hiện"
    page.click('#chart-mode [data-mode="cumulative"]')
    assert page.evaluate(f"({first})().name") == "Lũy kế"
    ytd = queries.year_to_date(revenue, province, month.id).value
    assert page.evaluate(f"({first})().data.slice(-1)[0]") == float(ytd)
    targets = page.evaluate("window.indicatorChart.getOption().series.find(s => s.type === 'line').data")
    assert targets[-1] == 1500.0
    assert page.locator('#chart-note [data-mode="cumulative"]').is_visible()
    assert page.get_attribute('#chart-mode [data-mode="cumulative"]', "aria-pressed") == "true"
    screenshot(page, "ioc-indicator-year-to-date")
    page.click('#chart-mode [data-mode="period"]')
    assert page.evaluate(f"({first})().name") == "Thực hiện"
