"""Alert rules, silences and the alerts firing now, in Chromium at 1366 and 360 px."""

import pytest

from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.models import AlertRule
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def both_widths(page, name):
    screenshot(page, f"{name}_1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, f"{name}_360")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_an_administrator_sets_a_rule_and_sees_it_fire(browser_page, live_server, admin_user, make_task,  # noqa: F811
                                                       province, prefer):
    make_task(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh")
    make_task(title="Ban hành Kế hoạch ứng dụng trí tuệ nhân tạo trong cơ quan nhà nước năm 2026")
    prefer(admin_user, alerts_below=True)
    page = browser_page
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/alerts/rules/new/")
    page.fill("#id_name", "Nhiệm vụ quá hạn toàn tỉnh")
    page.select_option("#id_kind", "task_due_soon")
    page.select_option("#id_unit", str(province.pk))
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "Nhập số ngày trước hạn" in page.inner_text("#error-days")
    both_widths(page, "alerts_rule_form")
    page.select_option("#id_kind", "task_overdue")
    page.fill("#id_repeat_minutes", "1440")
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "Nhiệm vụ quá hạn toàn tỉnh" in page.inner_text("#rules")
    both_widths(page, "alerts_rules")

    assert alerts_evaluate().fired == 2
    assert AlertRule.objects.count() == 1
    page.goto(f"{live_server.url}/alerts/")
    assert page.locator("#alerts [data-state=firing]").count() == 2
    both_widths(page, "alerts_firing")

    page.goto(f"{live_server.url}/alerts/silences/")
    page.select_option("#id_unit", str(province.pk))
    page.fill("#id_ends_on", "31/12/2030")
    page.fill("#id_ends_time", "17:00")
    page.fill("#id_reason", "Đang rà soát danh mục nhiệm vụ")
    page.click("#silence-save")
    page.wait_for_load_state("networkidle")
    assert "Đang rà soát danh mục nhiệm vụ" in page.inner_text("#silences")
    both_widths(page, "alerts_silences")
