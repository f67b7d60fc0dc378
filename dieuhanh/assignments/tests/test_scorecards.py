"""Scorecard arithmetic against a hand-counted set of tasks.

The set (window: first quarter of 2026; tasks assigned 10/01/2026 unless said otherwise):

| #   | unit    | key | deadline (approved)        | what happened                                   |
|-----|---------|-----|----------------------------|-------------------------------------------------|
| 1   | SKHCN   | yes | 15/02                      | completed 10/02, confirmed                      |
| 2   | SKHCN   | yes | 31/03                      | completed 31/03 (deadline day), confirmed       |
| 3   | STC     |     | 28/02                      | completed 05/03, confirmed (late)               |
| 4   | SKHCN   | yes | 15/03                      | nothing                                         |
| 5   | STC     |     | 20/03                      | completed 25/03 reported, never confirmed       |
| 6   | SKHCN   | yes | 10/03                      | completed 02/04, confirmed (after the quarter)  |
| 7   | SKHCN   |     | 30/04                      | nothing (falls due after the quarter)           |
| 8   | SKHCN   |     | 28/02 → 15/04 (extension)  | nothing                                         |
| 9   | SKHCN   | yes | none                       | nothing                                         |
| 10  | SKHCN   |     | 20/02                      | cancelled 15/02                                 |
| 11  | SKHCN   |     | 25/03                      | paused 01/03                                    |
| 12  | SKHCN   |     | monthly by the 15th, 01–06 | 01: done 14/01; 02: done 16/02 (late); 03: none |
| 13  | STC     | yes | 31/01, assigned 15/12/2025 | completed 30/01, confirmed                      |
| 14  | SKHCN   |     | 31/03                      | completed 20/02, confirmed (early)              |
"""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.accounts.models import Role
from dieuhanh.assignments.models import Occurrence
from dieuhanh.assignments.scorecards import Scorecard, scorecard, scorecards_by_assigner, scorecards_by_unit
from dieuhanh.assignments.services import (
    document_create,
    extension_decide,
    extension_request,
    task_cancel,
    task_pause,
)
from dieuhanh.conftest import make_user

D = datetime.date
Q1 = {"start": D(2026, 1, 1), "end": D(2026, 3, 31)}


@pytest.fixture
def hand_counted(make_task, finish, finance, office, province, lead_reporter, assigner_user):
    finance_reporter = make_user("finance_reporter", Role.REPORTER, finance)

    def dated(deadline, **kw):
        task = make_task(deadline=deadline, **kw)
        return task, task.occurrences.get()

    _, o1 = dated(D(2026, 2, 15), is_key=True)
    finish(o1, D(2026, 2, 10))
    _, o2 = dated(D(2026, 3, 31), is_key=True)
    finish(o2, D(2026, 3, 31))
    _, o3 = dated(D(2026, 2, 28), lead_unit=finance)
    finish(o3, D(2026, 3, 5), by=finance_reporter)
    dated(D(2026, 3, 15), is_key=True)
    _, o5 = dated(D(2026, 3, 20), lead_unit=finance)
    finish(o5, D(2026, 3, 25), by=finance_reporter, confirm=False)
    _, o6 = dated(D(2026, 3, 10), is_key=True)
    finish(o6, D(2026, 4, 2))
    dated(D(2026, 4, 30))
    _, o8 = dated(D(2026, 2, 28))
    ext = extension_request(user=lead_reporter, occurrence=o8, requested_deadline=D(2026, 4, 15), reason="Chờ số liệu")
    extension_decide(user=assigner_user, extension=ext, approve=True)
    make_task(deadline_kind="none", deadline=None, is_key=True)
    t10, _ = dated(D(2026, 2, 20))
    task_cancel(user=office, task=t10, reason="Không còn phù hợp", on=D(2026, 2, 15))
    t11, _ = dated(D(2026, 3, 25))
    task_pause(user=office, task=t11, reason="Chờ chủ trương", on=D(2026, 3, 1))
    t12 = make_task(deadline_kind="monthly", deadline=None, recurring_day=15, recurring_until=D(2026, 6, 30))
    by_period = {o.period_id: o for o in t12.occurrences.all()}
    finish(by_period["202601"], D(2026, 1, 14))
    finish(by_period["202602"], D(2026, 2, 16))
    old_document = document_create(user=office, number="310/KH-UBND", issued_on=D(2025, 12, 1), issuer=province,
                                   summary="Kế hoạch năm 2026")
    _, o13 = dated(D(2026, 1, 31), lead_unit=finance, is_key=True, document=old_document,
                   assigned_on=D(2025, 12, 15))
    finish(o13, D(2026, 1, 30), by=finance_reporter)
    _, o14 = dated(D(2026, 3, 31))
    finish(o14, D(2026, 2, 20))
    return Occurrence.objects.all()


def test_it_counts_the_quarter_after_it_ended(hand_counted):
    card = scorecard(hand_counted, **Q1, as_of=D(2026, 4, 15))
    assert card == Scorecard(
        assigned=15, due=12, done_on_time=5, done_late=2, overdue=4, in_progress=0, done_early=0, no_deadline=1,
        paused_due=1, cancelled=1,
    )
    assert card.completion_rate == Decimal("58.3")  # 7 / 12
    assert card.on_time_rate == Decimal("41.7")  # 5 / 12


