"""Extensions: the lead unit asks, the assigner decides; the original deadline stays on record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dieuhanh.assignments.models import Extension, Status, TaskEvent
from dieuhanh.assignments.services import extension_decide, extension_request, task_update

D = datetime.date
Kind = TaskEvent.Kind
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def occurrence(task):
    return task.occurrences.get()


ASKED = D(2026, 4, 30)


def ask(user, occurrence, day=ASKED):
    return extension_request(user=user, occurrence=occurrence, requested_deadline=day,
                             reason="Chờ số liệu của các xã")


def test_it_moves_the_deadline_and_keeps_the_original(occurrence, lead_reporter, assigner_user):
    extension = ask(lead_reporter, occurrence)
    assert extension.current_deadline == D(2026, 3, 31)
    occurrence.refresh_from_db()
    assert occurrence.deadline == D(2026, 3, 31)  # nothing moves before the decision
    extension_decide(user=assigner_user, extension=extension, approve=True, note="Đồng ý")
    occurrence.refresh_from_db()
    assert (occurrence.original_deadline, occurrence.deadline) == (D(2026, 3, 31), D(2026, 4, 30))
    extension.refresh_from_db()
    assert extension.decision == Extension.Decision.APPROVED and extension.decided_by == assigner_user


def test_on_time_is_judged_against_the_approved_deadline(occurrence, lead_reporter, assigner_user, finish):
    extension_decide(user=assigner_user, extension=ask(lead_reporter, occurrence), approve=True)
    occurrence.refresh_from_db()
    assert occurrence.status_on(D(2026, 4, 15)) == Status.IN_PROGRESS  # past the original deadline
    finish(occurrence, D(2026, 4, 30))
    assert occurrence.status_on(D(2026, 5, 1)) == Status.DONE_ON_TIME


def test_a_rejected_request_leaves_the_deadline(occurrence, lead_reporter, assigner_user):
    extension = ask(lead_reporter, occurrence)
    extension_decide(user=assigner_user, extension=extension, approve=False, note="Không có lý do chính đáng")
    occurrence.refresh_from_db()
    assert occurrence.deadline == D(2026, 3, 31)
    assert occurrence.status_on(D(2026, 4, 1)) == Status.OVERDUE
    rejected = occurrence.events.get(kind=Kind.EXTENSION_REJECTED)
    assert rejected.text == "Không có lý do chính đáng"


def test_one_pending_request_at_a_time(occurrence, lead_reporter, assigner_user):
    first = ask(lead_reporter, occurrence)
    with pytest.raises(ValidationError, match="already waiting"):
        ask(lead_reporter, occurrence, D(2026, 5, 15))
    extension_decide(user=assigner_user, extension=first, approve=False)
    ask(lead_reporter, occurrence, D(2026, 5, 15))  # once decided, a new request may be made
    assert occurrence.extensions.filter(decision=Extension.Decision.PENDING).count() == 1


def test_a_request_cannot_be_decided_twice(occurrence, lead_reporter, assigner_user, office):
    extension = ask(lead_reporter, occurrence)
    extension_decide(user=assigner_user, extension=extension, approve=True)
    with pytest.raises(ValidationError, match="already been decided"):
        extension_decide(user=office, extension=extension, approve=False)


@pytest.mark.parametrize(
    ("day", "reason", "field"),
    [(D(2026, 3, 31), "Chờ số liệu", "requested_deadline"), (D(2026, 3, 1), "x", "requested_deadline"),
     (D(2026, 4, 30), "  ", "reason")],
)
def test_bad_requests_name_the_field(occurrence, lead_reporter, day, reason, field):
    with pytest.raises(ValidationError) as caught:
        extension_request(user=lead_reporter, occurrence=occurrence, requested_deadline=day, reason=reason)
    assert field in caught.value.message_dict
    assert not Extension.objects.exists()


def test_only_the_lead_unit_asks_and_only_the_assigner_or_office_decides(
    occurrence, coord_reporter, leader, lead_reporter, office
):
    with pytest.raises(PermissionDenied):
        ask(coord_reporter, occurrence)
    extension = ask(lead_reporter, occurrence)
    for user in (lead_reporter, leader, coord_reporter):
        with pytest.raises(PermissionDenied):
            extension_decide(user=user, extension=extension, approve=True)
    extension_decide(user=office, extension=extension, approve=True)  # the office decides for the assigner


def test_every_deadline_change_is_in_the_history(task, occurrence, lead_reporter, assigner_user, office):
    extension_decide(user=assigner_user, extension=ask(lead_reporter, occurrence), approve=True)
    task_update(user=office, task=task, deadline=D(2026, 5, 20))
    extension_decide(user=assigner_user, extension=ask(lead_reporter, occurrence, D(2026, 6, 30)), approve=False)
    changes = [
        (e.kind, e.old_deadline, e.new_deadline)
        for e in task.events.exclude(kind__in=[Kind.CREATED, Kind.EXTENSION_REQUESTED, Kind.EXTENSION_REJECTED])
    ]
    assert changes == [
        (Kind.EXTENSION_APPROVED, D(2026, 3, 31), D(2026, 4, 30)),
        (Kind.DEADLINE_CHANGED, D(2026, 4, 30), D(2026, 5, 20)),
    ]
    occurrence.refresh_from_db()
    assert (occurrence.original_deadline, occurrence.deadline) == (D(2026, 3, 31), D(2026, 5, 20))
    requests = task.events.filter(kind=Kind.EXTENSION_REQUESTED).values_list("new_deadline", flat=True)
    assert list(requests) == [D(2026, 4, 30), D(2026, 6, 30)]


def test_a_task_without_deadline_needs_no_extension(make_task, lead_reporter):
    occurrence = make_task(deadline_kind="none", deadline=None).occurrences.get()
    with pytest.raises(ValidationError):
        ask(lead_reporter, occurrence)


def test_an_extension_of_one_recurring_period_leaves_the_others(make_task, lead_reporter, assigner_user):
    task = make_task(deadline_kind="monthly", deadline=None, recurring_day=15, recurring_until=D(2026, 4, 30))
    march = task.occurrences.get(period_id="202603")
    extension_decide(user=assigner_user, extension=ask(lead_reporter, march, D(2026, 3, 25)), approve=True)
    deadlines = dict(task.occurrences.values_list("period_id", "deadline"))
    assert deadlines == {"202601": D(2026, 1, 15), "202602": D(2026, 2, 15), "202603": D(2026, 3, 25),
                         "202604": D(2026, 4, 15)}
