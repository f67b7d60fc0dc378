"""Writes for tasks: documents and instructions, tasks and their occurrences, progress, completion,
extensions, pause and cancel.

Every function is keyword-only and atomic. Bad input raises `ValidationError` with a dict naming the field
(`{"deadline": [...]}`), so a form or an import can put the message next to the field or the cell; an action
the user may not take raises `PermissionDenied` (views answer 404, so nothing leaks). Every step is a
`TaskEvent` row: the task's history. Nothing is deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import has_role, units_in_scope
from dieuhanh.assignments.events import task_completed_emit, task_created_emit
from dieuhanh.assignments.models import (
    Assigner,
    Attachment,
    Document,
    Extension,
    Instruction,
    Occurrence,
    Task,
    TaskEvent,
)
from dieuhanh.assignments.selectors import can_comment, can_decide, can_manage, can_update
from dieuhanh.lib.docnumbers import DocumentNumberError, normalise_document_number, parse_document_number
from dieuhanh.lib.periods import DeadlineRule, Period, PeriodType
from dieuhanh.lib.vnformat import fold

Kind = TaskEvent.Kind
DeadlineKind = Task.DeadlineKind

# A recurring task may not create more occurrences than this (a monthly task over 10 years is 120).
MAX_OCCURRENCES = 240

RECURRING_PERIOD_TYPES = {
    DeadlineKind.MONTHLY: PeriodType.MONTH,
    DeadlineKind.QUARTERLY: PeriodType.QUARTER,
    DeadlineKind.YEARLY: PeriodType.YEAR,
}

# Fields the office may change with task_update. The deadline kind and the recurring rule are fixed once
# occurrences exist: cancel the task and register a new one instead.
EDITABLE_FIELDS = (
    "title",
    "document",
    "instruction",
    "assigner",
    "assigned_on",
    "lead_unit",
    "coordinating_units",
    "deadline",
    "is_key",
    "product",
    "product_note",
    "sector",
)


def _today() -> datetime.date:
    return timezone.localdate()


def _d(day: datetime.date | None) -> str:
    return date_format(day, "d/m/Y") if day else _("none")


def _require_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _is_office(user) -> bool:
    return units_in_scope(user, Role.OFFICE).exists()


def _event(
    *, task: Task, kind: str, user, occurrence: Occurrence | None = None, unit=None, text: str = "",
    percent: int | None = None, old_deadline=None, new_deadline=None, files: Iterable = (),
) -> TaskEvent:
    event = TaskEvent.objects.create(
        task=task, occurrence=occurrence, kind=kind, actor=user, unit=unit, text=text, percent=percent,
        old_deadline=old_deadline, new_deadline=new_deadline,
    )
    for upload in files or ():
        name = getattr(upload, "name", "") or "file"
        Attachment.objects.create(event=event, file=upload, name=name.rsplit("/", 1)[-1][:255],
                                  size=getattr(upload, "size", 0) or 0)
    return event


def _locked_occurrence(occurrence: Occurrence) -> Occurrence:
    """The occurrence re-read under a row lock, with its task, so two people cannot act on a stale copy."""
    return Occurrence.objects.select_for_update().select_related("task", "task__assigner", "task__lead_unit").get(
        pk=occurrence.pk
    )


def _locked_task(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("assigner", "lead_unit").get(pk=task.pk)


def _save_occurrence(occurrence: Occurrence, fields: list[str]) -> None:
    occurrence.version = F("version") + 1
    occurrence.save(update_fields=[*fields, "version"])
    occurrence.refresh_from_db(fields=["version"])


def _require_active(task: Task) -> None:
    if task.state == Task.State.CANCELLED:
        raise ValidationError(_("This task was cancelled; nothing more can be recorded on it."))
    if task.state == Task.State.PAUSED:
        raise ValidationError(_("This task is paused; resume it first."))


# --- documents and instructions ----------------------------------------------------------------------------
@transaction.atomic
def document_create(
    *, user, number: str, issued_on: datetime.date, issuer, summary: str, signer: str = "", attachment=None
) -> Document:
    """Register a directive document. The number is checked against Decree 30 and stored normalised; the same
    number from the same issuer in the same year is refused (order numbers restart every 1 January)."""
    if not _is_office(user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    normalised = ""
    parsed = None
    try:
        normalised = normalise_document_number(number)
        parsed = parse_document_number(normalised)
    except DocumentNumberError as exc:
        errors["number"] = [str(exc)]
    if issued_on is None:
        errors["issued_on"] = [_("Enter the date the document was issued.")]
    elif issued_on > _today():
        errors["issued_on"] = [_("The date issued %(date)s is in the future.") % {"date": _d(issued_on)}]
    if parsed is not None and issued_on is not None and parsed.year and parsed.year != issued_on.year:
        errors["number"] = [
            _("%(number)s carries the year %(year)d but the document was issued on %(date)s.")
            % {"number": normalised, "year": parsed.year, "date": _d(issued_on)}
        ]
    if not (summary or "").strip():
        errors["summary"] = [_("Enter the document's summary (trích yếu).")]
    if attachment and not getattr(attachment, "name", "").lower().endswith(".pdf"):
        errors["attachment"] = [_("The attachment must be a PDF file.")]
    if errors:
        raise ValidationError(errors)
    duplicate = Document.objects.filter(number=normalised, issuer=issuer, issued_on__year=issued_on.year).first()
    if duplicate:
        raise ValidationError(
            {"number": _("%(number)s of %(issuer)s was already registered (issued on %(date)s).")
             % {"number": normalised, "issuer": issuer, "date": _d(duplicate.issued_on)}}
        )
    document = Document(
        number=normalised, type_code=parsed.type_code, issued_on=issued_on, issuer=issuer,
        signer=(signer or "").strip(), summary=summary.strip(), created_by=user,
    )
    if attachment:
        document.attachment = attachment
    document.search_text = " ".join(
        filter(None, [fold(normalised), fold(document.summary), fold(document.signer)])
    )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def instruction_create(*, user, meeting: str, held_on: datetime.date, instructed_by: str) -> Instruction:
    """Record a leader's instruction at a meeting, the source of tasks that come from no document."""
    if not _is_office(user):
        raise PermissionDenied
    errors = {}
    if not (meeting or "").strip():
        errors["meeting"] = [_("Enter the meeting.")]
    if held_on is None:
        errors["held_on"] = [_("Enter the date of the meeting.")]
    if not (instructed_by or "").strip():
        errors["instructed_by"] = [_("Enter who gave the instruction.")]
    if errors:
        raise ValidationError(errors)
    instruction = Instruction(meeting=meeting.strip(), held_on=held_on, instructed_by=instructed_by.strip())
    instruction.full_clean()
    instruction.save()
    return instruction


