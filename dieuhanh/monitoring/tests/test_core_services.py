"""Who sees and manages which systems (404 outside), and the services' Vietnamese messages, field by field, with
nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.monitoring.models import Check, MaintenanceWindow, System
from dieuhanh.monitoring.selectors import (
    check_or_404,
    incident_or_404,
    public_systems,
    system_or_404,
    systems_manageable,
    systems_visible,
)
from dieuhanh.monitoring.services import (
    check_create,
    check_update,
    incident_open,
    maintenance_create,
    system_create,
    system_update,
)


@pytest.fixture
def province_system(province):
    return system_create(user=None, code="congtt", name="Cổng thông tin điện tử tỉnh", owner=province, public=True)


@pytest.fixture
def commune_system(commune_a):
    return system_create(user=None, code="bangtin-a", name="Bảng tin xã Hưng Điền", owner=commune_a)


@pytest.fixture
def operator_a(commune_a):
    return make_user("operator_a", Role.OPERATOR, commune_a)


def messages(caught) -> dict:
    return caught.value.message_dict


def test_leaders_and_operators_see_their_subtree(province_system, commune_system, operator_a, leader, admin_user,
                                                 reporter_a, outsider):
    assert set(systems_visible(leader)) == {province_system, commune_system}
    assert set(systems_visible(admin_user)) == {province_system, commune_system}
    assert list(systems_visible(operator_a)) == [commune_system]
    assert not systems_visible(reporter_a).exists() and not systems_visible(outsider).exists()
    assert list(systems_manageable(operator_a)) == [commune_system]
    assert not systems_manageable(leader).exists()  # leaders look; operators and administrators act
    with pytest.raises(Http404):
        system_or_404(operator_a, "congtt")
    with pytest.raises(Http404):
        system_or_404(leader, "bangtin-a", manage=True)
    assert system_or_404(operator_a, "bangtin-a", manage=True) == commune_system
    assert list(public_systems()) == [province_system]


def test_checks_and_incidents_answer_404_outside_the_scope(province_system, commune_system, operator_a):
    check = check_create(system=province_system, user=None, name="Web", kind=Check.Kind.HTTP,
                         url="https://tayninh.gov.vn/")
    incident = incident_open(system=province_system, title="Cổng không truy cập được", user=None)
    with pytest.raises(Http404):
        check_or_404(operator_a, check.pk)
    with pytest.raises(Http404):
        incident_or_404(operator_a, incident.pk)
    with pytest.raises(Http404):
        check_or_404(operator_a, "not a number")


def test_an_operator_registers_systems_only_under_their_units(operator_a, province, commune_a):
    with pytest.raises(ValidationError) as caught:
        system_create(user=operator_a, code="x", name="X", owner=province)
    assert messages(caught) == {"owner": ["Bạn không vận hành hệ thống của đơn vị này."]}
    system = system_create(user=operator_a, code="hop-a", name="Phòng họp không giấy xã", owner=commune_a,
                           category=System.Category.MEETINGS, security_level=2, level_document="Số: 12/QĐ-UBND")
    with pytest.raises(ValidationError) as caught:
        system_create(user=operator_a, code="hop-a", name="Trùng mã", owner=commune_a)
    assert messages(caught) == {"code": ["Hệ thống thông tin có Mã đã tồn tại."]}
    with pytest.raises(ValidationError) as caught:
        system_update(system=system, user=operator_a, owner=province)
    assert "owner" in messages(caught)
    with pytest.raises(ValidationError) as caught:
        system_update(system=system, user=operator_a, security_level=6)
    assert "security_level" in messages(caught)
    assert System.objects.get(pk=system.pk).security_level == 2


def test_dependencies_cannot_make_a_cycle(province):
    dc = system_create(user=None, code="dc", name="Trung tâm dữ liệu", owner=province)
    lgsp = system_create(user=None, code="lgsp", name="LGSP", owner=province, depends_on=[dc])
    assert list(dc.dependents.all()) == [lgsp]
    with pytest.raises(ValidationError) as caught:
        system_update(system=dc, user=None, depends_on=[lgsp])
    assert messages(caught) == {"depends_on": ["Các phụ thuộc này tạo thành vòng lặp."]}
    with pytest.raises(ValidationError) as caught:
        system_update(system=dc, user=None, depends_on=[dc])
    assert messages(caught) == {"depends_on": ["Hệ thống không thể phụ thuộc vào chính nó."]}


@pytest.mark.parametrize(("fields", "expected"), [
    ({"kind": "http", "url": "ftp://x"}, {"url": ["Nhập địa chỉ http:// hoặc https:// có tên máy chủ."]}),
    ({"kind": "http", "url": "https://a.vn", "expected_statuses": "200-abc"},
     {"expected_statuses": ["Nhập mã trạng thái từ 100 đến 599, theo khoảng hoặc từng mã, cách nhau bằng dấu "
                            "phẩy, ví dụ 200-299,301."]}),
    ({"kind": "tcp", "host": "db.local"}, {"port": ["Nhập cổng TCP cần kết nối."]}),
    ({"kind": "dns", "dns_name": "a.vn", "dns_expected": "10.0.0.300"},
     {"dns_expected": ["Nhập địa chỉ IP, cách nhau bằng dấu phẩy, ví dụ 10.0.0.1,10.0.0.2."]}),
    ({"kind": "tls", "host": "a.vn", "cert_warn_days": "30,bảy"},
     {"cert_warn_days": ["Nhập số ngày, cách nhau bằng dấu phẩy, ví dụ 30,14,7."]}),
    ({"kind": "http", "url": "https://a.vn", "interval_seconds": 30, "timeout_seconds": 40},
     {"timeout_seconds": ["Thời gian chờ phản hồi không được dài hơn chu kỳ kiểm tra."]}),
])
def test_check_settings_are_refused_with_the_field_named(province_system, fields, expected):
    with pytest.raises(ValidationError) as caught:
        check_create(system=province_system, user=None, name="Kiểm tra", **fields)
    assert messages(caught) == expected
    assert not Check.objects.exists()


def test_a_check_is_due_at_once_and_a_tls_check_defaults_to_443(province_system):
    check = check_create(system=province_system, user=None, name="Chứng chỉ", kind=Check.Kind.TLS,
                         host="tayninh.gov.vn")
    assert check.port == 443 and check.next_run_at <= timezone.now() and check.heartbeat_token is None
    check = check_update(check=check, user=None, cert_warn_days="30, 7")
    assert check.cert_warn_days == "30,7"


def test_maintenance_windows_are_one_off_or_recurring(province_system, operator_a, commune_system):
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        maintenance_create(user=None, name="x", systems=[province_system], starts_at=now, ends_at=now - dt.timedelta(1))
    assert messages(caught) == {"ends_at": ["Thời điểm kết thúc phải sau thời điểm bắt đầu."]}
    with pytest.raises(ValidationError) as caught:
        maintenance_create(user=None, name="x", systems=[province_system], weekdays="1,8",
                           start_time=dt.time(23), duration_minutes=60)
    assert messages(caught) == {
        "weekdays": ["Ngày trong tuần là số từ 0 (thứ Hai) đến 6 (Chủ nhật), cách nhau bằng dấu phẩy."]}
    with pytest.raises(ValidationError) as caught:
        maintenance_create(user=None, name="x", systems=[province_system], starts_at=now,
                           ends_at=now + dt.timedelta(hours=1), weekdays="1", start_time=dt.time(23),
                           duration_minutes=60)
    assert list(messages(caught)) == ["weekdays"]
    with pytest.raises(ValidationError) as caught:
        maintenance_create(user=operator_a, name="x", systems=[province_system], starts_at=now,
                           ends_at=now + dt.timedelta(hours=1))
    assert messages(caught) == {"systems": ["Bạn không vận hành hệ thống của đơn vị này."]}
    assert not MaintenanceWindow.objects.exists()
    window = maintenance_create(user=operator_a, name="Bảo trì", systems=[commune_system], starts_at=now,
                                ends_at=now + dt.timedelta(hours=1))
    assert window.created_by == operator_a and list(window.systems.all()) == [commune_system]


def test_a_system_switched_off_stops_counting(province_system):
    from dieuhanh.monitoring.models import State, StateChange
    from dieuhanh.monitoring.runner import result_record

    check = check_create(system=province_system, user=None, name="Web", kind=Check.Kind.HTTP,
                         url="https://tayninh.gov.vn/", failures_to_down=1)
    result_record(check=check, at=timezone.now(), ok=False, response_ms=None, error="Mã trạng thái HTTP 500")
    province_system.refresh_from_db()
    assert province_system.state == State.DOWN
    system = system_update(system=province_system, user=None, active=False)
    check.refresh_from_db()
    assert check.state == State.UNKNOWN and system.state == State.UNKNOWN
    assert list(StateChange.objects.filter(check=check).values_list("old", "new")) == [
        ("unknown", "down"), ("down", "unknown")]


def test_a_window_can_be_ended_early(province_system):
    from dieuhanh.monitoring.services import maintenance_end

    now = timezone.now()
    window = maintenance_create(user=None, name="Nâng cấp", systems=[province_system],
                                starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=3))
    window = maintenance_end(window=window, user=None, now=now)
    assert window.ends_at == now and not window.covers(now + dt.timedelta(minutes=1))
    weekly = maintenance_create(user=None, name="Hằng tuần", systems=[province_system], weekdays=[0, 1, 2, 3, 4, 5, 6],
                                start_time=dt.time(0, 0), duration_minutes=60)
    weekly = maintenance_end(window=weekly, user=None, now=now)
    assert not weekly.covers(now + dt.timedelta(days=1))
