"""Incidents on their pages: the list and its filters, an operator acknowledges, notes the cause and closes; a
leader reads but may not act (403), a reporter sees nothing (404); opening one by hand."""

import pytest
from django.urls import reverse

from dieuhanh.monitoring.models import Incident
from dieuhanh.monitoring.tests.test_pages_fixtures import demo_systems, operator  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def ongoing(demo_systems):  # noqa: F811
    return Incident.objects.get(system=demo_systems["bang-tin"])


def test_the_list_filters_open_and_closed_and_by_system(client, leader, demo_systems, ongoing):  # noqa: F811
    client.force_login(leader)
    url = reverse("monitoring:incident_list")
    open_page = client.get(url).content.decode()
    assert "Mất kết nối bộ điều khiển bảng tin" in open_page and "Cổng thông tin điện tử tỉnh không" not in open_page
    closed = client.get(url, {"status": "closed"}).content.decode()
    assert "Cổng thông tin điện tử tỉnh không truy cập được" in closed and "Mất kết nối" not in closed
    by_system = client.get(url, {"status": "all", "system": "cong-ttdt"})
    assert [i.system.code for i in by_system.context["incidents"]] == ["cong-ttdt"]
    closed_one = by_system.context["incidents"][0]
    page = client.get(reverse("monitoring:incident_detail", args=[closed_one.pk])).content.decode()
    assert "Máy chủ ứng dụng hết bộ nhớ" in page and "Khởi động lại dịch vụ" in page
    assert 'id="acknowledge"' not in page and 'id="close"' not in page


def test_an_operator_acknowledges_notes_and_closes(client, operator, ongoing):  # noqa: F811
    client.force_login(operator)
    detail = reverse("monitoring:incident_detail", args=[ongoing.pk])
    page = client.get(detail).content.decode()
    assert 'id="acknowledge"' in page and 'id="close"' in page
    response = client.post(reverse("monitoring:incident_acknowledge", args=[ongoing.pk]), follow=True)
    assert "Đã tiếp nhận sự cố." in response.content.decode()
    ongoing.refresh_from_db()
    assert ongoing.status == Incident.Status.ACKNOWLEDGED and ongoing.acknowledged_by == operator
    client.post(reverse("monitoring:incident_note", args=[ongoing.pk]),
                {"cause": "Mất điện tủ điều khiển", "actions": "Thay bộ nguồn"})
    client.post(reverse("monitoring:incident_close", args=[ongoing.pk]))
    ongoing.refresh_from_db()
    assert (ongoing.status, ongoing.cause, ongoing.actions, ongoing.closed_by) == (
        Incident.Status.CLOSED, "Mất điện tủ điều khiển", "Thay bộ nguồn", operator)
    again = client.post(reverse("monitoring:incident_close", args=[ongoing.pk]), follow=True)
    assert "Sự cố này đã được đóng" in again.content.decode() or again.status_code == 200


def test_a_leader_reads_but_may_not_act_and_a_reporter_sees_nothing(client, leader, reporter_a, ongoing):
    client.force_login(leader)
    assert client.get(reverse("monitoring:incident_detail", args=[ongoing.pk])).status_code == 200
    for name in ("incident_acknowledge", "incident_close"):
        assert client.post(reverse(f"monitoring:{name}", args=[ongoing.pk])).status_code == 403
    assert client.post(reverse("monitoring:incident_note", args=[ongoing.pk]), {"cause": "x"}).status_code == 403
    assert client.get(reverse("monitoring:incident_open")).status_code == 404
    client.force_login(reporter_a)
    assert client.get(reverse("monitoring:incident_detail", args=[ongoing.pk])).status_code == 404
    assert client.post(reverse("monitoring:incident_acknowledge", args=[ongoing.pk])).status_code == 404
    assert client.get(reverse("monitoring:incident_list")).context["incidents"] == []
    ongoing.refresh_from_db()
    assert ongoing.status == Incident.Status.OPEN


def test_an_operator_opens_an_incident_by_hand(client, operator, demo_systems):  # noqa: F811
    client.force_login(operator)
    url = reverse("monitoring:incident_open")
    form = client.get(url, {"system": "email"})
    assert form.context["form"].initial["system"].code == "email"
    refused = client.post(url, {"system": demo_systems["bang-tin"].pk, "title": "Lại mất kết nối"})
    assert refused.status_code == 400
    assert "đang có một sự cố" in refused.content.decode() or refused.context["form"].errors
    response = client.post(url, {"system": demo_systems["email"].pk, "title": "Người dùng không gửi được thư"})
    incident = Incident.objects.get(title="Người dùng không gửi được thư")
    assert response["Location"] == reverse("monitoring:incident_detail", args=[incident.pk])
    assert incident.opened_by == operator and incident.status == Incident.Status.OPEN


def test_an_outage_noticed_later_is_opened_with_its_start(client, operator, demo_systems):  # noqa: F811
    import datetime

    client.force_login(operator)
    url = reverse("monitoring:incident_open")
    refused = client.post(url, {"system": demo_systems["email"].pk, "title": "Chậm", "started_time": "08:15"})
    assert refused.status_code == 400 and not Incident.objects.filter(title="Chậm").exists()
    client.post(url, {"system": demo_systems["email"].pk, "title": "Chậm", "started_on": "01/12/2026",
                      "started_time": "08:15"})
    incident = Incident.objects.get(title="Chậm")
    assert incident.started_at == datetime.datetime(2026, 12, 1, 1, 15, tzinfo=datetime.UTC)
