"""The one delete the trail allows: rows older than the retention (settings.AUDIT_RETENTION_DAYS)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from dieuhanh.audit.models import MIN_RETENTION_DAYS, AuditEvent


def audit_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the audit rows older than AUDIT_RETENTION_DAYS; returns how many. Refuses a retention shorter than
    the database's own floor (MIN_RETENTION_DAYS), which the PostgreSQL trigger would refuse row by row anyway."""
    days = settings.AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS is {days}; the audit trail keeps at least "
                                   f"{MIN_RETENTION_DAYS} days")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return AuditEvent.objects.purge_before(cutoff)
