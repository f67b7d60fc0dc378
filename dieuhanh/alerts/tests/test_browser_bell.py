"""The bell and the notifications list in Chromium, at 1366 and 360 px."""

import copy
import pathlib

import pytest
from django.conf import settings
from django.test import override_settings

from dieuhanh.alerts.services import notify
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BASE = pathlib.Path(settings.BASE_DIR) / "dieuhanh" / "templates" / "base.html"
BELL_LINE = '      {% include "alerts/_bell.html" %}\n'
BEFORE = '      <span class="navbar-text text-white-50 me-2 mb-2 mb-lg-0 small">{{ user.get_full_name'


@pytest.fixture
def navbar_with_bell(tmp_path):
    """base.html with the bell in its navbar: as it is, once the line is there; until then a copy with the line
    the report asks for, put first in the template directories for this test."""
    text = BASE.read_text(encoding="utf-8")
    if "alerts/_bell.html" in text:
        yield
        return
    assert BEFORE in text, "base.html's navbar changed: update BEFORE"
    (tmp_path / "base.html").write_text(text.replace(BEFORE, BELL_LINE + BEFORE, 1), encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        yield


def test_the_bell_counts_and_the_list_reads(browser_page, live_server, leader, navbar_with_bell):  # noqa: F811
    notify(users=[leader], title="Nhiệm vụ quá hạn: Xây dựng kế hoạch chuyển đổi số năm 2027",
           body="Sở Khoa học và Công nghệ · quá hạn 3 ngày", link="/tasks/", level="critical")
    notify(users=[leader], title="Biểu mẫu 01/BC-VT: 2 đơn vị chưa báo cáo, hạn 15/11/2026",
           body="Tháng 11/2026 · Xã Hưng Điền, Phường Long An", level="warning")
    notify(users=[leader], title="Cảnh báo đã hết: Cổng thông tin điện tử hoạt động trở lại", level="info")
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/alerts/notifications/")
    assert page.inner_text("#unread-count") == "3 chưa đọc"
    assert page.inner_text("#alerts-bell-count") == "3"
    assert page.get_attribute("#alerts-bell", "href") == "/alerts/notifications/"
    screenshot(page, "alerts_notifications_1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "alerts_notifications_360")
    page.click(".navbar-toggler")
    page.wait_for_selector("#mainnav.show:not(.collapsing)")
    page.wait_for_selector("#alerts-bell-count", state="visible")
    screenshot(page, "alerts_bell_menu_360")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.locator("[data-notification] .mark-read").first.click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#unread-count") == "2 chưa đọc"
    assert page.inner_text("#alerts-bell-count") == "2"
    page.click("#read-all")
    page.wait_for_load_state("networkidle")
    assert page.locator("#unread-count").count() == 0 and page.locator("#alerts-bell-count").count() == 0
    assert page.locator("[data-unread='1']").count() == 0

    page.goto(f"{live_server.url}/alerts/settings/")
    page.check("#channels input[value=telegram]")
    page.fill("#id_quiet_start", "22:00")
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "Hãy nhập mã cuộc trò chuyện Telegram" in page.inner_text("#error-telegram_chat_id")
    assert "Hãy nhập cả giờ bắt đầu và giờ kết thúc" in page.inner_text("#error-quiet_end")
    screenshot(page, "alerts_settings_1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "alerts_settings_360")
