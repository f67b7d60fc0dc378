"""The reporting workflow's events for webhooks: a report submitted, approved, returned or reopened, and the values
of an approved report changed. Called by `services._transition`, in the step's transaction; webhooks sends them
after it commits.

"Values changed in an approved report": a report's approved figures change only by reopening or returning it,
correcting it and approving it again (an approved report is locked). So when a report that had been approved before
is approved again, the cells of its form whose value differs from the one at the previous approval are sent as
`report.values_changed` (old → new, read from the value history, so every channel that wrote them counts: the web
form, XLSX, CSV, the API). Nothing is sent when the corrections came back to the same figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dieuhanh.indicators.models import ValueHistory
from dieuhanh.reporting.models import Submission, SubmissionEvent
from dieuhanh.webhooks.services import webhooks_emit

Status = Submission.Status
EVENT_OF_STATUS = {
    Status.SUBMITTED: "report.submitted",
    Status.APPROVED: "report.approved",
    Status.RETURNED: "report.returned",
    Status.DRAFT: "report.reopened",  # _transition reaches a draft only by reopening an approved report
}


def _plain(value: Decimal | None) -> str | None:
    """12.500000 → "12.5" (values are sent as strings, exact, with a dot as DHIS2 does)."""
    return None if value is None else format(value.normalize(), "f")


def _actor(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def report_data(submission: Submission, *, from_status: str, user, reason: str = "") -> dict:
    return {
        "form": submission.form.code,
        "form_name": submission.form.name,
        "org_unit": submission.orgunit.code,
        "org_unit_name": submission.orgunit.name,
        "period": submission.period,
        "status": submission.status,
        "from_status": from_status,
        "version": submission.version,
        "reason": reason,
        "actor": _actor(user),
        "submitted_at": submission.submitted_at,
        "approved_at": submission.approved_at,
    }


def last_approved_at(submission: Submission) -> datetime.datetime | None:
    """When the report was last approved (before the step under way records its own event)."""
    return (SubmissionEvent.objects.filter(submission=submission, to_status=Status.APPROVED)
            .order_by("-at", "-id").values_list("at", flat=True).first())


def values_changed_since(submission: Submission, since: datetime.datetime) -> list[dict]:
    """The report's cells whose value now differs from the one they had at `since`, with both."""
    from dieuhanh.reporting.services import form_cells

    cells = form_cells([submission.form_id])[submission.form_id]
    first_old: dict[tuple[int, str], Decimal | None] = {}
    last_new: dict[tuple[int, str], Decimal | None] = {}
    codes: dict[int, str] = {}
    rows = ValueHistory.objects.filter(
        orgunit_id=submission.orgunit_id, period=submission.period, changed_at__gt=since,
        indicator_id__in={indicator for indicator, _ in cells},
    ).order_by("changed_at", "id").values_list("indicator_id", "indicator__code", "kind", "old_value", "new_value")
    for indicator, code, kind, old, new in rows:
        if (indicator, kind) in cells:
            first_old.setdefault((indicator, kind), old)
            last_new[(indicator, kind)] = new
            codes[indicator] = code
    return [{"indicator": codes[cell[0]], "kind": cell[1], "old": _plain(old), "new": _plain(last_new[cell])}
            for cell, old in sorted(first_old.items(), key=lambda item: (codes[item[0][0]], item[0][1]))
            if old != last_new[cell]]


def report_events_emit(submission: Submission, *, from_status: str, user, reason: str,
                       approved_before: datetime.datetime | None) -> None:
    """Emit the step's event (and, on a re-approval, the values that changed since the previous one)."""
    data = report_data(submission, from_status=from_status, user=user, reason=reason)
    webhooks_emit(event=EVENT_OF_STATUS[submission.status], unit=submission.orgunit, payload=data)
    if submission.status == Status.APPROVED and approved_before is not None:
        changes = values_changed_since(submission, approved_before)
        if changes:
            webhooks_emit(event="report.values_changed", unit=submission.orgunit,
                          payload={**data, "previously_approved_at": approved_before, "changes": changes})
