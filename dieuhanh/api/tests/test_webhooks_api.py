"""/api/v1/webhooks: a key's subscriptions (secret shown once), its deliveries, redelivery; other keys' answer 404."""

from decimal import Decimal

import pytest

from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import submission_save_values, submission_submit
from dieuhanh.webhooks.models import WebhookDelivery, WebhookSubscription
from dieuhanh.webhooks.tests.conftest import Receiver


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


def submit(form, unit, user, indicator):
    report = submission_save_values(form=form, orgunit=unit, period="202603", user=user, channel="web",
                                    values=[ValueInput(indicator=indicator, kind="actual", value=Decimal("3"))])
    return submission_submit(submission=report, user=user)


def test_a_read_key_subscribes_and_sees_the_secret_once(key_for, api_client, commune_a, receiver):
    api = api_client(key_for(commune_a, access="read"))
    answer = api.post("/api/v1/webhooks", {"url": receiver.url, "events": ["report.submitted", "task.overdue"],
                                           "description": "Hệ thống một cửa"}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    subscription = WebhookSubscription.objects.get()
    assert body["secret"] == subscription.secret and body["secret"].startswith("whsec_")
    assert body["events"] == ["report.submitted", "task.overdue"] and body["url"] == receiver.url
    listed = api.get("/api/v1/webhooks").json()
    assert listed == [{k: v for k, v in body.items() if k != "secret"}]
    assert "secret" not in api.get(f"/api/v1/webhooks/{subscription.pk}").json()
    assert subscription.key.access == "read"


def test_bad_subscriptions_are_refused_naming_the_field(key_for, api_client, commune_a):
    api = api_client(key_for(commune_a))
    for sent, field, words in (
        ({"url": "ftp://example.org/x", "events": ["report.submitted"]}, "url", "URL"),
        ({"url": "không phải url", "events": ["report.submitted"]}, "url", "URL"),
        ({"url": "https://lgsp.tayninh.gov.vn/hook", "events": []}, "events", "Chọn ít nhất một sự kiện"),
        ({"url": "https://lgsp.tayninh.gov.vn/hook", "events": ["report.deleted"]}, "events", "report.deleted"),
        ({"url": "https://lgsp.tayninh.gov.vn/hook", "events": ["task.created"], "description": "a\x00b"},
         "description", "ký tự NUL"),
    ):
        answer = api.post("/api/v1/webhooks", sent, content_type="application/json")
        assert answer.status_code == 400, (sent, answer.content)
        body = answer.json()
        assert body["field"] == field and words in body["message"], body
    answer = api.post("/api/v1/webhooks", {"url": "https://x.vn"}, content_type="application/json")
    assert answer.status_code == 422 and answer.json()["field"] == "events"
    assert not WebhookSubscription.objects.exists()


def test_event_types_are_listed_with_vietnamese_labels(key_for, api_client, commune_a):
    events = api_client(key_for(commune_a)).get("/api/v1/webhooks/events").json()
    assert {"code": "report.values_changed", "label": "Số liệu của báo cáo đã phê duyệt thay đổi"} in events
    assert len(events) == 8


def test_deliveries_delete_and_redeliver(key_for, api_client, commune_a, receiver, monthly_form, reporter_a,
                                         revenue, django_capture_on_commit_callbacks):
    api = api_client(key_for(commune_a, access="read"))
    created = api.post("/api/v1/webhooks", {"url": receiver.url, "events": ["report.submitted"]},
                       content_type="application/json").json()
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        submit(monthly_form, commune_a, reporter_a, revenue)
    [delivery] = api.get(f"/api/v1/webhooks/{created['id']}/deliveries").json()
    assert (delivery["event"], delivery["state"], delivery["attempts"], delivery["last_status"]) == (
        "report.submitted", "pending", 1, 500)
    assert delivery["last_error"].startswith("Máy nhận trả lời HTTP 500")
    assert delivery["event_id"] == receiver.requests[0]["json"]["id"]
    assert api.get(f"/api/v1/webhooks/{created['id']}/deliveries?state=delivered").json() == []

    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/api/v1/webhooks/{created['id']}/deliveries/{delivery['id']}/redeliver")
    assert answer.status_code == 202 and answer.json()["state"] == "pending"
    assert answer.json()["event_id"] == delivery["event_id"] and answer.json()["id"] != delivery["id"]
    states = {d["id"]: d["state"] for d in api.get(f"/api/v1/webhooks/{created['id']}/deliveries").json()}
    assert states == {delivery["id"]: "pending", answer.json()["id"]: "delivered"}

    assert api.delete(f"/api/v1/webhooks/{created['id']}").status_code == 204
    assert api.get("/api/v1/webhooks").json() == []
    assert api.get(f"/api/v1/webhooks/{created['id']}").status_code == 404
    assert WebhookDelivery.objects.get(pk=delivery["id"]).state == "failed"  # the waiting retry is not sent


def test_another_keys_subscriptions_answer_404(key_for, api_client, commune_a, commune_b, receiver):
    mine = api_client(key_for(commune_a))
    created = mine.post("/api/v1/webhooks", {"url": receiver.url, "events": ["task.created"]},
                        content_type="application/json").json()
    theirs = api_client(key_for(commune_b))
    assert theirs.get("/api/v1/webhooks").json() == []
    for method, path in (("get", ""), ("delete", ""), ("get", "/deliveries"),
                         ("post", "/deliveries/00000000-0000-0000-0000-000000000000/redeliver")):
        answer = getattr(theirs, method)(f"/api/v1/webhooks/{created['id']}{path}")
        assert answer.status_code == 404 and answer.json()["code"] == "E_NOT_FOUND", (method, path)
    assert WebhookSubscription.objects.get().active
