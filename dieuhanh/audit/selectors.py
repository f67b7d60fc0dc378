"""Who reads the trail, and the rows a filter picks.

Auditors are superusers and whoever holds the permission `audit.view_auditevent` (give it to an "Auditors" group in
the admin). They read the whole trail: an audit is of the system, not of one unit's subtree."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from dieuhanh.audit.models import AuditEvent


def can_audit(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("audit.view_auditevent")))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def events_filter(*, person: str = "", unit=None, action: str = "", since: datetime.date | None = None,
                  until: datetime.date | None = None, text: str = "") -> QuerySet[AuditEvent]:
    """Newest first. `unit` takes in the units below it; `since`/`until` are whole local days, both included."""
    events = AuditEvent.objects.select_related("user", "unit").order_by("-at", "-pk")
    if person:
        events = events.filter(Q(username__iexact=person) | Q(user__first_name__icontains=person)
                               | Q(user__last_name__icontains=person))
    if unit is not None:
        events = events.filter(unit__path__startswith=unit.path)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__gte=_midnight(since))
    if until:
        events = events.filter(at__lt=_midnight(until + datetime.timedelta(days=1)))
    if text:
        events = events.filter(Q(username__icontains=text) | Q(object_text__icontains=text)
                               | Q(path__icontains=text) | Q(ip__icontains=text) | Q(object_type__icontains=text))
    return events
