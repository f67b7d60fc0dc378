"""The wall at 1920×1080 and 3840×2160 in Chromium: on every panel no title, indicator name or table cell is cut
off (its text fits its box, nothing runs past the screen), type grows with the screen, cards show an indicator's
short name, and a slide of fewer than six cards is filled instead of leaving empty cells."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.dashboard.models import Card
from dieuhanh.dashboard.services import card_add, dashboard_create
from dieuhanh.indicators.models import Channel, Indicator, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Nộp ngân sách nhà nước của doanh nghiệp bưu chính, viễn thông trên địa bàn tỉnh"
LONG_UNSHORTENED = "Tỷ lệ xã, phường, thị trấn có hạ tầng viễn thông băng rộng cố định đến trung tâm"

# Every text box of the visible panel whose content is wider or taller than the box (clipped, ellipsised or
# spilling), and every element that runs past the screen's edges.
OVERFLOWS = """() => {
  const panel = document.querySelector('.wall-panel:not([hidden])');
  const boxes = panel.querySelectorAll('.wall-title, .wall-card-title, .wall-meta, .wall-alert-title, .wall-value,'
    + ' .wall-target, .wall-growth, .wall-counts dt, .wall-counts dd, .wall-table td, .wall-table th');
  const out = [];
  boxes.forEach((e) => {
    // Heights only for titles: a big number's glyphs may pass its tight line box without hiding anything.
    const title = e.matches('.wall-title, .wall-card-title, .wall-alert-title');
    const clipped = e.scrollWidth > e.clientWidth + 1 || (title && e.scrollHeight > e.clientHeight + 1);
    if (clipped) out.push('clipped: ' + e.textContent.trim());
  });
  panel.querySelectorAll('*').forEach((e) => {
    const r = e.getBoundingClientRect();
    if (r.width && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1)) out.push('off screen: ' + e.className);
  });
  return out;
}"""
# The KPI grid's free area: the grid's box less its cards (gaps included), as a share of the grid.
EMPTY_SHARE = """() => {
  const grid = document.querySelector('.wall-panel:not([hidden]) .wall-grid');
  const g = grid.getBoundingClientRect();
  const cards = [...grid.children].map((c) => c.getBoundingClientRect());
  const rows = [...new Set(cards.map((r) => Math.round(r.top)))];
  const rowRight = (top) => Math.max(...cards.filter((r) => Math.round(r.top) === top).map((r) => r.right));
  const right = Math.min(...rows.map(rowRight));
  const bottom = Math.max(...cards.map((r) => r.bottom));
  return 1 - ((right - g.left) * (bottom - g.top)) / (g.width * g.height);
}"""
TITLE_PX = ("() => parseFloat(getComputedStyle("
            "document.querySelector('.wall-panel:not([hidden]) .wall-title')).fontSize)")
CARD_TITLES = ("() => [...document.querySelectorAll('.wall-panel:not([hidden]) .wall-card-title')]"
               ".map((e) => e.textContent)")


@pytest.fixture
def wall(province, commune_a, commune_b, leader, admin_user, ict_sector, revenue, subscribers, mobile_revenue,
         monthly_form):
    long_named = Indicator.objects.create(code="NS_BCVT", name=LONG_NAME, short_name="Nộp ngân sách của DN BCVT",
                                          unit="tỷ đồng", sector=ict_sector)
    unshortened = Indicator.objects.create(code="TL_VT", name=LONG_UNSHORTENED, unit="%", sector=ict_sector,
                                           value_type=Indicator.ValueType.PERCENT, decimals=1,
                                           unit_aggregation=Indicator.UnitAggregation.AVERAGE,
                                           period_aggregation=Indicator.PeriodAggregation.LAST)
    dashboard = dashboard_create(name="Phòng điều hành IOC — chỉ tiêu chủ yếu của tỉnh", orgunit=province,
                                 users=[leader], wall_seconds=600)
    # Four cards: one slide that a fixed 3 × 2 grid would leave a third empty.
    for indicator in (long_named, revenue, unshortened, subscribers):
        card_add(dashboard=dashboard, kind=Card.Kind.KPI, indicator=indicator)
    for month in range(1, 11):
        for unit, value in ((commune_a, Decimal("162.38")), (commune_b, Decimal("40.5"))):
            datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=f"2026{month:02d}", user=admin_user,
                            channel=Channel.WEB, values=[
                                ValueInput(revenue, "actual", value * 1000 + 7 * month),
                                ValueInput(long_named, "actual", value + month),
                                ValueInput(unshortened, "actual", Decimal("87.5")),
                                ValueInput(subscribers, "actual", Decimal(1250000 + 800 * month))])
    # A system with its whole official name (systems have no short name): the systems slide.
    from dieuhanh.monitoring.services import system_create

    for code, name in (("motcua", "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh (một cửa điện tử)"),
                       ("lgsp", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)")):
        system_create(user=None, code=code, name=name, owner=province, category="other")
    return dashboard


def test_nothing_on_the_wall_is_cut_off_at_either_screen_size(wall, browser_page, live_server, revenue,  # noqa: F811
                                                              subscribers):
    page = browser_page
    log_in(page, live_server, "leader")
    url = live_server.url + reverse("dashboard:wall") + f"?dashboard={wall.pk}"
    title_px = {}
    for width, height in ((1920, 1080), (3840, 2160)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        count = page.locator(".wall-panel").count()
        assert count == 5  # the cards, alerts, tasks, completeness, systems
        for number in range(count):
            kind = page.evaluate("() => document.querySelector('.wall-panel:not([hidden])').dataset.kind")
            problems = page.evaluate(OVERFLOWS)
            assert problems == [], (width, kind, problems)
            if kind == "kpi":
                assert page.evaluate(CARD_TITLES) == ["Nộp ngân sách của DN BCVT", revenue.name, LONG_UNSHORTENED,
                                                      subscribers.name]
                assert page.evaluate(EMPTY_SHARE) < 0.02
                title_px[width] = page.evaluate(TITLE_PX)
            screenshot(page, f"wall-fit-{width}x{height}-{number}-{kind}")
            page.keyboard.press("ArrowRight")
    assert title_px[1920] >= 40  # the slide's title, readable from across the room
    assert title_px[3840] >= 1.9 * title_px[1920]  # and as readable on a 4K screen

