"""The bell, the notifications list (read one, read all, another's answers 404) and the settings page (Vietnamese
messages naming the field, nothing saved on an error)."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dieuhanh.alerts.models import Notification, NotificationPreference
from dieuhanh.alerts.services import notify


@pytest.fixture
def told(leader, sent):
    with sent():
        return notify(users=[leader], title="Nhiệm vụ quá hạn: Báo cáo chuyển đổi số", body="Quá hạn 3 ngày",
                      link="/tasks/1/", level="critical") + notify(
            users=[leader], title="Biểu mẫu 01/BC-VT: 2 đơn vị chưa báo cáo", level="warning")


def render_bell(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "alerts/_bell.html" %}').render(Context({"request": request}))


def test_the_bell_counts_unread_in_one_query(told, leader, outsider):
    with CaptureQueriesContext(connection) as queries:
        html = render_bell(leader)
    assert len(queries) == 1
    assert 'id="alerts-bell-count">2<' in html and 'href="/alerts/notifications/"' in html
    assert "alerts-bell-count" not in render_bell(outsider)
    Notification.objects.filter(user=leader).update(read_at=datetime.datetime.now(datetime.UTC))
    assert "alerts-bell-count" not in render_bell(leader)


def test_the_list_marks_one_and_all_read(client, told, leader):
    client.force_login(leader)
    page = client.get("/alerts/notifications/").content.decode()
    assert "Thông báo" in page and "Nhiệm vụ quá hạn: Báo cáo chuyển đổi số" in page and "2 chưa đọc" in page
    first = told[0]
    assert client.post(f"/alerts/notifications/{first.pk}/read/").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert "1 chưa đọc" in client.get("/alerts/notifications/").content.decode()
    client.post("/alerts/notifications/read-all/")
    assert not Notification.objects.filter(user=leader, read_at__isnull=True).exists()
    assert "chưa đọc" not in client.get("/alerts/notifications/").content.decode()


def test_opening_follows_the_link_and_reads_it(client, told, leader):
    client.force_login(leader)
    response = client.get(f"/alerts/notifications/{told[0].pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/tasks/1/"
    told[0].refresh_from_db()
    assert told[0].read_at is not None


def test_another_persons_notification_answers_404(client, told, outsider):
    client.force_login(outsider)
    assert client.post(f"/alerts/notifications/{told[0].pk}/read/").status_code == 404
    assert client.get(f"/alerts/notifications/{told[0].pk}/open/").status_code == 404
    told[0].refresh_from_db()
    assert told[0].read_at is None
    assert "Nhiệm vụ quá hạn" not in client.get("/alerts/notifications/").content.decode()


def test_the_settings_page_saves_channels_addresses_and_quiet_hours(client, leader):
    client.force_login(leader)
    page = client.get("/alerts/settings/").content.decode()
    assert "Cài đặt thông báo" in page and "Giờ yên lặng" in page
    response = client.post("/alerts/settings/", {
        "channels": ["in_app", "email", "telegram"], "email": "lanhdao@tayninh.gov.vn",
        "telegram_chat_id": "123456789", "quiet_start": "22:00", "quiet_end": "6h30", "alerts_below": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=leader)
    assert preference.channel_list == ["in_app", "email", "telegram"]
    assert (preference.quiet_start, preference.quiet_end) == (datetime.time(22), datetime.time(6, 30))
    assert preference.alerts_below and preference.email == "lanhdao@tayninh.gov.vn"
    page = client.get("/alerts/settings/").content.decode()
    assert 'value="22:00"' in page and 'value="06:30"' in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"channels": ["telegram"]}, "telegram_chat_id", "Hãy nhập mã cuộc trò chuyện Telegram"),
    ({"channels": ["zalo"], "zalo_user_id": "abc"}, "zalo_user_id", "Mã người dùng Zalo là một số"),
    ({"channels": ["email"]}, "email", "Hãy nhập địa chỉ thư điện tử"),
    ({"channels": ["in_app"], "quiet_start": "22:00"}, "quiet_end", "Hãy nhập cả giờ bắt đầu và giờ kết thúc"),
    ({"channels": ["in_app"], "quiet_start": "25:00", "quiet_end": "06:00"}, "quiet_start", "Nhập giờ dạng 22:00"),
    ({"channels": ["webhook"], "webhook_url": "ftp://x"}, "webhook_url", "URL"),
])
def test_the_settings_page_refuses_with_a_vietnamese_message(client, leader, data, field, message):
    client.force_login(leader)
    response = client.post("/alerts/settings/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert f'id="error-{field}"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_pages_need_a_login(client):
    assert client.get("/alerts/notifications/").status_code == 302
    assert client.get("/alerts/settings/").status_code == 302
