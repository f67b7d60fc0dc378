"""The in-app side of the deadline reminders: the daily digests of the units in the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.timezone import localdate

from dieuhanh.accounts.selectors import get_unit_or_404, units_in_scope
from dieuhanh.orgunits.models import OrgUnit

from .models import Occurrence, Reminder, Status
from .reminders import period_label

PER_PAGE = 20


@dataclass
class ReminderLine:
    occurrence: Occurrence
    days_left: int  # on the reminder's day; negative when it was overdue
    status: str  # today
    status_label: str
    period_label: str = ""

    @property
    def overdue_days(self) -> int:
        return -self.days_left


@login_required
def reminder_list(request):
    today = localdate()
    units = units_in_scope(request.user)
    reminders = Reminder.objects.filter(channel=Reminder.Channel.IN_APP, unit__in=units)
    unit_choices = OrgUnit.objects.filter(pk__in=reminders.values("unit")).order_by("path")
    unit = None
    if request.GET.get("unit"):
        unit = get_unit_or_404(request.user, request.GET["unit"])
        reminders = reminders.filter(unit=unit)
    reminders = reminders.select_related("unit").prefetch_related(
        Prefetch("occurrences", queryset=Occurrence.objects.select_related(
            "task__document", "task__instruction").order_by("deadline", "id"))
    ).order_by("-day", "unit__path")
    page = Paginator(reminders, PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(Status.choices)
    digests = []
    for reminder in page:
        lines = []
        for occurrence in reminder.occurrences.all():
            status = occurrence.status_on(today)
            days_left = (occurrence.deadline - reminder.day).days if occurrence.deadline else 0
            period = period_label(occurrence.period_id) if occurrence.period_id else ""
            lines.append(ReminderLine(occurrence, days_left, status, labels[status], period))
        lines.sort(key=lambda line: (line.days_left >= 0, line.days_left))
        digests.append((reminder, lines))
    return render(request, "assignments/reminders.html", {
        "today": today, "page": page, "digests": digests, "unit": unit, "unit_choices": unit_choices,
        "overdue": Status.OVERDUE,
    })
