"""Sending deliveries: claim, send through the channel's transport, log the attempt, retry or stop.

Each attempt is claimed first (`filter(pending, due, not held).update(...) == 1`, which also leases the delivery
for a while), so two workers never send one attempt twice, and a worker that dies mid-send leaves the delivery to
be retried when the lease ends. A temporary error is retried after 1, 2, 4 ... × WEBHOOK_RETRY_BASE_SECONDS (the
webhooks app's backoff, at least the receiver's Retry-After) up to ALERTS_MAX_ATTEMPTS attempts, then given up; a
permanent error stops at once. A delivery that falls in its person's quiet hours (they may have set them after it
was written) waits, uncounted, until they end."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.webhooks.sending import MAX_RETRY_AFTER, backoff

from .models import Channel, Delivery
from .services import preference_of
from .transports import TRANSPORTS, TransportError

State = Delivery.State
DEFAULT_MAX_ATTEMPTS = 8


def max_attempts() -> int:
    return int(getattr(settings, "ALERTS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 60)


def delivery_claim(delivery_id: int, *, now: datetime.datetime) -> bool:
    """Take the delivery's next attempt if it is pending, due and nobody holds it."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    return Delivery.objects.filter(free, pk=delivery_id, state=State.PENDING, next_attempt_at__lte=now).update(
        claimed_until=now + _lease(), attempts=F("attempts") + 1) == 1


def delivery_attempt(delivery_id: int, *, now: datetime.datetime | None = None) -> str | None:
    """Claim the delivery if it is due and send it once; returns its new state, or None when it was not due,
    another worker holds it, or it waits for quiet hours to end."""
    now = now or timezone.now()
    if not delivery_claim(delivery_id, now=now):
        return None
    delivery = Delivery.objects.select_related("notification__user").get(pk=delivery_id)
    preference = preference_of(delivery.notification.user)
    held_until = preference.quiet_until(now) if delivery.channel != Channel.IN_APP else None
    if held_until is not None:
        Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") - 1, claimed_until=None,
                                                       next_attempt_at=held_until)
        return None
    transport_class = TRANSPORTS.get(delivery.channel)
    try:
        if transport_class is None:
            raise TransportError(_("Unknown channel %(channel)s") % {"channel": delivery.channel}, permanent=True)
        if delivery.channel not in preference.channel_list:
            raise TransportError(_("The person no longer wants to be told through this channel"), permanent=True)
        transport_class(delivery, preference).send()
    except TransportError as error:
        return _record(delivery, now, error)
    return _record(delivery, now, None)


def _record(delivery: Delivery, now: datetime.datetime, error: TransportError | None) -> str:
    entry = {"at": now.isoformat(), "ok": error is None, "error": error.message[:500] if error else "",
             "status": error.status if error else None}
    fields = {"claimed_until": None, "error": error.message[:2000] if error else "",
              "log": [*delivery.log, entry]}
    if error is None:
        fields.update(state=State.SENT, sent_at=now, next_attempt_at=None)
    elif error.permanent:
        fields.update(state=State.FAILED, next_attempt_at=None)
    elif delivery.attempts >= max_attempts():
        fields.update(state=State.GIVEN_UP, next_attempt_at=None)
    else:
        wait = backoff(delivery.attempts)
        if error.retry_after is not None:
            wait = max(wait, min(datetime.timedelta(seconds=error.retry_after), MAX_RETRY_AFTER))
        fields.update(next_attempt_at=now + wait)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    return fields.get("state", State.PENDING)


def deliveries_send(ids, *, now: datetime.datetime | None = None) -> dict[int, str | None]:
    """Try each of these deliveries that is due (just written, typically)."""
    return {pk: delivery_attempt(pk, now=now) for pk in ids}


def deliveries_send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Try every pending delivery whose time has come (retries, the end of quiet hours, and any the queue did not
    get); returns how many were attempted."""
    now = now or timezone.now()
    due = list(Delivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
               .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in due if delivery_attempt(pk, now=now) is not None)
