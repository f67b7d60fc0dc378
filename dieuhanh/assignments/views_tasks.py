"""Task pages: the list with filters and search, a task's detail with its history and the actions on it.

Reads go through the selectors (another unit's task is 404); every action is a POST that a service carries
out, and a service's PermissionDenied answers 404 as well, so a page never tells what exists elsewhere.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments import selectors, services
from dieuhanh.assignments.forms import (
    CommentForm,
    CompletionForm,
    ConfirmForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    ReasonForm,
    ReturnForm,
    TaskFilterForm,
)
from dieuhanh.assignments.models import Attachment, Document, Extension, Occurrence, Status, Task, TaskEvent

PAGE_SIZE = 50


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's errors under the form's fields where they name one, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def documents_for(user):
    """Documents the user may see: issued in their scope, or assigning a task they may see."""
    return Document.objects.filter(
        Q(issuer__in=units_in_scope(user)) | Q(tasks__in=selectors.tasks_for(user))
    ).distinct()


def may_register(user) -> bool:
    return units_in_scope(user, Role.OFFICE).exists()


# ---------------------------------------------------------------------------------------------------------
# The list


@login_required
def task_list(request):
    today = timezone.localdate()
    scope = units_in_scope(request.user)
    form = TaskFilterForm(request.GET or None, units=scope, documents=documents_for(request.user))
    filters = {}
    on = today
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        on = data.get("on") or today
        filters = {
            "unit": data.get("unit"),
            "status": data.get("status") or None,
            "document": data.get("document"),
            "sector": data.get("sector"),
            "key_only": data.get("key_only", False),
            "deadline_from": data.get("deadline_from"),
            "deadline_to": data.get("deadline_to"),
            "q": data.get("q", "").strip(),
        }
    # One read; the status filter is applied here so that the chips count what each status would show.
    status = filters.pop("status", None)
    counted = selectors.task_rows(request.user, on=on, **filters) if not form.errors else []
    rows = [row for row in counted if row.status == status] if status else counted
    counts = Counter(row.status for row in counted)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = request.GET.copy()
    status_query.pop("page", None)
    status_query.pop("status", None)
    context = {
        "form": form,
        "page": page,
        "first_number": page.start_index(),
        "on": on,
        "today": today,
        "total": len(rows),
        "all_count": len(counted),
        "status_counts": [(status, counts.get(status, 0)) for status in Status],
        "shown_status": status or "",
        "query": query.urlencode(),
        "status_query": status_query.urlencode(),
        "may_register": may_register(request.user),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "task-results":
        return render(request, "assignments/_task_results.html", context)
    return render(request, "assignments/task_list.html", context)


# ---------------------------------------------------------------------------------------------------------
# The detail page and its actions

ACTIONS = {
    # name: (form class, the selector that says who may)
    "progress": (ProgressForm, "can_update"),
    "complete": (CompletionForm, "can_update"),
    "extension": (ExtensionRequestForm, "can_update"),
    "comment": (CommentForm, "can_comment"),
    "confirm": (ConfirmForm, "can_decide"),
    "return": (ReturnForm, "can_decide"),
    "pause": (ReasonForm, "can_manage"),
    "resume": (None, "can_manage"),
    "cancel": (ReasonForm, "can_manage"),
}


def _open(task: Task, occurrences):
    if task.state != Task.State.ACTIVE:
        return []
    return [o for o in occurrences if o.progress == Occurrence.Progress.OPEN]


def _action_forms(user, task: Task, occurrences, pending: list[Extension], bound: dict | None = None) -> dict:
    """The forms this user may use on this task now, by action name; `bound` replaces one with its errors."""
    may = {name: getattr(selectors, name)(user, task) for name in ("can_update", "can_comment", "can_decide",
                                                                      "can_manage")}
    open_ = _open(task, occurrences)
    reported = [o for o in occurrences if o.progress == Occurrence.Progress.REPORTED]
    pending_occurrences = {e.occurrence_id for e in pending}
    extendable = [o for o in open_ if o.deadline is not None and o.pk not in pending_occurrences]
    forms: dict = {}
    if may["can_update"] and open_:
        forms["progress"] = ProgressForm(occurrences=open_, prefix="progress")
        forms["complete"] = CompletionForm(occurrences=open_, prefix="complete",
                                           initial={"completed_on": timezone.localdate()})
    if may["can_update"] and extendable:
        forms["extension"] = ExtensionRequestForm(occurrences=extendable, prefix="extension")
    if may["can_comment"]:
        forms["comment"] = CommentForm(prefix="comment")
    if may["can_decide"] and reported:
        forms["confirm"] = ConfirmForm(occurrences=reported, prefix="confirm")
        forms["return"] = ReturnForm(occurrences=reported, prefix="return")
    if may["can_decide"] and pending:
        forms["decide"] = [(e, ExtensionDecisionForm(prefix=f"decide-{e.pk}")) for e in pending]
    if may["can_manage"]:
        if task.state == Task.State.ACTIVE:
            forms["pause"] = ReasonForm(prefix="pause")
        if task.state == Task.State.PAUSED:
            forms["resume"] = True
        if task.state != Task.State.CANCELLED:
            forms["cancel"] = ReasonForm(prefix="cancel")
    if bound:
        name, form = next(iter(bound.items()))
        if name == "decide":
            forms["decide"] = [(e, form if form.prefix == f"decide-{e.pk}" else f) for e, f in forms.get("decide", [])]
        else:
            forms[name] = form
    return forms, may


def _detail_context(request, task: Task, bound: dict | None = None) -> dict:
    today = timezone.localdate()
    occurrences = list(task.occurrences.select_related("task").order_by("deadline", "period_id", "id"))
    extensions = list(Extension.objects.filter(occurrence__task=task).select_related(
        "occurrence", "requested_by", "decided_by"))
    pending = [e for e in extensions if e.decision == Extension.Decision.PENDING]
    events = list(
        TaskEvent.objects.filter(task=task).select_related("actor", "unit", "occurrence")
        .prefetch_related("attachments").order_by("-created_at", "-id")
    )
    forms, may = _action_forms(request.user, task, occurrences, pending, bound)
    pending_by_occurrence = {e.occurrence_id: e for e in pending}
    occurrence_rows = [
        {"occurrence": o, "status": o.status_on(today), "pending": pending_by_occurrence.get(o.pk)}
        for o in occurrences
    ]
    attachments = [a for e in events for a in e.attachments.all()]
    return {
        "task": task,
        "today": today,
        "occurrence_rows": occurrence_rows,
        "recurring": task.is_recurring,
        "events": events,
        "extensions": extensions,
        "attachments": attachments,
        "forms": forms,
        "manage_forms": [(name, forms[name]) for name in ("pause", "cancel") if name in forms],
        "may": may,
        "coordinating": list(task.coordinating_units.all()),
    }


@login_required
def task_detail(request, pk: int):
    task = selectors.task_or_404(request.user, pk)
    return render(request, "assignments/task_detail.html", _detail_context(request, task))


@login_required
@require_POST
def task_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    task = selectors.task_or_404(request.user, pk)
    form_class, permission = ACTIONS[action]
    if not getattr(selectors, permission)(request.user, task):
        raise Http404
    form = None
    if form_class is not None:
        kwargs = {"prefix": action}
        if "occurrence" in form_class.base_fields:
            kwargs["occurrences"] = task.occurrences.all()
        form = form_class(request.POST, request.FILES, **kwargs)
    if form is not None and not form.is_valid():
        return _show_errors(request, task, action, form)
    data = form.cleaned_data if form is not None else {}
    user = request.user
    try:
        match action:
            case "progress":
                services.progress_add(user=user, occurrence=data["occurrence"], text=data["text"],
                                      percent=data["percent"], files=data["files"])
                done = _("Progress saved.")
            case "comment":
                services.comment_add(user=user, task=task, text=data["text"], files=data["files"])
                done = _("Comment added.")
            case "complete":
                services.completion_report(user=user, occurrence=data["occurrence"],
                                           completed_on=data["completed_on"], result_note=data["result_note"],
                                           result_number=data["result_number"], files=data["files"])
                done = _("Completion reported; it now awaits confirmation.")
            case "confirm":
                services.completion_confirm(user=user, occurrence=data["occurrence"])
                done = _("Completion confirmed.")
            case "return":
                services.completion_return(user=user, occurrence=data["occurrence"], reason=data["reason"])
                done = _("Completion returned to the lead unit.")
            case "extension":
                services.extension_request(user=user, occurrence=data["occurrence"],
                                           requested_deadline=data["requested_deadline"], reason=data["reason"])
                done = _("Extension requested.")
            case "pause":
                services.task_pause(user=user, task=task, reason=data["reason"])
                done = _("Task paused.")
            case "resume":
                services.task_resume(user=user, task=task)
                done = _("Task resumed.")
            case "cancel":
                services.task_cancel(user=user, task=task, reason=data["reason"])
                done = _("Task cancelled.")
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        if form is None:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("assignments:task_detail", pk=task.pk)
        apply_errors(form, exc)
        return _show_errors(request, task, action, form)
    messages.success(request, done)
    return redirect(reverse("assignments:task_detail", args=[task.pk]) + f"#{action}-done")


@login_required
@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    task = selectors.task_or_404(request.user, pk)
    if not selectors.can_decide(request.user, task):
        raise Http404
    extension = get_object_or_404(Extension, pk=extension_pk, occurrence__task=task)
    form = ExtensionDecisionForm(request.POST, prefix=f"decide-{extension.pk}")
    if form.is_valid() and extension.decision != Extension.Decision.PENDING:
        form.add_error(None, _("This request has already been decided."))
    if not form.is_valid():
        return _show_errors(request, task, "decide", form)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.extension_decide(user=request.user, extension=extension, approve=approve,
                                  note=form.cleaned_data.get("note", ""))
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        apply_errors(form, exc)
        return _show_errors(request, task, "decide", form)
    messages.success(request, _("Extension approved: the new deadline applies.") if approve
                     else _("Extension rejected."))
    return redirect("assignments:task_detail", pk=task.pk)


def _show_errors(request, task, action, form):
    context = _detail_context(request, task, bound={action: form})
    context["error_action"] = action
    return render(request, "assignments/task_detail.html", context, status=400)


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("event"), pk=pk)
    selectors.task_or_404(request.user, attachment.event.task_id)  # the same 404 outside the scope
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)
