"""In Chromium: a reporter's draft (99,9) does not reach the leader's pages; once submitted it is in the province's
figure at once, marked as awaiting approval; returned, it drops out again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.analytics.queries import figure
from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import (
    submission_approve,
    submission_return,
    submission_save_values,
    submission_submit,
)
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MONTH = "202603"


def headline(page) -> str:
    return page.locator("#headline .kpi-number").inner_text()


def test_a_draft_does_not_reach_the_leader_and_a_returned_report_drops_out(
        browser_page, live_server, monthly_form, province, commune_a, commune_b,  # noqa: F811
        revenue, reporter_a, approver_a, leader):
    other = submission_save_values(form=monthly_form, orgunit=commune_b, period=MONTH, user=None, channel=Channel.WEB,
                                   values=[ValueInput(revenue, "actual", Decimal("250"))])
    submission_approve(submission=submission_submit(submission=other, user=None), user=None)
    page = browser_page
    log_in(page, live_server, "reporter_a")
    page.goto(live_server.url + reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, MONTH]))
    page.fill(f"#v-{revenue.pk}-actual", "99,9")
    with page.expect_navigation():
        page.click("button[value=save]")
    assert page.locator("#draft-note").is_visible()
    assert "bản nháp" in page.locator("#draft-note").inner_text()
    screenshot(page, "reported-only-1-reporter-draft")

    leader_view = page.context.browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    leader_page = leader_view.new_page()
    log_in(leader_page, live_server, "leader")
    url = (live_server.url + reverse("dashboard:indicator", args=[revenue.code])
           + f"?unit={province.code}&period={MONTH}")
    leader_page.goto(url)
    assert headline(leader_page).startswith("250,00")  # commune B only: A's 99,9 is a draft
    assert "99,9" not in leader_page.locator("#by-period").inner_text()
    screenshot(leader_page, "reported-only-2-leader-without-draft")

    report = Submission.objects.get(orgunit=commune_a, period=MONTH)
    submission_submit(submission=report, user=reporter_a)
    leader_page.reload()
    assert headline(leader_page).startswith("349,90")
    assert leader_page.locator("#missing-units").count() == 0  # both reports have left their units
    assert "1/2 đơn vị chờ duyệt" in leader_page.locator("#headline").inner_text()
    assert "chờ duyệt" in leader_page.locator(f"#by-period tr[data-period='{MONTH}']").inner_text()
    screenshot(leader_page, "reported-only-3-leader-submitted")

    submission_return(submission=report, user=approver_a, reason="Doanh thu chưa khớp với biểu chi tiết")
    leader_page.reload()
    assert headline(leader_page).startswith("250,00")
    assert figure(revenue, province, MONTH).value == Decimal("250")
    screenshot(leader_page, "reported-only-4-leader-returned")
    leader_view.close()
