"""Alerts on the overview and the wall: overdue tasks, late reports, KPIs behind their pace and systems — read from
the alert rules' firing alerts (the engine decides, the page groups), each subject once, the most severe first, a few
shown with "và N cảnh báo khác", only those of the viewer's scope, with the time of the engine's last change.

Every test builds real records, runs the rules as the worker does each minute (`evaluate`), then reads the page."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.models import AlertRule
from dieuhanh.alerts.services import rules_default_create
from dieuhanh.assignments import services
from dieuhanh.assignments.models import Assigner, Occurrence, Status
from dieuhanh.assignments.selectors import task_rows
from dieuhanh.conftest import make_user
from dieuhanh.dashboard import alerts as alerting
from dieuhanh.dashboard.views_overview import completeness_rows
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.reporting.completeness import local_today, period_to_report
from dieuhanh.reporting.models import ReportForm
from dieuhanh.reporting.services import submission_save_values, submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def evaluate(day: datetime.date | None = None, at: datetime.time = datetime.time(10)):
    """Run every alert rule as the worker does each minute: now, or on `day` at `at` (local time)."""
    now = None if day is None else datetime.datetime.combine(day, at, tzinfo=LOCAL)
    result = alerts_evaluate(now=now)
    assert result.errors == 0
    return result


@pytest.fixture
def rules(province):
    """The default rules over the province (what `manage.py alerts_default_rules` and the demo create)."""
    return {rule.kind: rule for rule in rules_default_create(unit=province)}


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
        client, leader, office, make_task, agency, commune_a, commune_b, province, rules):
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

    # The page computes nothing: before the rules run, no task is on the panel.
    alerts, panel = overview_alerts(client, leader)
    assert of(alerts, "tasks") == [] and "nhiệm vụ quá hạn" not in panel
    evaluate()
    alerts, panel = overview_alerts(client, leader)
    [alert] = of(alerts, "tasks")
    assert alert.severity == alerting.Severity.CRITICAL  # the default rule's level
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


def test_the_panel_is_as_of_the_last_evaluation_and_says_when_it_ran(client, leader, office, make_task, agency,
                                                                         rules):
    """A task completed after the last evaluation stays on the panel until the next one (a minute later in
    production); the time under the panel is the rules' last evaluation."""
    first = make_task("Báo cáo chuyển đổi số quý", agency, 20)
    make_task("Kết nối liên thông văn bản", agency, 10)
    morning = datetime.datetime.combine(local_today(), datetime.time(8, 5), tzinfo=LOCAL)
    alerts_evaluate(now=morning)
    alerts, panel = overview_alerts(client, leader)
    assert of(alerts, "tasks")[0].title == "2 nhiệm vụ quá hạn"
    assert alerts.as_of == morning and "Theo quy tắc cảnh báo, đánh giá lúc 08:05" in panel
    staff = make_user("chuyen_vien_so", Role.REPORTER, agency)
    services.completion_report(user=staff, occurrence=Occurrence.objects.get(task=first), completed_on=local_today(),
                               result_note="Đã gửi báo cáo")
    services.completion_confirm(user=office, occurrence=Occurrence.objects.get(task=first))
    alerts, _ = overview_alerts(client, leader)
    assert of(alerts, "tasks")[0].title == "2 nhiệm vụ quá hạn"  # what the engine decided (and told) at 08:05
    alerts_evaluate(now=morning + datetime.timedelta(minutes=1))
    alerts, panel = overview_alerts(client, leader)
    assert of(alerts, "tasks")[0].title == "1 nhiệm vụ quá hạn"
    assert "đánh giá lúc 08:06" in panel
    # Another evaluation with nothing new: the same lines, as of that evaluation.
    alerts_evaluate(now=morning + datetime.timedelta(minutes=2))
    alerts, _ = overview_alerts(client, leader)
    assert of(alerts, "tasks")[0].title == "1 nhiệm vụ quá hạn"
    assert alerts.as_of == morning + datetime.timedelta(minutes=2)