# --- occurrences ------------------------------------------------------------------------------------------------
def recurring_deadlines(
    *, deadline_kind: str, day: int, month_offset: int, start: datetime.date, until: datetime.date
) -> list[tuple[str, datetime.date]]:
    """(period id, deadline) of a recurring task: every period whose deadline falls in [start, until].

    The deadline of a period is day `day` of the month `month_offset` months after its last month, clamped to
    the month's length (day 31 of a quarter ending in June is 30/6).
    """
    ptype = RECURRING_PERIOD_TYPES[deadline_kind]
    rule = DeadlineRule(kind="day_of_month", day=day, month_offset=month_offset)
    # With a positive offset a period that ended before `start` can still be due after it: start that far back.
    back = max(month_offset, 0) + 12
    first_day = datetime.date(start.year - back // 12 - 1, start.month, 1)
    period = Period.containing(ptype, first_day)
    result = []
    while True:
        deadline = rule.deadline_for(period)
        if deadline > until and period.start > until:
            break
        if start <= deadline <= until:
            result.append((period.id, deadline))
            if len(result) > MAX_OCCURRENCES:
                break
        period = period.next()
    return result


def _validate_schedule(
    *, deadline_kind, assigned_on, deadline, recurring_day, recurring_month_offset, recurring_until
) -> list[tuple[str, datetime.date | None]]:
    """The occurrences (period id, deadline) a task's deadline fields describe; ValidationError naming the field."""
    if deadline_kind not in DeadlineKind.values:
        raise ValidationError(
            {"deadline_kind": _("'%(kind)s' is not a kind of deadline. Valid kinds: %(valid)s.")
             % {"kind": deadline_kind, "valid": ", ".join(DeadlineKind.values)}}
        )
    if deadline_kind == DeadlineKind.DATE:
        if deadline is None:
            raise ValidationError({"deadline": _("Enter the deadline of a task due by a date.")})
        if assigned_on and deadline < assigned_on:
            raise ValidationError(
                {"deadline": _("The deadline %(deadline)s is before the date assigned %(assigned)s.")
                 % {"deadline": _d(deadline), "assigned": _d(assigned_on)}}
            )
        return [("", deadline)]
    if deadline_kind == DeadlineKind.NONE:
        if deadline is not None:
            raise ValidationError({"deadline": _("A task without deadline cannot have a deadline date.")})
        return [("", None)]
    if deadline is not None:
        raise ValidationError(
            {"deadline": _("A recurring task has one deadline per period: give the day of the month instead.")}
        )
    if recurring_day is None or not 1 <= int(recurring_day) <= 31:
        raise ValidationError({"recurring_day": _("Enter the day of the month each occurrence is due (1–31).")})
    if not -11 <= int(recurring_month_offset or 0) <= 12:
        raise ValidationError(
            {"recurring_month_offset": _("The month offset must be between -11 and 12 months.")}
        )
    if recurring_until is None:
        raise ValidationError({"recurring_until": _("Enter until when the recurring task runs.")})
    if assigned_on and recurring_until < assigned_on:
        raise ValidationError(
            {"recurring_until": _("'Recurring until' %(until)s is before the date assigned %(assigned)s.")
             % {"until": _d(recurring_until), "assigned": _d(assigned_on)}}
        )
    schedule = recurring_deadlines(
        deadline_kind=deadline_kind, day=int(recurring_day), month_offset=int(recurring_month_offset or 0),
        start=assigned_on, until=recurring_until,
    )
    if not schedule:
        raise ValidationError(
            {"recurring_until": _("No occurrence falls due between %(start)s and %(until)s.")
             % {"start": _d(assigned_on), "until": _d(recurring_until)}}
        )
    if len(schedule) > MAX_OCCURRENCES:
        raise ValidationError(
            {"recurring_until": _("That makes more than %(n)d occurrences; choose an earlier end date.")
             % {"n": MAX_OCCURRENCES}}
        )
    return schedule


def _check_source(document, instruction, assigned_on) -> None:
    if (document is None) == (instruction is None):
        raise ValidationError(
            {"document": _("A task comes from one source: a document or a meeting instruction.")}
        )
    source_date = document.issued_on if document is not None else instruction.held_on
    if assigned_on and source_date and assigned_on < source_date:
        raise ValidationError(
            {"assigned_on": _("The date assigned %(assigned)s is before its source is dated (%(source)s).")
             % {"assigned": _d(assigned_on), "source": _d(source_date)}}
        )


def _check_units(lead_unit, coordinating_units) -> list:
    units = list(dict.fromkeys(coordinating_units or ()))
    if lead_unit is not None and any(u.pk == lead_unit.pk for u in units):
        raise ValidationError(
            {"coordinating_units": _("%(unit)s leads the task; it cannot also coordinate it.") % {"unit": lead_unit}}
        )
    return units


# --- tasks ------------------------------------------------------------------------------------------------------
@transaction.atomic
def task_create(
    *, user, title: str, assigner: Assigner, assigned_on: datetime.date, lead_unit, deadline_kind: str,
    document: Document | None = None, instruction: Instruction | None = None, coordinating_units=(),
    deadline: datetime.date | None = None, recurring_day: int | None = None, recurring_month_offset: int = 0,
    recurring_until: datetime.date | None = None, is_key: bool = False, product: str = "report",
    product_note: str = "", sector=None,
) -> Task:
    """Register a task with its occurrences: one for a dated or no-deadline task, one per period for a
    recurring one. Only the office holding the lead unit in its scope may register it."""
    if lead_unit is None or not has_role(user, Role.OFFICE, lead_unit):
        raise PermissionDenied
    title = _require_text(title, "title", _("Enter the task."))
    if assigner is None:
        raise ValidationError({"assigner": _("Choose who assigned the task.")})
    if assigned_on is None:
        raise ValidationError({"assigned_on": _("Enter the date the task was assigned.")})
    _check_source(document, instruction, assigned_on)
    units = _check_units(lead_unit, coordinating_units)
    schedule = _validate_schedule(
        deadline_kind=deadline_kind, assigned_on=assigned_on, deadline=deadline, recurring_day=recurring_day,
        recurring_month_offset=recurring_month_offset, recurring_until=recurring_until,
    )
    recurring = deadline_kind in RECURRING_PERIOD_TYPES
    task = Task(
        title=title, document=document, instruction=instruction, assigner=assigner, assigned_on=assigned_on,
        lead_unit=lead_unit, deadline_kind=deadline_kind, recurring_day=recurring_day if recurring else None,
        recurring_month_offset=int(recurring_month_offset or 0) if recurring else 0,
        recurring_until=recurring_until if recurring else None, is_key=bool(is_key), product=product,
        product_note=(product_note or "").strip(), sector=sector, created_by=user,
    )
    task.refresh_search_text()
    task.full_clean()
    task.save()
    task.coordinating_units.set(units)
    Occurrence.objects.bulk_create(
        [Occurrence(task=task, period_id=pid, original_deadline=day, deadline=day) for pid, day in schedule]
    )
    _event(task=task, kind=Kind.CREATED, user=user, new_deadline=schedule[0][1] if not recurring else None,
           text=title)
    task_created_emit(task, day=_today())
    return task


@transaction.atomic
def task_update(*, user, task: Task, **fields) -> Task:
    """Change a task's registered details. A new `deadline` (dated tasks only) moves the approved deadline of
    its occurrence and is recorded; the original deadline stays on record."""
    task = _locked_task(task)
    if not can_manage(user, task):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: _("This field cannot be changed once the task is registered.")})
    if task.state == Task.State.CANCELLED:
        raise ValidationError(_("This task was cancelled; it can no longer be edited."))
    new_lead = fields.get("lead_unit", task.lead_unit)
    if new_lead is None or (new_lead.pk != task.lead_unit_id and not has_role(user, Role.OFFICE, new_lead)):
        raise PermissionDenied
    changes: list[str] = []
    for name in ("title", "document", "instruction", "assigner", "assigned_on", "lead_unit", "is_key", "product",
                 "product_note", "sector"):
        if name not in fields:
            continue
        value = fields[name]
        if isinstance(value, str):
            value = value.strip()
        old = getattr(task, name)
        if old != value:
            changes.append(f"{Task._meta.get_field(name).verbose_name}: {old or '—'} → {value or '—'}")
            setattr(task, name, value)
    _require_text(task.title, "title", _("Enter the task."))
    _check_source(task.document, task.instruction, task.assigned_on)
    coordinating = None
    if "coordinating_units" in fields:
        coordinating = _check_units(task.lead_unit, fields["coordinating_units"])
        old_ids = set(task.coordinating_units.values_list("pk", flat=True))
        if old_ids != {u.pk for u in coordinating}:
            changes.append(
                f"{Task._meta.get_field('coordinating_units').verbose_name}: "
                + (", ".join(str(u) for u in coordinating) or "—")
            )
    elif "lead_unit" in fields:
        _check_units(task.lead_unit, task.coordinating_units.all())
    task.refresh_search_text()
    task.full_clean()
    task.save()
    if coordinating is not None:
        task.coordinating_units.set(coordinating)
    if changes:
        _event(task=task, kind=Kind.EDITED, user=user, text="\n".join(changes))
    if "deadline" in fields:
        _change_deadline(user=user, task=task, deadline=fields["deadline"])
    return task


