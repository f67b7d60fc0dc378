"""File exchange pages: a form as XLSX (download, upload) and the bulk CSV import of values."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dieuhanh.accounts.models import Role
from dieuhanh.indicators.models import Channel
from dieuhanh.lib.vnformat import fold
from dieuhanh.lib.xlsx import size_problem
from dieuhanh.reporting.csv_import import ImportErrors, values_import
from dieuhanh.reporting.selectors import entry_or_404
from dieuhanh.reporting.services import EDITABLE, SubmissionConflict, submission_save_values
from dieuhanh.reporting.xlsx import WorkbookErrors, form_workbook, stale_problems, workbook_read

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_filename(entry) -> str:
    """ASCII-safe: "01-BC-VT_XA-A_202603.xlsx"."""
    def safe(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9-]+", "-", fold(text).upper()).strip("-") or "X"

    return f"{safe(entry.form.code)}_{safe(entry.unit.code)}_{entry.period.id}.xlsx"


@login_required
@require_GET
def xlsx_download(request, form_id: int, unit_code: str, period: str):
    entry = entry_or_404(request.user, form_id, unit_code, period)
    blank = request.GET.get("blank") == "1"
    response = HttpResponse(form_workbook(entry, blank=blank), content_type=XLSX_TYPE)
    name = xlsx_filename(entry)
    if blank:
        name = name.replace(".xlsx", "_blank.xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def xlsx_upload(request, form_id: int, unit_code: str, period: str):
    entry = entry_or_404(request.user, form_id, unit_code, period, Role.REPORTER)
    upload = request.FILES.get("file")
    errors: list[str] = []
    file_name = upload.name if upload else ""
    if upload is None:
        errors = [_("Choose an XLSX file to upload")]
    elif upload.size > settings.UPLOAD_MAX_BYTES:
        errors = [size_problem(upload.size, settings.UPLOAD_MAX_BYTES)]  # refused before it is read into memory
    else:
        try:
            values = workbook_read(entry, upload.read(), max_bytes=settings.UPLOAD_MAX_BYTES)
            version, stale = stale_problems(entry, values)
            if stale:
                raise WorkbookErrors(stale)
            submission_save_values(
                form=entry.form, orgunit=entry.unit, period=entry.period.id, values=values, user=request.user,
                channel=Channel.XLSX, expected_version=version,
            )
        except WorkbookErrors as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = list(exc.messages)
        except SubmissionConflict as exc:  # someone saved between the check above and this save
            errors = [str(exc)]
        else:
            filled = sum(1 for v in values if v.value is not None)
            messages.success(request, _("Saved %(n)d values from file %(file)s") % {"n": filled, "file": file_name})
            return redirect("reporting:entry", form_id=entry.form.pk, unit_code=entry.unit.code,
                            period=entry.period.id)
    submission = entry.submission()
    locked = submission is not None and submission.status not in EDITABLE  # then no second upload is offered
    return render(request, "reporting/xlsx_upload_errors.html",
                  {"entry": entry, "errors": errors, "file_name": file_name, "locked": locked}, status=400)


def overwrites_message(request, result) -> None:
    """A CSV names no report version: every stored figure it replaced is listed, old → new and whose it was."""
    if not result.overwritten:
        return
    lines = [o.describe() for o in result.overwrites]
    if result.overwritten > len(lines):
        lines.append(_("… and %(n)d more") % {"n": result.overwritten - len(lines)})
    messages.warning(request, format_html(
        "{}<ul class=\"mb-0\">{}</ul>",
        _("%(n)d figures saved before were overwritten: the file names no report version, so nobody saw them "
          "before they were replaced. Each is recorded in the history as an overwrite.") % {"n": result.overwritten},
        format_html_join("", "<li>{}</li>", ((line,) for line in lines))))


@login_required
@require_http_methods(["GET", "POST"])
def csv_import(request):
    context: dict = {"errors": [], "more": 0, "file_name": ""}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["errors"] = [_("Choose a CSV file to import")]
        else:
            context["file_name"] = upload.name
            too_big = size_problem(upload.size, settings.UPLOAD_MAX_BYTES)
            if too_big:
                context["errors"] = [too_big, _("Import larger files with: manage.py import_values FILE.csv")]
                return render(request, "reporting/csv_import.html", context, status=400)
            try:
                result = values_import(upload.read(), user=request.user, channel=Channel.CSV)
            except ImportErrors as exc:
                context["errors"], context["more"] = exc.errors, exc.more
            else:
                messages.success(request, _("Imported %(n)d values (%(c)d changed) from file %(file)s") % {
                    "n": result.values, "c": result.changed, "file": upload.name})
                overwrites_message(request, result)
                return redirect(reverse("reporting:csv_import"))
        return render(request, "reporting/csv_import.html", context, status=400)
    return render(request, "reporting/csv_import.html", context)
