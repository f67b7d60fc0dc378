"""API: tasks assigned by the People's Committee — the list with its filters and a task's detail within the key's
reach, and the progress and completion reports another system (the document management system, say) posts for the
lead unit.

Scoped as the task pages are (assignments.selectors: a task is seen by the lead unit's and the coordinating units'
people and those above them) and, further, to the key's subtree. Statuses are `Occurrence.objects.status_on`'s, the
one definition. Reports go through the pages' services (assignments.services), as the client's service account —
its name is the client's, so the task's history shows the system — and need a read-write key whose units include
the lead unit (who may report progress on the page: its reporters and approvers); anything else answers 404, as the
page does."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dieuhanh.accounts.models import Role
from dieuhanh.api.errors import ApiError, ErrorOut
from dieuhanh.api.idempotency import idempotent
from dieuhanh.api.reports import Choice, choice
from dieuhanh.api.values_import import no_nul
from dieuhanh.assignments import selectors, services
from dieuhanh.assignments.models import Document, Occurrence, Status, Task, TaskEvent
from dieuhanh.lib.docnumbers import DocumentNumberError, normalise_document_number

router = Router(tags=["tasks"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class UnitRef(Schema):
    code: str
    name: str


class DocumentRef(Schema):
    id: int
    number: str = Field(description="number and symbol, e.g. 125/QĐ-UBND")
    issued_on: datetime.date
    summary: str


class InstructionRef(Schema):
    meeting: str
    held_on: datetime.date
    instructed_by: str


class OccurrenceOut(Schema):
    id: int = Field(description="the occurrence to post progress or completion to")
    period: str = Field(description="the period of a recurring task (2026Q1); empty for a one-off task")
    status: Choice = Field(description="the official category on the day asked for: done_on_time | done_late | "
                                       "in_progress | overdue | no_deadline | paused | cancelled")
    deadline: datetime.date | None = Field(description="the approved deadline")
    original_deadline: datetime.date | None
    progress: Choice = Field(description="open | reported (completion awaits confirmation) | confirmed")
    percent: int
    completed_on: datetime.date | None
    result_number: str
    result_note: str
    version: int = Field(description="send as expected_version to refuse a report based on a stale view (409)")


class TaskItem(Schema):
    task: int = Field(description="the task's id")
    title: str
    state: Choice = Field(description="active | paused | cancelled")
    is_key: bool = Field(description="a key task (nhiệm vụ trọng tâm)")
    assigned_on: datetime.date
    assigner: str
    lead_unit: UnitRef
    document: DocumentRef | None
    instruction: InstructionRef | None
    product: Choice
    occurrence: OccurrenceOut


class TaskListOut(Schema):
    on: datetime.date = Field(description="the day the statuses are judged on")
    count: int = Field(description="occurrences matching the filters (before limit and offset)")
    items: list[TaskItem]


class EventOut(Schema):
    kind: Choice
    at: datetime.datetime
    by: str = Field(description="who acted: a person's or a system's name")
    unit: UnitRef | None = Field(description="the unit the actor spoke for")
    occurrence: int | None
    text: str
    percent: int | None
    old_deadline: datetime.date | None
    new_deadline: datetime.date | None


class TaskOut(Schema):
    task: int
    title: str
    state: Choice
    is_key: bool
    assigned_on: datetime.date
    assigner: str
    lead_unit: UnitRef
    coordinating_units: list[UnitRef]
    document: DocumentRef | None
    instruction: InstructionRef | None
    product: Choice
    product_note: str
    on: datetime.date
    occurrences: list[OccurrenceOut]
    events: list[EventOut] = Field(description="the task's history, oldest first")


def _unit(unit) -> UnitRef:
    return UnitRef(code=unit.code, name=unit.name)


def _person(user) -> str:
    # As the task page shows an actor (assignments' `person` filter): a system's service account has its name.
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def _occurrence(o: Occurrence, status: str) -> OccurrenceOut:
    return OccurrenceOut(
        id=o.pk, period=o.period_id, status=choice(status, Status(status).label), deadline=o.deadline,
        original_deadline=o.original_deadline, progress=choice(o.progress, o.get_progress_display()),
        percent=o.percent, completed_on=o.completed_on, result_number=o.result_number, result_note=o.result_note,
        version=o.version)


def _task_fields(task: Task) -> dict:
    document = task.document
    instruction = task.instruction
    return {
        "task": task.pk, "title": task.title, "state": choice(task.state, task.get_state_display()),
        "is_key": task.is_key, "assigned_on": task.assigned_on, "assigner": str(task.assigner),
        "lead_unit": _unit(task.lead_unit),
        "document": DocumentRef(id=document.pk, number=document.number, issued_on=document.issued_on,
                                summary=document.summary) if document else None,
        "instruction": InstructionRef(meeting=instruction.meeting, held_on=instruction.held_on,
                                      instructed_by=instruction.instructed_by) if instruction else None,
        "product": choice(task.product, task.get_product_display()),
    }


def tasks_in_reach(principal) -> QuerySet[Task]:
    """The tasks the key may read: those its user may read (the pages' rule), led or coordinated by a unit of the
    key's subtree when the key has a root."""
    tasks = selectors.tasks_for(principal.user)
    if principal.key.root_id:
        units = principal.units()
        coordinated = Task.coordinating_units.through.objects.filter(orgunit__in=units).values("task_id")
        tasks = tasks.filter(Q(lead_unit__in=units) | Q(pk__in=coordinated))
    return tasks


# --- reads ---------------------------------------------------------------------------------------------------------
class TaskListQuery(Schema):
    on: datetime.date | None = Field(None, description="judge statuses on this day (default: today)")
    status: list[Status] = Field([], description="only occurrences with these statuses on that day (repeatable)")
    orgUnit: str | None = Field(None, description="tasks led by this unit or a unit below it")  # noqa: N815
    document: str | None = Field(None, description="tasks of the document with this number, e.g. 125/QĐ-UBND")
    deadlineFrom: datetime.date | None = Field(None, description="approved deadline on or after")  # noqa: N815
    deadlineTo: datetime.date | None = Field(None, description="approved deadline on or before")  # noqa: N815
    key: bool = Field(False, description="key tasks (trọng tâm) only")
    q: str = Field("", max_length=200, description="words in the title, the document's number or the product")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


@router.get("", response={200: TaskListOut, **ERRORS}, summary="Tasks within the key's reach, filtered")
def task_list(request, query: Query[TaskListQuery]):
    """One line per occurrence (a recurring task has one per period) with its status on `on` — the task list page's
    lines and filters. Ordered by deadline (none last)."""
    no_nul(query.orgUnit or "", query.document or "", query.q)
    on = query.on or timezone.localdate()
    unit = request.auth.unit_or_404(query.orgUnit) if query.orgUnit else None
    if query.deadlineFrom and query.deadlineTo and query.deadlineFrom > query.deadlineTo:
        raise ApiError(400, "E_INVALID", _("deadlineFrom must not be after deadlineTo"), field="deadlineFrom")
    documents = None
    if query.document:
        try:
            number = normalise_document_number(query.document)
        except DocumentNumberError as exc:
            raise ApiError(400, "E_INVALID", str(exc), field="document") from exc
        documents = set(Document.objects.filter(number=number).values_list("pk", flat=True))
    rows = selectors.task_rows(request.auth.user, on=on, unit=unit, status=query.status or None,
                               key_only=query.key, deadline_from=query.deadlineFrom, deadline_to=query.deadlineTo,
                               q=query.q)
    reach = set(tasks_in_reach(request.auth).values_list("pk", flat=True))
    rows = [r for r in rows if r.task.pk in reach and (documents is None or r.task.document_id in documents)]
    page = rows[query.offset:query.offset + query.limit]
    return TaskListOut(on=on, count=len(rows), items=[
        TaskItem(**_task_fields(r.task), occurrence=_occurrence(r.occurrence, r.status)) for r in page])


def _task_or_404(request, pk: int) -> Task:
    try:
        return tasks_in_reach(request.auth).select_related(
            "assigner", "lead_unit", "document", "instruction").get(pk=pk)
    except Task.DoesNotExist as exc:
        raise Http404 from exc


def task_out(task: Task, on: datetime.date) -> TaskOut:
    occurrences = task.occurrences.status_on(on).select_related("task").order_by("deadline", "period_id", "id")
    events = (TaskEvent.objects.filter(task=task).select_related("actor", "unit")
              .order_by("created_at", "id"))
    return TaskOut(
        **_task_fields(task), product_note=task.product_note, on=on,
        coordinating_units=[_unit(u) for u in task.coordinating_units.order_by("search_name", "code")],
        occurrences=[_occurrence(o, o.status) for o in occurrences],
        events=[EventOut(kind=choice(e.kind, e.get_kind_display()), at=e.created_at, by=_person(e.actor),
                         unit=_unit(e.unit) if e.unit else None, occurrence=e.occurrence_id, text=e.text,
                         percent=e.percent, old_deadline=e.old_deadline, new_deadline=e.new_deadline)
                for e in events],
    )


@router.get("/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="One task: its occurrences and history")
def task_detail(request, task_id: int, on: datetime.date | None = None):
    """The task, each occurrence with its status on `on` (default today), and its history. A task outside the key's
    reach answers 404."""
    return task_out(_task_or_404(request, task_id), on or timezone.localdate())


# --- reports from another system ----------------------------------------------------------------------------------
class ProgressIn(Schema):
    text: str = Field(description="what has been done", max_length=5000)
    percent: int = Field(description="how far along, 0 to 100")
    expected_version: int | None = Field(None, description="the occurrence's version the report is based on: if "
                                                            "it changed since, nothing is recorded (409)")


class CompletionIn(Schema):
    completed_on: datetime.date = Field(description="the day the task was completed (not in the future)")
    result_note: str = Field(description="the result: the product delivered", max_length=5000)
    result_number: str = Field("", description="the number of the product document, e.g. 45/BC-SKHCN",
                               max_length=64)
    expected_version: int | None = Field(None, description="as for progress")


def _report(request, occurrence_id: int, expected_version: int | None, run) -> TaskOut:
    """Record a report on an occurrence as the key's system: a read-write key (403 otherwise) that reaches the task
    and may update it as the page allows (its lead unit's reporters and approvers; 404 otherwise)."""
    request.auth.require_write()
    try:
        occurrence = Occurrence.objects.select_related("task").get(
            pk=occurrence_id, task__in=tasks_in_reach(request.auth))
    except Occurrence.DoesNotExist as exc:
        raise Http404 from exc
    task = occurrence.task
    if not request.auth.units(Role.REPORTER, Role.APPROVER).filter(pk=task.lead_unit_id).exists():
        raise Http404
    try:
        with transaction.atomic():
            locked = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
            if expected_version is not None and expected_version != locked.version:
                raise ApiError(409, "E_CONFLICT", _(
                    "This task has changed since version %(expected)s (it is at version %(version)s); nothing was "
                    "recorded. Read it again and resend") % {"expected": expected_version, "version": locked.version},
                    field="expected_version")
            run(locked, request.auth.user)
    except PermissionDenied as exc:  # the page answers 404 when the user may not update the task
        raise Http404 from exc
    return task_out(Task.objects.select_related("assigner", "lead_unit", "document", "instruction").get(pk=task.pk),
                    timezone.localdate())


@router.post("/occurrences/{int:occurrence_id}/progress", response={200: TaskOut, **ERRORS},
             summary="Report progress on a task, as the calling system")
@idempotent
def task_progress(request, occurrence_id: int, payload: ProgressIn):
    """Record how far the lead unit has got (text and percent), as the task page's progress form does, in the task's
    history under the calling system's name. Needs a read-write key whose units include the task's lead unit."""
    no_nul(payload.text)
    return _report(request, occurrence_id, payload.expected_version, lambda o, user: services.progress_add(
        user=user, occurrence=o, text=payload.text, percent=payload.percent))


@router.post("/occurrences/{int:occurrence_id}/completion", response={200: TaskOut, **ERRORS},
             summary="Report a task completed, as the calling system")
@idempotent
def task_completion(request, occurrence_id: int, payload: CompletionIn):
    """Report the occurrence done on `completed_on` with its result; it counts as completed once the assigner or
    the office confirms it (on the task page). Needs a read-write key whose units include the task's lead unit."""
    no_nul(payload.result_note, payload.result_number)
    return _report(request, occurrence_id, payload.expected_version, lambda o, user: services.completion_report(
        user=user, occurrence=o, completed_on=payload.completed_on, result_note=payload.result_note,
        result_number=payload.result_number))
