"""The office's pages: register a task or a directive document; the documents list and a document's tasks."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments import selectors, services
from dieuhanh.assignments.forms import DocumentForm, TaskEditForm, TaskForm
from dieuhanh.assignments.models import Assigner, Document, Task
from dieuhanh.assignments.views_tasks import apply_errors, documents_for
from dieuhanh.lib.vnformat import fold

DOCUMENTS_PER_PAGE = 50


def _office_units_or_404(user):
    """The units the user registers tasks for; someone who is not the office gets 404, like any page not theirs."""
    units = units_in_scope(user, Role.OFFICE)
    if not units.exists():
        raise Http404
    return units


def _document_or_404(user, pk) -> Document:
    try:
        return documents_for(user).select_related("issuer").get(pk=pk)
    except (Document.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@login_required
def task_create(request):
    units = _office_units_or_404(request.user)
    documents = Document.objects.filter(Q(issuer__in=units) | Q(pk__in=documents_for(request.user).values("pk")))
    assigners = Assigner.objects.filter(orgunit__in=units)
    kwargs = {"units": units.order_by("path"), "documents": documents, "assigners": assigners}
    initial = {"assigned_on": timezone.localdate()}
    document_pk = request.GET.get("document", "")
    if document_pk.isdigit():
        initial["document"] = document_pk
    if request.method == "POST":
        form = TaskForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                with transaction.atomic():  # the meeting instruction and the task are saved together or not at all
                    instruction = None
                    if form.cleaned_data["source"] == TaskForm.SOURCE_INSTRUCTION:
                        instruction = services.instruction_create(
                            user=request.user, meeting=form.cleaned_data["meeting"],
                            held_on=form.cleaned_data["held_on"], instructed_by=form.cleaned_data["instructed_by"],
                        )
                    task = services.task_create(user=request.user, **form.service_kwargs(instruction=instruction))
            except PermissionDenied:
                form.add_error("lead_unit", _("You do not register tasks for this unit."))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Task registered."))
                return redirect("assignments:task_detail", pk=task.pk)
        status = 400
    else:
        form = TaskForm(initial=initial, **kwargs)
        status = 200
    return render(request, "assignments/task_form.html", {"form": form}, status=status)


@login_required
def task_edit(request, pk: int):
    task = selectors.task_or_404(request.user, pk)
    if not selectors.can_manage(request.user, task) or task.state == Task.State.CANCELLED:
        raise Http404
    units = _office_units_or_404(request.user)
    kwargs = {"units": units.order_by("path"), "assigners": Assigner.objects.filter(orgunit__in=units), "task": task}
    if request.method == "POST":
        form = TaskEditForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.task_update(user=request.user, task=task, **form.service_kwargs())
            except PermissionDenied:
                form.add_error("lead_unit", _("You do not register tasks for this unit."))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Task updated."))
                return redirect("assignments:task_detail", pk=task.pk)
        status = 400
    else:
        initial = {
            "title": task.title, "assigner": task.assigner_id, "assigned_on": task.assigned_on,
            "lead_unit": task.lead_unit_id, "coordinating_units": list(task.coordinating_units.all()),
            "is_key": task.is_key, "product": task.product, "product_note": task.product_note,
            "sector": task.sector_id,
        }
        if task.deadline_kind == Task.DeadlineKind.DATE:
            initial["deadline"] = task.occurrences.get().deadline
        form = TaskEditForm(initial=initial, **kwargs)
        status = 200
    return render(request, "assignments/task_edit.html", {"form": form, "task": task}, status=status)


@login_required
def document_list(request):
    q = request.GET.get("q", "").strip()
    documents = documents_for(request.user).select_related("issuer")
    for word in fold(q).split():
        documents = documents.filter(search_text__contains=word)
    visible = selectors.tasks_for(request.user)
    documents = Document.objects.filter(pk__in=documents.values("pk")).select_related("issuer").annotate(
        task_count=Count("tasks", filter=Q(tasks__in=visible), distinct=True)
    ).order_by("-issued_on", "-id")
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assignments/document_list.html", {
        "documents": page.object_list,
        "page": page,
        "page_query": urlencode({"q": q}) if q else "",
        "q": q,
        "may_register": units_in_scope(request.user, Role.OFFICE).exists(),
    })


@login_required
def document_create(request):
    units = _office_units_or_404(request.user)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, issuers=units.order_by("path"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_create(
                    user=request.user, number=data["number"], issued_on=data["issued_on"], issuer=data["issuer"],
                    summary=data["summary"], signer=data["signer"], attachment=data.get("attachment"),
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Document %(number)s registered.") % {"number": document.number})
                if request.GET.get("then") == "task":  # came from the task form: back to it, document chosen
                    return redirect(reverse("assignments:task_create") + f"?document={document.pk}")
                return redirect("assignments:document_detail", pk=document.pk)
        status = 400
    else:
        form = DocumentForm(issuers=units.order_by("path"), initial={"issuer": units.order_by("path").first()})
        status = 200
    return render(request, "assignments/document_form.html", {"form": form}, status=status)


@login_required
def document_detail(request, pk: int):
    document = _document_or_404(request.user, pk)
    today = timezone.localdate()
    rows = selectors.task_rows(request.user, on=today, document=document)
    return render(request, "assignments/document_detail.html", {
        "document": document,
        "rows": rows,
        "today": today,
        "may_register": units_in_scope(request.user, Role.OFFICE).exists(),
    })


@login_required
def document_attachment(request, pk: int):
    document = _document_or_404(request.user, pk)
    if not document.attachment:
        raise Http404
    try:
        handle = document.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = f"{document.number.replace('/', '_')}.pdf"
    return FileResponse(handle, as_attachment=False, filename=filename, content_type="application/pdf")
