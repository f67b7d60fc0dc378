"""Reads of the alerts app, scoped to the person asking: their own notifications; rules and silences over the units
they administer; alerts about the units they may read."""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Substr

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope

from .engine import ancestor_paths
from .models import (
    SYSTEM_KINDS,
    Alert,
    AlertRule,
    AlertState,
    Level,
    Notification,
    Silence,
    audience_roles,
)


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


def _severity() -> Case:
    return Case(When(rule__level=Level.CRITICAL, then=Value(3)), When(rule__level=Level.WARNING, then=Value(2)),
                default=Value(1))


LEVEL_OF_SEVERITY = {3: Level.CRITICAL, 2: Level.WARNING, 1: Level.INFO}


def _under(unit, scope) -> Q:
    return Q(unit__in=scope, unit__path__startswith=unit.path)


def alerts_firing_under(unit, scope) -> QuerySet[Alert]:
    """Firing alerts about `unit` or a unit below it within `scope` (the units the viewer may read): what the
    overview's and the wall's alert panel shows, read from the evaluator's rows instead of computed on each page.
    The most severe rule first, then the longest firing."""
    return (Alert.objects.filter(_under(unit, scope), state=AlertState.FIRING)
            .select_related("rule", "unit").alias(severity=_severity()).order_by("-severity", "since", "id"))


def firing_levels_under(unit, scope, kinds) -> dict[str, str]:
    """The most severe level among the rules of each of `kinds` with a firing alert under `unit` (one query): an
    alert panel's line about many subjects takes the level of the most severe rule that fired about them."""
    rows = (Alert.objects.filter(_under(unit, scope), state=AlertState.FIRING, rule__kind__in=kinds)
            .values("rule__kind").annotate(top=Max(_severity())).order_by())
    return {row["rule__kind"]: LEVEL_OF_SEVERITY[row["top"]] for row in rows}


def firing_subject_ids(unit, scope, kind: str, prefix: str) -> QuerySet:
    """The ids in the subject keys ("occurrence:12" → 12) of the firing alerts of `kind` under `unit` within
    `scope`, as a subquery: the records the engine found in that state (once each, however many rules over nested
    units fired about them), for the page to read their details in the same query."""
    return (Alert.objects.filter(_under(unit, scope), state=AlertState.FIRING, rule__kind=kind,
                                 subject_key__startswith=prefix)
            .annotate(subject_id=Cast(Substr("subject_key", len(prefix) + 1), IntegerField()))
            .values("subject_id"))


def alerts_evaluated_at(unit, kinds) -> datetime.datetime | None:
    """When the alerts read under `unit` were last brought up to date: the oldest last evaluation of the active
    rules of `kinds` that watch `unit`'s subtree or part of it (a rule over a unit above it, or over a unit below
    it). The stalest one, so that the time quoted holds for every line; None when no such rule ever ran."""
    return AlertRule.objects.filter(
        Q(unit__path__in=ancestor_paths(unit)) | Q(unit__path__startswith=unit.path), active=True, kind__in=kinds,
    ).aggregate(at=Min("evaluated_at"))["at"]


def alert_for(user, pk: int) -> Alert:
    """One alert about a unit the person may read; any other answers 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Alert.objects.filter(readable(user)).select_related("rule", "unit"), pk=pk)
