"""Scorecards: how many tasks fell due in a period and how many of them were completed, on time or late.

Counted the way Government reports count tasks: by occurrence (each period of a recurring task is one task),
the completion rate being completed ÷ tasks fallen due ("16,051 completed, 223 overdue → 98.6%").

For a window [start, end] looked at on `as_of` (today by default), with cut = min(end, as_of) — the day the
statuses are judged on:

- `assigned`: occurrences assigned within [start, cut] (a recurring task's occurrence is assigned when its
  period begins, or when the task was assigned if that is later), cancelled ones included;
- `due`: occurrences whose approved deadline falls in [start, cut], not cancelled on the cut day. Each is
  `done_on_time`, `done_late`, `within_deadline` (due on the cut day itself, which still counts as on time),
  `overdue` or (suspended) `paused_due` on the cut day, so
  due = done_on_time + done_late + within_deadline + overdue + paused_due — the official categories of the tasks
  fallen due; `due_parts` is that breakdown, in that order, for every page and export that shows one;
- occurrences of the window not yet due (deadline in (cut, end]) and open occurrences without deadline are
  `in_progress`, `no_deadline`, `paused_not_due`, or `done_early` (completed before they fell due);
- `cancelled`: occurrences of the window cancelled on the cut day;
- completion_rate = (done_on_time + done_late) ÷ due and on_time_rate = done_on_time ÷ due, in percent
  rounded half-up to one decimal; None when nothing fell due.

Tasks without deadline belong to the window when assigned by the cut day and not completed before `start`.
A completion counts from the date the lead unit reported once the assigner has confirmed it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from dieuhanh.assignments.models import Occurrence, Status
from dieuhanh.lib.periods import Period


@dataclass
class Scorecard:
    assigned: int = 0
    due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    within_deadline: int = 0
    overdue: int = 0
    paused_due: int = 0
    in_progress: int = 0
    done_early: int = 0
    no_deadline: int = 0
    paused_not_due: int = 0
    cancelled: int = 0

    @property
    def completed(self) -> int:
        """Completed among the occurrences that fell due."""
        return self.done_on_time + self.done_late

    @property
    def paused(self) -> int:
        """Paused, whether fallen due or not."""
        return self.paused_due + self.paused_not_due

    @property
    def due_parts(self) -> list[tuple[str, int]]:
        """The tasks fallen due by their status on the cut day (Status values), adding up to `due`."""
        return [(Status.DONE_ON_TIME, self.done_on_time), (Status.DONE_LATE, self.done_late),
                (Status.IN_PROGRESS, self.within_deadline), (Status.OVERDUE, self.overdue),
                (Status.PAUSED, self.paused_due)]

    @property
    def completion_rate(self) -> Decimal | None:
        return _percent(self.completed, self.due)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.done_on_time, self.due)

    def add(self, other: Scorecard) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def assigned_day(occurrence: Occurrence) -> datetime.date:
    """When an occurrence was assigned: its task's date, or the start of its period if that is later."""
    day = occurrence.task.assigned_on
    if occurrence.period_id:
        day = max(day, Period.parse(occurrence.period_id).start)
    return day


def _window_filter(start: datetime.date, end: datetime.date, cut: datetime.date) -> Q:
    """Occurrences that may count in the window, to narrow the query before the exact rules in Python."""
    dated = Q(deadline__gte=start, deadline__lte=end)
    undated = Q(deadline__isnull=True, task__assigned_on__lte=cut)
    assigned = Q(task__assigned_on__lte=cut) & (Q(task__assigned_on__gte=start) | ~Q(period_id=""))
    return dated | undated | assigned


def occurrences_in(occurrences: QuerySet, *, start: datetime.date, end: datetime.date,
                   as_of: datetime.date | None = None) -> list[Occurrence]:
    """The occurrences (with their tasks) that may count in [start, end] on `as_of`: read once, they serve several
    scorecards (all tasks, key tasks) without another query."""
    return list(_occurrences(occurrences, start, end, _cut(end, as_of), key_only=False))


