"""API: webhooks — a key subscribes to events and is sent them, signed, at its URL; it lists its subscriptions and
their deliveries and asks for a delivery to be sent again.

A subscription belongs to the key that made it and sees only what that key may read (its subtree, within its user's
roles): a read-only key may subscribe, since a webhook pushes only what the key could have read. Another key's
subscriptions answer 404. Deleting a subscription stops it; its delivery log stays (on the product's page).
How deliveries are signed, retried and given up: dieuhanh/webhooks/sending.py, repeated in the descriptions below."""

from __future__ import annotations

import datetime
import uuid

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from dieuhanh.api.errors import ErrorOut
from dieuhanh.webhooks.models import EventType, WebhookDelivery, WebhookSubscription
from dieuhanh.webhooks.services import delivery_redeliver, subscription_create, subscription_delete

router = Router(tags=["webhooks"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}

SIGNING = (
    "Each delivery is a POST of `{id, event, occurred_at, data}` (`id`: the event's id, the same for every "
    "subscriber) with the headers `X-DieuHanh-Event`, `X-DieuHanh-Delivery` (the same on every attempt of one "
    "delivery: drop one you have already processed), `X-DieuHanh-Timestamp` (Unix seconds) and "
    "`X-DieuHanh-Signature: sha256=<hex HMAC-SHA256 of \"<timestamp>.<raw body>\" keyed with the secret>`. "
    "Verify the signature in constant time and refuse a timestamp more than 5 minutes old. Answer 2xx within 5 "
    "seconds. No answer, connection errors, 408, 429 and 5xx are retried after 1, 2, 4 ... minutes (at least the "
    "Retry-After you send), 8 attempts in all; other answers (redirects are not followed, 4xx) stop the delivery "
    "at once."
)


class EventTypeOut(Schema):
    code: str
    label: str = Field(description="in the interface's language (Vietnamese by default)")


class SubscriptionIn(Schema):
    url: str = Field(description="http or https URL the deliveries are POSTed to", max_length=500)
    events: list[str] = Field(description="event codes, from GET /webhooks/events")
    description: str = Field("", max_length=200)


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    created_at: datetime.datetime


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str = Field(description="the signing secret, shown only in this answer: keep it")


class DeliveryOut(Schema):
    id: uuid.UUID = Field(description="sent as X-DieuHanh-Delivery")
    event: str
    event_id: uuid.UUID = Field(description="the body's `id`")
    occurred_at: datetime.datetime
    state: str = Field(description="pending | delivered | failed (permanent error) | gave_up (after the last retry)")
    attempts: int
    last_status: int | None = Field(description="the receiver's last HTTP status; null: no answer")
    last_error: str
    last_attempt_at: datetime.datetime | None
    next_attempt_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    created_at: datetime.datetime


class DeliveryFilter(Schema):
    state: WebhookDelivery.State | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _subscription_out(subscription: WebhookSubscription) -> dict:
    return {"id": subscription.pk, "url": subscription.url, "events": subscription.event_list,
            "description": subscription.description, "created_at": subscription.created_at}


def _delivery_out(delivery: WebhookDelivery) -> dict:
    return {"id": delivery.pk, "event": delivery.event.event_type, "event_id": delivery.event_id,
            "occurred_at": delivery.event.occurred_at, "state": delivery.state, "attempts": delivery.attempts,
            "last_status": delivery.last_status, "last_error": delivery.last_error,
            "last_attempt_at": delivery.last_attempt_at, "next_attempt_at": delivery.next_attempt_at,
            "delivered_at": delivery.delivered_at, "created_at": delivery.created_at}


def _own(request, subscription_id: int) -> WebhookSubscription:
    return get_object_or_404(WebhookSubscription, pk=subscription_id, key=request.auth.key, active=True)


@router.get("/events", response={200: list[EventTypeOut], **ERRORS}, summary="The events one may subscribe to")
def event_types(request):
    """report.submitted, report.approved, report.returned, report.reopened, report.values_changed (an approved
    report approved again with figures that differ from its previous approval: `data.changes` lists old → new),
    task.created, task.overdue (once per occurrence and deadline), task.completed (completion confirmed)."""
    return [{"code": value, "label": str(label)} for value, label in EventType.choices]


@router.get("", response={200: list[SubscriptionOut], **ERRORS}, summary="This key's webhook subscriptions")
def subscriptions_list(request):
    """The subscriptions made with the key in use (deleted ones are not listed)."""
    return [_subscription_out(s) for s in WebhookSubscription.objects.filter(key=request.auth.key, active=True)]


@router.post("", response={201: SubscriptionCreatedOut, **ERRORS}, summary="Subscribe to events",
             description="Subscribe the key in use to events at a URL. The answer holds the signing secret, shown "
                         "this once. A read-only key may subscribe: only events of units the key may read are sent. "
                         + SIGNING)
def subscription_add(request, payload: SubscriptionIn):
    subscription, secret = subscription_create(key=request.auth.key, url=payload.url, events=payload.events,
                                               description=payload.description)
    return Status(201, {**_subscription_out(subscription), "secret": secret})


@router.get("/{int:subscription_id}", response={200: SubscriptionOut, **ERRORS}, summary="One subscription")
def subscription_detail(request, subscription_id: int):
    return _subscription_out(_own(request, subscription_id))


@router.delete("/{int:subscription_id}", response={204: None, **ERRORS}, summary="Delete a subscription")
def subscription_remove(request, subscription_id: int):
    """Nothing more is sent, deliveries still waiting included; the delivery log stays on the product's page."""
    subscription_delete(subscription=_own(request, subscription_id))
    return Status(204, None)


@router.get("/{int:subscription_id}/deliveries", response={200: list[DeliveryOut], **ERRORS},
            summary="A subscription's deliveries, newest first")
def deliveries_list(request, subscription_id: int, filters: Query[DeliveryFilter]):
    """Each delivery's state, attempts, the receiver's last HTTP status and the last error."""
    deliveries = WebhookDelivery.objects.filter(subscription=_own(request, subscription_id)).select_related("event")
    if filters.state:
        deliveries = deliveries.filter(state=filters.state)
    return [_delivery_out(d) for d in deliveries[filters.offset:filters.offset + filters.limit]]


@router.post("/{int:subscription_id}/deliveries/{uuid:delivery_id}/redeliver",
             response={202: DeliveryOut, **ERRORS}, summary="Send a delivery's event again")
def delivery_resend(request, subscription_id: int, delivery_id: uuid.UUID):
    """The event is sent again as a new delivery (with its own id, the body's event `id` unchanged), in the
    background: follow it in the deliveries list."""
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("subscription", "event"), pk=delivery_id,
                                 subscription=_own(request, subscription_id))
    return Status(202, _delivery_out(delivery_redeliver(delivery=delivery)))
