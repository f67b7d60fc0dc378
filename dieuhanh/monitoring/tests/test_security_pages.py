"""The register's pages: who sees what (others 404), filters, form errors in Vietnamese; and in Chromium an operator
records an incident, moves it through the response and downloads its report, at 1366 and 360 px."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

# Registers the security admin before the URLs are first built, until monitoring/admin.py imports it itself.
import dieuhanh.monitoring.admin_security  # noqa: F401,I001
from dieuhanh.monitoring.models import SecurityIncident
from dieuhanh.monitoring.services_security import security_incident_advance
from dieuhanh.monitoring.tests.test_security_fixtures import *  # noqa: F403
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401


@pytest.fixture(autouse=True)
def reporting_rules(django_db_blocker):
    """The reporting rules are data seeded by a migration; a browser test's database is emptied after each
    transactional test, so the rules are seeded again here, by the migration's own function."""
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("dieuhanh.monitoring.migrations.0003_security_reporting_rules").seed(apps, None)

REGISTER = "/systems/security/"


def test_who_reaches_which_page(client, make_incident, operator, leader, reporter_a, operator_b, outsider):
    incident = make_incident()
    detail = reverse("monitoring:security_detail", args=[incident.pk])
    edit = reverse("monitoring:security_edit", args=[incident.pk])
    client.force_login(operator)
    for url in (REGISTER, detail, edit, reverse("monitoring:security_create")):
        assert client.get(url).status_code == 200, url
    client.force_login(leader)  # reads, does not manage
    assert client.get(REGISTER).status_code == 200
    page = client.get(detail)
    assert page.status_code == 200 and b"advance-form" not in page.content and b"edit-incident" not in page.content
    assert client.get(edit).status_code == 404
    assert client.get(reverse("monitoring:security_create")).status_code == 404
    assert client.post(reverse("monitoring:security_advance", args=[incident.pk]),
                       {"advance-status": "containing"}).status_code == 404
    for user in (reporter_a, outsider):
        client.force_login(user)
        assert client.get(REGISTER).status_code == 404
        assert client.get(detail).status_code == 404
    client.force_login(operator_b)  # an operator of another unit: the register is empty, the incident unknown
    assert b"no-incidents" in client.get(REGISTER).content
    assert client.get(detail).status_code == 404
    assert client.post(reverse("monitoring:security_advance", args=[incident.pk]),
                       {"advance-status": "containing"}).status_code == 404
    incident.refresh_from_db()
    assert incident.status == "received"


def test_the_register_filters(client, make_incident, operator, leader):
    make_incident(title="Sự cố A", serious=True, serious_reason="Cấp độ 4")
    closed = make_incident(title="Sự cố B")
    security_incident_advance(user=operator, incident=closed, status="closed", note="Xong")
    make_incident(title="Sự cố năm trước", detected_at=timezone.make_aware(datetime.datetime(2025, 5, 1, 8, 0)))
    client.force_login(leader)

    def titles(query):
        return [row["incident"].title for row in client.get(REGISTER, query).context["rows"]]

    assert titles({}) == ["Sự cố B", "Sự cố A", "Sự cố năm trước"]  # newest detection first, then newest record
    assert set(titles({"year": "2026"})) == {"Sự cố A", "Sự cố B"}
    assert titles({"year": "2026", "serious": "yes"}) == ["Sự cố A"]
    assert titles({"status": "closed"}) == ["Sự cố B"]
    assert set(titles({"serious": "no"})) == {"Sự cố B", "Sự cố năm trước"}


