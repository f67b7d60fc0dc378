"""Background jobs of the tasks app (Huey).

The schedule lives in Huey's storage (SQLite by default, Redis when REDIS_URL is set), so it survives a
restart; the reminder log lives in the database, so a missed run is caught up by the next one and a repeated
run sends nothing twice.
"""

from __future__ import annotations

from django.utils.timezone import localdate
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .reminders import reminders_send


@db_periodic_task(crontab(hour="7", minute="0"))
def task_reminders_send() -> int:
    """Every morning at 7:00 (Hanoi time): the day's deadline digests for the lead units."""
    return len(reminders_send(day=localdate()))
