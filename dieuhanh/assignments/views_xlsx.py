"""Tasks as Excel files: the filtered list in the official table layout, and the office's import of many tasks."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments import selectors
from dieuhanh.assignments.forms import TaskFilterForm
from dieuhanh.assignments.models import Assigner, Status
from dieuhanh.assignments.views_tasks import documents_for
from dieuhanh.assignments.xlsx import (
    IMPORT_COLUMNS,
    XLSX_TYPE,
    WorkbookErrors,
    import_template,
    tasks_import,
    tasks_workbook,
)
from dieuhanh.lib.xlsx import size_problem


def _xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _office_or_404(user):
    """The units where `user` registers tasks; someone who registers none gets 404, as for a missing page."""
    units = units_in_scope(user, Role.OFFICE)
    if not units.exists():
        raise Http404
    return units


def _assigners(user):
    # An assigner belongs to the People's Committee or a unit the office serves: the office's subtree, or above it.
    scope = list(_office_or_404(user).values_list("path", flat=True))
    return [a for a in Assigner.objects.select_related("orgunit")
            if any(p.startswith(a.orgunit.path) or a.orgunit.path.startswith(p) for p in scope)]


@login_required
@require_GET
def import_template_download(request):
    _office_or_404(request.user)
    return _xlsx_response(import_template(request.user), "mau-nhap-nhiem-vu.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    assigners = _assigners(request.user)
    context = {
        "assigners": assigners,
        "assigner_id": assigners[0].pk if assigners else None,
        "columns": [title for _key, title in IMPORT_COLUMNS],
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        "errors": [],
        "file_name": "",
    }
    if request.method == "GET":
        return render(request, "assignments/xlsx_import.html", context)
    upload = request.FILES.get("file")
    assigner = next((a for a in assigners if str(a.pk) == request.POST.get("assigner", "")), None)
    if assigner:
        context["assigner_id"] = assigner.pk
    if upload is None:
        context["errors"] = [_("Choose an Excel file (.xlsx) to import")]
    elif assigner is None:
        context["errors"] = [_("Choose who assigned the tasks")]
    elif upload.size > settings.UPLOAD_MAX_BYTES:
        context["file_name"] = upload.name
        context["errors"] = [size_problem(upload.size, settings.UPLOAD_MAX_BYTES)]  # refused before reading it
    else:
        context["file_name"] = upload.name
        try:
            result = tasks_import(user=request.user, data=upload.read(), assigner=assigner,
                                  max_bytes=settings.UPLOAD_MAX_BYTES)
        except WorkbookErrors as exc:
            context["errors"] = exc.errors
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Imported %(tasks)d tasks (%(docs)d new documents) from file %(file)s") % {
                "tasks": len(result.tasks), "docs": len(result.documents_created), "file": upload.name})
            return redirect("assignments:task_list")
    return render(request, "assignments/xlsx_import.html", context, status=400)


def _filters_text(data: dict) -> str:
    """What the list was filtered by, for the line under the title ("Đơn vị chủ trì: …; …")."""
    parts = []
    if data.get("unit"):
        parts.append(_("Lead unit: %(unit)s") % {"unit": data["unit"].name})
    if data.get("status"):
        parts.append(_("Status: %(status)s") % {"status": Status(data["status"]).label})
    if data.get("document"):
        parts.append(_("Document: %(number)s") % {"number": data["document"].number})
    if data.get("sector"):
        parts.append(_("Sector: %(sector)s") % {"sector": data["sector"].name})
    if data.get("key_only"):
        parts.append(_("key tasks only"))
    start, end = data.get("deadline_from"), data.get("deadline_to")
    if start or end:
        parts.append(_("deadline %(start)s – %(end)s") % {
            "start": f"{start:%d/%m/%Y}" if start else "…", "end": f"{end:%d/%m/%Y}" if end else "…"})
    if data.get("q"):
        parts.append(_("search: %(q)s") % {"q": data["q"]})
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@login_required
@require_GET
def tasks_export(request):
    """The task list as filtered on the list page (same GET parameters), in the layout of official reports."""
    form = TaskFilterForm(request.GET, units=units_in_scope(request.user), documents=documents_for(request.user))
    if not form.is_valid():
        return HttpResponseBadRequest("\n".join(m for errors in form.errors.values() for m in errors),
                                      content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    on = data.get("on") or timezone.localdate()
    rows = selectors.task_rows(
        request.user, on=on, unit=data.get("unit"), status=data.get("status") or None,
        document=data.get("document"), sector=data.get("sector"), key_only=data.get("key_only", False),
        deadline_from=data.get("deadline_from"), deadline_to=data.get("deadline_to"), q=data.get("q", "").strip(),
    )
    with translation.override(settings.LANGUAGE_CODE):  # the official layout is Vietnamese in any language
        workbook = tasks_workbook(rows, on=on, subtitle=_filters_text(data))
    return _xlsx_response(workbook, f"nhiem-vu-{on:%Y%m%d}.xlsx")
