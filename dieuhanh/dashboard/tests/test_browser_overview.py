"""A leader in a real browser: the overview's revenue card shows the database's figure, the card opens the
indicator page (chart drawn, PNG download), the ranking opens a commune's page; on a 360 px phone none of the three
pages scrolls sideways; the alerts panel names an overdue task and opens the overdue task list."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.services import rules_default_create
from dieuhanh.analytics import queries
from dieuhanh.assignments.models import Assigner
from dieuhanh.assignments.services import document_create, task_create
from dieuhanh.conftest import make_user
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reporting.completeness import local_today
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def figures(province, commune_a, commune_b, revenue, subscribers, monthly_form, leader):
    month = Period.containing(PeriodType.MONTH, local_today())
    period = month
    months = 12 + local_today().month  # back to January last year: the year to date has its same period last year
    for i in range(months):
        for unit, base in ((commune_a, Decimal("162.38")), (commune_b, Decimal("40.5"))):
            kind = "estimate" if unit == commune_b and i == 0 else "actual"
            datavalues_save(state=ValueState.APPROVED,
                            orgunit=unit, period=period.id, user=leader, channel=Channel.WEB, values=[
                ValueInput(revenue, kind, base + 3 * (months - i)),
                ValueInput(subscribers, "actual", Decimal(125000 - 700 * i)),
            ])
        period = period.previous()
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=province, period=str(month.year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "target", Decimal("3000"))])
    return month


def test_a_leader_reads_the_overview_and_drills_down(browser_page, live_server, leader, figures, revenue,  # noqa: F811
                                                     province, commune_a):
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("home"))
    card = page.locator('.kpi-card[data-indicator="DT_VT"]')
    expected = queries.comparison(revenue, province, figures.id, ytd=True).value.value
    assert card.locator(".kpi-number").inner_text() == format_number(expected, 2)
    assert "so với cùng kỳ" in card.inner_text()
    assert card.locator(".kpi-spark svg").count() == 1  # the sparkline is drawn
    screenshot(page, "ioc-overview")

    with page.expect_navigation():
        card.click()
    assert page.url.startswith(live_server.url + reverse("dashboard:indicator", args=["DT_VT"]))
    page.wait_for_function("() => window.indicatorChart !== undefined")
    row = page.locator(f'#by-period tr[data-period="{figures.id}"]')
    assert format_number(queries.figure(revenue, province, figures.id).value, 2) in row.inner_text()
    with page.expect_download() as download:
        page.click("#download-png")
    assert download.value.suggested_filename.endswith(".png")
    screenshot(page, "ioc-indicator")

    with page.expect_navigation():
        page.click('#ranking tr[data-unit="XA-A"] a[title]')
    assert page.url == live_server.url + reverse("dashboard:unit", args=[commune_a.code])
    assert "Xã Hưng Điền" in page.locator("h1").inner_text()
    assert page.locator('#unit-indicators tr[data-indicator="DT_VT"]').count() == 1
    screenshot(page, "ioc-unit")


def test_the_three_pages_fit_a_phone(browser_page, live_server, leader, figures, commune_a):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server, "leader")
    pages = {
        "overview": reverse("home"),
        "indicator": reverse("dashboard:indicator", args=["DT_VT"]) + "?unit=TN",
        "unit": reverse("dashboard:unit", args=["TN"]),
        "commune": reverse("dashboard:unit", args=[commune_a.code]),
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(FITS), name
        screenshot(page, f"ioc-{name}-phone")


def test_the_alerts_panel_shows_an_overdue_task(browser_page, live_server, leader, figures, province,  # noqa: F811
                                                agency):
    office = make_user("van_phong", Role.OFFICE, province)
    today = local_today()
    start = today - datetime.timedelta(days=40)
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province)
    document = document_create(user=office, number="125/QĐ-UBND", issued_on=start, issuer=province,
                               signer="Nguyễn Văn Mạnh", summary="Kế hoạch chuyển đổi số")
    task_create(user=office, title="Triển khai nền tảng họp trực tuyến", assigner=assigner, assigned_on=start,
                lead_unit=agency, deadline_kind="date", deadline=today - datetime.timedelta(days=12),
                document=document, is_key=True)
    rules_default_create(unit=province)  # the panel reads the overdue-task rule's alerts, as the worker left them
    alerts_evaluate()
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("home"))
    panel = page.locator("#alerts-panel")
    first = panel.locator(".alert-item").first
    assert first.get_attribute("data-source") == "tasks"  # the most severe first
    assert "1 nhiệm vụ quá hạn" in first.inner_text()
    assert "trong đó 1 nhiệm vụ trọng tâm" in first.inner_text()
    assert "Triển khai nền tảng họp trực tuyến — Sở Khoa học và Công nghệ · quá hạn 12 ngày" in first.inner_text()
    assert "alert-item-danger" in first.get_attribute("class")
    assert int(panel.locator("#alerts-count").inner_text()) >= 1
    screenshot(page, "ioc-overview-alerts")
    with page.expect_navigation():
        first.locator("a.alert-title").click()
    assert page.url.startswith(live_server.url + reverse("assignments:task_list") + "?status=overdue")
    assert "Triển khai nền tảng họp trực tuyến" in page.locator("main").inner_text()