def _occurrences(occurrences, start, end, cut, key_only) -> Iterable[Occurrence]:
    if isinstance(occurrences, QuerySet):
        occurrences = occurrences.filter(_window_filter(start, end, cut)).select_related("task")
        if key_only:
            occurrences = occurrences.filter(task__is_key=True)
        return occurrences
    return [o for o in occurrences if not key_only or o.task.is_key]


def _count(card: Scorecard, occurrence: Occurrence, start, end, cut) -> None:
    if start <= assigned_day(occurrence) <= cut:
        card.assigned += 1
    deadline = occurrence.deadline
    if deadline is not None:
        if not start <= deadline <= end or occurrence.task.assigned_on > cut:
            return
    else:
        if occurrence.task.assigned_on > cut:
            return
        done_before = (
            occurrence.progress == Occurrence.Progress.CONFIRMED
            and occurrence.completed_on is not None
            and occurrence.completed_on < start
        )
        if done_before:
            return
    status = occurrence.status_on(cut)
    if status == Status.CANCELLED:
        card.cancelled += 1
        return
    if deadline is not None and deadline <= cut:
        card.due += 1
        if status == Status.DONE_ON_TIME:
            card.done_on_time += 1
        elif status == Status.DONE_LATE:
            card.done_late += 1
        elif status == Status.OVERDUE:
            card.overdue += 1
        elif status == Status.PAUSED:
            card.paused_due += 1
        else:  # the deadline is the cut day: not completed yet, still within deadline
            card.within_deadline += 1
        return
    if status in (Status.DONE_ON_TIME, Status.DONE_LATE):
        card.done_early += 1
    elif status == Status.PAUSED:
        card.paused_not_due += 1
    elif status == Status.NO_DEADLINE:
        card.no_deadline += 1
    else:
        card.in_progress += 1


def _cut(end: datetime.date, as_of: datetime.date | None) -> datetime.date:
    return min(end, as_of or timezone.localdate())


def scorecard(
    occurrences, *, start: datetime.date, end: datetime.date, as_of: datetime.date | None = None,
    key_only: bool = False,
) -> Scorecard:
    """The scorecard of `occurrences` (a queryset or a list, with their tasks) over [start, end] on `as_of`."""
    cut = _cut(end, as_of)
    card = Scorecard()
    for occurrence in _occurrences(occurrences, start, end, cut, key_only):
        _count(card, occurrence, start, end, cut)
    return card


def _grouped(
    occurrences, related: str, *, start, end, as_of, key_only, sort_key
) -> list[tuple[object, Scorecard]]:
    """(task.<related>, scorecard) for each value with something to count, ordered by `sort_key`."""
    if isinstance(occurrences, QuerySet):
        occurrences = occurrences.select_related(f"task__{related}")
    cut = _cut(end, as_of)
    cards: dict[object, Scorecard] = {}
    for occurrence in _occurrences(occurrences, start, end, cut, key_only):
        card = cards.setdefault(getattr(occurrence.task, related), Scorecard())
        _count(card, occurrence, start, end, cut)
    rows = [(k, c) for k, c in cards.items() if c != Scorecard()]
    return sorted(rows, key=lambda row: sort_key(row[0]))


def scorecards_by_unit(
    occurrences, *, start: datetime.date, end: datetime.date, as_of: datetime.date | None = None,
    key_only: bool = False,
) -> list[tuple[object, Scorecard]]:
    """(lead unit, scorecard) for each lead unit with something to count, in the order of the unit tree."""
    return _grouped(occurrences, "lead_unit", start=start, end=end, as_of=as_of, key_only=key_only,
                    sort_key=lambda unit: (unit.path, unit.pk))


def scorecards_by_assigner(
    occurrences, *, start: datetime.date, end: datetime.date, as_of: datetime.date | None = None,
    key_only: bool = False,
) -> list[tuple[object, Scorecard]]:
    """(assigner, scorecard) for each assigner with something to count, by name."""
    return _grouped(occurrences, "assigner", start=start, end=end, as_of=as_of, key_only=key_only,
                    sort_key=lambda assigner: (assigner.name, assigner.pk))
