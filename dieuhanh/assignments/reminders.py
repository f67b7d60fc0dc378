"""Deadline reminders: one daily digest per lead unit, in the app and by e-mail, never sent twice.

Each day, open occurrences (task active, completion not yet confirmed) whose approved deadline is
`TASK_REMINDER_DAYS` days away (7, 3 and 1 by default), or which are overdue on a working day, are grouped by
their lead unit into one digest. The digest is a `Reminder` row per unit, day and channel; the unique
constraint on those three makes a second run on the same day write nothing new, and an e-mail is sent only by
the run that claims its row (`filter(...).update(...) == 1`, as healthchecks claims its flips). A failed
e-mail keeps its error on the row and is retried by the next run, so nothing is lost and nothing repeats.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from dieuhanh.accounts.models import RoleAssignment
from dieuhanh.lib.periods import PeriodError, is_working_day, parse_period
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.models import Holiday

from .models import Occurrence, Reminder, Status, Task

log = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = (7, 3, 1)
# A failed e-mail is retried by later runs for this many days; after that the next digests carry its tasks.
RETRY_DAYS = 7


@dataclass(frozen=True)
class DueItem:
    occurrence: Occurrence
    days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def reminder_days() -> tuple[int, ...]:
    days = getattr(settings, "TASK_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    return tuple(sorted({int(d) for d in days if int(d) > 0}, reverse=True))


def holiday_set(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def reminders_due(*, day: datetime.date) -> dict[int, list[DueItem]]:
    """The occurrences to remind on `day`, by lead unit id: due in one of the reminder days, or overdue on a
    working day. Paused, cancelled and confirmed work is left alone."""
    ahead = [day + datetime.timedelta(days=d) for d in reminder_days()]
    condition = Q(deadline__in=ahead)
    if is_working_day(day, holiday_set(day, day)):
        condition |= Q(deadline__lt=day)
    # Open work by the one definition of the statuses: within deadline or overdue on `day` (not completed, not
    # paused, not cancelled), as the task list and the overview count it.
    occurrences = (
        Occurrence.objects.with_status(day, Status.IN_PROGRESS, Status.OVERDUE)
        .filter(condition, task__assigned_on__lte=day)
        .select_related("task__document", "task__instruction", "task__lead_unit")
        .order_by("deadline", "task__title", "id")
    )
    by_unit: dict[int, list[DueItem]] = defaultdict(list)
    for occurrence in occurrences:
        by_unit[occurrence.task.lead_unit_id].append(DueItem(occurrence, (occurrence.deadline - day).days))
    return dict(by_unit)


def _source(task: Task) -> str:
    if task.document_id:
        return _("Document %(number)s of %(date)s") % {
            "number": task.document.number, "date": task.document.issued_on.strftime("%d/%m/%Y")}
    if task.instruction_id:
        return _("Instruction at %(meeting)s (%(date)s)") % {
            "meeting": task.instruction.meeting, "date": task.instruction.held_on.strftime("%d/%m/%Y")}
    return ""


def period_label(period_id: str) -> str:
    try:
        return str(parse_period(period_id).label)
    except PeriodError:
        return period_id


def _item_lines(n: int, item: DueItem) -> list[str]:
    occurrence, task = item.occurrence, item.occurrence.task
    title = task.title
    if occurrence.period_id:
        title = f"{title} ({period_label(occurrence.period_id)})"
    if item.overdue:
        when = ngettext("%(n)d day overdue", "%(n)d days overdue", -item.days_left) % {"n": -item.days_left}
    else:
        when = ngettext("%(n)d day left", "%(n)d days left", item.days_left) % {"n": item.days_left}
    lines = [f"{n}. {title}"]
    source = _source(task)
    if source:
        lines.append(f"   {source}")
    lines.append(f"   {pgettext('task', 'Deadline')}: {occurrence.deadline:%d/%m/%Y} ({when})")
    if occurrence.progress == Occurrence.Progress.REPORTED:
        lines.append(f"   {_('Completion reported, awaiting confirmation')}")
    return lines


def digest_text(unit: OrgUnit, day: datetime.date, items: list[DueItem]) -> tuple[str, str]:
    """The subject and plain-text body of one unit's digest, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        overdue = [i for i in items if i.overdue]
        upcoming = [i for i in items if not i.overdue]
        parts = []
        if upcoming:
            parts.append(ngettext("%(n)d task due soon", "%(n)d tasks due soon", len(upcoming)) % {"n": len(upcoming)})
        if overdue:
            parts.append(ngettext("%(n)d task overdue", "%(n)d tasks overdue", len(overdue)) % {"n": len(overdue)})
        subject = _("Task reminder: %(counts)s") % {"counts": ", ".join(parts)}
        lines = [
            _("To: %(unit)s") % {"unit": unit.name},
            "",
            _("Reminder of %(day)s: %(counts)s.") % {"day": day.strftime("%d/%m/%Y"), "counts": ", ".join(parts)},
        ]
        for heading, group in ((_("Overdue tasks"), overdue), (_("Tasks due soon"), upcoming)):
            if not group:
                continue
            lines += ["", heading + ":"]
            for n, item in enumerate(group, start=1):
                lines += _item_lines(n, item)
        lines += ["", _("Please update the progress or report completion in Điều hành.")]
        return subject[:255], "\n".join(lines)


