"""`manage.py send_task_reminders [--day YYYY-MM-DD]`: the day's deadline digests, for cron or a manual run.

Safe to run any number of times: a digest already written for a unit and day is not sent again; e-mails that
failed earlier are retried.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localdate

from dieuhanh.assignments.models import Reminder
from dieuhanh.assignments.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the task deadline reminders of a day (default: today) to the lead units, in the app and by e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the day to remind for, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        day = localdate()
        if options["day"]:
            try:
                day = datetime.date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError(f"--day: expected YYYY-MM-DD, got {options['day']!r}") from exc
        sent = reminders_send(day=day)
        in_app = sum(1 for r in sent if r.channel == Reminder.Channel.IN_APP)
        emails = sum(1 for r in sent if r.channel == Reminder.Channel.EMAIL)
        failed = Reminder.objects.filter(day=day, channel=Reminder.Channel.EMAIL, sent_at__isnull=True).count()
        self.stdout.write(f"{day:%Y-%m-%d}: {in_app} in-app digests, {emails} e-mails sent, {failed} e-mails failed.")