def test_rules_over_nested_units_count_each_task_once_at_the_most_severe_level(client, leader, make_task, agency,
                                                                              commune_a, province, rules):
    AlertRule.objects.filter(pk=rules["task_overdue"].pk).update(level="warning")
    AlertRule.objects.create(name="Nhiệm vụ quá hạn của Sở", kind="task_overdue", unit=agency, level="critical")
    AlertRule.objects.create(name="Nhiệm vụ quá hạn (thông tin)", kind="task_overdue", unit=province, level="info")
    make_task("Việc của Sở", agency, 3)
    make_task("Việc của xã", commune_a, 4)
    evaluate()
    [alert] = of(overview_alerts(client, leader)[0], "tasks")
    assert alert.title == "2 nhiệm vụ quá hạn"  # three rules fired about the agency's task, two about the commune's
    assert alert.severity == alerting.Severity.CRITICAL


def test_late_reports_name_the_form_the_units_missing_and_the_deadline(
        leader, monthly_form, commune_a, commune_b, reporter_a, revenue, agency, rules):
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
    evaluate(today)
    alerts = alerting.late_reports(alerting.Situation(scope.get(code="TN"), scope, today))
    [alert] = alerts
    row = next(r for r in rows if r.form == monthly_form)
    deadline = row.result.deadline
    assert alert.title == f"Biểu 01/BC-VT: 1 đơn vị chưa nộp, quá hạn ngày {deadline:%d/%m/%Y}"
    assert alert.detail == "Tháng 11/2026 · Phường Long An"
    assert [r.unit.name for r in row.result.not_reported] == ["Phường Long An"]  # the completeness panel's unit
    assert alert.severity == alerting.Severity.WARNING
    assert alert.url == reverse("reporting:completeness", args=[monthly_form.pk, "202611"])
    # On the deadline day itself nobody is late yet: the next evaluation resolves the alert.
    evaluate(deadline)
    assert alerting.late_reports(alerting.Situation(scope.get(code="TN"), scope, deadline)) == []


@pytest.fixture
def behind(province, commune_a, commune_b, revenue, subscribers, monthly_form, leader):
    """Revenue far behind the year's target (behind); subscribers above theirs (on track); both communes reported
    the period the form collects now (a figure lacking a unit has no pace), and a behind-pace rule on each."""
    month = period_to_report(monthly_form, local_today())
    for unit in (commune_a, commune_b):
        datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=month.id, user=leader, channel=Channel.WEB,
                        values=[ValueInput(revenue, "actual", Decimal("50")),
                                ValueInput(subscribers, "actual", Decimal("91172"))])
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=province, period=str(month.year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "target", Decimal("24000")),
                            ValueInput(subscribers, "target", Decimal("1000"))])
    for indicator in (revenue, subscribers):
        AlertRule.objects.create(name=f"{indicator.name} chậm tiến độ", kind="indicator_behind_pace", unit=province,
                                 indicator=indicator, form=monthly_form, level="warning")
    return month


def test_a_kpi_behind_its_pace_is_the_alert_people_were_told_and_opens_the_indicator(client, leader, behind):
    evaluate()
    alerts, panel = overview_alerts(client, leader)
    cards = {c.indicator.code: c for c in client.get(reverse("home")).context["cards"]}
    assert cards["DT_VT"].pace_label == "Chậm tiến độ" and cards["TB_DD"].pace_label == "Đúng tiến độ"
    [alert] = of(alerts, "kpi")
    assert alert.title.startswith("Doanh thu viễn thông chậm tiến độ: đạt ")
    assert alert.title.endswith(f"kế hoạch năm — Tây Ninh, {behind.label}")
    assert alert.detail == "Doanh thu viễn thông chậm tiến độ"  # the rule
    assert alert.severity == alerting.Severity.WARNING
    assert alert.url == reverse("dashboard:indicator", args=["DT_VT"])
    assert f'href="{alert.url}"' in panel
    # What the people it concerns were told, word for word.
    from dieuhanh.alerts.models import Notification
    assert Notification.objects.filter(user=leader, title=alert.title).exists()


