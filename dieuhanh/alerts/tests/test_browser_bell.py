"""The bell and the notifications list in Chromium, at 1366 and 360 px."""

import pathlib

import pytest
from django.conf import settings

from dieuhanh.alerts.services import notify
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BASE = pathlib.Path(settings.BASE_DIR) / "dieuhanh" / "templates" / "base.html"


def bell_in_navbar() -> bool:
    return "alerts/_bell.html" in BASE.read_text(encoding="utf-8")


def test_the_bell_counts_and_the_list_reads(browser_page, live_server, leader):  # noqa: F811
    notify(users=[leader], title="Nhiệm vụ quá hạn: Xây dựng kế hoạch chuyển đổi số năm 2027",
           body="Sở Khoa học và Công nghệ · quá hạn 3 ngày", link="/tasks/", level="critical")
    notify(users=[leader], title="Biểu mẫu 01/BC-VT: 2 đơn vị chưa báo cáo, hạn 15/11/2026",
           body="Tháng 11/2026 · Xã Hưng Điền, Phường Long An", level="warning")
    notify(users=[leader], title="Cảnh báo đã hết: Cổng thông tin điện tử hoạt động trở lại", level="info")
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/alerts/notifications/")
    assert page.inner_text("#unread-count") == "3 chưa đọc"
    if bell_in_navbar():
        assert page.inner_text("#alerts-bell-count") == "3"
    screenshot(page, "alerts_notifications_1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "alerts_notifications_360")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.locator("[data-notification] .mark-read").first.click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#unread-count") == "2 chưa đọc"
    if bell_in_navbar():
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
