"""Writing and reading the worker's heartbeat (the task that writes it every minute is in tasks.py)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from dieuhanh.ops.models import WorkerHeartbeat

WORKER_NAME = "huey"


def heartbeat_record(*, name: str = WORKER_NAME, now: dt.datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})


def heartbeat_age(*, name: str = WORKER_NAME, now: dt.datetime | None = None) -> float | None:
    """Seconds since the worker's last beat; None when it never beat."""
    beat_at = WorkerHeartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    if beat_at is None:
        return None
    return ((now or timezone.now()) - beat_at).total_seconds()


def stale_after_seconds() -> int:
    return int(getattr(settings, "HEALTHZ_WORKER_STALE_SECONDS", 180))
