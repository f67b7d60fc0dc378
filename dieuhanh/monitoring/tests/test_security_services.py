"""Services of the security incident register: recording, the response steps as events, the reports, the deadline
countdown on fixed days, and the rules' validity dates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dieuhanh.monitoring.models import ReportingRule, SecurityIncident, SecurityIncidentEvent, SystemMonth
from dieuhanh.monitoring.selectors_security import deadlines, security_overdue_reports, security_year_figures
from dieuhanh.monitoring.services_security import (
    security_incident_advance,
    security_incident_record_report,
    security_incident_update,
)
from dieuhanh.monitoring.tests.test_security_fixtures import *  # noqa: F403
from dieuhanh.monitoring.views_security import deadline_text

D = datetime.date
S = SecurityIncident.Status


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_it_records_a_received_incident_with_an_event(make_incident, operator, agency, portal):
    incident = make_incident()
    assert incident.status == S.RECEIVED
    assert incident.reporter_name == agency.name  # no setting: the reporting unit's name
    assert list(incident.systems.all()) == [portal]
    event = incident.events.get()
    assert (event.kind, event.actor, event.new_status) == (SecurityIncidentEvent.Kind.CREATED, operator, S.RECEIVED)


def test_it_takes_the_reporter_name_from_settings(make_incident, settings):
    settings.SECURITY_INCIDENT_REPORTER = "Sở Khoa học và Công nghệ tỉnh Tây Ninh"
    assert make_incident().reporter_name == "Sở Khoa học và Công nghệ tỉnh Tây Ninh"


def test_it_wants_a_reason_for_a_serious_incident_and_saves_nothing(make_incident):
    with pytest.raises(ValidationError) as caught:
        make_incident(serious=True, serious_reason="  ")
    assert "Điều 9" in caught.value.message_dict["serious_reason"][0]
    assert not SecurityIncident.objects.exists()
    assert not SecurityIncidentEvent.objects.exists()


def test_it_never_decides_seriousness_itself(make_incident, portal):
    portal.security_level = 5
    portal.save()
    assert make_incident().serious is False


def test_it_refuses_required_fields_in_vietnamese(make_incident):
    with pytest.raises(ValidationError) as caught:
        make_incident(title="", contact_phone="")
    assert set(caught.value.message_dict) >= {"title", "contact_phone"}
    assert "không được để trắng" in caught.value.message_dict["title"][0]


def test_it_refuses_a_future_detection(make_incident):
    with pytest.raises(ValidationError) as caught:
        make_incident(detected_at=timezone.now() + datetime.timedelta(days=1))
    assert "detected_at" in caught.value.message_dict


def test_who_may_record(make_incident, leader, operator_b, province_operator, agency, reporter_a):
    for user in (leader, operator_b, reporter_a):
        with pytest.raises(PermissionDenied):
            make_incident(user=user)
    assert make_incident(user=province_operator).orgunit == agency  # the province's operator covers the agency
    assert SecurityIncident.objects.count() == 1


def test_an_operator_may_not_name_a_system_outside_their_units(make_incident, lgsp, province_operator):
    with pytest.raises(ValidationError) as caught:
        make_incident(systems=[lgsp])  # owned by the province, above the agency's operator
    assert "Nền tảng tích hợp" in caught.value.message_dict["systems"][0]
    assert not SecurityIncident.objects.exists()
    assert list(make_incident(user=province_operator, systems=[lgsp]).systems.all()) == [lgsp]


def test_the_status_flow_is_rows(make_incident, operator):
    incident = make_incident()
    security_incident_advance(user=operator, incident=incident, status=S.CONTAINING, note="Cô lập máy chủ")
    security_incident_advance(user=operator, incident=incident, status=S.RECOVERING, note="Khôi phục bản sao lưu")
    # still unstable: back to containment (TT 20/2017 Phụ lục II, step 3)
    security_incident_advance(user=operator, incident=incident, status=S.CONTAINING, note="Tái nhiễm")
    security_incident_advance(user=operator, incident=incident, status=S.RECOVERING)
    ended = aware(2026, 12, 2, 16, 30)
    incident = security_incident_advance(user=operator, incident=incident, status=S.CLOSED,
                                         note="Đã khôi phục, vá lỗ hổng", ended_at=ended)
    assert incident.status == S.CLOSED and incident.response_ended_at == ended
    assert incident.result == "Đã khôi phục, vá lỗ hổng"
    steps = list(incident.events.filter(kind="status").values_list("old_status", "new_status", "note"))
    assert steps == [
        (S.RECEIVED, S.CONTAINING, "Cô lập máy chủ"), (S.CONTAINING, S.RECOVERING, "Khôi phục bản sao lưu"),
        (S.RECOVERING, S.CONTAINING, "Tái nhiễm"), (S.CONTAINING, S.RECOVERING, ""),
        (S.RECOVERING, S.CLOSED, "Đã khôi phục, vá lỗ hổng"),
    ]
    assert all(e.actor == operator for e in incident.events.all())
    with pytest.raises(ValidationError) as caught:
        security_incident_advance(user=operator, incident=incident, status=S.RECOVERING)
    assert "Đã kết thúc" in caught.value.message_dict["status"][0]
    assert incident.events.count() == 6


def test_closing_needs_the_handling_result(make_incident, operator):
    incident = make_incident()
    with pytest.raises(ValidationError) as caught:
        security_incident_advance(user=operator, incident=incident, status=S.CLOSED)
    assert "note" in caught.value.message_dict
    incident.refresh_from_db()
    assert incident.status == S.RECEIVED and incident.response_ended_at is None
    assert incident.events.count() == 1


def test_a_leader_may_not_advance(make_incident, leader):
    with pytest.raises(PermissionDenied):
        security_incident_advance(user=leader, incident=make_incident(), status=S.CONTAINING)


def test_an_edit_names_the_changed_fields(make_incident, province_operator, lgsp):
    operator = province_operator
    incident = make_incident()
    security_incident_update(user=operator, incident=incident, title=incident.title)  # nothing changed
    assert incident.events.count() == 1
    incident = security_incident_update(user=operator, incident=incident, systems=[lgsp], impact="Gián đoạn 2 giờ",
                                        serious=True, serious_reason="Hệ thống cấp độ 4, không tự khắc phục được")
    event = incident.events.last()
    assert event.kind == "edited"
    assert "Mức độ nghiêm trọng" not in event.note  # labels, not values
    for label in ("Thiệt hại sơ bộ", "Nghiêm trọng", "Hệ thống bị ảnh hưởng"):
        assert label.lower() in event.note.lower()
    assert list(incident.systems.all()) == [lgsp]


def test_reports_are_recorded_once_their_time_comes(make_incident, operator):
    incident = make_incident()
    incident = security_incident_record_report(user=operator, incident=incident, kind="initial",
                                               number="15/BC-SKHCN", date=D(2026, 12, 2))
    assert (incident.initial_report_number, incident.initial_report_date) == ("15/BC-SKHCN", D(2026, 12, 2))
    assert "15/BC-SKHCN" in incident.events.last().note
    with pytest.raises(ValidationError) as caught:
        security_incident_record_report(user=operator, incident=incident, kind="closing", number="16/BC-SKHCN",
                                        date=D(2026, 12, 3))
    assert "kind" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        security_incident_record_report(user=operator, incident=incident, kind="initial", number="",
                                        date=timezone.localdate() + datetime.timedelta(days=1))
    assert set(caught.value.message_dict) == {"number", "date"}
    with pytest.raises(ValidationError) as caught:
        security_incident_record_report(user=operator, incident=incident, kind="initial", number="1/BC",
                                        date=D(2026, 11, 30))  # before the detection
    assert "date" in caught.value.message_dict
    incident.refresh_from_db()
    assert incident.initial_report_number == "15/BC-SKHCN"


# --- deadlines ----------------------------------------------------------------------------------------------------
def test_the_countdown_on_fixed_days(make_incident, operator):
    incident = make_incident()  # detected 01/12/2026 10:00
    notification, closing = deadlines(incident, D(2026, 12, 3))
    assert notification.rule.code == "notification" and notification.due == D(2026, 12, 6)
    assert notification.days_left == 3 and not notification.overdue
    assert deadline_text(notification)[0] == "còn 3 ngày"
    assert closing.due is None and closing.days_left is None  # the response has not ended
    assert deadline_text(closing)[0] == "tính từ khi kết thúc ứng phó"
    assert deadline_text(deadlines(incident, D(2026, 12, 6))[0])[0] == "hạn hôm nay"
    late = deadlines(incident, D(2026, 12, 8))[0]
    assert late.days_left == -2 and late.overdue
    assert deadline_text(late)[0] == "quá hạn 2 ngày"

    security_incident_advance(user=operator, incident=incident, status=S.CLOSED, note="Đã xử lý",
                              ended_at=aware(2026, 12, 2, 23, 30))
    security_incident_record_report(user=operator, incident=incident, kind="initial", number="15/BC",
                                    date=D(2026, 12, 3))
    incident.refresh_from_db()
    notification, closing = deadlines(incident, D(2026, 12, 8))
    assert notification.done and not notification.overdue and not notification.sent_late
    assert deadline_text(notification)[0] == "đã gửi 03/12/2026"
    assert closing.due == D(2026, 12, 7) and closing.overdue and closing.days_left == -1  # 02/12 + 5 days


def test_overdue_reports_have_one_definition(make_incident, operator, commune_b):
    late = make_incident(title="Quá hạn")  # detected 01/12/2026: notification due 06/12
    sent = make_incident(title="Đã gửi")
    security_incident_record_report(user=operator, incident=sent, kind="initial", number="15/BC",
                                    date=D(2026, 12, 3))
    assert security_overdue_reports(today=D(2026, 12, 6)) == []
    overdue = security_overdue_reports(today=D(2026, 12, 7))
    assert [(i.title, d.rule.code, d.days_left) for i, d in overdue] == [("Quá hạn", "notification", -1)]
    assert security_overdue_reports(units=[commune_b], today=D(2026, 12, 7)) == []
    security_incident_advance(user=operator, incident=sent, status=S.CLOSED, note="Xong",
                              ended_at=aware(2026, 12, 2, 9, 0))
    overdue = security_overdue_reports(today=D(2026, 12, 8))
    assert {(i.title, d.rule.code) for i, d in overdue} == {("Quá hạn", "notification"), ("Đã gửi", "closing_report")}
    assert late.pk in {i.pk for i, _d in overdue}


def test_a_report_sent_after_its_due_day_is_marked_late(make_incident, operator):
    incident = make_incident()
    incident = security_incident_record_report(user=operator, incident=incident, kind="initial", number="15/BC",
                                               date=D(2026, 12, 3))
    ReportingRule.objects.filter(code="notification").update(days=1)
    notification = deadlines(incident, D(2026, 12, 10))[0]
    assert notification.sent_late and deadline_text(notification)[0] == "đã gửi 03/12/2026, muộn"


def test_an_incident_keeps_the_rules_in_force_on_its_detection_day(make_incident):
    # A new law from 01/07/2026 with a 1-day notification; the old rules end the day before.
    ReportingRule.objects.update(valid_to=D(2026, 6, 30))
    ReportingRule.objects.create(code="notification", name="Thông báo (luật mới)", days=1, counted_from="detection",
                                 satisfied_by="initial_report", source="Luật An ninh mạng 2025", order=1,
                                 valid_from=D(2026, 7, 1))
    old = make_incident(detected_at=aware(2026, 6, 30, 23, 0))
    new = make_incident(detected_at=aware(2026, 7, 1, 0, 30))
    assert [(d.rule.days, d.due) for d in deadlines(old, D(2026, 7, 2))] == [(5, D(2026, 7, 5)), (5, None)]
    assert [(d.rule.days, d.due) for d in deadlines(new, D(2026, 7, 2))] == [(1, D(2026, 7, 2))]


def test_the_seeded_rules_name_their_source(db):
    rules = {r.code: r for r in ReportingRule.objects.all()}
    assert set(rules) == {"notification", "closing_report"}
    assert rules["notification"].days == 5 and rules["notification"].counted_from == "detection"
    assert rules["closing_report"].counted_from == "response_end"
    assert "Thông tư 20/2017/TT-BTTTT Điều 9.2" in rules["notification"].source
    assert "chờ xác nhận" in rules["closing_report"].source


# --- the year's figures -------------------------------------------------------------------------------------------
def test_the_years_figures(make_incident, operator, agency, commune_b, lgsp, portal):
    make_incident(serious=True, serious_reason="Cấp độ 4, không tự xử lý được")
    closed = make_incident()
    security_incident_advance(user=operator, incident=closed, status=S.CLOSED, note="Xong")
    make_incident(detected_at=aware(2025, 12, 31, 23, 59))  # the year before, in local time
    SystemMonth.objects.create(system=lgsp, month=D(2026, 3, 1), down_seconds=3600, counted_seconds=2678400)
    SystemMonth.objects.create(system=lgsp, month=D(2026, 4, 1), down_seconds=600, counted_seconds=2592000)
    SystemMonth.objects.create(system=lgsp, month=D(2025, 4, 1), down_seconds=999, counted_seconds=2592000)
    figures = security_year_figures(2026)
    assert (figures.incidents, figures.serious, figures.open, figures.closed) == (2, 1, 1, 1)
    down = {system.code: figure.down_seconds for system, figure in figures.downtime}
    assert down == {"lgsp": 4200, "portal": 0}
    by_code = {system.code: figure for system, figure in figures.downtime}
    assert by_code["lgsp"].counted_seconds == 2678400 + 2592000 and round(by_code["lgsp"].percent, 2) == 99.92
    assert by_code["portal"].ratio is None  # no time counted
    assert security_year_figures(2025).incidents == 1
    scoped = security_year_figures(2026, units=[commune_b])
    assert (scoped.incidents, scoped.downtime) == (0, [])
    assert security_year_figures(2026, units=agency.descendants()).incidents == 2