def test_a_bad_form_names_the_fields_in_vietnamese_and_saves_nothing(client, operator, agency, portal):
    client.force_login(operator)
    response = client.post(reverse("monitoring:security_create"), {
        "orgunit": agency.pk, "reporter_name": "Sở KH&CN", "contact_name": "Lan", "contact_phone": "0276",
        "operating_unit": "TT CĐS", "title": "Mã độc", "incident_type": "Mã độc", "description": "Máy trạm nhiễm",
        "detected_on": "31/02/2026", "detected_time": "25:00", "detection_method": "Người dùng phản ánh",
        "serious": "on", "systems": [portal.pk],
    })
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nhập ngày theo dạng 31/12/2026." in text and "Nhập giờ theo dạng 14:30." in text
    assert "Hãy nêu lý do sự cố là nghiêm trọng" in text
    assert not SecurityIncident.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_operator_records_advances_and_downloads(browser_page, live_server, operator, reporter_a,  # noqa: F811
                                                    portal, agency):
    page = browser_page
    log_in(page, live_server, "operator")
    page.goto(live_server.url + REGISTER)
    page.click("#new-incident")
    page.fill("#id_title", "Cổng thông tin bị thay đổi giao diện")
    page.fill("#id_incident_type", "Tấn công thay đổi giao diện trang web")
    page.fill("#id_detection_method", "Hệ thống giám sát phát hiện")
    page.fill("#id_description", "=HYPERLINK(\"http://evil.example\") — trang chủ bị thay nội dung")
    page.check(f"#systems-choice input[value='{portal.pk}']")
    page.fill("#id_contact_name", "Trần Thị Lan")
    page.fill("#id_contact_phone", "0276 3822 123")
    page.fill("#id_operating_unit", "Trung tâm Chuyển đổi số")
    page.check("#id_serious")  # serious without a reason: refused, nothing saved
    with page.expect_navigation():
        page.click("#save-incident")
    assert page.locator("#form-errors").is_visible()
    assert not SecurityIncident.objects.exists()
    screenshot(page, "security-form-errors")
    page.uncheck("#id_serious")
    with page.expect_navigation():
        page.click("#save-incident")
    incident = SecurityIncident.objects.get()
    assert page.url.endswith(reverse("monitoring:security_detail", args=[incident.pk]))
    assert list(incident.systems.all()) == [portal]
    countdown = page.locator(".deadline-countdown").first.inner_text()
    assert countdown == "còn 5 ngày", countdown
    assert page.locator(".deadline-countdown").nth(1).inner_text() == "tính từ khi kết thúc ứng phó"

    # Next step: containment, then closing with the result
    page.select_option("#id_advance-status", "containing")
    page.fill("#id_advance-note", "Cô lập máy chủ web, chuyển sang trang bảo trì")
    with page.expect_navigation():
        page.click("#advance-submit")
    assert "Đang ứng cứu, ngăn chặn" in page.locator("#incident-title").inner_text()
    page.select_option("#id_advance-status", "closed")
    page.fill("#id_advance-note", "Đã khôi phục từ bản sao lưu và vá lỗ hổng")
    with page.expect_navigation():
        page.click("#advance-submit")
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.response_ended_at is not None
    page.fill("#id_initial-number", "15/BC-SKHCN")
    with page.expect_navigation():
        page.click("#initial-report-form button[type=submit]")
    assert "15/BC-SKHCN" in page.locator("#initial-report").inner_text()
    timeline = page.locator("#timeline li")
    assert timeline.count() == 4  # recorded, two steps, the report
    assert "Đang ứng cứu, ngăn chặn → Đã kết thúc" in timeline.nth(2).inner_text()
    screenshot(page, "security-detail-1366")

    with page.expect_download() as info:
        page.click("#download-03")
    ws = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    assert ws["A4"].value == "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG"
    cell = next(c for c in ws["B"] if (c.value or "").startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    with page.expect_download() as info:
        page.click("#download-04")
    assert load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active["A4"].value == (
        "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ")

    page.goto(live_server.url + REGISTER)
    assert page.locator("#incidents tbody tr").count() == 1
    screenshot(page, "security-register-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "security-register-360")
    page.goto(live_server.url + reverse("monitoring:security_detail", args=[incident.pk]))
    screenshot(page, "security-detail-360")
    page.goto(live_server.url + reverse("monitoring:security_edit", args=[incident.pk]))
    screenshot(page, "security-form-360")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("monitoring:security_create"))
    screenshot(page, "security-form-1366")

    # A reporter gets 404, like any page not theirs
    log_in(page, live_server, "reporter_a")
    for url in (REGISTER, reverse("monitoring:security_detail", args=[incident.pk])):
        response = page.goto(live_server.url + url)
        assert response.status == 404, url


def test_the_rules_are_data_an_administrator_edits(client, db):
    from django.contrib.auth import get_user_model

    from dieuhanh.monitoring.models import ReportingRule

    client.force_login(get_user_model().objects.create_superuser("root", password="secret-pass-123"))
    listing = client.get("/admin/monitoring/reportingrule/")
    assert listing.status_code == 200
    assert "Thông báo sự cố (báo cáo ban đầu)" in listing.content.decode()
    rule = ReportingRule.objects.get(code="notification")
    page = client.get(f"/admin/monitoring/reportingrule/{rule.pk}/change/")
    assert "chờ xác nhận theo Luật An ninh mạng 2025" in page.content.decode()
    assert client.get("/admin/monitoring/securityincident/").status_code == 200


def test_the_edit_and_action_forms(client, make_incident, operator, agency, portal):
    incident = make_incident()
    client.force_login(operator)
    edit = reverse("monitoring:security_edit", args=[incident.pk])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(orgunit=agency.pk, systems=[portal.pk], detected_on="01/12/2026", detected_time="10:00",
                impact="Gián đoạn cổng 2 giờ")
    data.pop("serious", None)
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    incident.refresh_from_db()
    assert incident.impact == "Gián đoạn cổng 2 giờ"
    assert incident.detected_at == DETECTED  # noqa: F405
    assert incident.events.last().note == "Đã sửa: thiệt hại sơ bộ, phạm vi, mức độ ảnh hưởng."  # only what changed
    # closing without a result: the message under the note, status 400, nothing changed
    advance = reverse("monitoring:security_advance", args=[incident.pk])
    response = client.post(advance, {"advance-status": "closed", "advance-note": ""})
    assert response.status_code == 400
    assert "Hãy ghi kết quả xử lý trước khi kết thúc sự cố." in response.content.decode()
    # the closing report before the response ends
    response = client.post(reverse("monitoring:security_record_report", args=[incident.pk, "closing"]),
                           {"closing-kind": "closing", "closing-number": "16/BC", "closing-date": "03/12/2026"})
    assert response.status_code == 400
    assert "hãy chuyển sự cố sang “Đã kết thúc” trước" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == "received" and not incident.closing_report_number