def _change_deadline(*, user, task: Task, deadline: datetime.date | None) -> None:
    if task.deadline_kind != DeadlineKind.DATE:
        raise ValidationError({"deadline": _("Only a task due by a date has a single deadline to change.")})
    if deadline is None:
        raise ValidationError({"deadline": _("Enter the deadline of a task due by a date.")})
    if deadline < task.assigned_on:
        raise ValidationError(
            {"deadline": _("The deadline %(deadline)s is before the date assigned %(assigned)s.")
             % {"deadline": _d(deadline), "assigned": _d(task.assigned_on)}}
        )
    occurrence = _locked_occurrence(task.occurrences.get())
    if occurrence.deadline == deadline:
        return
    old = occurrence.deadline
    occurrence.deadline = deadline
    _save_occurrence(occurrence, ["deadline"])
    _event(task=task, kind=Kind.DEADLINE_CHANGED, user=user, occurrence=occurrence, old_deadline=old,
           new_deadline=deadline)


def _state_day(task: Task, on: datetime.date | None) -> datetime.date:
    day = on or _today()
    if day > _today():
        raise ValidationError({"on": _("The date %(date)s is in the future.") % {"date": _d(day)}})
    if day < task.assigned_on:
        raise ValidationError(
            {"on": _("The date %(date)s is before the task was assigned.") % {"date": _d(day)}}
        )
    return day


