"""Background jobs of the tasks app (Huey).

The schedule lives in Huey's storage (SQLite by default, Redis when REDIS_URL is set), so it survives a
restart; the reminder log lives in the database, so a missed run is caught up by the next one and a repeated
run sends nothing twice.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils.timezone import localdate
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from .reminders import reminders_send

_SEVEN = crontab(hour="7", minute="0")


def at_seven_local(timestamp: datetime.datetime) -> bool:
    """7:00 in the site's time zone. Huey hands periodic checks a naive UTC time (its default `utc=True`), so a
    bare crontab(hour=7) would fire at 14:00 in Hanoi."""
    if HUEY.utc:
        timestamp = (timestamp.replace(tzinfo=datetime.UTC)
                     .astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None))
    return _SEVEN(timestamp)


@db_periodic_task(at_seven_local)
def task_reminders_send() -> int:
    """Every morning at 7:00: the day's deadline digests for the lead units."""
    return len(reminders_send(day=localdate()))
