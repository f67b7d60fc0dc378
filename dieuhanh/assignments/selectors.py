"""Reads for tasks, scoped to the user. Every task page finds its task through `task_or_404` or
`occurrence_or_404`, so a task outside the user's scope answers 404 and does not even show that it exists.

Who sees a task: anyone with a reading role on its lead unit or one of its coordinating units (through the
unit or an ancestor: a leader or the office of the province sees every task of the province), and the
assigner's own account.

Who does what:
- `can_manage`: the office (Role.OFFICE, or an administrator) holding the lead unit registers and edits it;
- `can_update`: the lead unit's staff (reporters and approvers) report progress, completion, ask extensions;
- `can_comment`: those, the coordinating units' staff, the office and the assigner;
- `can_decide`: the assigner's account or the office confirm or return completion and decide extensions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import has_role, units_in_scope
from dieuhanh.assignments.models import Extension, Occurrence, Status, Task
from dieuhanh.lib.vnformat import fold

STAFF_ROLES = (Role.REPORTER, Role.APPROVER)


def tasks_for(user) -> QuerySet[Task]:
    """The tasks `user` may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Task.objects.none()
    if user.is_superuser:
        return Task.objects.all()
    scope = units_in_scope(user)
    coordinated = Task.coordinating_units.through.objects.filter(orgunit__in=scope).values("task_id")
    return Task.objects.filter(Q(lead_unit__in=scope) | Q(pk__in=coordinated) | Q(assigner__user=user))


def task_or_404(user, pk) -> Task:
    try:
        return tasks_for(user).select_related(
            "assigner", "lead_unit", "document", "instruction", "sector"
        ).get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def occurrence_or_404(user, pk) -> Occurrence:
    try:
        return Occurrence.objects.select_related(
            "task", "task__assigner", "task__lead_unit", "task__document", "task__instruction"
        ).get(pk=pk, task__in=tasks_for(user))
    except (Occurrence.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _has_any(user, roles, unit) -> bool:
    return any(has_role(user, role, unit) for role in roles)


def can_manage(user, task: Task) -> bool:
    """The office that registered the task (it holds the lead unit in its scope) may edit, pause, cancel it."""
    return has_role(user, Role.OFFICE, task.lead_unit)


def can_update(user, task: Task) -> bool:
    """The lead unit's staff: progress, completion report, extension requests."""
    return _has_any(user, STAFF_ROLES, task.lead_unit)


def can_decide(user, task: Task) -> bool:
    """The assigner's account, or the office: confirm or return completion, decide extensions."""
    if task.assigner.user_id is not None and task.assigner.user_id == user.pk:
        return True
    return can_manage(user, task)


def can_comment(user, task: Task) -> bool:
    if task.state == Task.State.CANCELLED:  # a cancelled task's history is closed, to everyone
        return False
    if can_update(user, task) or can_decide(user, task):
        return True
    return any(_has_any(user, STAFF_ROLES, unit) for unit in task.coordinating_units.all())


@dataclass(frozen=True)
class TaskRow:
    """One line of a task list: an occurrence, its task, and its status on the list's day."""

    occurrence: Occurrence
    status: str

    @property
    def task(self) -> Task:
        return self.occurrence.task

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def task_rows(
    user, *, on: datetime.date, unit=None, status=None, document=None, sector=None, key_only: bool = False,
    deadline_from: datetime.date | None = None, deadline_to: datetime.date | None = None, q: str = "",
) -> list[TaskRow]:
    """The occurrences of the tasks `user` may read, with their status on `on` (Occurrence.objects.status_on, the
    same as Occurrence.status_on), filtered in the database.

    - `unit`: tasks led by this unit or a unit below it;
    - `status`: one Status value or a collection of them (judged on `on`);
    - `document`, `sector`: instances or ids; `key_only`: key tasks (trọng tâm) only;
    - `deadline_from`/`deadline_to`: the approved deadline within the range (tasks without deadline drop out);
    - `q`: words found in the title, the source document's number or the product, with or without diacritics.

    Ordered by deadline (no deadline last), then by task.
    """
    occurrences = Occurrence.objects.filter(task__in=tasks_for(user)).status_on(on).select_related(
        "task", "task__assigner", "task__lead_unit", "task__document", "task__instruction", "task__sector"
    )
    if unit is not None:
        occurrences = occurrences.filter(task__lead_unit__path__startswith=unit.path)
    if document is not None:
        occurrences = occurrences.filter(task__document=document)
    if sector is not None:
        occurrences = occurrences.filter(task__sector=sector)
    if key_only:
        occurrences = occurrences.filter(task__is_key=True)
    if deadline_from is not None:
        occurrences = occurrences.filter(deadline__gte=deadline_from)
    if deadline_to is not None:
        occurrences = occurrences.filter(deadline__lte=deadline_to)
    for word in fold(q or "").split():
        occurrences = occurrences.filter(task__search_text__contains=word)
    if status:
        occurrences = occurrences.with_status(on, *([status] if isinstance(status, str) else status))
    rows = [TaskRow(occurrence=occurrence, status=occurrence.status) for occurrence in occurrences]
    rows.sort(key=lambda r: (r.occurrence.deadline is None, r.occurrence.deadline or on, -r.task.pk,
                             r.occurrence.period_id))
    return rows


def events_for(task: Task) -> QuerySet:
    """A task's history, oldest first, with who acted and their files."""
    return task.events.select_related("actor", "unit", "occurrence").prefetch_related("attachments")


# --- the deciders' worklist ------------------------------------------------------------------------------------
def _tasks_decided_by(user, office_units: QuerySet) -> QuerySet[Task]:
    """The tasks whose completion and extensions `user` decides (can_decide): those led by `office_units` (drawn by
    the caller from the user's office role) and those of an assigner whose account `user` is. Cancelled tasks wait
    for nobody."""
    decided = Q(lead_unit__in=office_units)
    if getattr(user, "pk", None) is not None:
        decided |= Q(assigner__user=user)
    return Task.objects.filter(decided).exclude(state=Task.State.CANCELLED)


def extensions_to_decide(user, office_units: QuerySet) -> QuerySet[Extension]:
    """Extension requests waiting for `user`'s decision, the oldest first."""
    return (Extension.objects.filter(decision=Extension.Decision.PENDING,
                                     occurrence__task__in=_tasks_decided_by(user, office_units))
            .order_by("requested_at", "id"))


def completions_to_confirm(user, office_units: QuerySet) -> QuerySet[Occurrence]:
    """Occurrences whose lead unit reported completion, waiting for `user` to confirm or return it."""
    return (Occurrence.objects.filter(progress=Occurrence.Progress.REPORTED,
                                      task__in=_tasks_decided_by(user, office_units))
            .order_by("completed_on", "id"))
