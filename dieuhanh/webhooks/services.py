"""Writes for webhooks: subscriptions of an API key, events, and their deliveries.

Domain apps call `webhooks_emit` where a change others care about happens, inside that change's transaction:
the event becomes a row, with one delivery row for each active subscription to it whose key reaches the event's
unit, and the deliveries are handed to the background worker only once the transaction commits
(`transaction.on_commit`), so a change that is rolled back sends nothing. Sending, retries and the log are in
sending.py; the Huey tasks in tasks.py.

This app depends only on accounts and orgunits: the domain apps build their events' data themselves."""

from __future__ import annotations

import datetime
import json
import logging
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import ApiKey
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.webhooks.models import EventType, WebhookDelivery, WebhookEvent, WebhookSubscription

log = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
MAX_SUBSCRIPTIONS_PER_KEY = 20


def key_reaches(key: ApiKey, units: Iterable[OrgUnit], *, now: datetime.datetime | None = None) -> bool:
    """The key is usable and may read one of `units`: inside its subtree and within its user's reading roles (the
    same reach as the API's Principal.units(), so a webhook pushes only what the key could have read)."""
    if not key.is_usable(now or timezone.now()):
        return False
    units = [u for u in units if key.root_id is None or u.path.startswith(key.root.path)]
    return bool(units) and units_in_scope(key.user).filter(pk__in=[u.pk for u in units]).exists()


@transaction.atomic
def subscription_create(*, key: ApiKey, url: str, events: Iterable[str],
                        description: str = "") -> tuple[WebhookSubscription, str]:
    """Subscribe `key` to `events` at `url`; returns the subscription and, once, its signing secret."""
    events = list(dict.fromkeys(e.strip() for e in events if e and e.strip()))
    problems = {}
    unknown = [e for e in events if e not in EventType.values]
    if not events:
        problems["events"] = _("Choose at least one event")
    elif unknown:
        problems["events"] = _("Unknown events: %(events)s (known: %(known)s)") % {
            "events": ", ".join(unknown), "known": ", ".join(EventType.values)}
    for field, text in (("url", url), ("description", description)):
        if "\x00" in (text or ""):  # PostgreSQL cannot store it: refuse it with a message rather than fail
            problems[field] = _("The text holds a NUL character, which cannot be stored")
    if WebhookSubscription.objects.filter(key=key, active=True).count() >= MAX_SUBSCRIPTIONS_PER_KEY:
        problems["url"] = _("A key may have at most %(n)d subscriptions; delete one first") % {
            "n": MAX_SUBSCRIPTIONS_PER_KEY}
    if problems:
        raise ValidationError(problems)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    subscription = WebhookSubscription(key=key, url=(url or "").strip(), events=",".join(events), secret=secret,
                                       description=(description or "").strip())
    subscription.full_clean()
    subscription.save()
    return subscription, secret


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription) -> WebhookSubscription:
    """Switch the subscription off; its log stays, and what was still waiting to be sent is not sent."""
    subscription.active = False
    subscription.save(update_fields=["active"])
    WebhookDelivery.objects.filter(subscription=subscription, state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.FAILED, next_attempt_at=None, last_error=_("The subscription was deleted"))
    return subscription


def webhooks_seen(once_keys: Iterable[str]) -> set[str]:
    """Which of these once-keys have already had their event (for jobs that emit many once-only events)."""
    return set(WebhookEvent.objects.filter(once_key__in=list(once_keys)).values_list("once_key", flat=True))


def webhooks_emit(*, event: str, unit: OrgUnit, payload: dict, also_units: Iterable[OrgUnit] = (),
                  once_key: str | None = None) -> WebhookEvent | None:
    """Record that `event` happened at `unit` (a task's coordinating units in `also_units`: a key reaching any of
    them sees it) with `payload` as its data, and deliver it after the current transaction commits to every active
    subscription to `event` whose key reaches one of those units.

    An event nobody subscribes to leaves no row, unless it has a `once_key`: such an event happens at most once
    (the key is remembered even without subscribers, so a later subscriber is not sent old news). Returns the event,
    or None when none was recorded."""
    EventType(event)  # an unknown event is a programming error: fail loudly
    now = timezone.now()
    units = [unit, *also_units]
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True).select_related("key__root", "key__user",
                                                                                   "key__client")
        if event in s.event_list and key_reaches(s.key, units, now=now)]
    if not subscriptions and once_key is None:
        return None
    # Stored as it will be sent (Decimals and dates as strings), so every delivery and redelivery sends the same.
    data = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    record = WebhookEvent(event_type=event, unit=unit, occurred_at=now, data=data, once_key=once_key)
    if once_key is None:
        record.save()
    else:
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            return None  # already happened (another worker was first)
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(subscription=s, event=record, next_attempt_at=now) for s in subscriptions])
    _send_after_commit([d.pk for d in deliveries])
    return record


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send an event to the same subscription again, as a new delivery (the old one's log stays as it was)."""
    if not delivery.subscription.active:
        raise ValidationError(_("The subscription was deleted; its events are no longer sent"))
    again = WebhookDelivery.objects.create(subscription=delivery.subscription, event=delivery.event,
                                           next_attempt_at=timezone.now())
    _send_after_commit([again.pk])
    return again


def _send_after_commit(ids: list) -> None:
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(ids: list) -> None:
    # The deliveries are rows already: if the queue cannot be reached now, the periodic retry sends them.
    from dieuhanh.webhooks.tasks import webhook_deliveries_send

    try:
        webhook_deliveries_send([str(pk) for pk in ids])
    except Exception:  # noqa: BLE001 — never fail the caller's request after its commit
        log.exception("webhooks: could not queue %d deliveries; the periodic retry will send them", len(ids))
