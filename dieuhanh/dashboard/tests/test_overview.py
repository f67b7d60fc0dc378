"""The leaders' overview at `/`: KPI cards whose figures are the database's, the task scorecard, reporting
completeness, the alerts; module links for everyone else; a few queries whatever the card count."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.services import rules_default_create
from dieuhanh.analytics import queries
from dieuhanh.assignments.models import Assigner, Occurrence
from dieuhanh.assignments.scorecards import scorecard
from dieuhanh.assignments.services import document_create, task_create
from dieuhanh.conftest import make_user
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.indicators.models import Channel, Indicator, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.completeness import completeness, local_today, period_to_report
from dieuhanh.reporting.services import submission_save_values, submission_submit

pytestmark = pytest.mark.django_db


def this_month() -> Period:
    return Period.containing(PeriodType.MONTH, local_today())


def card_html(page: str, code: str) -> str:
    """The HTML of the KPI card of indicator `code`."""
    start = page.rindex("<a ", 0, page.index(f'data-indicator="{code}"'))
    end = page.find("</a>", start)
    return page[start:end]


def card_number(page: str, code: str) -> str:
    return re.search(r'class="kpi-number">([^<]*)<', card_html(page, code)).group(1)


@pytest.fixture
def figures(province, commune_a, commune_b, revenue, subscribers, monthly_form, leader):
    """Revenue this month (commune A actual, commune B estimate), the same month last year, the year's target;
    subscribers of commune A only (commune B has not reported them)."""
    month = this_month()
    save = datavalues_save
    save(state=ValueState.APPROVED, orgunit=commune_a, period=month.id, user=leader, channel=Channel.WEB,
         values=[ValueInput(revenue, "actual", Decimal("1762.38")),
                 ValueInput(subscribers, "actual", Decimal("182345"))])
    save(state=ValueState.APPROVED, orgunit=commune_b, period=month.id, user=leader, channel=Channel.WEB,
         values=[ValueInput(revenue, "estimate", Decimal("250.5"))])
    save(state=ValueState.APPROVED,
         orgunit=commune_a, period=month.same_period_last_year().id, user=leader, channel=Channel.WEB,
         values=[ValueInput(revenue, "actual", Decimal("1500"))])
    save(state=ValueState.APPROVED, orgunit=province, period=str(month.year), user=leader, channel=Channel.WEB,
         values=[ValueInput(revenue, "target", Decimal("24000"))])
    return month


def test_it_shows_the_cards_with_the_databases_figures(client, leader, figures, revenue, province):
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    # Year to date = this year's values of both communes (the latest month is the only one with values).
    expected = Decimal("1762.38") + Decimal("250.5")
    assert card_number(page, "DT_VT") == format_number(expected, 2) == "2.012,88"
    card = card_html(page, "DT_VT")
    # Same period last year only commune A reported (1500): the growth is commune A's alone, 1762,38 against 1500
    # (up 17,5%), and says so — not both communes against one (34,2%). The estimate of commune B is marked.
    growth = (Decimal("1762.38") - 1500) * 100 / 1500
    assert f"tăng {format_number(growth, 1)}% so với cùng kỳ" in card
    assert "so sánh trên 1/2 đơn vị đã báo cáo" in card
    assert "ước" in card
    assert f"Lũy kế đến {figures.label}" in card
    assert "24.000,00 tỷ đồng" in card
    assert f"{format_number(expected * 100 / 24000, 1)}%" in card
    # And the analytics API says the same.
    comparison = queries.comparison(revenue, province, figures.id, ytd=True)
    assert comparison.value.value == expected
    assert card_number(page, "TB_DD") == "182.345"
    assert reverse("dashboard:indicator", args=["DT_VT"]) in card


def test_it_notes_units_that_have_not_reported(client, leader, figures):
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert "1/2 đơn vị có số liệu" in card_html(page, "TB_DD")
    assert "Số liệu đến" in page


def test_it_shows_the_tasks_scorecard_of_the_year(client, leader, province, agency, figures):
    office = make_user("office", Role.OFFICE, province)
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province)
    today = local_today()
    start = datetime.date(today.year, 1, 1)
    document = document_create(user=office, number="125/QĐ-UBND", issued_on=start, issuer=province,
                               signer="Nguyễn Văn Mạnh", summary="Kế hoạch chuyển đổi số")
    for i, key in enumerate([True, False, False]):
        task_create(user=office, title=f"Nhiệm vụ {i}", assigner=assigner, assigned_on=start, lead_unit=agency,
                    deadline_kind="date", deadline=max(start, today - datetime.timedelta(days=1)),
                    document=document, is_key=key)
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    year = Period.containing(PeriodType.YEAR, today)
    occurrences = Occurrence.objects.all()
    every = scorecard(occurrences, start=year.start, end=year.end, as_of=today)
    key = scorecard(occurrences, start=year.start, end=year.end, as_of=today, key_only=True)
    assert every.due == 3 and key.due == 1
    panel = page[page.index('id="task-panel"'):page.index('id="reporting-panel"')]
    assert f"{every.completed}/{every.due} hoàn thành" in panel
    assert f"{key.completed}/{key.due} hoàn thành" in panel
    assert reverse("assignments:scorecard") in panel


def test_it_shows_reporting_completeness_of_the_current_period(client, leader, monthly_form, commune_a, commune_b,
                                                               reporter_a, revenue):
    period = period_to_report(monthly_form, local_today())
    submission = submission_save_values(form=monthly_form, orgunit=commune_a, period=period.id, user=reporter_a,
                                        channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("5"))])
    submission_submit(submission=submission, user=reporter_a)
    rules_default_create(unit=commune_a.parent)  # the alert panel reads the late-report rule's alerts
    alerts_evaluate()
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    result = completeness(monthly_form, period)
    assert result.reported == 1 and result.expected == 2
    row = page[page.index(f'data-form="{monthly_form.code}"'):]
    assert "1/2 đã báo cáo" in row[:800]
    assert period.label in row[:800]
    alerts = page[page.index('id="alerts-panel"'):]
    if result.overdue:  # past the deadline (on the deadline day itself, nobody is late yet)
        assert f"Biểu {monthly_form.code}: 1 đơn vị chưa nộp" in alerts
    else:
        assert "Không có cảnh báo" in alerts


def test_a_reporter_gets_the_module_links_and_their_unit(client, reporter_a, figures, commune_a):
    client.force_login(reporter_a)
    page = client.get(reverse("home")).content.decode()
    assert 'id="kpi-cards"' not in page
    assert 'id="modules"' in page
    assert reverse("dashboard:unit", args=[commune_a.code]) in page
    assert reverse("assignments:task_list") in page


def test_a_leader_gets_the_module_links_below_the_panels(client, leader, figures):
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert page.index('id="kpi-cards"') < page.index('id="modules"')


def test_a_unit_outside_the_scope_is_404(client, leader, figures, commune_a):
    other = orgunit_create(code="QT", name="Quảng Trị", kind=OrgUnit.Kind.PROVINCE)
    client.force_login(leader)
    assert client.get(reverse("home"), {"unit": other.code}).status_code == 404
    assert client.get(reverse("home"), {"unit": commune_a.code}).status_code == 200


def test_a_commune_leader_sees_the_communes_figures(client, commune_a, figures):
    chair = make_user("chu_tich_xa", Role.LEADER, commune_a)
    client.force_login(chair)
    page = client.get(reverse("home")).content.decode()
    assert card_number(page, "DT_VT") == "1.762,38"
    assert client.get(reverse("home"), {"unit": "TN"}).status_code == 404


def test_a_configured_dashboard_replaces_the_default(client, leader, figures, subscribers, province):
    dashboard = Dashboard.objects.create(name="Hạ tầng số", is_default=True)
    Card.objects.create(dashboard=dashboard, indicator=subscribers, kind=Card.Kind.KPI, title="Thuê bao")
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert 'data-indicator="TB_DD"' in page
    assert 'data-indicator="DT_VT"' not in page
    assert "Hạ tầng số" in page


def test_it_needs_a_few_queries_whatever_the_number_of_cards(client, leader, figures, ict_sector, province):
    dashboard = Dashboard.objects.create(name="Nhiều thẻ", is_default=True)

    def add_cards(count):
        for _ in range(count):
            n = Indicator.objects.count()
            indicator = Indicator.objects.create(code=f"X{n}", name=f"Chỉ tiêu {n}", unit="cái", sector=ict_sector)
            datavalues_save(state=ValueState.APPROVED,
                            orgunit=province, period=str(local_today().year), user=leader, channel=Channel.WEB,
                            values=[ValueInput(indicator, "actual", Decimal(n))])
            Card.objects.create(dashboard=dashboard, indicator=indicator, order=n)

    client.force_login(leader)
    add_cards(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    add_cards(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home")).content.decode()
    assert page.count('class="kpi-number"') == 23
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_leader_with_several_dashboards_switches_between_them(client, leader, figures, revenue, subscribers):
    first = Dashboard.objects.create(name="Viễn thông", order=1, is_default=True)
    Card.objects.create(dashboard=first, indicator=revenue)
    second = Dashboard.objects.create(name="Thuê bao", order=2, is_default=True)
    Card.objects.create(dashboard=second, indicator=subscribers)
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert f'href="?dashboard={second.pk}"' in page
    assert 'data-indicator="DT_VT"' in page and 'data-indicator="TB_DD"' not in page
    page = client.get(reverse("home"), {"dashboard": second.pk}).content.decode()
    assert 'data-indicator="TB_DD"' in page and 'data-indicator="DT_VT"' not in page
    assert client.get(reverse("home"), {"dashboard": 999}).status_code == 404


def test_a_change_that_rounds_to_nothing_reads_unchanged(revenue):
    from dieuhanh.dashboard.cards import change_text

    revenue.value_type = Indicator.ValueType.PERCENT
    assert change_text(revenue, Decimal("97.52"), Decimal("97.49"), None, "so với cùng kỳ")[0] == (
        "không đổi so với cùng kỳ")
    assert change_text(revenue, Decimal("97.6"), Decimal("97.49"), None, "so với cùng kỳ")[0] == (
        "tăng 0,1 điểm phần trăm so với cùng kỳ")
    revenue.value_type = Indicator.ValueType.NUMBER
    revenue.direction = Indicator.Direction.LOWER
    text, css = change_text(revenue, Decimal("90"), Decimal("100"), None, "so với cùng kỳ")
    assert text == "giảm 10,0% so với cùng kỳ" and css == "text-success"


def test_the_default_dashboard_shows_what_a_department_has(client, agency, figures, mobile_revenue):
    datavalues_save(state=ValueState.APPROVED, orgunit=agency, period=figures.id, user=None, channel=Channel.WEB,
                    values=[ValueInput(mobile_revenue, "actual", Decimal("12.5"))])
    director = make_user("giam_doc_so", Role.LEADER, agency)
    client.force_login(director)
    page = client.get(reverse("home")).content.decode()
    assert 'data-indicator="DT_VT"' not in page  # nothing of the communes' revenue is the department's
    assert card_number(page, "DT_DD") == "12,50"


def test_the_span_of_a_card_says_how_the_year_adds_up(revenue):
    from dieuhanh.dashboard.cards import span_label

    month = Period(2026, PeriodType.MONTH, 11)
    assert span_label(Card.Span.YEAR_TO_DATE, month, revenue) == "Lũy kế đến Tháng 11/2026"
    revenue.period_aggregation = Indicator.PeriodAggregation.AVERAGE
    assert span_label(Card.Span.YEAR_TO_DATE, month, revenue) == "Bình quân từ đầu năm đến Tháng 11/2026"
    revenue.period_aggregation = Indicator.PeriodAggregation.LAST
    assert span_label(Card.Span.YEAR_TO_DATE, month, revenue) == "Tháng 11/2026"
