"""Administrators' pages for alert rules and silences, and the alerts firing now (scoped to the reader's units)."""

import datetime

import pytest
from django.utils import timezone

from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.models import AlertRule, Silence
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create


@pytest.fixture
def other_province(db):
    return orgunit_create(code="BD", name="Bình Dương", kind=OrgUnit.Kind.PROVINCE)


def rule_data(unit, **fields):
    return {"name": "Nhiệm vụ quá hạn", "kind": "task_overdue", "unit": unit.pk, "level": "critical",
            "for_minutes": "0", "repeat_minutes": "1440", "active": "on", **fields}


def test_an_administrator_makes_and_edits_a_rule(client, admin_user, province):
    client.force_login(admin_user)
    assert "Quy tắc cảnh báo" in client.get("/alerts/rules/").content.decode()
    response = client.post("/alerts/rules/new/", rule_data(province))
    assert response.status_code == 302
    rule = AlertRule.objects.get()
    assert (rule.kind, rule.unit, rule.repeat_minutes, rule.created_by) == ("task_overdue", province, 1440, admin_user)
    client.post(f"/alerts/rules/{rule.pk}/", rule_data(province, name="Nhiệm vụ quá hạn (tỉnh)", active=""))
    rule.refresh_from_db()
    assert rule.name == "Nhiệm vụ quá hạn (tỉnh)" and not rule.active
    assert "Nhiệm vụ quá hạn (tỉnh)" in client.get("/alerts/rules/").content.decode()


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"kind": "task_due_soon"}, "days", "Nhập số ngày trước hạn"),
    ({"kind": "indicator_threshold", "threshold": "1.5"}, "indicator", "Chọn chỉ tiêu"),
    ({"kind": "indicator_threshold", "threshold": "abc"}, "threshold", "abc"),
    ({"name": ""}, "name", ""),
])
def test_a_rule_missing_what_its_kind_needs_is_refused(client, admin_user, province, fields, field, message):
    client.force_login(admin_user)
    response = client.post("/alerts/rules/new/", rule_data(province, **fields))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not AlertRule.objects.exists()


def test_a_unit_outside_the_administrators_scope_is_refused(client, admin_user, other_province):
    client.force_login(admin_user)
    response = client.post("/alerts/rules/new/", rule_data(other_province))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not AlertRule.objects.exists()


def test_others_may_not_manage_rules_or_silences(client, leader, province, admin_user):
    rule = AlertRule.objects.create(name="R", kind="task_overdue", unit=province)
    client.force_login(leader)
    assert client.get("/alerts/rules/").status_code == 403
    assert client.get(f"/alerts/rules/{rule.pk}/").status_code == 403
    assert client.get("/alerts/silences/").status_code == 403
    assert client.get("/alerts/").status_code == 200


def test_silences_are_made_and_ended(client, admin_user, province):
    client.force_login(admin_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post("/alerts/silences/", {"unit": province.pk, "ends_on": tomorrow.strftime("%d/%m/%Y"),
                                                  "ends_time": "17:00", "reason": "Bảo trì hệ thống"})
    assert response.status_code == 302
    silence = Silence.objects.get()
    assert silence.ends_at.astimezone(datetime.UTC) == datetime.datetime.combine(
        tomorrow, datetime.time(10), tzinfo=datetime.UTC)  # 17:00 in Hanoi
    page = client.get("/alerts/silences/").content.decode()
    assert "Bảo trì hệ thống" in page and 'id="silences"' in page
    client.post(f"/alerts/silences/{silence.pk}/end/")
    silence.refresh_from_db()
    assert silence.ends_at <= timezone.now()
    assert 'id="no-silences"' in client.get("/alerts/silences/").content.decode()


def test_a_silence_ending_in_the_past_is_refused(client, admin_user, province):
    client.force_login(admin_user)
    response = client.post("/alerts/silences/", {"unit": province.pk, "ends_on": "01/01/2020", "ends_time": "17:00",
                                                  "reason": "x"})
    assert response.status_code == 200 and "ends_on" in response.context["form"].errors
    assert not Silence.objects.exists()


def test_the_alerts_page_lists_firing_alerts_of_the_readers_units(client, make_task, lead_reporter,
                                                                  outsider_reporter, province):
    make_task(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh")
    AlertRule.objects.create(name="Nhiệm vụ quá hạn", kind="task_overdue", unit=province)
    alerts_evaluate()
    client.force_login(lead_reporter)
    page = client.get("/alerts/").content.decode()
    assert "Triển khai nền tảng tích hợp" in page and "Đang cảnh báo" in page
    client.force_login(outsider_reporter)
    page = client.get("/alerts/").content.decode()
    assert "Triển khai nền tảng tích hợp" not in page and 'id="no-alerts"' in page


def test_an_alerts_history_is_shown_to_its_units_only(client, make_task, finish, lead_reporter, outsider_reporter,
                                                     province):
    task = make_task(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh")
    AlertRule.objects.create(name="Nhiệm vụ quá hạn", kind="task_overdue", unit=province)
    now = timezone.now()
    alerts_evaluate(now=now)
    finish(task.occurrences.get(), datetime.date(2026, 4, 2))
    alerts_evaluate(now=now + datetime.timedelta(minutes=1))
    from dieuhanh.alerts.models import Alert

    alert = Alert.objects.get()
    client.force_login(lead_reporter)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "Lịch sử" in page
    assert page.count("<tr>") == 3  # the head and two changes
    assert "Bình thường" in page and "Đang cảnh báo" in page and "Đã hết" in page
    client.force_login(outsider_reporter)
    assert client.get(f"/alerts/{alert.pk}/").status_code == 404
