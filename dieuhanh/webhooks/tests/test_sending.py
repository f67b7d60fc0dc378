"""Deliveries against a real HTTP receiver: signature, after commit only, retries with backoff, permanent errors,
claims, revoked keys and deleted subscriptions."""

import datetime
import hashlib
import hmac
import json
import socket
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from dieuhanh.accounts.keys import apikey_revoke
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import submission_save_values, submission_submit
from dieuhanh.webhooks.models import WebhookDelivery, WebhookEvent
from dieuhanh.webhooks.sending import backoff, deliveries_send_due, delivery_attempt, delivery_claim
from dieuhanh.webhooks.services import delivery_redeliver, subscription_delete

State = WebhookDelivery.State
PERIOD = "202603"


@pytest.fixture
def submit(monthly_form, revenue, subscribers):
    """`submit(unit, user)`: the unit's report for 03/2026 with two figures, saved and submitted."""
    def run(unit, user):
        report = submission_save_values(
            form=monthly_form, orgunit=unit, period=PERIOD, user=user, channel="web",
            values=[ValueInput(indicator=revenue, kind="actual", value=Decimal("12.5")),
                    ValueInput(indicator=subscribers, kind="actual", value=Decimal("1200"))])
        return submission_submit(submission=report, user=user)
    return run


def only_delivery():
    return WebhookDelivery.objects.select_related("event").get()


def test_it_signs_the_body_with_the_secret_and_a_timestamp(receiver, client_key, subscribe, sent, submit,
                                                           commune_a, reporter_a):
    subscription, secret = subscribe(client_key(commune_a), ["report.submitted"])
    assert secret.startswith("whsec_") and len(secret) > 40
    with sent():
        submit(commune_a, reporter_a)

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    delivery = only_delivery()
    assert request["path"] == "/hooks/dieuhanh"
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-DieuHanh-Event"] == "report.submitted"
    assert headers["X-DieuHanh-Delivery"] == str(delivery.pk)
    timestamp = headers["X-DieuHanh-Timestamp"]
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-DieuHanh-Signature"], f"sha256={expected}")
    # Another secret, or the body signed without its timestamp, does not verify.
    assert headers["X-DieuHanh-Signature"] != "sha256=" + hmac.new(b"whsec_other", timestamp.encode() + b"." + body,
                                                                   hashlib.sha256).hexdigest()
    assert headers["X-DieuHanh-Signature"] != "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    assert request["json"]["id"] == str(delivery.event_id)
    assert request["json"]["event"] == "report.submitted"
    assert datetime.datetime.fromisoformat(request["json"]["occurred_at"]).utcoffset() == datetime.timedelta(hours=7)
    assert request["json"]["data"]["org_unit"] == "XA-A"
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_error) == (
        State.DELIVERED, 1, 200, "")
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    assert subscription.secret == secret  # kept to sign; the API shows it once (tests in dieuhanh/api/tests)


def test_it_sends_nothing_before_the_commit_and_nothing_for_a_rolled_back_change(
        receiver, client_key, subscribe, sent, submit, commune_a, reporter_a):
    subscribe(client_key(commune_a), ["report.submitted"])
    with sent() as callbacks:
        try:
            with transaction.atomic():
                submit(commune_a, reporter_a)
                assert WebhookDelivery.objects.count() == 1
                raise RuntimeError("the caller fails after the step")
        except RuntimeError:
            pass
        assert receiver.requests == []
    assert callbacks == []  # the rolled-back step's sending was dropped with it
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists() and not WebhookEvent.objects.exists()

    with sent():
        submit(commune_a, reporter_a)
        assert receiver.requests == []  # not while the transaction is open
    assert len(receiver.requests) == 1


def test_it_retries_a_temporary_error_with_backoff_then_delivers(receiver, client_key, subscribe, sent, submit,
                                                                 commune_a, reporter_a):
    subscribe(client_key(commune_a), ["report.submitted"])
    receiver.answers = [500, 503]
    with sent():
        submit(commune_a, reporter_a)
    delivery = only_delivery()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (State.PENDING, 1, 500)
    assert "HTTP 500" in delivery.last_error and "gone" in delivery.last_error
    first = delivery.last_attempt_at
    assert delivery.next_attempt_at == first + datetime.timedelta(seconds=60)

    assert deliveries_send_due(now=first + datetime.timedelta(seconds=59)) == 0  # not yet due
    assert deliveries_send_due(now=first + datetime.timedelta(seconds=60)) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (State.PENDING, 2, 503)
    assert delivery.next_attempt_at == first + datetime.timedelta(seconds=60 + 120)  # 1, then 2 minutes

    assert deliveries_send_due(now=first + datetime.timedelta(seconds=180)) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_error) == (
        State.DELIVERED, 3, 200, "")
    assert deliveries_send_due(now=first + datetime.timedelta(days=1)) == 0
    # Every attempt is the same delivery of the same event: a receiver can drop what it has already processed.
    assert len({r["headers"]["X-DieuHanh-Delivery"] for r in receiver.requests}) == 1
    assert len({r["json"]["id"] for r in receiver.requests}) == 1
    assert len(receiver.requests) == 3


def test_backoff_doubles():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


