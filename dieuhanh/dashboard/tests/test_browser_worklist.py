"""The worklists in Chromium, at 1366 px and on a 360 px phone: an approver finds the waiting report on logging in
and returns it with a new deadline typed dd/mm/yyyy; the reporter lands on it with the reason; the office finds the
extension request. Screenshots in var/screenshots/worklist-*.png."""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.accounts.models import Role
from dieuhanh.assignments import services as tasks
from dieuhanh.assignments.models import Assigner
from dieuhanh.conftest import make_user
from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.completeness import local_today, period_to_report
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_save_values, submission_submit
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_approver_returns_from_the_worklist_and_the_reporter_finds_it(browser_page, live_server,  # noqa: F811
                                                                       monthly_form, commune_a, reporter_a,
                                                                       approver_a, revenue, subscribers):
    today = local_today()
    period = period_to_report(monthly_form, today)
    draft = submission_save_values(form=monthly_form, orgunit=commune_a, period=period.id, user=reporter_a,
                                   channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("1762.38")),
                                                                ValueInput(subscribers, "actual", Decimal("9"))])
    submission_submit(submission=draft, user=reporter_a)
    page = browser_page

    log_in(page, live_server, "approver_a")  # lands on "/": the worklist
    approvals = page.locator("#work-approvals")
    assert "Báo cáo chờ duyệt" in approvals.inner_text() and period.label in approvals.inner_text()
    assert page.locator("#nav-work-count").inner_text() == "1"
    screenshot(page, "worklist-approver")

    with page.expect_navigation():
        approvals.get_by_role("link", name="Xem và duyệt").click()
    new_deadline = (today + datetime.timedelta(days=7)).strftime("%d/%m/%Y")
    page.fill("#return-reason", "Thiếu số thuê bao cố định")
    page.fill("#resubmit-by", new_deadline)
    page.click("#approval .card-header")  # closes the calendar
    page.locator(".flatpickr-calendar.open").wait_for(state="detached")
    page.locator("#approval").screenshot(path=screenshot(page, "worklist-return-form"))
    with page.expect_navigation():
        page.click("button[value=return]")
    assert f"hạn nộp lại {new_deadline}" in page.locator(".alert-success").inner_text()
    assert Submission.objects.get().resubmit_by == today + datetime.timedelta(days=7)
    assert page.locator("#nav-work-count").count() == 0  # nothing waits for the approver any more

    log_in(page, live_server, "reporter_a")
    returned = page.locator('#work-reports .work-item[data-kind="returned"]')
    assert "Thiếu số thuê bao cố định" in returned.inner_text()
    assert f"Hạn nộp lại {new_deadline}" in returned.inner_text()
    assert page.locator("#nav-work-count").inner_text() == "1"
    screenshot(page, "worklist-reporter")

    page.set_viewport_size(PHONE)
    page.reload()
    assert no_sideways_scroll(page)
    assert returned.is_visible()
    screenshot(page, "worklist-reporter-phone")
    page.click(".navbar-toggler")
    page.locator("#mainnav.show").wait_for()
    assert page.locator("#nav-work-count").is_visible()
    page.click("#nav-ioc")
    assert page.locator("#nav-wall").is_visible() and page.locator("#nav-pivot").is_visible()
    assert page.locator("#nav-dashboards").count() == 0  # reporters configure no dashboard
    screenshot(page, "worklist-reporter-phone-menu")
    with page.expect_navigation():
        returned.get_by_role("link", name="Mở").click()
    assert "Thiếu số thuê bao cố định" in page.locator("#returned-reason").inner_text()


def test_the_office_finds_the_extension_request(browser_page, live_server, province, agency):  # noqa: F811
    office = make_user("van_phong", Role.OFFICE, province)
    staff = make_user("can_bo_so", Role.REPORTER, agency)
    today = local_today()
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province)
    document = tasks.document_create(user=office, number="125/QĐ-UBND", issued_on=today - datetime.timedelta(days=30),
                                     issuer=province, signer="Nguyễn Văn Mạnh", summary="Kế hoạch chuyển đổi số")
    task = tasks.task_create(user=office, title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu (LGSP) của tỉnh",
                             assigner=assigner, assigned_on=today - datetime.timedelta(days=20), lead_unit=agency,
                             deadline_kind="date", deadline=today + datetime.timedelta(days=5), document=document)
    tasks.extension_request(user=staff, occurrence=task.occurrences.get(), reason="Chờ bổ sung kinh phí năm 2027",
                            requested_deadline=today + datetime.timedelta(days=60))
    page = browser_page
    log_in(page, live_server, "van_phong")
    extensions = page.locator("#work-extensions")
    assert "Chờ bổ sung kinh phí năm 2027" in extensions.inner_text()
    assert (today + datetime.timedelta(days=60)).strftime("%d/%m/%Y") in extensions.inner_text()
    assert page.locator("#nav-work-count").inner_text() == "1"
    screenshot(page, "worklist-office")
    page.set_viewport_size(PHONE)
    page.reload()
    assert no_sideways_scroll(page)
    screenshot(page, "worklist-office-phone")
    page.set_viewport_size(DESKTOP)
    with page.expect_navigation():
        extensions.get_by_role("link", name="Xử lý").click()
    assert "Chờ bổ sung kinh phí năm 2027" in page.content()
