"""Reads of the alerts app, scoped to the person asking."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    """The person's own notifications, newest first; nobody reads another's."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
