"""The auditors' page `/audit/`: the trail filtered by person, unit, action, days and text, 50 rows a page, newest
first, each row's before → after as the keys that changed; `/audit/export.xlsx` the same rows as a workbook (its
download is itself recorded by the middleware)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dieuhanh.audit.exports import EXPORT_MAX_ROWS, events_workbook
from dieuhanh.audit.forms import AuditFilterForm
from dieuhanh.audit.models import AuditEvent
from dieuhanh.audit.selectors import can_audit, events_filter

PAGE_SIZE = 50
CHANGES_SHOWN = 5
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The keys the recorders write, named for the reader; any other key shows as written.
KEY_LABELS = {
    "user": gettext_lazy("person"), "role": gettext_lazy("role"), "unit": gettext_lazy("unit"),
    "is_active": gettext_lazy("active"), "is_staff": gettext_lazy("staff (administration)"),
    "is_superuser": gettext_lazy("superuser"), "groups": gettext_lazy("groups"),
    "user_permissions": gettext_lazy("permissions"), "permissions": gettext_lazy("permissions"),
    "user_set": gettext_lazy("people"), "group_set": gettext_lazy("groups"), "created": gettext_lazy("created"),
    "admin": gettext_lazy("in the administration"), "message": gettext_lazy("change"),
    "file": gettext_lazy("file"), "type": gettext_lazy("type"), "key": gettext_lazy("key"),
    "name": gettext_lazy("label"), "method": gettext_lazy("method"), "status": gettext_lazy("status"),
    "ip": gettext_lazy("address"), "…": gettext_lazy("more figures"),
}


def value_text(value) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)


def key_label(event: AuditEvent, key: str) -> str:
    """A changed key as the reader knows it: the model's own field name (translated), else ours, else the key."""
    try:
        model = apps.get_model(event.object_type) if "." in event.object_type else None
        return str(model._meta.get_field(key).verbose_name) if model else str(KEY_LABELS.get(key, key))
    except (LookupError, FieldDoesNotExist):
        return str(KEY_LABELS.get(key, key))


def event_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(label, before, after) of the keys that changed; a key only before or only after shows — on the other side."""
    return [(key_label(event, key), value_text(before), value_text(after)) for key, before, after in event.changes()]


def _filtered(request):
    if not can_audit(request.user):
        raise PermissionDenied(_("Only auditors read the audit trail."))
    form = AuditFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # cleans; cleaned_data keeps the valid fields when another is not
        data = form.cleaned_data  # so a mistyped date does not lift the other filters
    events = events_filter(person=data.get("person", ""), unit=data.get("unit"), action=data.get("action", ""),
                           since=data.get("since"), until=data.get("until"), text=data.get("q", ""))
    keep = {k: v for k, v in request.GET.items() if k in form.fields and v}
    return form, events, keep


@login_required
def events_page(request):
    form, events, keep = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    # A row shows its first few changes; the rest (a file's fifty figures) fold under a <details>.
    rows = [(event, changes[:CHANGES_SHOWN], changes[CHANGES_SHOWN:])
            for event in page.object_list for changes in [event_changes(event)]]
    return render(request, "audit/events.html", {
        "form": form, "page": page, "rows": rows, "query": urlencode(keep), "export_max": EXPORT_MAX_ROWS,
    })


@login_required
def events_export(request):
    _form, events, _keep = _filtered(request)
    content = events_workbook(events[:EXPORT_MAX_ROWS], changes=event_changes)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-kiem-tra-{stamp}.xlsx"'
    return response
