"""Who sees and does what on a task: the office registers and edits, the lead unit updates, coordinating units
comment, the assigner decides, leaders read; anyone else gets 404."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dieuhanh.accounts.models import Role
from dieuhanh.assignments.selectors import (
    can_comment,
    can_decide,
    can_manage,
    can_update,
    occurrence_or_404,
    task_or_404,
    task_rows,
    tasks_for,
)
from dieuhanh.assignments.services import (
    comment_add,
    completion_confirm,
    completion_report,
    extension_request,
    progress_add,
    task_cancel,
    task_pause,
    task_update,
)
from dieuhanh.conftest import make_user

D = datetime.date

# user fixture → (reads, manages, updates, comments, decides)
MATRIX = {
    "office": (True, True, False, True, True),
    "leader": (True, False, False, False, False),
    "lead_reporter": (True, False, True, True, False),
    "coord_reporter": (True, False, False, True, False),
    "assigner_user": (True, False, False, True, True),
    "outsider_reporter": (False, False, False, False, False),
    "outsider": (False, False, False, False, False),
}


@pytest.mark.parametrize("who", MATRIX)
def test_the_matrix(request, task, who):
    user = request.getfixturevalue(who)
    reads, manages, updates, comments, decides = MATRIX[who]
    assert (can_manage(user, task), can_update(user, task), can_comment(user, task), can_decide(user, task)) == (
        manages, updates, comments, decides)
    occurrence = task.occurrences.get()
    if reads:
        assert task_or_404(user, task.pk) == task
        assert occurrence_or_404(user, occurrence.pk) == occurrence
        assert [row.task for row in task_rows(user, on=D(2026, 3, 1))] == [task]
    else:
        with pytest.raises(Http404):
            task_or_404(user, task.pk)
        with pytest.raises(Http404):
            occurrence_or_404(user, occurrence.pk)
        assert task_rows(user, on=D(2026, 3, 1)) == []


@pytest.mark.parametrize("who", MATRIX)
def test_services_check_the_same_rules(request, task, who):
    user = request.getfixturevalue(who)
    _, manages, updates, comments, _ = MATRIX[who]
    occurrence = task.occurrences.get()
    actions = [
        (manages, lambda: task_update(user=user, task=task, product_note="Kế hoạch")),
        (updates, lambda: progress_add(user=user, occurrence=occurrence, text="Đang làm", percent=30)),
        (comments, lambda: comment_add(user=user, task=task, text="Ý kiến")),
        (updates, lambda: extension_request(user=user, occurrence=occurrence, requested_deadline=D(2026, 4, 30),
                                            reason="Chờ")),
        (updates, lambda: completion_report(user=user, occurrence=occurrence, completed_on=D(2026, 3, 1),
                                            result_note="Xong")),
    ]
    for allowed, action in actions:
        if allowed:
            action()
        else:
            with pytest.raises(PermissionDenied):
                action()


def test_the_lead_unit_reports_and_the_assigner_confirms(task, lead_reporter, coord_reporter, leader,
                                                        assigner_user):
    occurrence = task.occurrences.get()
    with pytest.raises(PermissionDenied):
        completion_report(user=coord_reporter, occurrence=occurrence, completed_on=D(2026, 3, 1), result_note="x")
    completion_report(user=lead_reporter, occurrence=occurrence, completed_on=D(2026, 3, 1), result_note="Xong")
    for user in (lead_reporter, coord_reporter, leader):
        with pytest.raises(PermissionDenied):
            completion_confirm(user=user, occurrence=occurrence)
    completion_confirm(user=assigner_user, occurrence=occurrence)


def test_only_the_office_or_assigner_pauses_and_cancels(task, leader, lead_reporter, coord_reporter):
    for user in (leader, lead_reporter, coord_reporter):
        for action in (task_pause, task_cancel):
            with pytest.raises(PermissionDenied):
                action(user=user, task=task, reason="x")


def test_an_approver_of_the_lead_unit_updates_too(task, lead_unit):
    approver = make_user("lead_approver", Role.APPROVER, lead_unit)
    assert can_update(approver, task)
    progress_add(user=approver, occurrence=task.occurrences.get(), text="Đã trình", percent=90)


def test_another_department_sees_only_its_own_tasks(task, make_task, finance):
    other = make_task(lead_unit=finance, coordinating_units=[])
    finance_reporter = make_user("finance_reporter", Role.REPORTER, finance)
    assert list(tasks_for(finance_reporter)) == [other]
    with pytest.raises(Http404):
        task_or_404(finance_reporter, task.pk)


def test_an_office_of_another_province_sees_nothing(task):
    from dieuhanh.orgunits.models import OrgUnit
    from dieuhanh.orgunits.services import orgunit_create

    elsewhere = orgunit_create(code="HN", name="Hà Nội", kind=OrgUnit.Kind.PROVINCE)
    other_office = make_user("office_hn", Role.OFFICE, elsewhere)
    assert not tasks_for(other_office).exists()
    assert not can_manage(other_office, task)
    with pytest.raises(Http404):
        task_or_404(other_office, task.pk)


def test_a_garbage_id_is_404(office):
    with pytest.raises(Http404):
        task_or_404(office, "abc")
    with pytest.raises(Http404):
        occurrence_or_404(office, 999999)