@transaction.atomic
def task_pause(*, user, task: Task, reason: str, on: datetime.date | None = None) -> TaskEvent:
    """Pause a task (the assigner suspended it); `on` is the day it took effect, today by default."""
    task = _locked_task(task)
    if not (can_manage(user, task) or can_decide(user, task)):
        raise PermissionDenied
    reason = _require_text(reason, "reason", _("Give the reason for pausing the task."))
    if task.state != Task.State.ACTIVE:
        raise ValidationError(_("Only an active task can be paused."))
    task.state, task.state_since = Task.State.PAUSED, _state_day(task, on)
    task.save(update_fields=["state", "state_since", "updated_at"])
    return _event(task=task, kind=Kind.PAUSED, user=user, text=reason)


@transaction.atomic
def task_resume(*, user, task: Task) -> TaskEvent:
    task = _locked_task(task)
    if not (can_manage(user, task) or can_decide(user, task)):
        raise PermissionDenied
    if task.state != Task.State.PAUSED:
        raise ValidationError(_("Only a paused task can be resumed."))
    task.state, task.state_since = Task.State.ACTIVE, None
    task.save(update_fields=["state", "state_since", "updated_at"])
    return _event(task=task, kind=Kind.RESUMED, user=user)


@transaction.atomic
def task_cancel(*, user, task: Task, reason: str, on: datetime.date | None = None) -> TaskEvent:
    """Cancel a task for good. It stays on record, counted as cancelled, never deleted."""
    task = _locked_task(task)
    if not (can_manage(user, task) or can_decide(user, task)):
        raise PermissionDenied
    reason = _require_text(reason, "reason", _("Give the reason for cancelling the task."))
    if task.state == Task.State.CANCELLED:
        raise ValidationError(_("This task is already cancelled."))
    task.state, task.state_since = Task.State.CANCELLED, _state_day(task, on)
    task.save(update_fields=["state", "state_since", "updated_at"])
    Extension.objects.filter(occurrence__task=task, decision=Extension.Decision.PENDING).update(
        decision=Extension.Decision.REJECTED, decided_by=user, decided_at=timezone.now(),
        decision_note=_("The task was cancelled."),
    )
    return _event(task=task, kind=Kind.CANCELLED, user=user, text=reason)