@override_settings(WEBHOOK_MAX_ATTEMPTS=3)
def test_it_gives_up_after_the_last_attempt_and_honours_retry_after(receiver, client_key, subscribe, sent, submit,
                                                                    commune_a, reporter_a):
    subscribe(client_key(commune_a), ["report.submitted"])
    receiver.answers = [(429, {"Retry-After": "600"}), 408, 502, 200]
    with sent():
        submit(commune_a, reporter_a)
    delivery = only_delivery()
    assert (delivery.state, delivery.last_status) == (State.PENDING, 429)
    assert delivery.next_attempt_at == delivery.last_attempt_at + datetime.timedelta(seconds=600)  # > 60 s backoff
    later = delivery.next_attempt_at
    assert deliveries_send_due(now=later) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (State.PENDING, 2, 408)
    assert deliveries_send_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (State.GAVE_UP, 3, 502)
    assert delivery.next_attempt_at is None
    assert deliveries_send_due(now=later + datetime.timedelta(days=2)) == 0
    assert len(receiver.requests) == 3


@pytest.mark.parametrize("status", [410, 400, 404, 301])
def test_it_stops_at_once_on_a_permanent_error(status, receiver, client_key, subscribe, sent, submit, commune_a,
                                               reporter_a):
    subscribe(client_key(commune_a), ["report.submitted"])
    receiver.answers = [(status, {"Location": "http://127.0.0.1:1/elsewhere"})]
    with sent():
        submit(commune_a, reporter_a)
    delivery = only_delivery()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (State.FAILED, 1, status)
    assert str(status) in delivery.last_error
    assert delivery.next_attempt_at is None
    assert deliveries_send_due(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert len(receiver.requests) == 1  # a redirect is not followed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_answer_and_no_connection_are_temporary(receiver, client_key, subscribe, sent, submit, commune_a,
                                                   reporter_a, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    key = client_key(commune_a)
    subscribe(key, ["report.submitted"])
    subscribe(key, ["report.submitted"], url=f"http://127.0.0.1:{free_port()}/closed")
    receiver.answers = [(200, {}, 1.0)]  # answers after the sender stopped waiting
    with sent():
        submit(commune_a, reporter_a)
    errors = {d.subscription.url.endswith("/closed"): d for d in WebhookDelivery.objects.select_related(
        "subscription")}
    slow, closed = errors[False], errors[True]
    assert (slow.state, slow.attempts, slow.last_status) == (State.PENDING, 1, None)
    assert slow.last_error == "Không có phản hồi trong 0,3 giây"
    assert (closed.state, closed.attempts, closed.last_status) == (State.PENDING, 1, None)
    assert closed.last_error.startswith("Không kết nối được:")
    assert closed.next_attempt_at > timezone.now()


def test_a_claimed_delivery_is_not_sent_twice(receiver, client_key, subscribe, sent, submit, commune_a,
                                             reporter_a):
    subscribe(client_key(commune_a), ["report.submitted"])
    submit(commune_a, reporter_a)  # no commit: nothing sent yet
    delivery = only_delivery()
    now = timezone.now()
    assert delivery_claim(delivery.pk, now=now) is True
    # Another worker at the same moment, or the on-commit send and the periodic retry racing: refused.
    assert delivery_claim(delivery.pk, now=now) is False
    assert delivery_attempt(delivery.pk, now=now + datetime.timedelta(seconds=5)) is None
    assert receiver.requests == []
    # A worker that died while holding it: the lease ends and the delivery is tried again.
    assert delivery_attempt(delivery.pk, now=now + datetime.timedelta(minutes=5)) == State.DELIVERED
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and len(receiver.requests) == 1


def test_a_revoked_key_or_a_deleted_subscription_stops_what_was_waiting(receiver, client_key, subscribe, sent,
                                                                        submit, commune_a, reporter_a, admin_user):
    key = client_key(commune_a)
    subscription, _ = subscribe(key, ["report.submitted"])
    receiver.answers = [500]
    with sent():
        submit(commune_a, reporter_a)
    apikey_revoke(key=key, by=admin_user)
    assert deliveries_send_due(now=timezone.now() + datetime.timedelta(minutes=2)) == 1
    delivery = only_delivery()
    assert (delivery.state, delivery.last_error) == (State.FAILED, "Khóa API đã bị thu hồi hoặc đã hết hạn")
    assert len(receiver.requests) == 1

    other, _ = subscribe(client_key(commune_a), ["report.submitted"])
    WebhookDelivery.objects.create(subscription=other, event=delivery.event, next_attempt_at=timezone.now())
    subscription_delete(subscription=other)
    waiting = WebhookDelivery.objects.get(subscription=other)
    assert (waiting.state, waiting.last_error) == (State.FAILED, "Đăng ký đã bị xóa")
    assert deliveries_send_due(now=timezone.now() + datetime.timedelta(minutes=2)) == 0


def test_redelivery_sends_the_same_event_as_a_new_delivery(receiver, client_key, subscribe, sent, submit,
                                                           commune_a, reporter_a):
    subscribe(client_key(commune_a), ["report.submitted"])
    receiver.answers = [410]
    with sent():
        submit(commune_a, reporter_a)
    failed = only_delivery()
    with sent():
        again = delivery_redeliver(delivery=failed)
    again.refresh_from_db()
    failed.refresh_from_db()
    assert failed.state == State.FAILED and again.state == State.DELIVERED and again.pk != failed.pk
    first, second = receiver.requests
    assert first["json"] == second["json"]
    assert first["headers"]["X-DieuHanh-Delivery"] != second["headers"]["X-DieuHanh-Delivery"]
    assert json.loads(second["body"])["id"] == str(failed.event_id)
