"""The daily task digest on the notifications engine: what `assignments.reminders` sends today as its own
`Reminder` rows and e-mails, sent instead as a notification to each person of the lead unit (in the app, and by
the channels they chose, quiet hours kept, each delivery logged and retried).

Which occurrences are due and the digest's text stay the tasks app's (`reminders_due`, `digest_text`: one
definition); only the sending moves here. `notify`'s event key (unit and day) makes a second run on the same day
tell nobody twice."""

from __future__ import annotations

import datetime

from django.urls import reverse

from dieuhanh.accounts.selectors import READ_ROLES
from dieuhanh.assignments.reminders import digest_text, reminders_due
from dieuhanh.orgunits.models import OrgUnit

from .engine import recipients
from .models import Level, Notification
from .services import notify


def task_digests_send(*, day: datetime.date) -> list[Notification]:
    """The day's digests: one notification per person of each lead unit with work due or overdue."""
    due = reminders_due(day=day)
    units = OrgUnit.objects.in_bulk(list(due))
    written: list[Notification] = []
    for unit_id, items in sorted(due.items(), key=lambda pair: units[pair[0]].path):
        unit = units[unit_id]
        subject, body = digest_text(unit, day, items)
        level = Level.CRITICAL if any(item.overdue for item in items) else Level.WARNING
        written += notify(users=recipients(unit, READ_ROLES), title=subject, body=body, level=level,
                          link=reverse("assignments:task_list") + f"?unit={unit.pk}",
                          event_key=f"task-digest:{unit.pk}:{day.isoformat()}")
    return written