# --- progress, comments, completion -------------------------------------------------------------------------
def _percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("The percentage done must be a whole number from 0 to 100.")})
    return percent


@transaction.atomic
def progress_add(*, user, occurrence: Occurrence, text: str, percent: int, files=()) -> TaskEvent:
    """The lead unit reports how far it has got."""
    occurrence = _locked_occurrence(occurrence)
    task = occurrence.task
    if not can_update(user, task):
        raise PermissionDenied
    _require_active(task)
    text = _require_text(text, "text", _("Describe the progress."))
    percent = _percent(percent)
    if occurrence.progress != Occurrence.Progress.OPEN:
        raise ValidationError(_("Completion has already been reported; wait for the assigner's decision."))
    occurrence.percent = percent
    _save_occurrence(occurrence, ["percent"])
    return _event(task=task, kind=Kind.PROGRESS, user=user, occurrence=occurrence, unit=task.lead_unit, text=text,
                  percent=percent, files=files)


@transaction.atomic
def comment_add(*, user, task: Task, text: str, files=()) -> TaskEvent:
    """A coordinating unit, the lead unit, the office or the assigner writes in the task's history."""
    task = Task.objects.select_related("assigner", "lead_unit").get(pk=task.pk)
    if task.state == Task.State.CANCELLED:
        raise ValidationError(_("This task was cancelled; nothing more can be recorded on it."))
    if not can_comment(user, task):
        raise PermissionDenied
    text = _require_text(text, "text", _("Write the comment."))
    return _event(task=task, kind=Kind.COMMENT, user=user, unit=_speaking_for(user, task), text=text, files=files)