def test_it_counts_the_quarter_while_it_runs(hand_counted):
    card = scorecard(hand_counted, **Q1, as_of=D(2026, 3, 1))
    assert card == Scorecard(
        assigned=15, due=5, done_on_time=3, done_late=1, overdue=1, in_progress=5, done_early=1, no_deadline=1,
        paused_not_due=1, cancelled=1,
    )
    assert card.completion_rate == Decimal("80.0")  # 4 / 5
    assert card.on_time_rate == Decimal("60.0")  # 3 / 5


def test_it_counts_key_tasks_on_their_own(hand_counted):
    card = scorecard(hand_counted, **Q1, as_of=D(2026, 4, 15), key_only=True)
    assert card == Scorecard(assigned=5, due=5, done_on_time=3, overdue=2, no_deadline=1)
    assert card.completion_rate == Decimal("60.0")


def test_it_takes_a_list_as_well_as_a_queryset(hand_counted):
    as_list = list(hand_counted.select_related("task"))
    assert scorecard(as_list, **Q1, as_of=D(2026, 4, 15)) == scorecard(hand_counted, **Q1, as_of=D(2026, 4, 15))


def test_it_counts_each_lead_unit(hand_counted, lead_unit, finance):
    rows = scorecards_by_unit(hand_counted, **Q1, as_of=D(2026, 4, 15))
    assert [unit for unit, _ in rows] == [lead_unit, finance]  # tree order: SKHCN was created first
    skhcn, stc = rows[0][1], rows[1][1]
    assert stc == Scorecard(assigned=2, due=3, done_on_time=1, done_late=1, overdue=1)
    assert stc.completion_rate == Decimal("66.7")
    assert skhcn == Scorecard(
        assigned=13, due=9, done_on_time=4, done_late=1, overdue=3, no_deadline=1, paused_due=1, cancelled=1
    )
    assert skhcn.completion_rate == Decimal("55.6")
    assert skhcn.on_time_rate == Decimal("44.4")


def test_it_counts_each_assigner(hand_counted, assigner):
    rows = scorecards_by_assigner(hand_counted, **Q1, as_of=D(2026, 4, 15))
    assert [(a, c.due) for a, c in rows] == [(assigner, 12)]


def test_a_quarter_before_anything_fell_due_has_no_rate(hand_counted):
    card = scorecard(hand_counted, start=D(2025, 10, 1), end=D(2025, 12, 31), as_of=D(2026, 4, 15))
    assert card.due == 0
    assert card.assigned == 1  # task 13, assigned 15/12/2025
    assert card.completion_rate is None and card.on_time_rate is None


def test_the_next_quarter_counts_what_moved_into_it(hand_counted):
    card = scorecard(hand_counted, start=D(2026, 4, 1), end=D(2026, 6, 30), as_of=D(2026, 7, 1))
    # Due: task 7 (30/04), task 8 (extended to 15/04), task 12 for April, May, June — none done.
    assert (card.due, card.overdue, card.done_on_time) == (5, 5, 0)
    # Assigned in the quarter: the April, May and June occurrences of task 12.
    assert card.assigned == 3
    assert card.no_deadline == 1  # task 9 is still open


def test_on_a_deadline_day_the_open_tasks_due_that_day_are_due_and_still_within_deadline(hand_counted):
    # 15/03: task 4 and task 12's March occurrence are due that day, not completed: on time still, not overdue.
    card = scorecard(hand_counted, **Q1, as_of=D(2026, 3, 15))
    # Fallen due: 1, 3, 4, 6, 12 (January, February, March), 13.
    assert (card.due, card.within_deadline, card.overdue) == (8, 2, 1)
    assert card.due_parts == [("done_on_time", 3), ("done_late", 2), ("in_progress", 2), ("overdue", 1),
                              ("paused", 0)]  # on time: 1, 12-01, 13; late: 3, 12-02; overdue: 6
    assert card.completion_rate == Decimal("62.5")  # 5 / 8


def test_every_breakdown_adds_up_to_its_total_on_every_day(hand_counted):
    """Fallen due = on time + late + within deadline + overdue + paused; and every occurrence of the window is in
    exactly one of the scorecard's groups, on every day of the quarter and after it."""
    occurrences = list(hand_counted.select_related("task"))
    day = D(2026, 1, 1)
    while day <= D(2026, 4, 30):
        for key_only in (False, True):
            card = scorecard(occurrences, **Q1, as_of=day, key_only=key_only)
            assert sum(n for _status, n in card.due_parts) == card.due, day
            counted = (card.due + card.in_progress + card.done_early + card.no_deadline + card.paused_not_due
                       + card.cancelled)
            in_window = sum(1 for o in occurrences if (not key_only or o.task.is_key) and o.task.assigned_on <= day
                            and (o.deadline is None and not (o.completed_on and o.progress == "confirmed"
                                                             and o.completed_on < Q1["start"])
                                 or o.deadline is not None and Q1["start"] <= o.deadline <= Q1["end"]))
            assert counted == in_window, day
            assert card.paused == card.paused_due + card.paused_not_due
        day += datetime.timedelta(days=1)
