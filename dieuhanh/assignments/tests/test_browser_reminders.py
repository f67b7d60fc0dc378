"""In a real browser: the lead unit's reporter reads the day's digest — overdue first — and opens a task from it;
at a phone's width the page does not spill out."""

import datetime

import pytest
from django.urls import reverse

from dieuhanh.assignments.reminders import reminders_send
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = datetime.date(2026, 3, 2)


def test_the_lead_unit_reads_its_digest_and_opens_a_task(browser_page, live_server, make_task, lead_unit,  # noqa: F811
                                                         lead_reporter):
    soon = make_task(title="Xây dựng Kế hoạch chuyển đổi số năm 2026", deadline=MONDAY + datetime.timedelta(days=3))
    late = make_task(title="Báo cáo kết quả thực hiện Đề án 06", deadline=MONDAY - datetime.timedelta(days=2))
    reminders_send(day=MONDAY)

    page = browser_page
    log_in(page, live_server, "lead_reporter")
    page.goto(live_server.url + reverse("assignments:reminders"))
    digest = page.locator("section.reminder")
    assert digest.count() == 1
    assert "02/03/2026" in digest.locator(".card-header").inner_text()
    rows = digest.locator("tbody tr")
    assert rows.count() == 2
    assert late.title in rows.nth(0).inner_text() and "28/02/2026" in rows.nth(0).inner_text()
    assert soon.title in rows.nth(1).inner_text()
    screenshot(page, "task-reminders")

    rows.nth(1).locator("a.task-link").click()
    page.wait_for_url(f"**{reverse('assignments:task_detail', args=[soon.pk])}")
    assert soon.title in page.content()

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + reverse("assignments:reminders"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    screenshot(page, "task-reminders-360")
