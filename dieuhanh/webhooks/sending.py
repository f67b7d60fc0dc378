"""Sending deliveries: the request, its signature, what counts as a temporary or a permanent error, retries.

What a receiver gets (a POST):

    Content-Type: application/json
    X-DieuHanh-Event: report.submitted
    X-DieuHanh-Delivery: <delivery id; the same on every attempt of one delivery>
    X-DieuHanh-Timestamp: <Unix time in seconds when this attempt was signed>
    X-DieuHanh-Signature: sha256=<hex HMAC-SHA256, keyed with the subscription's secret, of "<timestamp>.<body>">

    {"id": "<event id>", "event": "report.submitted", "occurred_at": "2026-12-03T13:40:00+07:00", "data": {...}}

To check a delivery, compute HMAC-SHA256(secret, timestamp + "." + raw body) and compare it in constant time with
the signature; refuse a timestamp more than a few minutes away from your clock (a replayed request carries an old
one, and changing it breaks the signature); drop a delivery id you have already processed (an attempt whose answer
was lost is sent again).

A 2xx answer delivers. No answer, a connection error, 408, 429 and 5xx are temporary: the delivery is retried after
1, 2, 4 ... × WEBHOOK_RETRY_BASE_SECONDS (at least the receiver's Retry-After), up to WEBHOOK_MAX_ATTEMPTS attempts,
then given up. Any other answer (3xx: redirects are not followed; 4xx) or a URL that cannot be used is permanent:
the delivery fails at once. Each attempt is claimed first (`filter(state=pending, due).update(...) == 1`, which also
leases it for a while), so two workers never send one attempt twice, and a worker that dies mid-send leaves the
delivery to be retried when the lease ends."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import http.client
import json
import urllib.parse

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.lib.vnformat import format_number
from dieuhanh.webhooks.models import WebhookDelivery

State = WebhookDelivery.State
USER_AGENT = "DieuHanh-Webhooks/1"
MAX_RETRY_AFTER = datetime.timedelta(hours=6)  # a receiver's Retry-After is honoured up to this


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-DieuHanh-Signature value of `body` sent at `timestamp`."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery) -> bytes:
    event = delivery.event
    return json.dumps({
        "id": str(event.id),
        "event": event.event_type,
        "occurred_at": timezone.localtime(event.occurred_at).isoformat(),
        "data": event.data,
    }, ensure_ascii=False, separators=(",", ":")).encode()


@dataclasses.dataclass
class Outcome:
    delivered: bool
    permanent: bool = False
    status: int | None = None
    error: str = ""
    retry_after: int | None = None  # seconds, from the receiver's Retry-After
    text: str = ""  # the start of the answer's body (some receivers, e.g. Zalo, put their errors in a 200)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST `body` to `url` and sort the answer into delivered / temporary / permanent. http.client rather than
    urllib: it sends the headers as written and follows no redirect (which would send the signed body somewhere the
    subscriber did not name)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(_("only http and https URLs with a host"))
    except ValueError as exc:
        return Outcome(False, permanent=True, error=_("The URL cannot be used: %(reason)s") % {"reason": exc})
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        status = response.status
        text = response.read(4000).decode("utf-8", "replace").strip()
        retry_after = _retry_after(response.getheader("Retry-After"))
    except TimeoutError:
        return _no_answer(timeout)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(False, error=_("Could not connect: %(reason)s") % {"reason": str(exc) or type(exc).__name__})
    finally:
        connection.close()
    if 200 <= status < 300:
        return Outcome(True, status=status, text=text)
    if 300 <= status < 400:
        return Outcome(False, permanent=True, status=status,
                       error=_("The receiver redirected (HTTP %(status)s); redirects are not followed, give the "
                               "final URL") % {"status": status})
    temporary = status in (408, 429) or status >= 500
    error = _("The receiver answered HTTP %(status)s") % {"status": status}
    return Outcome(False, permanent=not temporary, status=status, error=f"{error}: {text[:200]}" if text else error,
                   retry_after=retry_after, text=text)


def _no_answer(timeout: float) -> Outcome:
    return Outcome(False, error=_("No answer within %(seconds)s seconds") % {
        "seconds": format_number(timeout, 1, trim=True)})


def _retry_after(value: str | None) -> int | None:
    try:
        return max(0, int((value or "").strip()))
    except ValueError:
        return None  # an HTTP date, or nonsense: fall back to our own backoff


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4 ... × the base delay."""
    return datetime.timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 60)


def delivery_claim(delivery_id, *, now: datetime.datetime) -> bool:
    """Take the delivery's next attempt if it is pending and due; it is then leased to this worker (not due for
    anyone else) until the attempt is recorded, or the lease ends if the worker dies."""
    return WebhookDelivery.objects.filter(pk=delivery_id, state=State.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + _lease(), attempts=F("attempts") + 1, last_attempt_at=now) == 1


def delivery_attempt(delivery_id, *, now: datetime.datetime | None = None) -> str | None:
    """Claim the delivery if it is due and send it once; returns its new state, or None if it was not due or another
    worker holds it."""
    now = now or timezone.now()
    if not delivery_claim(delivery_id, now=now):
        return None
    delivery = WebhookDelivery.objects.select_related(
        "event", "subscription__key__client", "subscription__key__user").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.active:
        outcome = Outcome(False, permanent=True, error=_("The subscription was deleted"))
    elif not subscription.key.is_usable(now):
        outcome = Outcome(False, permanent=True, error=_("The API key was revoked or has expired"))
    else:
        body = body_of(delivery)
        timestamp = int(now.timestamp())
        outcome = post(subscription.url, body, {
            "X-DieuHanh-Event": delivery.event.event_type,
            "X-DieuHanh-Delivery": str(delivery.pk),
            "X-DieuHanh-Timestamp": str(timestamp),
            "X-DieuHanh-Signature": signature(subscription.secret, timestamp, body),
        }, settings.WEBHOOK_TIMEOUT_SECONDS)
    return _record(delivery, outcome, now)


def _record(delivery: WebhookDelivery, outcome: Outcome, now: datetime.datetime) -> str:
    fields = {"last_status": outcome.status, "last_error": outcome.error[:2000]}
    if outcome.delivered:
        fields.update(state=State.DELIVERED, delivered_at=now, next_attempt_at=None)
    elif outcome.permanent:
        fields.update(state=State.FAILED, next_attempt_at=None)
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        fields.update(state=State.GAVE_UP, next_attempt_at=None)
    else:
        wait = backoff(delivery.attempts)
        if outcome.retry_after is not None:
            wait = max(wait, min(datetime.timedelta(seconds=outcome.retry_after), MAX_RETRY_AFTER))
        fields.update(next_attempt_at=now + wait)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    return fields.get("state", State.PENDING)


def deliveries_send(ids, *, now: datetime.datetime | None = None) -> dict[str, str | None]:
    """Try each of these deliveries that is due (just emitted, or asked to be sent again)."""
    return {str(pk): delivery_attempt(pk, now=now) for pk in ids}


def deliveries_send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Try every pending delivery whose time has come (retries, and any the queue did not get); returns how many
    were attempted."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in due if delivery_attempt(pk, now=now) is not None)
