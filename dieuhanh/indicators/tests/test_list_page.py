"""The indicator catalogue page: our own Vietnamese labels, not Django's, and stacked rows on a phone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from dieuhanh.indicators.models import Indicator
from dieuhanh.orgunits.services import orgunit_rename
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
LABEL = "el => getComputedStyle(el, '::before').content"


def _below(cells, first: int, other: int) -> bool:
    a, b = cells.nth(first).bounding_box(), cells.nth(other).bounding_box()
    return b["y"] >= a["y"] + a["height"] - 1


@pytest.fixture
def unaggregated(ict_sector):
    return Indicator.objects.create(
        code="TL_DVC", name="Tỷ lệ dịch vụ công trực tuyến toàn trình", unit="%", sector=ict_sector,
        value_type=Indicator.ValueType.PERCENT, unit_aggregation=Indicator.UnitAggregation.NONE,
        min_value=0, max_value=100,
    )


@pytest.mark.django_db
def test_no_aggregation_reads_in_our_words_not_djangos(client, leader, unaggregated):
    with translation.override("vi"):
        assert str(Indicator.UnitAggregation.NONE.label) == "Không tổng hợp"
    client.force_login(leader)
    html = client.get(reverse("indicators:list")).content.decode()
    assert "Không tổng hợp" in html
    assert 'data-label="Tổng hợp theo đơn vị"' in html  # the column's name above the value on a phone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_catalogue_and_a_units_lineage_stack_on_a_phone(browser_page, live_server, leader, revenue,  # noqa: F811
                                                            unaggregated, commune_a):
    orgunit_rename(unit=commune_a, new_name="Phường Hưng Điền", effective_date=datetime.date(2025, 7, 1),
                   legal_basis="Nghị quyết 1682/NQ-UBTVQH15")
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server, "leader")

    page.goto(live_server.url + reverse("indicators:list"))
    assert page.evaluate(FITS)
    assert not page.locator("#indicator-list thead").is_visible()
    row = page.locator("#indicator-list tbody tr", has_text="TL_DVC")
    cells = row.locator("td")
    assert _below(cells, 0, 1) and _below(cells, 1, 2)  # code, then name, then the details under them
    assert cells.nth(1).bounding_box()["width"] >= 300  # the name gets the whole line, not a word per line
    assert "Đơn vị tính" in cells.nth(2).evaluate(LABEL)
    assert cells.nth(4).inner_text().strip().endswith("Không tổng hợp")
    screenshot(page, "phone-indicator-list")

    page.goto(live_server.url + reverse("orgunits:detail", args=[commune_a.code]))
    assert page.evaluate(FITS)
    assert not page.locator("#lineage-events thead").is_visible()
    cells = page.locator("#lineage-events tbody tr").first.locator("td")
    assert _below(cells, 0, 2)  # date and change share a line, the details come under them
    assert "Căn cứ" in cells.nth(3).evaluate(LABEL)
    assert page.get_by_text("Thông tin chung").is_visible()
    screenshot(page, "phone-unit-detail")
