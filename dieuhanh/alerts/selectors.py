"""Reads of the alerts app, scoped to the person asking: their own notifications; rules and silences over the units
they administer; alerts about the units they may read."""

from __future__ import annotations

from django.db.models import Case, Q, QuerySet, Value, When

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope

from .models import SYSTEM_KINDS, Alert, AlertRule, AlertState, Level, Notification, Silence, audience_roles


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    """The person's own notifications, newest first; nobody reads another's."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def may_administer(user) -> bool:
    return units_in_scope(user, Role.ADMIN).exists()


def rules_for(user) -> QuerySet[AlertRule]:
    """Alert rules over units the person administers."""
    return AlertRule.objects.filter(unit__in=units_in_scope(user, Role.ADMIN)).select_related(
        "unit", "indicator", "form")


def silences_for(user) -> QuerySet[Silence]:
    return Silence.objects.filter(unit__in=units_in_scope(user, Role.ADMIN)).select_related(
        "unit", "rule", "created_by")


def readable(user) -> Q:
    """The alerts the person may read: about a unit where they hold a role the alert's kind concerns
    (models.audience_roles — the engine tells the same people)."""
    systems = units_in_scope(user, *audience_roles(AlertRule.Kind.SYSTEM_DOWN))
    return (Q(rule__kind__in=SYSTEM_KINDS, unit__in=systems)
            | (~Q(rule__kind__in=SYSTEM_KINDS) & Q(unit__in=units_in_scope(user))))


def alerts_open_for(user) -> QuerySet[Alert]:
    """Firing and pending alerts about units the person may read: firing first, the longest firing first."""
    return (Alert.objects.filter(readable(user), state__in=[AlertState.FIRING, AlertState.PENDING])
            .select_related("rule", "unit").order_by("state", "since", "id"))


def alerts_firing_under(unit, scope) -> QuerySet[Alert]:
    """Firing alerts about `unit` or a unit below it within `scope` (the units the viewer may read): what the
    overview's and the wall's alert panel shows, read from the evaluator's rows instead of computed on each page.
    The most severe rule first, then the longest firing."""
    severity = Case(When(rule__level=Level.CRITICAL, then=Value(3)), When(rule__level=Level.WARNING, then=Value(2)),
                    default=Value(1))
    return (Alert.objects.filter(state=AlertState.FIRING, unit__in=scope, unit__path__startswith=unit.path)
            .select_related("rule", "unit").alias(severity=severity).order_by("-severity", "since", "id"))


def alert_for(user, pk: int) -> Alert:
    """One alert about a unit the person may read; any other answers 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Alert.objects.filter(readable(user)).select_related("rule", "unit"), pk=pk)
