"""Reads for the webhooks pages, scoped to the person: administrators (an ADMIN role anywhere, or a superuser) see
every subscription, those of the province's external systems included; anyone else sees those of their own personal
tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.webhooks.models import WebhookDelivery, WebhookSubscription


def is_administrator(user) -> bool:
    return user.is_active and (user.is_superuser or RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists())


def subscriptions_for(user) -> QuerySet[WebhookSubscription]:
    subscriptions = WebhookSubscription.objects.select_related("key__client", "key__user", "key__root")
    if is_administrator(user):
        return subscriptions
    return subscriptions.filter(key__user=user, key__client__isnull=True)


def deliveries_for(user) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(subscription__in=subscriptions_for(user)).select_related(
        "event", "subscription__key__client", "subscription__key__user")
