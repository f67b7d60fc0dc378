"""The delivery log in Chromium at 1366 and 360 px: every state shows, nothing runs off a phone's screen."""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import submission_approve, submission_save_values, submission_submit
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401 (fixture)
from dieuhanh.webhooks.models import WebhookDelivery
from dieuhanh.webhooks.sending import deliveries_send_due

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_log_on_a_wide_and_a_narrow_screen(browser_page, live_server, receiver, client_key, subscribe,  # noqa: F811
                                               monthly_form, commune_a, reporter_a, approver_a, revenue,
                                               admin_user, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    key = client_key(commune_a)
    subscribe(key, ["report.submitted", "report.approved"])
    subscribe(key, ["report.submitted"], url=receiver.url + "/gone")
    subscribe(key, ["report.approved"], url=receiver.url + "/busy")
    receiver.by_path = {"/hooks/dieuhanh/gone": [410], "/hooks/dieuhanh/busy": [503, 502]}
    report = submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a,
                                    channel="web", values=[ValueInput(indicator=revenue, kind="actual",
                                                                      value=Decimal("4.5"))])
    report = submission_approve(submission=submission_submit(submission=report, user=reporter_a), user=approver_a)
    busy = WebhookDelivery.objects.get(subscription__url__endswith="/busy")
    deliveries_send_due(now=busy.next_attempt_at + datetime.timedelta(seconds=1))
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered", "failed", "gave_up"}

    page = browser_page
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/webhooks/")
    assert page.locator("#deliveries tbody tr").count() == 4
    text = page.locator("#deliveries").inner_text()
    assert "Máy nhận trả lời HTTP 410" in text and "Máy nhận trả lời HTTP 502" in text
    assert "Đã thử lại hết số lần" in text and "Thất bại (lỗi không thử lại)" in text
    screenshot(page, "webhooks-log-1366")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/webhooks/?state=failed")
    assert page.locator("#deliveries tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "webhooks-log-360")
