"""The alert rules engine: an overdue task fires exactly one alert and tells the lead unit's people (and those
above who asked), a silence keeps it quiet, it resolves when the task is completed; pending for a while, repeats,
late reports, every change of state a row."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import READ_ROLES
from dieuhanh.alerts.engine import alerts_evaluate, recipients
from dieuhanh.alerts.models import LOCAL_TZ, Alert, AlertRule, AlertState, AlertTransition, Notification, Silence
from dieuhanh.conftest import make_user

State = AlertState
DAY = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=LOCAL_TZ)  # reports are judged on a fixed day
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def rule(province, admin_user):
    def make(kind=AlertRule.Kind.TASK_OVERDUE, unit=None, **fields):
        return AlertRule.objects.create(name=fields.pop("name", "Nhiệm vụ quá hạn"), kind=kind,
                                        unit=unit or province, level="critical", created_by=admin_user, **fields)
    return make


def told(user):
    return list(Notification.objects.filter(user=user).order_by("id").values_list("title", flat=True))


def test_an_overdue_task_fires_one_alert_for_the_lead_units_people_and_resolves_when_completed(
        rule, make_task, finish, lead_reporter, office, leader, outsider_reporter, prefer):
    prefer(office, alerts_below=True)  # the province's office asked for alerts of the units below
    task = make_task(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh")  # due 31/03/2026
    rule()
    now = timezone.now()
    result = alerts_evaluate(now=now)
    assert (result.rules, result.fired, result.errors) == (1, 1, 0)
    alert = Alert.objects.get()
    assert (alert.state, alert.unit, alert.subject_key) == (State.FIRING, task.lead_unit, f"occurrence:"
                                                             f"{task.occurrences.get().pk}")
    assert alert.summary.startswith("Nhiệm vụ quá hạn: Triển khai nền tảng tích hợp")
    assert "Sở Khoa học và Công nghệ" in alert.summary and "31/03/2026" in alert.summary
    assert alert.link == f"/tasks/{task.pk}/"
    assert [told(u) for u in (lead_reporter, office)] == [[alert.summary]] * 2
    assert told(leader) == [] and told(outsider_reporter) == []  # above without asking; another unit
    assert list(alert.transitions.values_list("old", "new")) == [(State.NORMAL, State.FIRING)]

    # Evaluated again a minute later: still one alert, nobody told twice.
    assert alerts_evaluate(now=now + MINUTE).notified == 0
    assert Alert.objects.count() == 1 and len(told(lead_reporter)) == 1

    finish(task.occurrences.get(), datetime.date(2026, 4, 2))
    result = alerts_evaluate(now=now + 2 * MINUTE)
    alert.refresh_from_db()
    assert (result.resolved, alert.state) == (1, State.RESOLVED)
    assert told(lead_reporter) == [alert.summary, f"Hết cảnh báo: {alert.summary}"]
    assert list(alert.transitions.values_list("new", flat=True)) == [State.FIRING, State.RESOLVED]
    assert alerts_evaluate(now=now + 3 * MINUTE).notified == 0


def test_a_silence_keeps_it_quiet_and_it_is_told_when_the_silence_ends(rule, make_task, lead_reporter, lead_unit,
                                                                      admin_user):
    make_task()
    rule()
    now = timezone.now()
    Silence.objects.create(unit=lead_unit, starts_at=now - MINUTE, ends_at=now + 30 * MINUTE,
                           reason="Đang xử lý, đã báo cáo Chủ tịch", created_by=admin_user)
    alerts_evaluate(now=now)
    assert Alert.objects.get().state == State.FIRING  # the state changes...
    assert told(lead_reporter) == []  # ...but nobody is told
    alerts_evaluate(now=now + 10 * MINUTE)
    assert told(lead_reporter) == []
    alerts_evaluate(now=now + 31 * MINUTE)
    assert len(told(lead_reporter)) == 1


def test_a_silence_of_another_rule_or_unit_does_not_apply(rule, make_task, lead_reporter, commune_b, admin_user):
    make_task()
    overdue = rule()
    other = rule(kind=AlertRule.Kind.REPORT_RETURNED, name="Báo cáo bị trả lại")
    now = timezone.now()
    Silence.objects.create(unit=commune_b, starts_at=now - MINUTE, ends_at=now + MINUTE, reason="Xã B")
    Silence.objects.create(rule=other, unit=overdue.unit, starts_at=now - MINUTE, ends_at=now + MINUTE,
                           reason="Quy tắc khác")
    alerts_evaluate(now=now)
    assert len(told(lead_reporter)) == 1


def test_pending_for_a_while_before_firing_then_repeating(rule, make_task, lead_reporter):
    make_task()
    rule(for_minutes=10, repeat_minutes=60)
    now = timezone.now()
    alerts_evaluate(now=now)
    alert = Alert.objects.get()
    assert alert.state == State.PENDING and told(lead_reporter) == []
    alerts_evaluate(now=now + 9 * MINUTE)
    alert.refresh_from_db()
    assert alert.state == State.PENDING
    alerts_evaluate(now=now + 10 * MINUTE)
    alert.refresh_from_db()
    assert alert.state == State.FIRING and len(told(lead_reporter)) == 1
    alerts_evaluate(now=now + 69 * MINUTE)
    assert len(told(lead_reporter)) == 1
    alerts_evaluate(now=now + 70 * MINUTE)
    assert len(told(lead_reporter)) == 2
    assert list(alert.transitions.values_list("old", "new")) == [
        (State.NORMAL, State.PENDING), (State.PENDING, State.FIRING)]


def test_a_condition_gone_while_pending_goes_back_to_normal_untold(rule, make_task, finish, lead_reporter):
    task = make_task()
    rule(for_minutes=10)
    now = timezone.now()
    alerts_evaluate(now=now)
    finish(task.occurrences.get(), datetime.date(2026, 4, 2))
    alerts_evaluate(now=now + MINUTE)
    alert = Alert.objects.get()
    assert alert.state == State.NORMAL and told(lead_reporter) == []
    assert AlertTransition.objects.filter(alert=alert).count() == 2


def test_a_rule_watches_only_its_subtree(rule, make_task, commune_b, lead_reporter):
    make_task()
    rule(unit=commune_b)
    alerts_evaluate()
    assert not Alert.objects.exists() and told(lead_reporter) == []


def test_late_reports_alert_each_unit_that_has_not_reported(rule, monthly_form, reporter_a, reporter_b, leader):
    rule(kind=AlertRule.Kind.REPORT_LATE, name="Báo cáo trễ hạn")
    alerts_evaluate(now=DAY)
    alerts = Alert.objects.order_by("unit__code")
    # On 03/12/2026 the form collects November (due 15/11), which neither commune has sent.
    assert "01/BC-VT Tháng 11/2026" in alerts[0].summary and "15/11/2026" in alerts[0].summary
    assert len(told(reporter_a)) == 1 and len(told(reporter_b)) == 1 and told(leader) == []


def test_routing_reaches_direct_roles_and_subscribed_people_above(commune_a, reporter_a, leader, prefer):
    approver = make_user("approver", Role.APPROVER, commune_a)
    assert {u.username for u in recipients(commune_a, READ_ROLES)} == {"reporter_a", "approver"}
    prefer(leader, alerts_below=True)
    assert {u.username for u in recipients(commune_a, READ_ROLES)} == {"reporter_a", "approver", "leader"}
    approver.is_active = False
    approver.save()
    assert {u.username for u in recipients(commune_a, READ_ROLES)} == {"reporter_a", "leader"}


def test_the_command_evaluates(rule, make_task, lead_reporter):
    make_task()
    rule()
    out = io.StringIO()
    call_command("alerts_evaluate", stdout=out)
    assert "fired 1" in out.getvalue() and len(told(lead_reporter)) == 1


def test_the_panel_reads_firing_alerts_under_a_unit_most_severe_first(rule, make_task, province, agency, commune_b,
                                                                     monthly_form, reporter_b):
    from dieuhanh.accounts.selectors import units_in_scope
    from dieuhanh.alerts.selectors import alerts_firing_under

    make_task()
    rule()  # critical, about the agency
    rule(kind=AlertRule.Kind.REPORT_LATE, name="Báo cáo trễ hạn")
    AlertRule.objects.filter(kind="report_late").update(level="warning")
    alerts_evaluate(now=DAY)
    everything = units_in_scope(make_user("reader", Role.LEADER, province))
    assert [a.rule.kind for a in alerts_firing_under(province, everything)] == [
        "task_overdue", "report_late", "report_late"]
    assert [a.unit for a in alerts_firing_under(commune_b, everything)] == [commune_b]
    assert list(alerts_firing_under(province, units_in_scope(reporter_b))) == [
        a for a in alerts_firing_under(commune_b, everything)]


def test_default_rules_are_made_once_and_fire(province, make_task, lead_reporter):
    out = io.StringIO()
    call_command("alerts_default_rules", stdout=out)
    assert "Tây Ninh: 8 rules created" in out.getvalue()
    call_command("alerts_default_rules", stdout=out)
    assert AlertRule.objects.filter(unit=province).count() == 8
    assert AlertRule.objects.filter(name="Nhiệm vụ quá hạn", kind="task_overdue").exists()
    make_task()
    assert alerts_evaluate().errors == 0
    assert Alert.objects.filter(rule__kind="task_overdue", state=State.FIRING).count() == 1


def test_each_alert_reaches_only_those_who_may_open_what_it_is_about(commune_a, reporter_a):
    """An operator (who sees systems, not data) is not told of a task or a report; a reporter (who reads data, not
    systems) is not told of, nor shown, a system's alert."""
    from dieuhanh.alerts.models import audience_roles
    from dieuhanh.alerts.selectors import alerts_open_for

    operator = make_user("operator", Role.OPERATOR, commune_a)
    data = {u.username for u in recipients(commune_a, audience_roles(AlertRule.Kind.TASK_OVERDUE))}
    systems = {u.username for u in recipients(commune_a, audience_roles(AlertRule.Kind.SYSTEM_DOWN))}
    assert data == {"reporter_a"} and systems == {"operator"}
    system_rule = AlertRule.objects.create(name="Hệ thống ngừng", kind="system_down", unit=commune_a, level="critical")
    task_rule = AlertRule.objects.create(name="Quá hạn", kind="task_overdue", unit=commune_a, level="warning")
    for rule_, key in ((system_rule, "system:1"), (task_rule, "task:1")):
        Alert.objects.create(rule=rule_, subject_key=key, unit=commune_a, state="firing", since=DAY,
                             summary=rule_.name)
    assert [a.rule.kind for a in alerts_open_for(reporter_a)] == ["task_overdue"]
    assert [a.rule.kind for a in alerts_open_for(operator)] == ["system_down"]
