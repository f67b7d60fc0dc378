"""Background jobs of the tasks app (Huey).

The schedule lives in Huey's storage (SQLite by default, Redis when REDIS_URL is set), so it survives a
restart. The reminder log lives in the database, so the job may run every hour of the working day: the 7:00
run sends the day's digests, later runs send nothing twice but catch up if the worker was down at 7:00 and
retry e-mails that failed.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils.timezone import localdate
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from .events import overdue_events_emit
from .reminders import reminders_send

_HOURLY_FROM_SEVEN = crontab(hour="7-17", minute="0")


def hourly_from_seven_local(timestamp: datetime.datetime) -> bool:
    """On the hour from 7:00 to 17:00 in the site's time zone. Huey hands periodic checks a naive UTC time (its
    default `utc=True`), so a bare crontab(hour=7) would fire at 14:00 in Hanoi."""
    if HUEY.utc:
        timestamp = (timestamp.replace(tzinfo=datetime.UTC)
                     .astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None))
    return _HOURLY_FROM_SEVEN(timestamp)


def _own_digest_hours(timestamp: datetime.datetime) -> bool:
    # Only when the notifications engine does not send the digests (settings.ALERTS_TASK_DIGESTS): never both.
    return not settings.ALERTS_TASK_DIGESTS and hourly_from_seven_local(timestamp)


@db_periodic_task(_own_digest_hours)
def task_reminders_send() -> int:
    """The day's deadline digests for the lead units (sent once, at the first run of the day), when the
    notifications engine does not send them."""
    return len(reminders_send(day=localdate()))


@db_periodic_task(crontab(minute="5"))
def task_overdue_events_emit() -> int:
    """Webhooks' `task.overdue`, once per occurrence and deadline (hourly: the day changes at local midnight, and a
    run the worker missed is caught up by the next)."""
    return overdue_events_emit(day=localdate())
