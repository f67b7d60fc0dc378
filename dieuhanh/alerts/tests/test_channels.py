"""Notifications through every channel against a real HTTP receiver: Telegram's and Zalo's URLs and bodies, the
webhook's signature, retries of temporary errors, permanent errors given up at once, quiet hours, once per
event, nothing before the commit."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from dieuhanh.alerts.models import LOCAL_TZ, Delivery, Notification
from dieuhanh.alerts.sending import deliveries_send_due
from dieuhanh.alerts.services import notify

State = Delivery.State


def tell(user, **kwargs):
    defaults = {"title": "Nhiệm vụ quá hạn", "body": "Báo cáo tình hình viễn thông", "link": "/tasks/1/",
                "level": "critical"}
    return notify(users=[user], **{**defaults, **kwargs})


def delivery(channel):
    return Delivery.objects.get(channel=channel)


@pytest.fixture
def telegram(receiver):
    with override_settings(TELEGRAM_BOT_TOKEN="123:secret-token", TELEGRAM_API_BASE=receiver.base):
        yield


@pytest.fixture
def zalo(receiver):
    with override_settings(ZALO_OA_ACCESS_TOKEN="zalo-token", ZALO_API_BASE=receiver.base + "/"):
        yield


def test_it_sends_a_telegram_message_to_the_bot_api(receiver, telegram, sent, prefer, leader):
    prefer(leader, channels=["in_app", "telegram"], telegram_chat_id="-1001234567890")
    with sent():
        [notification] = tell(leader)
    [request] = receiver.requests
    assert request["path"] == "/bot123:secret-token/sendMessage"
    assert request["json"]["chat_id"] == "-1001234567890"
    assert request["json"]["text"].startswith("Nhiệm vụ quá hạn\n\nBáo cáo tình hình viễn thông")
    assert "/tasks/1/" in request["json"]["text"]
    telegram_delivery = delivery("telegram")
    assert (telegram_delivery.state, telegram_delivery.attempts, telegram_delivery.error) == (State.SENT, 1, "")
    assert [entry["ok"] for entry in telegram_delivery.log] == [True]
    assert delivery("in_app").state == State.SENT and notification.read_at is None


def test_it_sends_a_zalo_message_with_the_access_token(receiver, zalo, sent, prefer, leader):
    prefer(leader, channels=["zalo"], zalo_user_id="4321987654321")
    with sent():
        tell(leader)
    [request] = receiver.requests
    assert request["path"] == "/v3.0/oa/message/cs"
    assert request["headers"]["access_token"] == "zalo-token"
    assert request["json"]["recipient"] == {"user_id": "4321987654321"}
    assert request["json"]["message"]["text"].startswith("Nhiệm vụ quá hạn")
    assert delivery("zalo").state == State.SENT
    assert not Delivery.objects.filter(channel="in_app").exists()  # not chosen: the bell still shows it
    assert Notification.objects.filter(user=leader).count() == 1


def test_a_zalo_error_code_in_a_200_is_permanent_unless_it_is_a_rate_limit(receiver, zalo, sent, prefer, leader):
    prefer(leader, channels=["zalo"], zalo_user_id="4321987654321")
    receiver.answers = [(200, b'{"error": -213, "message": "User has not followed OA"}')]
    with sent():
        tell(leader, event_key="a")
    refused = delivery("zalo")
    assert (refused.state, refused.attempts, refused.next_attempt_at) == (State.FAILED, 1, None)
    assert "-213" in refused.error and "User has not followed OA" in refused.error
    assert refused.log[0]["ok"] is False and "-213" in refused.log[0]["error"]

    receiver.answers = [(200, b'{"error": -32, "message": "Exceeded rate limit"}')]
    with sent():
        tell(leader, event_key="b")
    limited = Delivery.objects.get(notification__event_key="b")
    assert (limited.state, limited.attempts) == (State.PENDING, 1)
    assert limited.next_attempt_at == datetime.datetime.fromisoformat(limited.log[0]["at"]) + datetime.timedelta(
        seconds=60)
    assert deliveries_send_due(now=timezone.now() + datetime.timedelta(minutes=1, seconds=1)) == 1
    limited.refresh_from_db()
    assert (limited.state, limited.attempts, len(limited.log)) == (State.SENT, 2, 2)


def test_the_webhook_is_signed_like_the_webhooks_app(receiver, sent, prefer, leader):
    preference = prefer(leader, channels=["webhook"], webhook_url=receiver.base + "/hooks/me")
    assert preference.webhook_secret.startswith("whsec_")
    with sent():
        [notification] = tell(leader)
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/me"
    expected = hmac.new(preference.webhook_secret.encode(), headers["X-DieuHanh-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-DieuHanh-Signature"], f"sha256={expected}")
    assert headers["X-DieuHanh-Delivery"] == str(delivery("webhook").pk)
    assert request["json"]["id"] == notification.pk and request["json"]["title"] == "Nhiệm vụ quá hạn"
    assert request["json"]["level"] == "critical"


def test_a_500_is_retried_with_backoff_then_delivered(receiver, sent, prefer, leader):
    prefer(leader, channels=["webhook"], webhook_url=receiver.base + "/hooks/me")
    receiver.answers = [(500, b"busy")]
    with sent():
        tell(leader)
    retried = delivery("webhook")
    assert (retried.state, retried.attempts) == (State.PENDING, 1)
    assert "HTTP 500" in retried.error and retried.log[0]["status"] == 500
    first = datetime.datetime.fromisoformat(retried.log[0]["at"])
    assert retried.next_attempt_at == first + datetime.timedelta(seconds=60)
    assert deliveries_send_due(now=first + datetime.timedelta(seconds=59)) == 0  # not yet due
    assert deliveries_send_due(now=first + datetime.timedelta(seconds=60)) == 1
    retried.refresh_from_db()
    assert (retried.state, retried.attempts, retried.error) == (State.SENT, 2, "")
    assert [entry["ok"] for entry in retried.log] == [False, True]
    assert len(receiver.requests) == 2
    assert deliveries_send_due(now=first + datetime.timedelta(days=1)) == 0


def test_a_400_is_given_up_at_once_with_its_error(receiver, telegram, sent, prefer, leader):
    prefer(leader, channels=["telegram"], telegram_chat_id="42")
    receiver.answers = [(400, b'{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}')]
    with sent():
        tell(leader)
    refused = delivery("telegram")
    assert (refused.state, refused.attempts, refused.next_attempt_at) == (State.FAILED, 1, None)
    assert "HTTP 400" in refused.error and "chat not found" in refused.error
    assert refused.log[0]["status"] == 400
    assert deliveries_send_due(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert len(receiver.requests) == 1


def test_temporary_errors_are_given_up_after_the_last_attempt(receiver, sent, prefer, leader):
    prefer(leader, channels=["webhook"], webhook_url=receiver.base + "/hooks/me")
    receiver.answers = [(503, b"")] * 3
    with override_settings(ALERTS_MAX_ATTEMPTS=3):
        with sent():
            tell(leader)
        later = timezone.now()
        for _ in range(2):
            later += datetime.timedelta(hours=1)
            deliveries_send_due(now=later)
    gone = delivery("webhook")
    assert (gone.state, gone.attempts, len(gone.log)) == (State.GIVEN_UP, 3, 3)


def test_a_channel_not_set_up_fails_permanently(sent, prefer, leader):
    prefer(leader, channels=["telegram"], telegram_chat_id="42")
    with override_settings(TELEGRAM_BOT_TOKEN=""), sent():
        tell(leader)
    assert delivery("telegram").state == State.FAILED
    assert "TELEGRAM_BOT_TOKEN" in delivery("telegram").error


def test_quiet_hours_hold_email_but_not_the_app(sent, prefer, leader):
    leader.email = "lanhdao@tayninh.gov.vn"
    leader.save()
    now = timezone.now().astimezone(LOCAL_TZ)
    start, end = (now - datetime.timedelta(hours=1)).time(), (now + datetime.timedelta(hours=1)).time()
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    prefer(leader, channels=["in_app", "email"], quiet_start=start, quiet_end=end)
    with sent():
        [notification] = tell(leader)
    assert mail.outbox == []
    assert Notification.objects.filter(user=leader, read_at__isnull=True).count() == 1
    held = delivery("email")
    assert held.state == State.PENDING and held.attempts == 0
    ends = held.next_attempt_at.astimezone(LOCAL_TZ)
    assert ends.time() == end and now < ends <= now + datetime.timedelta(hours=1)
    assert deliveries_send_due(now=ends - datetime.timedelta(seconds=1)) == 0
    assert deliveries_send_due(now=ends) == 1
    assert [m.to for m in mail.outbox] == [["lanhdao@tayninh.gov.vn"]]
    assert mail.outbox[0].subject == "Nhiệm vụ quá hạn" and "/tasks/1/" in mail.outbox[0].body
    assert delivery("email").state == State.SENT


def test_quiet_hours_over_midnight(leader, prefer):
    preference = prefer(leader, quiet_start=datetime.time(22), quiet_end=datetime.time(6))
    at = datetime.datetime(2026, 12, 3, 23, 30, tzinfo=LOCAL_TZ)
    assert preference.quiet_until(at) == datetime.datetime(2026, 12, 4, 6, 0, tzinfo=LOCAL_TZ)
    assert preference.quiet_until(at.replace(hour=5)) == datetime.datetime(2026, 12, 3, 6, 0, tzinfo=LOCAL_TZ)
    assert preference.quiet_until(at.replace(hour=12)) is None


def test_it_tells_once_per_event_and_nothing_before_the_commit(receiver, sent, prefer, leader, outsider):
    prefer(leader, channels=["in_app", "webhook"], webhook_url=receiver.base + "/hooks/me")
    with sent() as callbacks:
        try:
            with transaction.atomic():
                tell(leader, event_key="alert:1")
                raise RuntimeError("the caller fails")
        except RuntimeError:
            pass
    assert callbacks == [] and receiver.requests == [] and not Notification.objects.exists()

    with sent():
        assert len(tell(leader, event_key="alert:1")) == 1
        assert receiver.requests == []  # not while the transaction is open
        assert tell(leader, event_key="alert:1") == []
        assert len(tell(outsider, event_key="alert:1")) == 1  # another person: told
    assert len(receiver.requests) == 1
    assert Notification.objects.filter(user=leader).count() == 1
    assert json.loads(receiver.requests[0]["body"])["event_key"] == "alert:1"


def test_the_default_email_is_skipped_for_an_account_without_an_address(sent, leader, outsider):
    outsider.email = "ai@tayninh.gov.vn"
    outsider.save()
    with sent():
        notify(users=[leader, outsider], title="Thông báo thử")
    assert list(Delivery.objects.order_by("notification__user__username", "channel").values_list(
        "notification__user__username", "channel", "state")) == [
        ("leader", "in_app", "sent"), ("outsider", "email", "sent"), ("outsider", "in_app", "sent")]
    assert [m.to for m in mail.outbox] == [["ai@tayninh.gov.vn"]]


def test_two_workers_never_send_one_attempt_twice(receiver, prefer, leader, django_capture_on_commit_callbacks):
    from dieuhanh.alerts.sending import delivery_attempt, delivery_claim

    prefer(leader, channels=["webhook"], webhook_url=receiver.base + "/hooks/me")
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not picked it up yet
        tell(leader)
    pending = delivery("webhook")
    now = timezone.now()
    assert delivery_claim(pending.pk, now=now) is True
    assert delivery_claim(pending.pk, now=now) is False  # held by the first worker
    assert delivery_attempt(pending.pk, now=now) is None and receiver.requests == []
    # The first worker died mid-send: once its lease ends, another sends it.
    assert delivery_attempt(pending.pk, now=now + datetime.timedelta(minutes=5)) == State.SENT
    assert len(receiver.requests) == 1
    assert delivery("webhook").attempts == 2
