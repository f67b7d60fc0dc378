"""The new Tây Ninh across the 2025 reform, in Chromium on the demo: 2017–2026 in one series (the years before the
merger converted from Tây Ninh (cũ) and Long An (cũ)), growth of 2025 on 2024, lũy kế across 1/7/2025, and the switch
to the units as they reported — at 1366 px and on a 360 px phone."""

import os

import pytest
from django.urls import reverse

from dieuhanh.analytics.queries import Reader
from dieuhanh.demo.build import demo_build
from dieuhanh.demo.province import PASSWORD
from dieuhanh.indicators.models import Indicator
from dieuhanh.tests.browser import SCREENSHOTS, browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LABELS = "() => window.indicatorChart.getOption().xAxis[0].data"
VALUES = "() => JSON.parse(document.getElementById('indicator-chart').dataset.chart).values"


def test_the_new_tay_ninh_shows_2017_to_2026_across_the_reform(browser_page, live_server):  # noqa: F811
    province = demo_build(small=True).units.province
    revenue = Indicator.objects.get(code="DT_VT")
    page = browser_page
    log_in(page, live_server, "lanhdao", PASSWORD)
    base = live_server.url + reverse("dashboard:indicator", args=["DT_VT"]) + f"?unit={province.code}"
    page.goto(base + "&series=year")
    page.wait_for_function("() => window.indicatorChart !== undefined")
    assert page.evaluate(LABELS) == [f"Năm {year}" for year in range(2017, 2027)]
    values = page.evaluate(VALUES)
    assert all(v is not None for v in values)  # every year has a figure, before the merger too
    found = Reader([revenue], [province]).figures(["2020", "2024"])
    assert values[3] == float(found[(revenue.pk, province.pk, "2020")].value)  # old Tây Ninh's 1.762,38 + Long An
    row_2024 = page.locator('#by-period tr[data-period="2024"]')
    assert row_2024.locator(".badge-converted").inner_text() == "quy đổi"
    assert row_2024.locator(".badge-converted").get_attribute("title") == (
        "Quy đổi theo địa giới mới từ Long An (cũ), Tây Ninh (cũ)")
    assert "so với cùng kỳ" in page.locator('#by-period tr[data-period="2025"] [data-label="Thay đổi"]').inner_text()
    assert "Long An (cũ), Tây Ninh (cũ)" in page.locator("#converted-note").inner_text()
    screenshot(page, "ioc-indicator-across-the-reform")

    page.click("#boundaries-switch >> text=Theo địa giới tại thời điểm báo cáo")
    page.wait_for_function("() => window.indicatorChart !== undefined")
    assert page.evaluate(LABELS)[0] == "Năm 2025"  # the new province reported from July 2025 only
    assert page.locator(".badge-converted").count() == 0
    assert "(6 tháng)" in page.locator('#by-period tr[data-period="2025"]').inner_text()
    screenshot(page, "ioc-indicator-as-reported")

    # Lũy kế across 1/7/2025: January–June from the two old provinces, July–September from the new one.
    page.goto(base + "&period=202509")
    page.wait_for_function("() => window.indicatorChart !== undefined")
    headline = page.locator("#headline").inner_text()
    assert "so với cùng kỳ" in headline and "Quy đổi theo địa giới mới từ Long An (cũ), Tây Ninh (cũ)" in headline
    assert page.locator('#by-period tr[data-period="202506"] .badge-converted').count() == 1
    assert page.locator('#by-period tr[data-period="202507"] .badge-converted').count() == 0

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(base + "&series=year")
    page.wait_for_function("() => window.indicatorChart !== undefined")
    assert page.locator("#boundaries-switch").is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
    screenshot(page, "ioc-indicator-across-the-reform-phone")
    page.screenshot(path=os.path.join(SCREENSHOTS, "ioc-indicator-across-the-reform-phone-top.png"))