def test_two_rules_on_one_indicator_are_one_alert(client, leader, behind, revenue, province, monthly_form):
    AlertRule.objects.create(name="Doanh thu chậm (khẩn)", kind="indicator_behind_pace", unit=province,
                             indicator=revenue, form=monthly_form, level="critical")
    evaluate()
    alerts, _ = overview_alerts(client, leader)
    [alert] = of(alerts, "kpi")
    assert alert.title.startswith("Doanh thu viễn thông chậm tiến độ") and alert.detail == "Doanh thu chậm (khẩn)"
    assert alert.severity == alerting.Severity.CRITICAL


def test_a_kind_without_a_rule_is_absent(client, leader, behind, make_task, agency, province):
    """Only an overdue-task rule: the late reports and the KPI behind (its rules removed) give no line."""
    AlertRule.objects.filter(kind="indicator_behind_pace").delete()
    AlertRule.objects.create(name="Nhiệm vụ quá hạn", kind="task_overdue", unit=province, level="critical")
    make_task("Báo cáo chuyển đổi số quý", agency, 3)
    evaluate()
    alerts, _ = overview_alerts(client, leader)
    assert [a.source for a in alerts.shown] == ["tasks"]


def test_alerts_come_most_severe_first_and_a_few_are_shown(client, leader, behind, make_task, agency, rules,
                                                           monkeypatch):
    make_task("Báo cáo chuyển đổi số quý", agency, 3)
    evaluate()

    def monitoring(situation):  # another source is one more function
        return [alerting.Alert(alerting.Severity.INFO, f"Máy chủ {n}", url="/", source="system") for n in range(6)]

    monkeypatch.setattr(alerting, "SOURCES", [monitoring, *alerting.SOURCES])
    alerts, panel = overview_alerts(client, leader)
    severities = [a.severity for a in alerts.shown]
    assert severities == sorted(severities, reverse=True)
    sources = [a.source for a in alerts.shown]
    # Listed first, the informational source still comes after the critical task and the warnings.
    assert sources[0] == "tasks" and sources.index("kpi") < sources.index("system")
    assert len(alerts.shown) == alerting.MAX_SHOWN
    assert alerts.total == alerts.more + alerting.MAX_SHOWN and alerts.more >= 2
    assert f"và {alerts.more} cảnh báo khác" in panel
    assert "Máy chủ" in panel  # informational alerts fill what is left


def test_without_anything_to_act_on_it_says_no_alerts(client, leader, province, revenue, rules):
    evaluate()
    alerts, panel = overview_alerts(client, leader)
    assert not alerts and alerts.total == 0 and alerts.as_of is not None  # none, as of the rules' evaluation
    assert "Không có cảnh báo" in panel and 'id="alerts-count"' not in panel
    assert f"Theo quy tắc cảnh báo, đánh giá lúc {alerts.as_of_text}" in panel


def test_a_leader_sees_only_the_alerts_of_units_in_their_scope(client, leader, make_task, agency, commune_a,
                                                               commune_b, monthly_form, rules):
    make_task("Việc của xã A", commune_a, 4)
    make_task("Việc của xã B", commune_b, 8)
    make_task("Việc của Sở", agency, 12)
    evaluate()
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
    # On the province leader's page of commune A (?unit=): the commune's alerts only, as its own leader sees them.
    client.force_login(leader)
    page = client.get(reverse("home"), {"unit": commune_a.code}).context["alerts"]
    assert [a.title for a in page.shown] == [a.title for a in alerts_of(client, commune_leader).shown]


def alerts_of(client, user):
    return overview_alerts(client, user)[0]


