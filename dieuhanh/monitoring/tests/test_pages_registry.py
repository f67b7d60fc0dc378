"""The operators' registry pages (a system, its checks, maintenance windows) and a system's page; a leader
gets 404 on the forms, as on any page not theirs."""

import datetime

import pytest
from django.urls import reverse

from dieuhanh.monitoring.models import Check, MaintenanceWindow, System
from dieuhanh.monitoring.tests.test_pages_fixtures import demo_systems, operator  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_system_page_shows_details_checks_uptime_and_incidents(client, leader, demo_systems):  # noqa: F811
    client.force_login(leader)
    response = client.get(reverse("monitoring:system_detail", args=["lgsp"]))
    html = response.content.decode()
    assert "Sở Khoa học và Công nghệ" in html and "Cấp độ 3" in html and "Số: 1521/QĐ-UBND" in html
    assert "Trung tâm dữ liệu và mạng WAN tỉnh" in html  # depends on
    assert "Hệ thống quản lý văn bản" in html  # depends on it
    labels = [label for label, _text in response.context["uptime"]]
    assert labels[:4] == ["24 giờ", "7 ngày", "30 ngày", "90 ngày"] and labels[4].startswith("Tháng ")
    series = response.context["chart"]["series"][0]["data"]
    assert len(series) == 288 and any(ms for _t, ms in series)
    assert len(client.get(reverse("monitoring:system_detail", args=["lgsp"]), {"range": "7d"})
               .context["chart"]["series"][0]["data"]) == 168
    assert 'id="edit-system"' not in html
    down = client.get(reverse("monitoring:system_detail", args=["bang-tin"])).content.decode()
    assert "Connection refused" in down and "Mất kết nối bộ điều khiển bảng tin" in down


def test_an_operator_registers_a_system_and_its_checks(client, operator, agency, demo_systems):  # noqa: F811
    client.force_login(operator)
    response = client.post(reverse("monitoring:system_create"), {
        "code": "camera", "name": "Hệ thống camera giám sát giao thông", "category": "other", "owner": agency.pk,
        "security_level": "2", "level_document": "Số: 99/QĐ-UBND", "depends_on": [demo_systems["dc"].pk],
        "active": "on", "public": "on"})
    system = System.objects.get(code="camera")
    assert response["Location"] == reverse("monitoring:system_detail", args=["camera"])
    assert system.public is False  # only an administrator publishes a system
    assert list(system.depends_on.all()) == [demo_systems["dc"]]
    url = reverse("monitoring:check_create", args=["camera"])
    assert 'data-kind="heartbeat"' in client.get(url).content.decode()
    schedule = {"interval_seconds": 60, "timeout_seconds": 10, "failures_to_down": 3, "successes_to_up": 2,
                "expected_statuses": "200-299", "cert_warn_days": "30,14,7", "period_seconds": 3600,
                "grace_seconds": 600, "active": "on"}
    refused = client.post(url, {"name": "Trang chủ", "kind": "http", "url": "", **schedule})
    assert refused.status_code == 400 and not Check.objects.filter(system=system).exists()
    client.post(url, {"name": "Trang chủ", "kind": "http", "url": "http://127.0.0.1:8000/status/",
                      "keyword": "Hệ thống", "host": "ignored.example", **schedule})
    check = Check.objects.get(system=system)
    assert (check.kind, check.keyword, check.host) == ("http", "Hệ thống", "")  # another kind's field is not kept
    edit = reverse("monitoring:check_edit", args=["camera", check.pk])
    client.post(edit, {"name": "Trang chủ cổng", "url": "http://127.0.0.1:8000/", **schedule, "interval_seconds": 120})
    check.refresh_from_db()
    assert (check.name, check.interval_seconds, check.kind) == ("Trang chủ cổng", 120, "http")
    client.post(reverse("monitoring:system_edit", args=["camera"]), {
        "code": "other", "name": "Camera giao thông", "category": "other", "owner": agency.pk, "active": "on"})
    system.refresh_from_db()
    assert (system.code, system.name) == ("camera", "Camera giao thông")


def test_an_administrator_publishes_and_a_leader_gets_404(client, admin_user, leader, agency, demo_systems):  # noqa: F811
    client.force_login(admin_user)
    client.post(reverse("monitoring:system_edit", args=["lgsp"]), {
        "name": "LGSP", "category": "lgsp", "owner": agency.pk, "active": "on", "public": "on"})
    assert System.objects.get(code="lgsp").public is True
    client.force_login(leader)
    for url in (reverse("monitoring:system_create"), reverse("monitoring:system_edit", args=["lgsp"]),
                reverse("monitoring:check_create", args=["lgsp"]), reverse("monitoring:maintenance_list"),
                reverse("monitoring:maintenance_create")):
        assert client.get(url).status_code == 404, url


