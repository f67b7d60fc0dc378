"""A leader opens the form list, then a form's completeness page, in a real browser (Vietnamese by default)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.completeness import local_today, period_to_report
from dieuhanh.reporting.models import Submission
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reports(monthly_form, province, commune_a, commune_b, reporter_a, approver_a):
    """The period being reported, with units in every state."""
    period = period_to_report(monthly_form, local_today())
    deadline = monthly_form.deadline_rule.deadline_for(period)
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    on_time = datetime.datetime.combine(deadline, datetime.time(9, 30), hcm)
    late = on_time + datetime.timedelta(days=2)
    S = Submission.Status
    more = [orgunit_create(code=f"XA-{c}", name=name, kind=OrgUnit.Kind.COMMUNE, parent=province)
            for c, name in (("C", "Xã Tân Đông"), ("D", "Xã Phước Vinh"), ("E", "Phường Kiến Tường"))]
    monthly_form.units.add(*more)
    Submission.objects.create(form=monthly_form, orgunit=commune_a, period=period.id, status=S.APPROVED,
                              submitted_at=on_time, approved_at=late, updated_by=approver_a)
    Submission.objects.create(form=monthly_form, orgunit=commune_b, period=period.id, status=S.SUBMITTED,
                              submitted_at=late, updated_by=reporter_a)
    Submission.objects.create(form=monthly_form, orgunit=more[0], period=period.id, status=S.RETURNED,
                              submitted_at=on_time, returned_reason="Thiếu số thuê bao", updated_by=approver_a)
    Submission.objects.create(form=monthly_form, orgunit=more[1], period=period.id, status=S.DRAFT,
                              updated_by=reporter_a)
    return period


def test_a_leader_follows_the_forms_completeness(browser_page, live_server, leader, monthly_form, reports):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/reporting/")
    table = page.locator("#form-list")
    assert "01/BC-VT" in table.inner_text()
    assert "2/5" in table.inner_text()
    screenshot(page, "form-list")

    page.click("#form-list a.btn-outline-primary")
    page.wait_for_load_state("networkidle")
    assert f"/completeness/{reports.id}/" in page.url
    assert page.locator("tr[data-state]").count() == 5
    assert page.locator('tr[data-unit="XA-E"]').get_attribute("data-state") == "not_started"
    assert page.locator('tr[data-unit="XA-B"]').get_attribute("data-state") == "submitted_late"
    assert "Thiếu số thuê bao" in page.locator('tr[data-unit="XA-C"]').inner_text()
    assert page.locator("#on-time-rate").inner_text() == "20,0%"  # commune A only, of five
    screenshot(page, "completeness")

    page.click("#state-counts a[href='?state=overdue']")
    page.wait_for_load_state("networkidle")
    assert sorted(page.locator("tr[data-unit]").evaluate_all("rows => rows.map(r => r.dataset.unit)")) == [
        "XA-C", "XA-D", "XA-E"]

    page.click("a[rel=prev]")
    page.wait_for_load_state("networkidle")
    assert f"/completeness/{reports.previous().id}/" in page.url
    assert page.locator("tr[data-state=not_started]").count() == 5
