"""The official status of a task on a given day."""

import datetime

import pytest

from dieuhanh.assignments.models import Status
from dieuhanh.assignments.services import task_cancel, task_pause, task_resume

D = datetime.date
DEADLINE = D(2026, 3, 31)


@pytest.fixture
def occurrence(task):
    return task.occurrences.get()


def test_it_is_within_deadline_on_the_deadline_day(occurrence):
    assert occurrence.deadline == DEADLINE
    assert occurrence.status_on(D(2026, 3, 30)) == Status.IN_PROGRESS
    assert occurrence.status_on(DEADLINE) == Status.IN_PROGRESS


def test_it_is_overdue_the_day_after(occurrence):
    assert occurrence.status_on(D(2026, 4, 1)) == Status.OVERDUE


def test_completed_on_the_deadline_day_is_on_time(occurrence, finish):
    finish(occurrence, DEADLINE)
    assert occurrence.status_on(DEADLINE) == Status.DONE_ON_TIME
    assert occurrence.status_on(D(2026, 12, 31)) == Status.DONE_ON_TIME


def test_completed_a_day_late_is_late(occurrence, finish):
    finish(occurrence, D(2026, 4, 1))
    assert occurrence.status_on(DEADLINE) == Status.IN_PROGRESS
    assert occurrence.status_on(D(2026, 4, 1)) == Status.DONE_LATE


def test_a_completion_counts_only_once_confirmed(occurrence, finish):
    finish(occurrence, D(2026, 3, 20), confirm=False)
    assert occurrence.status_on(D(2026, 3, 25)) == Status.IN_PROGRESS
    assert occurrence.status_on(D(2026, 4, 2)) == Status.OVERDUE


def test_a_task_without_deadline(make_task, finish):
    occurrence = make_task(deadline_kind="none", deadline=None).occurrences.get()
    assert occurrence.deadline is None and occurrence.original_deadline is None
    assert occurrence.status_on(D(2030, 1, 1)) == Status.NO_DEADLINE
    finish(occurrence, D(2026, 5, 1))
    assert occurrence.status_on(D(2026, 4, 30)) == Status.NO_DEADLINE
    assert occurrence.status_on(D(2026, 5, 1)) == Status.DONE_ON_TIME


def test_a_paused_task_is_paused_from_the_day_it_took_effect(task, occurrence, office):
    task_pause(user=office, task=task, reason="Chờ ý kiến của Bộ", on=D(2026, 3, 1))
    occurrence.refresh_from_db()
    assert occurrence.status_on(D(2026, 2, 28)) == Status.IN_PROGRESS
    assert occurrence.status_on(D(2026, 3, 1)) == Status.PAUSED
    assert occurrence.status_on(D(2026, 4, 15)) == Status.PAUSED  # not overdue while paused
    task_resume(user=office, task=task)
    occurrence.refresh_from_db()
    assert occurrence.status_on(D(2026, 4, 15)) == Status.OVERDUE


def test_a_cancelled_task_is_cancelled_even_past_its_deadline(task, occurrence, office):
    task_cancel(user=office, task=task, reason="Đã có văn bản thay thế", on=D(2026, 2, 1))
    occurrence.refresh_from_db()
    assert occurrence.status_on(D(2026, 1, 31)) == Status.IN_PROGRESS
    assert occurrence.status_on(D(2026, 2, 1)) == Status.CANCELLED
    assert occurrence.status_on(D(2026, 6, 1)) == Status.CANCELLED
