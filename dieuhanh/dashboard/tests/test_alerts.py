"""Alerts on the overview and the wall: overdue tasks, late reports, KPIs behind their target — each from real
records, the most severe first, a few shown with "và N cảnh báo khác", and only those of the viewer's scope."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments import services
from dieuhanh.assignments.models import Assigner, Occurrence, Status
from dieuhanh.assignments.selectors import task_rows
from dieuhanh.conftest import make_user
from dieuhanh.dashboard import alerts as alerting
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.dashboard.views_overview import completeness_rows
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.reporting.completeness import local_today, period_to_report
from dieuhanh.reporting.models import ReportForm
from dieuhanh.reporting.services import submission_save_values, submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def office(province):
    return make_user("van_phong", Role.OFFICE, province)


@pytest.fixture
def make_task(office, province):
    """A dated task led by `unit`, assigned two months ago, due `days_ago` days ago (negative: in the future)."""
    today = local_today()
    start = today - datetime.timedelta(days=60)
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province)
    document = services.document_create(user=office, number="125/QĐ-UBND", issued_on=start, issuer=province,
                                        signer="Nguyễn Văn Mạnh", summary="Kế hoạch chuyển đổi số")

    def make(title, unit, days_ago, key=False):
        task = services.task_create(user=office, title=title, assigner=assigner, assigned_on=start, lead_unit=unit,
                                    deadline_kind="date", deadline=today - datetime.timedelta(days=days_ago),
                                    document=document, is_key=key)
        return task

    return make


def overview_alerts(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    return response.context["alerts"], html[html.index('id="alerts-panel"'):]


def of(alerts, source):
    return [a for a in alerts.shown if a.source == source]


def test_overdue_tasks_are_counted_with_the_most_overdue_and_their_lead_units(
        client, leader, office, make_task, agency, commune_a, commune_b, province):
    make_task("Triển khai nền tảng số cấp xã", commune_a, 5)
    make_task("Báo cáo chuyển đổi số quý", agency, 20)
    make_task("Kết nối liên thông văn bản", agency, 10, key=True)
    make_task("Rà soát trạm BTS", commune_b, 1)
    make_task("Chưa đến hạn", agency, -3)  # due in three days
    make_task("Hạn hôm nay", agency, 0)  # the deadline day itself is still on time
    done = make_task("Đã hoàn thành", agency, 30)
    staff = make_user("chuyen_vien_so", Role.REPORTER, agency)
    occurrence = Occurrence.objects.get(task=done)
    services.completion_report(user=staff, occurrence=occurrence, completed_on=local_today() - datetime.timedelta(
        days=2), result_note="Đã gửi báo cáo")
    services.completion_confirm(user=office, occurrence=Occurrence.objects.get(task=done))
    paused = make_task("Tạm dừng", agency, 15)
    services.task_pause(user=office, task=paused, reason="Chờ hướng dẫn của Bộ",
                        on=local_today() - datetime.timedelta(days=40))
    cancelled = make_task("Đã hủy", commune_a, 15)
    services.task_cancel(user=office, task=cancelled, reason="Không còn phù hợp")

    alerts, panel = overview_alerts(client, leader)
    [alert] = of(alerts, "tasks")
    assert alert.severity == alerting.Severity.CRITICAL
    assert alert.title == "4 nhiệm vụ quá hạn"
    assert alert.detail == "trong đó 1 nhiệm vụ trọng tâm"
    assert [line.text for line in alert.lines] == [
        "Báo cáo chuyển đổi số quý — Sở Khoa học và Công nghệ · quá hạn 20 ngày",
        "Kết nối liên thông văn bản — Sở Khoa học và Công nghệ · quá hạn 10 ngày",
        "Triển khai nền tảng số cấp xã — Xã Hưng Điền · quá hạn 5 ngày",
    ]
    assert "4 nhiệm vụ quá hạn" in panel and "quá hạn 20 ngày" in panel
    # The count is the task list's: the link opens the overdue tasks of the unit, and they are the same four.
    assert alert.url == reverse("assignments:task_list") + f"?status=overdue&unit={province.pk}"
    listed = task_rows(leader, on=local_today(), unit=province, status=Status.OVERDUE)
    assert len(listed) == 4
    page = client.get(alert.url)
    assert page.status_code == 200 and page.context["total"] == 4


def test_late_reports_name_the_form_the_units_missing_and_the_deadline(
        leader, monthly_form, commune_a, commune_b, reporter_a, revenue, agency):
    today = datetime.date(2026, 11, 27)  # November's reports were due on 15/11
    period = period_to_report(monthly_form, today)
    assert period.id == "202611"
    # Commune A has reported; commune B has not.
    submission = submission_save_values(form=monthly_form, orgunit=commune_a, period=period.id, user=reporter_a,
                                        channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("5"))])
    submission_submit(submission=submission, user=reporter_a)
    # Another form that every unit has sent gives no alert.
    done = ReportForm.objects.create(code="02/BC-VT", name="Báo cáo trạm BTS", period_type="month", deadline_day=10,
                                     receiver=agency)
    done.units.set([commune_a])
    submission_submit(submission=submission_save_values(form=done, orgunit=commune_a, period=period.id,
                                                        user=reporter_a, channel=Channel.WEB, values=[]),
                      user=reporter_a)
    scope = units_in_scope(leader)
    rows = completeness_rows(scope.get(code="TN"), scope, today)
    assert {r.form.code for r in rows} == {"01/BC-VT", "02/BC-VT"}
    alerts = alerting.late_reports(alerting.Situation(scope.get(code="TN"), scope, today, [], rows))
    [alert] = alerts
    deadline = next(r for r in rows if r.form == monthly_form).result.deadline
    assert alert.title == f"Biểu 01/BC-VT: 1 đơn vị chưa nộp, quá hạn ngày {deadline:%d/%m/%Y}"
    assert alert.detail == "Tháng 11/2026 · Phường Long An"
    assert alert.severity == alerting.Severity.WARNING
    assert alert.url == reverse("reporting:completeness", args=[monthly_form.pk, "202611"])
    # On the deadline day itself nobody is late yet.
    rows = completeness_rows(scope.get(code="TN"), scope, deadline)
    assert [r.result.period.id for r in rows] == ["202611", "202611"]
    assert alerting.late_reports(alerting.Situation(scope.get(code="TN"), scope, deadline, [], rows)) == []


@pytest.fixture
def behind(province, commune_a, commune_b, revenue, subscribers, monthly_form, leader):
    """Revenue far behind the year's target (behind); subscribers above theirs (on track); both communes reported
    (a figure lacking a unit has no pace)."""
    month = Period.containing(PeriodType.MONTH, local_today())
    for unit in (commune_a, commune_b):
        datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=month.id, user=leader, channel=Channel.WEB,
                        values=[ValueInput(revenue, "actual", Decimal("50")),
                                ValueInput(subscribers, "actual", Decimal("91172"))])
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=province, period=str(month.year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "target", Decimal("24000")),
                            ValueInput(subscribers, "target", Decimal("1000"))])
    return month


def test_a_kpi_behind_its_target_is_an_alert_that_opens_the_indicator(client, leader, behind):
    alerts, panel = overview_alerts(client, leader)
    cards = {c.indicator.code: c for c in client.get(reverse("home")).context["cards"]}
    assert cards["DT_VT"].pace_label == "Chậm tiến độ" and cards["TB_DD"].pace_label == "Đúng tiến độ"
    [alert] = of(alerts, "kpi")
    assert alert.title == "Doanh thu viễn thông: chậm so với kế hoạch"
    assert alert.detail.startswith(f"Đạt {cards['DT_VT'].pct_of_target} kế hoạch 24.000,00 tỷ đồng · ")
    assert alert.url == cards["DT_VT"].url
    assert f'href="{alert.url.replace("&", "&amp;")}"' in panel


def test_an_indicator_on_two_cards_behind_is_one_alert(client, leader, behind, revenue):
    dashboard = Dashboard.objects.create(name="Viễn thông", is_default=True)
    Card.objects.create(dashboard=dashboard, indicator=revenue, order=1)
    Card.objects.create(dashboard=dashboard, indicator=revenue, kind=Card.Kind.CHART, order=2)
    alerts, _ = overview_alerts(client, leader)
    assert [a.title for a in of(alerts, "kpi")] == ["Doanh thu viễn thông: chậm so với kế hoạch"]


def test_alerts_come_most_severe_first_and_a_few_are_shown(client, leader, behind, make_task, agency,
                                                           monkeypatch):
    make_task("Báo cáo chuyển đổi số quý", agency, 3)

    def monitoring(situation):  # a later source (system monitoring) is one more function
        return [alerting.Alert(alerting.Severity.INFO, f"Máy chủ {n}", url="/", source="system") for n in range(6)]

    monkeypatch.setattr(alerting, "SOURCES", [monitoring, *alerting.SOURCES])
    alerts, panel = overview_alerts(client, leader)
    severities = [a.severity for a in alerts.shown]
    assert severities == sorted(severities, reverse=True)
    sources = [a.source for a in alerts.shown]
    # Listed first, the monitoring source still comes after the critical task and the warnings.
    assert sources[0] == "tasks" and sources.index("kpi") < sources.index("system")
    assert len(alerts.shown) == alerting.MAX_SHOWN
    assert alerts.total == alerts.more + alerting.MAX_SHOWN and alerts.more >= 2
    assert f"và {alerts.more} cảnh báo khác" in panel
    assert "Máy chủ" in panel  # informational alerts fill what is left


def test_without_anything_to_act_on_it_says_no_alerts(client, leader, province, revenue):
    alerts, panel = overview_alerts(client, leader)
    assert not alerts and alerts.total == 0
    assert "Không có cảnh báo" in panel and 'id="alerts-count"' not in panel


def test_a_leader_sees_only_the_alerts_of_units_in_their_scope(client, leader, make_task, agency, commune_a,
                                                               commune_b, monthly_form):
    make_task("Việc của xã A", commune_a, 4)
    make_task("Việc của xã B", commune_b, 8)
    make_task("Việc của Sở", agency, 12)
    commune_leader = make_user("chu_tich_xa_a", Role.LEADER, commune_a)
    alerts, panel = overview_alerts(client, commune_leader)
    [tasks] = of(alerts, "tasks")
    assert tasks.title == "1 nhiệm vụ quá hạn" and "Việc của xã A" in tasks.lines[0].text
    assert "Việc của xã B" not in panel and "Việc của Sở" not in panel
    for alert in of(alerts, "reporting"):  # the commune's own report only
        assert "1 đơn vị chưa nộp" in alert.title and "Phường Long An" not in alert.detail
    # The province's leader sees all three.
    alerts, _ = overview_alerts(client, leader)
    assert of(alerts, "tasks")[0].title == "3 nhiệm vụ quá hạn"


def test_the_wall_shows_the_alerts_panel(client, leader, make_task, agency):
    make_task("Báo cáo chuyển đổi số quý", agency, 20)
    client.force_login(leader)
    panels = client.get(reverse("dashboard:wall")).context["panels"]
    [panel] = [p for p in panels if p.kind == "alerts"]
    assert panel.items[0].title == "1 nhiệm vụ quá hạn"
    html = client.get(reverse("dashboard:wall_panels")).content.decode()
    section = html[html.index('data-kind="alerts"'):]
    assert "1 nhiệm vụ quá hạn" in section and "quá hạn 20 ngày" in section


def test_the_alerts_cost_one_query_whatever_the_number_of_overdue_tasks(client, leader, make_task, agency):
    client.force_login(leader)
    make_task("Nhiệm vụ 0", agency, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(1, 12):
        make_task(f"Nhiệm vụ {n}", agency, 2 + n)
    with CaptureQueriesContext(connection) as many:
        alerts = client.get(reverse("home")).context["alerts"]
    assert of(alerts, "tasks")[0].title == "12 nhiệm vụ quá hạn"
    assert len(many.captured_queries) == len(few.captured_queries)
    scope = units_in_scope(leader)
    situation = alerting.Situation(scope.get(code="TN"), scope, local_today())
    with CaptureQueriesContext(connection) as alone:
        alerting.overdue_tasks(situation)
    assert len(alone.captured_queries) == 1


def test_kpis_behind_come_furthest_behind_first_by_their_pace(province, revenue, subscribers):
    """A lower-is-better figure at three times its target (ratio 0,33) is further behind than a flow at half of
    what was expected by now (ratio 0,5), although its share of the target reads 300%."""
    from dieuhanh.dashboard.cards import Kpi

    month = Period.containing(PeriodType.MONTH, local_today())

    def card(indicator, pct_width, ratio):
        return Kpi(indicator=indicator, title=indicator.name, url=f"/{indicator.code}/", period=month,
                   period_label=month.label, value="1", unit=indicator.unit, pace="danger",
                   pct_width=pct_width, pace_ratio=Decimal(ratio))

    situation = alerting.Situation(province, units_in_scope(make_user("x", Role.LEADER, province)), local_today(),
                                   cards=[card(revenue, "50.0", "0.5"), card(subscribers, "100.0", "0.333333")])
    assert [a.url for a in alerting.kpis_behind(situation)] == ["/TB_DD/", "/DT_VT/"]


def test_a_system_down_is_on_the_overview_as_the_alert_rules_left_it(client, leader, agency, province):
    """The systems' alerts are read from the evaluator's rows (dieuhanh.alerts), not computed on the page: nothing
    shows before the evaluator runs, the firing alert after, and nothing once it resolved."""
    from django.db import transaction
    from django.utils import timezone

    from dieuhanh.alerts.engine import alerts_evaluate
    from dieuhanh.alerts.models import AlertRule
    from dieuhanh.monitoring.models import Check, System
    from dieuhanh.monitoring.runner import result_record
    from dieuhanh.monitoring.services import check_create, system_create

    system = system_create(user=None, code="lgsp", name="Nền tảng tích hợp, chia sẻ dữ liệu tỉnh", owner=agency,
                           category=System.Category.LGSP)
    check = check_create(system=system, user=None, name="Cổng LGSP", kind="http", url="http://127.0.0.1:9/",
                         failures_to_down=1, successes_to_up=1)
    AlertRule.objects.create(name="Hệ thống ngừng hoạt động", kind="system_down", unit=province, level="critical")

    def record(ok, at):
        with transaction.atomic():
            result_record(check=Check.objects.select_for_update().get(pk=check.pk), at=at, ok=ok, response_ms=None,
                          error="" if ok else "Không kết nối được", cert_expires_at=None, maintenance=False)

    now = timezone.now()
    record(False, now)
    alerts, _panel = overview_alerts(client, leader)
    assert not [a for a in alerts.shown if a.source == "systems"]  # the page does not compute it
    alerts_evaluate(now=now)
    alerts, panel = overview_alerts(client, leader)
    [shown] = [a for a in alerts.shown if a.source == "systems"]
    assert shown.title.startswith("Nền tảng tích hợp, chia sẻ dữ liệu tỉnh ngừng hoạt động")
    assert alerts.shown[0] == shown  # urgent: first
    assert "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh ngừng hoạt động" in panel
    record(True, now + datetime.timedelta(minutes=1))
    alerts_evaluate(now=now + datetime.timedelta(minutes=1))
    alerts, _panel = overview_alerts(client, leader)
    assert not [a for a in alerts.shown if a.source == "systems"]