def _speaking_for(user, task: Task):
    """The unit a commenter speaks for: the lead unit, else the first coordinating unit they belong to."""
    if can_update(user, task):
        return task.lead_unit
    for unit in task.coordinating_units.all():
        if has_role(user, Role.REPORTER, unit) or has_role(user, Role.APPROVER, unit):
            return unit
    return None


@transaction.atomic
def completion_report(
    *, user, occurrence: Occurrence, completed_on: datetime.date, result_note: str, result_number: str = "",
    files=(),
) -> TaskEvent:
    """The lead unit reports the occurrence done; it counts as completed once the assigner or office confirms,
    from `completed_on`."""
    occurrence = _locked_occurrence(occurrence)
    task = occurrence.task
    if not can_update(user, task):
        raise PermissionDenied
    _require_active(task)
    if occurrence.progress != Occurrence.Progress.OPEN:
        raise ValidationError(_("Completion has already been reported."))
    errors: dict[str, list[str]] = {}
    if completed_on is None:
        errors["completed_on"] = [_("Enter the date the task was completed.")]
    elif completed_on > _today():
        errors["completed_on"] = [_("The completion date %(date)s is in the future.") % {"date": _d(completed_on)}]
    elif completed_on < task.assigned_on:
        errors["completed_on"] = [
            _("The completion date %(date)s is before the task was assigned (%(assigned)s).")
            % {"date": _d(completed_on), "assigned": _d(task.assigned_on)}
        ]
    if not (result_note or "").strip():
        errors["result_note"] = [_("Describe the result (the product delivered).")]
    number = (result_number or "").strip()
    if number:
        try:
            number = normalise_document_number(number)
        except DocumentNumberError as exc:
            errors["result_number"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    occurrence.progress = Occurrence.Progress.REPORTED
    occurrence.completed_on = completed_on
    occurrence.result_note = result_note.strip()
    occurrence.result_number = number
    _save_occurrence(occurrence, ["progress", "completed_on", "result_note", "result_number"])
    text = _("Completed on %(date)s.") % {"date": _d(completed_on)}
    if number:
        text += " " + number + "."
    return _event(task=task, kind=Kind.COMPLETION_REPORTED, user=user, occurrence=occurrence, unit=task.lead_unit,
                  text=f"{text}\n{occurrence.result_note}", files=files)


def _reported_for_decision(user, occurrence: Occurrence) -> Occurrence:
    occurrence = _locked_occurrence(occurrence)
    if not can_decide(user, occurrence.task):
        raise PermissionDenied
    if occurrence.progress != Occurrence.Progress.REPORTED:
        raise ValidationError(_("No completion report is waiting for a decision."))
    return occurrence


@transaction.atomic
def completion_confirm(*, user, occurrence: Occurrence) -> TaskEvent:
    occurrence = _reported_for_decision(user, occurrence)
    occurrence.progress = Occurrence.Progress.CONFIRMED
    occurrence.percent = 100
    occurrence.confirmed_at = timezone.now()
    occurrence.confirmed_by = user
    _save_occurrence(occurrence, ["progress", "percent", "confirmed_at", "confirmed_by"])
    Extension.objects.filter(occurrence=occurrence, decision=Extension.Decision.PENDING).update(
        decision=Extension.Decision.REJECTED, decided_by=user, decided_at=timezone.now(),
        decision_note=_("Completion was confirmed."),
    )
    task_completed_emit(occurrence, day=_today())
    return _event(task=occurrence.task, kind=Kind.CONFIRMED, user=user, occurrence=occurrence)


@transaction.atomic
def completion_return(*, user, occurrence: Occurrence, reason: str) -> TaskEvent:
    """Send a completion report back: the occurrence is open again and the reason is in its history."""
    occurrence = _reported_for_decision(user, occurrence)
    reason = _require_text(reason, "reason", _("Give the reason for returning the completion report."))
    occurrence.progress = Occurrence.Progress.OPEN
    occurrence.completed_on = None
    _save_occurrence(occurrence, ["progress", "completed_on"])
    return _event(task=occurrence.task, kind=Kind.RETURNED, user=user, occurrence=occurrence, text=reason)


# --- extensions ---------------------------------------------------------------------------------------------------
@transaction.atomic
def extension_request(*, user, occurrence: Occurrence, requested_deadline: datetime.date, reason: str) -> Extension:
    """The lead unit asks for a new deadline; one request may be pending per occurrence."""
    occurrence = _locked_occurrence(occurrence)
    task = occurrence.task
    if not can_update(user, task):
        raise PermissionDenied
    _require_active(task)
    if occurrence.deadline is None:
        raise ValidationError(_("A task without deadline needs no extension."))
    if occurrence.progress != Occurrence.Progress.OPEN:
        raise ValidationError(_("Completion has already been reported; no extension can be asked."))
    if Extension.objects.filter(occurrence=occurrence, decision=Extension.Decision.PENDING).exists():
        raise ValidationError(_("An extension request is already waiting for a decision."))
    reason = _require_text(reason, "reason", _("Give the reason for the extension."))
    if requested_deadline is None:
        raise ValidationError({"requested_deadline": _("Enter the new deadline you ask for.")})
    if requested_deadline <= occurrence.deadline:
        raise ValidationError(
            {"requested_deadline": _("The new deadline must be after the current deadline %(date)s.")
             % {"date": _d(occurrence.deadline)}}
        )
    extension = Extension(
        occurrence=occurrence, current_deadline=occurrence.deadline, requested_deadline=requested_deadline,
        reason=reason, requested_by=user,
    )
    extension.full_clean()
    try:
        with transaction.atomic():
            extension.save()
    except IntegrityError as exc:  # a request sent at the same moment by a colleague
        raise ValidationError(_("An extension request is already waiting for a decision.")) from exc
    _save_occurrence(occurrence, [])
    _event(task=task, kind=Kind.EXTENSION_REQUESTED, user=user, occurrence=occurrence, unit=task.lead_unit,
           text=reason, old_deadline=occurrence.deadline, new_deadline=requested_deadline)
    return extension


@transaction.atomic
def extension_decide(*, user, extension: Extension, approve: bool, note: str = "") -> Extension:
    """The assigner (or the office) approves — the occurrence's deadline moves, the original stays — or rejects."""
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    occurrence = _locked_occurrence(extension.occurrence)
    task = occurrence.task
    if not can_decide(user, task):
        raise PermissionDenied
    if extension.decision != Extension.Decision.PENDING:
        raise ValidationError(_("This extension request has already been decided."))
    note = (note or "").strip()
    extension.decision = Extension.Decision.APPROVED if approve else Extension.Decision.REJECTED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    old = occurrence.deadline
    if approve:
        occurrence.deadline = extension.requested_deadline
        _save_occurrence(occurrence, ["deadline"])
        _event(task=task, kind=Kind.EXTENSION_APPROVED, user=user, occurrence=occurrence, text=note,
               old_deadline=old, new_deadline=extension.requested_deadline)
    else:
        _save_occurrence(occurrence, [])
        _event(task=task, kind=Kind.EXTENSION_REJECTED, user=user, occurrence=occurrence, text=note,
               old_deadline=old)
    return extension
