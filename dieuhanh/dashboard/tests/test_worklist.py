"""Each person's worklist ("Việc cần làm") and the menu that counts it and reaches the IOC pages.

Reporters: reports due, late, returned (with the reason and the new deadline); approvers: reports waiting; the
office and an assigner's account: extension requests and completion reports to decide. Nothing of a unit outside
the person's roles appears. Hand-built dates where the list depends on the day (`worklist(user, today)`).
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dieuhanh.accounts.models import Role
from dieuhanh.assignments import services as tasks
from dieuhanh.assignments.models import Assigner
from dieuhanh.conftest import make_user
from dieuhanh.dashboard.worklist import Menu, worklist
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.completeness import local_today, period_to_report
from dieuhanh.reporting.models import ReportForm, Submission

pytestmark = pytest.mark.django_db
S = Submission.Status
D = datetime.date


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def report(form, unit, period, status, **fields) -> Submission:
    return Submission.objects.create(form=form, orgunit=unit, period=period, status=status, **fields)


def items(work) -> list[tuple]:
    return [(t.kind, t.form.code, t.unit.code, t.period.id, t.deadline) for t in work.to_make]


def page(client, user, url="/") -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def badge(html: str) -> str | None:
    found = re.search(r'id="nav-work-count">(\d+)<', html)
    return found.group(1) if found else None


@pytest.fixture
def office(province):
    return make_user("van_phong", Role.OFFICE, province)


@pytest.fixture
def assigned(province, agency, office):
    """Two tasks led by the agency (Sở KH&CN): one with an extension request, one reported completed; a task led by
    commune B with its own extension request (for an office that holds only commune A)."""
    chairman = make_user("chu_tich", Role.LEADER, province)
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province,
                                       user=chairman)
    today = local_today()
    document = tasks.document_create(user=office, number="125/QĐ-UBND", issued_on=today - datetime.timedelta(days=30),
                                     issuer=province, signer="Nguyễn Văn Mạnh", summary="Kế hoạch chuyển đổi số")
    staff = make_user("can_bo_so", Role.REPORTER, agency)

    def task(title, unit):
        return tasks.task_create(user=office, title=title, assigner=assigner, assigned_on=today - datetime.timedelta(
            days=20), lead_unit=unit, deadline_kind="date", deadline=today + datetime.timedelta(days=10),
            document=document)

    extended = task("Triển khai nền tảng LGSP", agency)
    tasks.extension_request(user=staff, occurrence=extended.occurrences.get(), reason="Chờ kinh phí bổ sung",
                            requested_deadline=today + datetime.timedelta(days=40))
    done = task("Ban hành kế hoạch chuyển đổi số", agency)
    tasks.completion_report(user=staff, occurrence=done.occurrences.get(), completed_on=today,
                            result_note="Đã ban hành")
    return {"chairman": chairman, "extended": extended, "done": done}


# --- reporters ----------------------------------------------------------------------------------------------------
def test_a_reporter_sees_the_late_report_and_the_returned_one_with_its_reason(monthly_form, commune_a, commune_b,
                                                                              reporter_a):
    today = D(2026, 3, 20)  # March's report (due 15/03) is being collected, and is late
    assert period_to_report(monthly_form, today).id == "202603"
    report(monthly_form, commune_a, "202603", S.DRAFT)  # figures typed, never sent: not reported
    report(monthly_form, commune_a, "202602", S.RETURNED, returned_reason="Thiếu số thuê bao di động",
           resubmit_by=D(2026, 3, 25))
    report(monthly_form, commune_b, "202602", S.RETURNED, returned_reason="Xã B", resubmit_by=D(2026, 3, 25))
    work = worklist(reporter_a, today)
    assert items(work) == [("late", "01/BC-VT", commune_a.code, "202603", D(2026, 3, 15)),
                           ("returned", "01/BC-VT", commune_a.code, "202602", D(2026, 3, 25))]
    late, returned = work.to_make
    assert (late.is_draft, late.days_late) == (True, 5)
    assert (returned.late, returned.days_left, returned.submission.returned_reason) == (
        False, 5, "Thiếu số thuê bao di động")
    assert (work.to_approve, work.extensions, work.completions) == ([], [], [])


def test_a_report_due_soon_then_nothing_once_submitted(monthly_form, commune_a, reporter_a):
    today = D(2026, 3, 15)  # the deadline day itself: due, not late
    assert items(worklist(reporter_a, today)) == [("due", "01/BC-VT", commune_a.code, "202603", D(2026, 3, 15))]
    assert worklist(reporter_a, today).to_make[0].days_left == 0
    report(monthly_form, commune_a, "202603", S.SUBMITTED)
    assert items(worklist(reporter_a, today)) == []


def test_a_returned_report_past_its_new_deadline_is_late(monthly_form, commune_a, reporter_a):
    report(monthly_form, commune_a, "202603", S.SUBMITTED)
    report(monthly_form, commune_a, "202602", S.RETURNED, returned_reason="Sai đơn vị tính",
           resubmit_by=D(2026, 3, 18))
    (returned,) = worklist(reporter_a, D(2026, 3, 20)).to_make
    assert (returned.kind, returned.late, returned.days_late) == ("returned", True, 2)


def test_a_reporter_lands_on_the_worklist_at_home(client, monthly_form, commune_a, commune_b, reporter_a):
    period = period_to_report(monthly_form, local_today())
    report(monthly_form, commune_a, period.previous().id, S.RETURNED, returned_reason="Thiếu số thuê bao di động",
           resubmit_by=local_today() + datetime.timedelta(days=5))
    report(monthly_form, commune_b, period.previous().id, S.RETURNED, returned_reason="Lý do của xã B",
           resubmit_by=local_today())
    html = page(client, reporter_a)
    assert "Việc cần làm" in html and 'id="work-reports"' in html
    assert "Thiếu số thuê bao di động" in html and "Hạn nộp lại" in html
    assert "Lý do của xã B" not in html and f'data-unit="{commune_b.code}"' not in html
    assert html.count('class="list-group-item work-item"') == 2  # this period's report, and the returned one
    assert badge(html) == "2"
    assert 'id="modules"' in html  # the modules stay on the officials' home page
    assert 'id="work-approvals"' not in html and 'id="work-extensions"' not in html


# --- approvers ----------------------------------------------------------------------------------------------------
def test_an_approver_sees_the_reports_waiting_for_approval(client, monthly_form, commune_a, commune_b, approver_a):
    report(monthly_form, commune_a, "202603", S.SUBMITTED, submitted_at="2026-03-14T10:00+07:00")
    report(monthly_form, commune_a, "202602", S.APPROVED)
    report(monthly_form, commune_b, "202603", S.SUBMITTED)  # another unit's: not this approver's
    work = worklist(approver_a)
    assert [(s.orgunit, s.period) for s in work.to_approve] == [(commune_a, "202603")]
    html = page(client, approver_a)
    assert 'id="work-approvals"' in html and "Báo cáo chờ duyệt" in html and "Tháng 3/2026" in html
    assert reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"]) in html
    assert f'data-unit="{commune_b.code}"' not in html
    assert badge(html) == "1"


# --- the office, an assigner's account -----------------------------------------------------------------------------
def test_the_office_sees_the_extension_request_and_the_completion_report(client, office, assigned):
    work = worklist(office)
    assert [e.occurrence.task for e in work.extensions] == [assigned["extended"]]
    assert [o.task for o in work.completions] == [assigned["done"]]
    html = page(client, office, reverse("worklist"))
    assert "Đề nghị gia hạn chờ quyết định" in html and "Chờ kinh phí bổ sung" in html
    assert "Báo cáo hoàn thành chờ xác nhận" in html and "Ban hành kế hoạch chuyển đổi số" in html
    assert badge(html) == "2"
    assert re.search(r'id="nav-tasks">.*?<span class="badge[^>]*>2</span>', html, re.S)


def test_an_office_of_another_subtree_and_a_reporter_see_no_decision(client, commune_b, reporter_a, assigned):
    other_office = make_user("van_phong_xa", Role.OFFICE, commune_b)
    assert (worklist(other_office).extensions, worklist(other_office).completions) == ([], [])
    assert 'id="work-extensions"' not in page(client, reporter_a)


def test_the_assigners_account_keeps_the_overview_and_is_told_what_waits(client, assigned):
    chairman = assigned["chairman"]
    assert len(worklist(chairman).extensions) == 1
    html = page(client, chairman)
    assert "Tổng quan điều hành" in html or 'id="kpi-cards"' in html  # the leader's overview stays at /
    assert 'id="worklist-banner"' in html and "Có 2 việc đang chờ bạn" in html
    assert 'id="work-extensions"' in page(client, chairman, reverse("worklist"))


def test_a_leader_with_nothing_waiting_sees_no_banner(client, leader, monthly_form):
    html = page(client, leader)
    assert 'id="worklist-banner"' not in html and badge(html) is None


# --- the menu -----------------------------------------------------------------------------------------------------
def test_the_menu_reads_its_counts_in_a_few_queries_whatever_the_data(province, monthly_form, commune_a, assigned):
    everyone = make_user("ca_ba_vai", Role.REPORTER, commune_a)
    for role in (Role.APPROVER, Role.OFFICE):
        everyone.role_assignments.create(role=role, orgunit=province if role == Role.OFFICE else commune_a)
    quarterly = ReportForm.objects.create(code="Q", name="Quý", period_type="quarter",  # holidays move its deadline
                                          deadline_kind=ReportForm.DeadlineKind.WORKING_DAYS, deadline_working_days=3)
    quarterly.units.set([commune_a])
    report(quarterly, commune_a, period_to_report(quarterly, local_today()).id, S.SUBMITTED)

    def measure():
        menu = Menu(everyone)
        with CaptureQueriesContext(connection) as queries:
            counts = dict(menu.counts), menu.work_count, menu.ioc, menu.configures, menu.leader
        return len(queries), counts

    before, counts = measure()
    assert counts[0] == {"reports": 1, "approvals": 1, "decisions": 2}
    # Five more forms and twenty more communes with reports in every state: the same number of queries.
    communes = [orgunit_create(code=f"X{i:02d}", name=f"Xã {i}", kind=OrgUnit.Kind.COMMUNE, parent=province)
                for i in range(20)]
    everyone.role_assignments.filter(role=Role.REPORTER).update(orgunit=province)
    everyone.role_assignments.filter(role=Role.APPROVER).update(orgunit=province)
    for n in range(5):
        form = ReportForm.objects.create(code=f"F{n}", name=f"Biểu {n}", period_type="month", deadline_day=15)
        form.units.set(communes)
        period = period_to_report(form, local_today())
        for i, unit in enumerate(communes[:8]):
            report(form, unit, period.id, [S.SUBMITTED, S.APPROVED, S.DRAFT, S.RETURNED][i % 4])
    after, counts = measure()
    # roles; the reporter's forms, returned reports, holidays, the forms' units, submissions; approvals and decisions;
    # the data version and the roles again for the counts' cache key (once per request in a page: requestmemo)
    assert after == before == 9, (before, after)
    assert counts[0]["approvals"] == 11 and counts[0]["reports"] > 50


# Each with the data version and the roles for the counts' cache key (datacache), read once per request in a page.
@pytest.mark.parametrize(("who", "queries"), [("leader", 3), ("reporter_a", 7), ("approver_a", 4), ("office", 4)])
def test_the_menu_of_one_role(request, monthly_form, who, queries):
    menu = Menu(request.getfixturevalue(who))
    with CaptureQueriesContext(connection) as captured:
        menu.work_count, menu.ioc, menu.configures, menu.leader  # noqa: B018
    assert len(captured) == queries


def test_the_menu_costs_nothing_for_a_visitor(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("login")).status_code == 200
    assert not [q for q in queries if "role_assignment" in q["sql"].lower()]


@pytest.mark.parametrize("who", ["leader", "admin_user", "reporter_a", "approver_a", "office", "outsider"])
def test_the_menu_offers_the_ioc_pages_exactly_to_those_they_answer(client, request, who, monthly_form):
    user = request.getfixturevalue(who)
    html = page(client, user, reverse("worklist"))
    for link, url in (("nav-wall", reverse("dashboard:wall")), ("nav-pivot", reverse("dashboard:pivot")),
                      ("nav-dashboards", reverse("dashboard:config_list"))):
        answers = client.get(url).status_code
        assert answers in (200, 404)
        assert (f'id="{link}"' in html) == (answers == 200), (who, link, answers)
