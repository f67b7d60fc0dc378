"""The database's statuses (`Occurrence.objects.status_on(day)`, `with_status`, `overdue_on`) agree with the model
rule `Occurrence.status_on(day)` for every occurrence on every day around the events, in every state.

The set (assigned 10/01/2026, deadline 31/03/2026 unless said otherwise):

| # | what happens                                                      | states it passes through            |
|---|-------------------------------------------------------------------|-------------------------------------|
| 1 | nothing                                                           | in progress → overdue 01/04         |
| 2 | completed 20/03, confirmed                                        | in progress → done on time          |
| 3 | completed 31/03 (deadline day), confirmed                         | → done on time on 31/03             |
| 4 | completed 05/04, confirmed                                        | → overdue 01/04 → done late 05/04   |
| 5 | completed 25/03 reported, never confirmed                         | in progress → overdue               |
| 6 | paused 01/03                                                      | in progress → paused (never overdue)|
| 7 | paused 15/04 (already overdue)                                    | overdue 01/04 → paused 15/04        |
| 8 | cancelled 01/02                                                   | in progress → cancelled             |
| 9 | no deadline; completed 01/05, confirmed                           | no deadline → done on time          |
| 10| no deadline, paused 01/03                                         | no deadline → paused                |
| 11| deadline 28/02 extended to 15/04, completed 10/04, confirmed      | in progress → done on time          |
| 12| completed 20/03, confirmed, then the task cancelled 10/04         | done on time → cancelled            |
"""

import datetime

import pytest

from dieuhanh.assignments.models import Occurrence, Status
from dieuhanh.assignments.services import extension_decide, extension_request, task_cancel, task_pause

D = datetime.date
DAYS = [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 20), D(2026, 3, 31), D(2026, 4, 1),
        D(2026, 4, 5), D(2026, 4, 10), D(2026, 4, 15), D(2026, 4, 16), D(2026, 5, 1), D(2026, 12, 31)]


@pytest.fixture
def every_state(make_task, finish, office, lead_reporter, assigner_user):
    def one(**kw):
        task = make_task(**kw)
        return task, task.occurrences.get()

    one()
    finish(one()[1], D(2026, 3, 20))
    finish(one()[1], D(2026, 3, 31))
    finish(one()[1], D(2026, 4, 5))
    finish(one()[1], D(2026, 3, 25), confirm=False)
    t6, _ = one()
    task_pause(user=office, task=t6, reason="Chờ chủ trương", on=D(2026, 3, 1))
    t7, _ = one()
    task_pause(user=office, task=t7, reason="Chờ ý kiến của Bộ", on=D(2026, 4, 15))
    t8, _ = one()
    task_cancel(user=office, task=t8, reason="Không còn phù hợp", on=D(2026, 2, 1))
    _, o9 = one(deadline_kind="none", deadline=None)
    finish(o9, D(2026, 5, 1))
    t10, _ = one(deadline_kind="none", deadline=None)
    task_pause(user=office, task=t10, reason="Chờ chủ trương", on=D(2026, 3, 1))
    _, o11 = one(deadline=D(2026, 2, 28))
    extension = extension_request(user=lead_reporter, occurrence=o11, requested_deadline=D(2026, 4, 15),
                                  reason="Chờ số liệu")
    extension_decide(user=assigner_user, extension=extension, approve=True)
    finish(Occurrence.objects.get(pk=o11.pk), D(2026, 4, 10))
    t12, o12 = one()
    finish(o12, D(2026, 3, 20))
    task_cancel(user=office, task=t12, reason="Đã có văn bản thay thế", on=D(2026, 4, 10))
    return Occurrence.objects.order_by("id")


def test_the_database_gives_each_occurrence_the_model_rules_status_on_every_day(every_state):
    occurrences = list(every_state.select_related("task"))
    assert len(occurrences) == 12
    seen = set()
    for day in DAYS:
        by_model = {o.pk: o.status_on(day) for o in occurrences}
        by_database = dict(every_state.status_on(day).values_list("pk", "status"))
        assert by_database == by_model, day
        seen |= set(by_model.values())
        for status in Status.values:
            wanted = {pk for pk, s in by_model.items() if s == status}
            assert set(every_state.with_status(day, status).values_list("pk", flat=True)) == wanted, (day, status)
        assert set(every_state.overdue_on(day).values_list("pk", flat=True)) == {
            pk for pk, s in by_model.items() if s == Status.OVERDUE}
    assert seen == set(Status.values)  # the set passes through every state


def test_the_states_of_the_set_on_the_16th_of_april(every_state):
    day = D(2026, 4, 16)
    statuses = [o.status for o in every_state.status_on(day)]
    assert statuses == [
        Status.OVERDUE, Status.DONE_ON_TIME, Status.DONE_ON_TIME, Status.DONE_LATE, Status.OVERDUE, Status.PAUSED,
        Status.PAUSED, Status.CANCELLED, Status.NO_DEADLINE, Status.PAUSED, Status.DONE_ON_TIME, Status.CANCELLED,
    ]
    assert every_state.overdue_on(day).count() == 2
    # Several statuses at once, as the reminders ask for open work.
    assert every_state.with_status(day, Status.IN_PROGRESS, Status.OVERDUE).count() == 2  # 1 and 5
    assert every_state.with_status(D(2026, 3, 20), Status.IN_PROGRESS, Status.OVERDUE).count() == 6  # 1, 3, 4, 5, 7, 11