def recipients(unit: OrgUnit) -> list[str]:
    """E-mail addresses of the active users holding a role directly on `unit`."""
    user_ids = RoleAssignment.objects.filter(orgunit=unit).values("user_id")
    emails = (
        get_user_model().objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="").order_by("email").values_list("email", flat=True)
    )
    return list(dict.fromkeys(emails))


def _digest_create(unit: OrgUnit, day: datetime.date, channel: str, items: list[DueItem],
                   subject: str, body: str) -> Reminder | None:
    """Write the day's digest for one channel, or None if an earlier run already wrote it."""
    delivered = timezone.now() if channel == Reminder.Channel.IN_APP else None
    reminder = Reminder(unit=unit, day=day, channel=channel, subject=subject, body=body, sent_at=delivered)
    # The unique constraint is checked by the database below: a concurrent run may win between check and write.
    reminder.full_clean(exclude=["occurrences", "unit"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            reminder.save()
            reminder.occurrences.set([i.occurrence for i in items])
    except IntegrityError:  # a concurrent run wrote it first
        return None
    return reminder


def _email_send(reminder: Reminder, connection=None) -> bool:
    """Send one e-mail digest if this run can claim it; keep the error for the next run if it fails."""
    claimed = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=timezone.now()) == 1
    if not claimed:
        return False
    to = recipients(reminder.unit)
    try:
        if not to:
            raise ValueError(_("No active user with an e-mail address holds a role on %(unit)s.")
                             % {"unit": reminder.unit.name})
        send_mail(reminder.subject, reminder.body, None, to, fail_silently=False, connection=connection)
    except Exception as exc:  # any transport failure: record it and let the next run retry
        log.warning("Task reminder %s to %s failed: %s", reminder.pk, reminder.unit, exc)
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=None, error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    Reminder.objects.filter(pk=reminder.pk).update(error="")
    return True


def reminders_send(*, day: datetime.date, connection=None) -> list[Reminder]:
    """Write and send the reminders of `day`; returns the reminders this run wrote or delivered.

    Running it again on the same day sends nothing new; e-mails that failed earlier (within RETRY_DAYS) are
    retried. `connection` is an e-mail connection (default: EMAIL_BACKEND)."""
    written: list[Reminder] = []
    due = reminders_due(day=day)
    units = OrgUnit.objects.in_bulk(list(due))
    written_before = set(Reminder.objects.filter(day=day).values_list("unit_id", "channel"))
    for unit_id, items in sorted(due.items(), key=lambda pair: units[pair[0]].path):
        unit = units[unit_id]
        subject, body = digest_text(unit, day, items)
        for channel in (Reminder.Channel.IN_APP, Reminder.Channel.EMAIL):
            if (unit_id, channel) in written_before:
                continue
            reminder = _digest_create(unit, day, channel, items, subject, body)
            if reminder is not None and channel == Reminder.Channel.IN_APP:
                written.append(reminder)
    pending = (
        Reminder.objects.filter(channel=Reminder.Channel.EMAIL, sent_at__isnull=True,
                                day__range=(day - datetime.timedelta(days=RETRY_DAYS), day))
        .select_related("unit").order_by("day", "unit__path")
    )
    for reminder in pending:
        if _email_send(reminder, connection):
            reminder.refresh_from_db()
            written.append(reminder)
    return written
