"""The filtered trail as a workbook for an auditor's report (text cells; formulas neutralised by workbook_bytes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dieuhanh.audit.models import AuditEvent
from dieuhanh.lib.xlsx import text_cell, workbook_bytes

# A workbook is for a report, not a copy of the trail: narrow the filter for more.
EXPORT_MAX_ROWS = 20_000


def events_workbook(events: Iterable[AuditEvent], *, changes: Callable[[AuditEvent], list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Audit trail")[:31]
    headers = [_("When"), _("Person"), _("Unit"), _("Address"), _("Browser"), _("Action"), _("Object"),
               _("Before"), _("After"), _("Path")]
    for col, header in enumerate(headers, 1):
        text_cell(ws, 1, col, header).font = Font(bold=True)
    for row, event in enumerate(events, 2):
        diff = changes(event)
        values = [
            timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
            event.username, event.unit.name if event.unit else "", event.ip, event.user_agent,
            event.get_action_display(), event.object_text,
            "\n".join(f"{label}: {before}" for label, before, _after in diff),
            "\n".join(f"{label}: {after}" for label, _before, after in diff),
            event.path,
        ]
        for col, value in enumerate(values, 1):
            text_cell(ws, row, col, value)
    for col, width in zip("ABCDEFGHIJ", (20, 18, 24, 16, 30, 22, 36, 40, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)