def test_the_wall_shows_the_same_alerts_as_the_overview(client, leader, make_task, agency, behind, rules):
    make_task("Báo cáo chuyển đổi số quý", agency, 20)
    evaluate()
    overview = alerts_of(client, leader)
    client.force_login(leader)
    panels = client.get(reverse("dashboard:wall")).context["panels"]
    [panel] = [p for p in panels if p.kind == "alerts"]
    assert [a.title for a in panel.items] == [a.title for a in overview.shown][:len(panel.items)]
    assert panel.items[0].title == "1 nhiệm vụ quá hạn"
    assert {"tasks", "kpi"} <= {a.source for a in panel.items}
    html = client.get(reverse("dashboard:wall_panels")).content.decode()
    section = html[html.index('data-kind="alerts"'):]
    section = section[:section.index("</section>")]
    assert "1 nhiệm vụ quá hạn" in section and "quá hạn 20 ngày" in section
    assert f"Theo quy tắc cảnh báo, đánh giá lúc {overview.as_of_text}" in section


def test_the_alerts_cost_the_same_queries_whatever_the_number_of_overdue_tasks(client, leader, make_task, agency,
                                                                               rules):
    client.force_login(leader)
    make_task("Nhiệm vụ 0", agency, 2)
    evaluate()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(1, 12):
        make_task(f"Nhiệm vụ {n}", agency, 2 + n)
    evaluate()
    with CaptureQueriesContext(connection) as many:
        alerts = client.get(reverse("home")).context["alerts"]
    assert of(alerts, "tasks")[0].title == "12 nhiệm vụ quá hạn"
    assert len(many.captured_queries) == len(few.captured_queries)
    scope = units_in_scope(leader)
    situation = alerting.Situation(scope.get(code="TN"), scope, local_today())
    with CaptureQueriesContext(connection) as alone:
        alerting.overdue_tasks(situation)
    assert len(alone.captured_queries) == 2  # the occurrences the alerts name, and the rules' levels


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
    # A second rule over the owner's subtree fires about the same system: one line still.
    AlertRule.objects.create(name="Hệ thống của Sở ngừng", kind="system_down", unit=agency, level="warning")

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


def test_in_the_demo_the_panel_agrees_with_the_panels_beside_it(client):
    """The demo's leader: each late form's count is the completeness panel's overdue units, the overdue tasks are the
    task panel's (this year's and earlier years'), and each overview indicator a form collects has a pace rule."""
    from django.contrib.auth import get_user_model

    from dieuhanh.demo.build import demo_build
    from dieuhanh.indicators.models import Indicator

    demo_build(small=True)
    client.force_login(get_user_model().objects.get(username="lanhdao"))
    home = client.get(reverse("home"))
    alerts = home.context["alerts"]
    assert alerts.as_of is not None
    late = {a.title.split(":")[0].removeprefix("Biểu "): int(a.title.split(": ")[1].split(" ")[0])
            for a in alerts.shown if a.source == "reporting"}
    beside = {r.form.code: r.result.overdue for r in home.context["reporting"] if r.result.overdue}
    shown = alerts.total - alerts.more  # the panel shows the first few; those it shows must agree
    assert late and all(beside[code] == n for code, n in late.items()) and shown <= alerting.MAX_SHOWN
    [tasks] = of(alerts, "tasks")
    every = home.context["tasks"][0]
    assert tasks.title.startswith(f"{every.card.overdue + every.earlier_overdue} nhiệm vụ quá hạn")
    paced = set(AlertRule.objects.filter(kind="indicator_behind_pace").values_list("indicator__code", flat=True))
    assert {"DT_VT", "TB_DD", "TL_DVC_TT", "TL_HS_DH"} <= paced
    assert not Indicator.objects.filter(code="THU_NS", form_rows__isnull=False).exists() and "THU_NS" not in paced
    count = AlertRule.objects.count()
    demo_build(small=True)
    assert AlertRule.objects.count() == count  # once
