"""The unit page: a commune's indicators (the analytics figures), its reporting state for the current period and its
overdue tasks; a unit outside the user's scope answers 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.analytics import queries
from dieuhanh.assignments.models import Assigner
from dieuhanh.assignments.services import document_create, task_create
from dieuhanh.conftest import make_user
from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reporting.completeness import REPORTED, completeness, local_today, period_to_report
from dieuhanh.reporting.services import submission_save_values, submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(monthly_form, commune_a, reporter_a, revenue, subscribers):
    """Commune A has sent this period's report; commune B has not."""
    period = period_to_report(monthly_form, local_today())
    submission = submission_save_values(
        form=monthly_form, orgunit=commune_a, period=period.id, user=reporter_a, channel=Channel.WEB,
        values=[ValueInput(revenue, "actual", Decimal("1762.38")), ValueInput(subscribers, "actual", Decimal("9"))],
    )
    submission_submit(submission=submission, user=reporter_a)
    return period


@pytest.fixture
def overdue_task(province, commune_a):
    office = make_user("office", Role.OFFICE, province)
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province)
    today = local_today()
    document = document_create(user=office, number="12/KH-UBND", issued_on=today - datetime.timedelta(days=40),
                               issuer=province, signer="Nguyễn Văn Mạnh", summary="Kế hoạch")
    return task_create(user=office, title="Rà soát hạ tầng cáp quang của xã", assigner=assigner,
                       assigned_on=today - datetime.timedelta(days=30), lead_unit=commune_a, deadline_kind="date",
                       deadline=today - datetime.timedelta(days=2), document=document)


def test_a_commune_page_shows_its_figures_reporting_and_tasks(client, leader, reported, overdue_task, commune_a,
                                                              revenue, monthly_form):
    client.force_login(leader)
    page = client.get(reverse("dashboard:unit", args=[commune_a.code])).content.decode()
    # The revenue row carries the analytics figure of the commune (year to date, to the reported month).
    comparison = queries.comparison(revenue, commune_a, reported.id, ytd=True)
    row_start = page.index('data-indicator="DT_VT"')
    row = page[row_start:page.index("</tr>", row_start)]
    assert comparison.value.value == Decimal("1762.38")
    assert format_number(comparison.value.value, 2) in row
    assert reverse("dashboard:indicator", args=["DT_VT"]) in row
    # Its own report: submitted, with a link to the entry page.
    reporting = page[page.index('id="unit-reporting"'):page.index('id="unit-tasks"')]
    state = next(r.state for r in completeness(monthly_form, reported).rows if r.unit == commune_a)
    assert state in REPORTED
    assert f'badge text-bg-{state.colour}">{state.label}<' in reporting
    assert reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, reported.id]) in reporting
    # Its overdue task, and the link to its task list.
    tasks = page[page.index('id="unit-tasks"'):]
    assert "Rà soát hạ tầng cáp quang của xã" in tasks
    assert f"{reverse('assignments:task_list')}?unit={commune_a.pk}" in tasks


def test_the_province_page_lists_the_units_below(client, leader, reported, province, commune_a, commune_b):
    client.force_login(leader)
    page = client.get(reverse("dashboard:unit", args=[province.code])).content.decode()
    assert reverse("dashboard:unit", args=[commune_a.code]) in page
    assert reverse("dashboard:unit", args=[commune_b.code]) in page
    assert "1/2 đã báo cáo" in page


def test_scoping(client, reporter_a, reporter_b, outsider, reported, commune_a, province):
    client.force_login(reporter_a)
    assert client.get(reverse("dashboard:unit", args=[commune_a.code])).status_code == 200
    assert client.get(reverse("dashboard:unit", args=[province.code])).status_code == 404
    client.force_login(reporter_b)
    assert client.get(reverse("dashboard:unit", args=[commune_a.code])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("dashboard:unit", args=[commune_a.code])).status_code == 404
    assert client.get(reverse("dashboard:unit", args=["NOPE"])).status_code == 404


def test_a_unit_without_figures_says_so(client, leader, agency):
    client.force_login(leader)
    page = client.get(reverse("dashboard:unit", args=[agency.code])).content.decode()
    assert "Đơn vị này chưa có số liệu." in page
    assert "Không có nhiệm vụ quá hạn." in page
    year = Period.containing(PeriodType.YEAR, local_today())
    assert f"period={year.id}" in page