def test_maintenance_windows_one_off_and_recurring(client, operator, demo_systems):  # noqa: F811
    client.force_login(operator)
    url = reverse("monitoring:maintenance_create")
    response = client.post(url, {"name": "Thay ổ cứng", "systems": [demo_systems["email"].pk], "kind": "one_off",
                                 "starts_on": "05/12/2026", "starts_time": "22:00", "ends_on": "06/12/2026",
                                 "ends_time": "01:30"})
    assert response.status_code == 302
    window = MaintenanceWindow.objects.get(name="Thay ổ cứng")
    assert window.starts_at == datetime.datetime(2026, 12, 5, 15, 0, tzinfo=datetime.UTC)
    assert window.ends_at == datetime.datetime(2026, 12, 5, 18, 30, tzinfo=datetime.UTC)
    refused = client.post(url, {"name": "Sao lưu", "systems": [demo_systems["email"].pk], "kind": "recurring",
                                "weekdays": ["2"], "start_time": "23:00", "valid_from": "31/02/2026"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Nhập ngày theo dạng 31/12/2026." in html and "Bắt buộc với lịch bảo trì định kỳ." in html
    client.post(url, {"name": "Sao lưu", "systems": [demo_systems["email"].pk], "kind": "recurring",
                      "weekdays": ["2", "5"], "start_time": "23:00", "duration_minutes": "90",
                      "valid_from": "01/12/2026"})
    weekly = MaintenanceWindow.objects.get(name="Sao lưu")
    assert (weekly.weekdays, weekly.start_time, weekly.valid_from) == (
        "2,5", datetime.time(23), datetime.date(2026, 12, 1))
    listing = client.get(reverse("monitoring:maintenance_list")).content.decode()
    assert "Thứ Tư, Thứ Bảy lúc 23:00, trong 90 phút" in listing and "22:00 05/12/2026 – 01:30 06/12/2026" in listing


def test_a_heartbeat_check_shows_the_url_its_system_calls(client, operator, demo_systems):  # noqa: F811
    client.force_login(operator)
    client.post(reverse("monitoring:check_create", args=["lgsp"]), {
        "name": "Đồng bộ dữ liệu hằng giờ", "kind": "heartbeat", "period_seconds": 3600, "grace_seconds": 600,
        "interval_seconds": 60, "timeout_seconds": 10, "failures_to_down": 3, "successes_to_up": 2,
        "expected_statuses": "200-299", "cert_warn_days": "30,14,7", "active": "on"})
    check = Check.objects.get(kind="heartbeat")
    page = client.get(reverse("monitoring:check_edit", args=["lgsp", check.pk])).content.decode()
    url = reverse("monitoring:heartbeat", args=[check.heartbeat_token])
    assert f"http://testserver{url}" in page
    client.logout()
    response = client.post(url)
    assert response.status_code == 200 and response.content == b"OK\n"


def test_ending_a_window_and_the_system_page_lists_its_windows(client, operator, leader, demo_systems):  # noqa: F811
    from django.utils import timezone

    client.force_login(leader)
    page = client.get(reverse("monitoring:system_detail", args=["dc"])).content.decode()
    assert "Bảo trì định kỳ trung tâm dữ liệu" in page and "Chủ nhật lúc 22:00, trong 120 phút" in page
    weekly = MaintenanceWindow.objects.get(name="Bảo trì định kỳ trung tâm dữ liệu")
    assert client.post(reverse("monitoring:maintenance_end", args=[weekly.pk])).status_code == 404
    client.force_login(operator)
    assert f'data-end="{weekly.pk}"' in client.get(reverse("monitoring:maintenance_list")).content.decode()
    client.post(reverse("monitoring:maintenance_end", args=[weekly.pk]))
    weekly.refresh_from_db()
    assert weekly.valid_to == timezone.localdate() - datetime.timedelta(days=1)
    assert f'data-end="{weekly.pk}"' not in client.get(reverse("monitoring:maintenance_list")).content.decode()


def test_a_certificate_near_its_expiry_is_marked(client, leader, demo_systems):  # noqa: F811
    from django.utils import timezone

    from dieuhanh.monitoring.views_system import cert_class

    check = Check(cert_warn_days="30,14,7")
    now = timezone.now()
    for days, expected in ((40, ""), (20, "text-warning-emphasis"), (5, "text-danger fw-semibold"),
                           (-1, "text-danger fw-semibold")):
        check.cert_expires_at = now + datetime.timedelta(days=days)
        assert cert_class(check, now) == expected


def test_editing_a_window_shows_it_in_province_time_and_may_switch_its_kind(client, operator, demo_systems):  # noqa: F811
    client.force_login(operator)
    assert 'id="id_code"' in client.get(reverse("monitoring:system_create")).content.decode()
    upgrade = MaintenanceWindow.objects.get(name__startswith="Nâng cấp phiên bản")
    url = reverse("monitoring:maintenance_edit", args=[upgrade.pk])
    form = client.get(url).context["form"]
    assert (form["starts_time"].value(), form["kind"].value()) == (datetime.time(21, 0), "one_off")
    assert 'value="21:00"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Sao lưu hằng tuần", "systems": [demo_systems["motcua"].pk],
                                 "kind": "recurring", "weekdays": ["6"], "start_time": "01:00",
                                 "duration_minutes": "60"})
    assert response.status_code == 302
    upgrade.refresh_from_db()
    assert (upgrade.name, upgrade.weekdays, upgrade.starts_at, upgrade.ends_at) == (
        "Sao lưu hằng tuần", "6", None, None)


def test_a_shared_window_names_only_the_systems_the_operator_sees(client, agency, commune_a, demo_systems):  # noqa: F811
    from dieuhanh.accounts.models import Role
    from dieuhanh.conftest import make_user

    other = System.objects.create(code="xa-mc", name="Một cửa xã Hưng Điền", owner=commune_a)
    window = MaintenanceWindow.objects.create(name="Chung", weekdays="0", start_time=datetime.time(1),
                                              duration_minutes=30)
    window.systems.add(other, demo_systems["email"])
    client.force_login(make_user("khcn.vanhanh", Role.OPERATOR, agency))
    page = client.get(reverse("monitoring:maintenance_list")).content.decode()
    assert "Chung" in page and "Hệ thống thư điện tử công vụ tỉnh" in page and "Một cửa xã Hưng Điền" not in page
    assert client.get(reverse("monitoring:system_detail", args=["xa-mc"])).status_code == 404
