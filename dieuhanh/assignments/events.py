"""Tasks' events for webhooks: a task created, an occurrence overdue, an occurrence completed (its completion
confirmed). A task's event is seen by keys reaching its lead unit or one of its coordinating units, as the task
pages are (selectors.tasks_for).

"Overdue" is `Occurrence.objects.overdue_on`, the one definition; an hourly job (tasks.py) emits it once per
occurrence and deadline: an occurrence whose deadline is extended and then missed again falls overdue again."""

from __future__ import annotations

import datetime

from django.db import transaction

from dieuhanh.assignments.models import Occurrence, Task
from dieuhanh.webhooks.services import webhooks_emit, webhooks_seen


def _source(task: Task) -> str:
    if task.document_id:
        return task.document.number
    return task.instruction.meeting if task.instruction_id else ""


def task_data(task: Task) -> dict:
    return {
        "task": task.pk,
        "title": task.title,
        "source": _source(task),
        "assigner": str(task.assigner),
        "assigned_on": task.assigned_on,
        "lead_unit": task.lead_unit.code,
        "lead_unit_name": task.lead_unit.name,
        "coordinating_units": sorted(u.code for u in task.coordinating_units.all()),
        "deadline_kind": task.deadline_kind,
        "is_key": task.is_key,
        "product": task.product,
    }


def occurrence_data(occurrence: Occurrence, day: datetime.date) -> dict:
    return {
        "id": occurrence.pk,
        "period": occurrence.period_id,
        "deadline": occurrence.deadline,
        "original_deadline": occurrence.original_deadline,
        "status": occurrence.status_on(day),
        "percent": occurrence.percent,
        "completed_on": occurrence.completed_on,
        "result_number": occurrence.result_number,
        "result_note": occurrence.result_note,
    }


def _emit(event: str, task: Task, data: dict, once_key: str | None = None) -> bool:
    return webhooks_emit(event=event, unit=task.lead_unit, also_units=list(task.coordinating_units.all()),
                         payload=data, once_key=once_key) is not None


def task_created_emit(task: Task, *, day: datetime.date) -> None:
    occurrences = [occurrence_data(o, day) for o in task.occurrences.select_related("task").order_by("deadline",
                                                                                                         "id")]
    _emit("task.created", task, {**task_data(task), "occurrences": occurrences})


def task_completed_emit(occurrence: Occurrence, *, day: datetime.date) -> None:
    task = occurrence.task
    _emit("task.completed", task, {**task_data(task), "occurrence": occurrence_data(occurrence, day)})


def overdue_key(occurrence: Occurrence) -> str:
    return f"task.overdue:{occurrence.pk}:{occurrence.deadline:%Y-%m-%d}"


@transaction.atomic
def overdue_events_emit(*, day: datetime.date) -> int:
    """Emit `task.overdue` for each occurrence overdue on `day` that has not had it for its current deadline;
    returns how many were emitted."""
    overdue = list(Occurrence.objects.overdue_on(day).select_related(
        "task__lead_unit", "task__assigner", "task__document", "task__instruction"))
    seen = webhooks_seen(overdue_key(o) for o in overdue)
    emitted = 0
    for occurrence in overdue:
        if overdue_key(occurrence) in seen:
            continue
        data = {**task_data(occurrence.task), "occurrence": occurrence_data(occurrence, day)}
        emitted += _emit("task.overdue", occurrence.task, data, once_key=overdue_key(occurrence))
    return emitted
