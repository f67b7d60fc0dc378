"""The data-entry page of one form for one unit and period, its workflow buttons, and per-cell history.

Reading needs any reading role on the unit; saving and submitting need the reporter role, approving,
returning and reopening the approver role. Anything else is 404 (through `entry_or_404`), never 403.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import Role, roles_may_set_targets
from dieuhanh.indicators.models import Channel, DataValue, Indicator, ValueHistory, ValueKind, ValueState
from dieuhanh.indicators.services import ValueInput, value_problem
from dieuhanh.lib.dates import parse_date
from dieuhanh.lib.vnformat import NumberFormatError, format_number, parse_number, roman
from dieuhanh.reporting.completeness import RESUBMIT_WORKING_DAYS, local_today, resubmit_by_default
from dieuhanh.reporting.models import FormRow, Holiday, Submission
from dieuhanh.reporting.plausibility import flags_for
from dieuhanh.reporting.selectors import Entry, entry_or_404
from dieuhanh.reporting.services import (
    VALUE_STATE,
    SubmissionConflict,
    form_rows,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_save_values,
    submission_submit,
    sum_rule_problems,
)

Status = Submission.Status
KIND_ORDER = [ValueKind.TARGET, ValueKind.ESTIMATE, ValueKind.ACTUAL]
LOCKED = {Status.SUBMITTED, Status.APPROVED}
# A submission that did not exist when the page was opened is created at this version by the save; passing it
# as the expected version turns "someone else created and saved it meanwhile" into a conflict as well.
INITIAL_VERSION = Submission._meta.get_field("version").default

ACTION_ROLES = {
    "save": Role.REPORTER,
    "submit": Role.REPORTER,
    "approve": Role.APPROVER,
    "return": Role.APPROVER,
    "reopen": Role.APPROVER,
}


def cell_name(indicator_id: int, kind: str) -> str:
    return f"v-{indicator_id}-{kind}"


@dataclass
class Cell:
    kind: str
    name: str
    text: str = ""  # what the input shows: the saved value in Vietnamese format, or what the user typed
    errors: list[str] = field(default_factory=list)
    history_url: str = ""
    # Kept as it is unless the page offers a note field (a flagged cell): a save must not wipe it.
    comment: str = ""
    readonly: bool = False  # a target, for a person who may not set targets
    saved: Decimal | None = None
    flag: str = ""  # why the figure is implausible against the unit's history (plausibility.py)

    @property
    def label(self) -> str:
        return ValueKind(self.kind).label

    @property
    def comment_name(self) -> str:
        return "c" + self.name[1:]


@dataclass
class Line:
    row: FormRow
    number: int
    cells: dict[str, Cell]  # by kind; kinds the row does not ask for are absent
    kinds: list[str]  # the form's value-kind columns
    previous: str = ""
    last_year: str = ""

    @property
    def cells_in_order(self) -> list[Cell | None]:
        return [self.cells.get(kind) for kind in self.kinds]


def _is_integer(indicator: Indicator) -> bool:
    return indicator.value_type == Indicator.ValueType.INTEGER


def input_text(value: Decimal | None, indicator: Indicator) -> str:
    """A saved value as the input shows it: Vietnamese style, and read back as the same number when the page is
    saved again. 2000 shown as "2.000" would be ambiguous, so non-integers keep their decimals ("2.000,00")."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    places = 0 if _is_integer(indicator) else max(indicator.decimals, -exponent if exponent < 0 else 0)
    text = format_number(value, places)
    try:
        if parse_number(text, integer=_is_integer(indicator)) == value:
            return text
    except NumberFormatError:
        pass
    return format(value.normalize(), "f")  # no grouping: never ambiguous


def _reference_values(entry: Entry, indicator_ids: set[int], period_id: str) -> dict[int, Decimal]:
    """One value per indicator for a comparison period: the actual, else the estimate."""
    found: dict[int, dict[str, Decimal]] = {}
    for ind, kind, value in DataValue.objects.filter(
        orgunit=entry.unit, period=period_id, indicator__in=indicator_ids,
        kind__in=[ValueKind.ACTUAL, ValueKind.ESTIMATE],
    ).values_list("indicator_id", "kind", "value"):
        found.setdefault(ind, {})[kind] = value
    return {ind: by_kind.get(ValueKind.ACTUAL, by_kind.get(ValueKind.ESTIMATE)) for ind, by_kind in found.items()}


def _grid(entry: Entry, rows: list[FormRow]) -> tuple[list[str], list[dict]]:
    """The form's value-kind columns and its sections, each with numbered lines of cells showing saved values."""
    kinds = [k for k in KIND_ORDER if any(k in row.kind_list for row in rows)]
    targets_readonly = not roles_may_set_targets(entry.roles)
    indicator_ids = {row.indicator_id for row in rows}
    saved = {
        (ind, kind): (value, comment)
        for ind, kind, value, comment in DataValue.objects.filter(
            orgunit=entry.unit, period=entry.period.id, indicator__in=indicator_ids
        ).values_list("indicator_id", "kind", "value", "comment")
    }
    previous = _reference_values(entry, indicator_ids, entry.period.previous().id)
    last_year = _reference_values(entry, indicator_ids, entry.period.same_period_last_year().id)
    url_args = [entry.form.pk, entry.unit.code, entry.period.id]
    sections: list[dict] = []
    for row in rows:
        if not sections or sections[-1]["section"].pk != row.section_id:
            sections.append({"section": row.section, "numeral": roman(len(sections) + 1), "lines": []})
        decimals = row.indicator.decimals
        cells = {}
        for kind in row.kind_list:
            if kind not in kinds:
                continue
            value, comment = saved.get((row.indicator_id, kind), (None, ""))
            cells[kind] = Cell(
                kind=kind,
                name=cell_name(row.indicator_id, kind),
                text=input_text(value, row.indicator),
                comment=comment,
                readonly=targets_readonly and kind == ValueKind.TARGET,
                saved=value,
                history_url=reverse("reporting:cell_history", args=[*url_args, row.indicator_id, kind]),
            )
        lines = sections[-1]["lines"]
        lines.append(Line(
            row=row, number=len(lines) + 1, cells=cells, kinds=kinds,
            previous=format_number(previous.get(row.indicator_id), decimals),
            last_year=format_number(last_year.get(row.indicator_id), decimals),
        ))
    return kinds, sections


def _read_cells(post, sections: list[dict]) -> tuple[list[ValueInput], dict, list[str]]:
    """Parse every cell of the form from the POST. Returns the values, the cells by (indicator, kind) and a
    problem per bad cell naming it; the cells keep what the user typed and carry their own errors."""
    values: list[ValueInput] = []
    parsed: dict[tuple[int, str], Decimal | None] = {}
    problems: list[str] = []
    for section in sections:
        for line in section["lines"]:
            indicator = line.row.indicator
            for cell in line.cells.values():
                if cell.readonly:  # not sent by the page; the stored target stays as it is
                    continue
                if cell.comment_name in post:
                    cell.comment = post.get(cell.comment_name, "").strip()[:500]
                cell.text = post.get(cell.name, "").strip()
                try:
                    value = parse_number(cell.text, integer=_is_integer(indicator))
                except NumberFormatError as exc:
                    cell.errors.append(str(exc))
                else:
                    problem = value_problem(indicator, value)
                    if problem:
                        cell.errors.append(problem)
                    else:
                        parsed[(indicator.pk, cell.kind)] = value
                        values.append(ValueInput(indicator=indicator, kind=cell.kind, value=value,
                                                 comment=cell.comment if value is not None else ""))
                for error in cell.errors:
                    problems.append(
                        _("%(row)s (%(kind)s): %(problem)s")
                        % {"row": line.row, "kind": ValueKind(cell.kind).label, "problem": error}
                    )
    return values, parsed, problems


def _mark_flags(entry: Entry, sections: list[dict], values: dict[tuple[int, str], Decimal | None]) -> list[dict]:
    """Mark the implausible cells among `values` (saved, or as just typed) and list them for the page."""
    lines = [line for section in sections for line in section["lines"]]
    flags = flags_for(orgunit=entry.unit, period=entry.period, values=values,
                      indicators={line.row.indicator_id: line.row.indicator for line in lines})
    flagged = []
    for line in lines:
        for cell in line.cells.values():
            cell.flag = "" if cell.errors else flags.get((line.row.indicator_id, cell.kind), "")
            if cell.flag:
                flagged.append({"row": line.row, "cell": cell})
    return flagged


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _posted_version(request) -> int:
    text = request.POST.get("version", "")
    return int(text) if text.isdigit() else 0


def _save(request, entry: Entry, values: list[ValueInput], *, submit: bool) -> Submission:
    posted = _posted_version(request)
    with transaction.atomic():
        submission = submission_save_values(
            form=entry.form, orgunit=entry.unit, period=entry.period.id, values=values, user=request.user,
            channel=Channel.WEB, expected_version=posted or INITIAL_VERSION,
        )
        if submit:
            submission = submission_submit(submission=submission, user=request.user,
                                           expected_version=submission.version)
    return submission


def _resubmit_by(text: str) -> datetime.date | None:
    """The new deadline typed when returning a report, dd/mm/yyyy whatever the browser's language; None (the
    service's default) when left empty."""
    if not text.strip():
        return None
    day = parse_date(text)
    if day is None:
        example = resubmit_by_default(local_today()).strftime("%d/%m/%Y")
        raise ValidationError({"resubmit_by": _("Type the new deadline as day/month/year, for example %(example)s")
                               % {"example": example}})
    return day


def _workflow(request, entry: Entry, action: str) -> str:
    """Run an approver's action; returns the success message, or raises ValidationError."""
    submission = entry.submission()
    if submission is None:
        raise ValidationError(_("Nothing has been saved for this report yet"))
    reason = request.POST.get("reason", "")
    if action == "approve":
        submission_approve(submission=submission, user=request.user)
        return _("Report approved")
    if action == "return":
        resubmit_by = _resubmit_by(request.POST.get("resubmit_by", ""))
        submission = submission_return(submission=submission, user=request.user, reason=reason,
                                       resubmit_by=resubmit_by)
        return _("Report returned to the reporting unit, to be sent again by %(day)s") % {
            "day": submission.resubmit_by.strftime("%d/%m/%Y")}
    submission_reopen(submission=submission, user=request.user, reason=reason)
    return _("Report reopened for correction")


def _events(submission: Submission | None) -> list:
    events = list(submission.events.select_related("actor")) if submission else []
    for e in events:
        e.from_label = Status(e.from_status).label if e.from_status else ""
        e.to_label = Status(e.to_status).label
    return events


@login_required
def entry_page(request, form_id: int, unit_code: str, period: str):
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTION_ROLES:
        return HttpResponseBadRequest(_("Unknown action"))
    roles = (ACTION_ROLES[action],) if action else ()
    entry = entry_or_404(request.user, form_id, unit_code, period, *roles)
    rows = form_rows(entry.form)
    kinds, sections = _grid(entry, rows)
    alerts: list[str] = []
    conflict = ""
    reason_error = ""
    resubmit_error = ""

    flagged_values = {(line.row.indicator_id, cell.kind): cell.saved
                      for section in sections for line in section["lines"] for cell in line.cells.values()}
    if action in ("save", "submit"):
        values, parsed, problems = _read_cells(request.POST, sections)
        flagged_values.update(parsed)  # the page shows what was typed, so it flags what was typed
        if problems:
            alerts = problems + sum_rule_problems(rows, parsed)
        else:
            try:
                _save(request, entry, values, submit=action == "submit")
            except SubmissionConflict as exc:
                conflict = str(exc)
            except ValidationError as exc:
                alerts = _messages_of(exc)
            else:
                messages.success(request, _("Report submitted") if action == "submit" else _("Draft saved"))
                return redirect(request.path)
    elif action:
        try:
            with transaction.atomic():
                done = _workflow(request, entry, action)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and {"reason", "resubmit_by"} & exc.error_dict.keys():
                reason_error = " ".join(exc.message_dict.get("reason", []))
                resubmit_error = " ".join(exc.message_dict.get("resubmit_by", []))
            else:
                alerts = _messages_of(exc)
        else:
            messages.success(request, done)
            return redirect(request.path)

    flagged = _mark_flags(entry, sections, flagged_values)
    submission = entry.submission()
    status = submission.status if submission else Status.DRAFT
    editable = entry.can_enter and status not in LOCKED
    holidays = Holiday.objects.values_list("date", flat=True)
    context = {
        "entry": entry,
        "form": entry.form,
        "unit": entry.unit,
        "period": entry.period,
        "submission": submission,
        "status": status,
        "status_label": Status(status).label,
        # Whether leaders' figures count this report yet (settings.REPORTED_DATA): the page says so when not.
        "counted": VALUE_STATE.get(status, ValueState.DRAFT) >= ValueState.counted(),
        # The version the page's figures are based on; on a failed save the page keeps the one it was opened with.
        "version": _posted_version(request) if action in ("save", "submit") else
        (submission.version if submission else 0),
        "deadline": entry.form.deadline_rule.deadline_for(entry.period, list(holidays)),
        "kinds": [(k, ValueKind(k).label) for k in kinds],
        "sections": sections,
        "previous_label": entry.period.previous().label,
        "last_year_label": entry.period.same_period_last_year().label,
        "editable": editable,
        "locked": status in LOCKED,
        "alerts": alerts,
        "conflict": conflict,
        "reason_error": reason_error,
        "resubmit_error": resubmit_error,
        "resubmit_days": RESUBMIT_WORKING_DAYS,
        # The new deadline offered when returning: what the approver typed, else the default.
        "resubmit_by": request.POST.get("resubmit_by", "") if action == "return" else
        resubmit_by_default(local_today()).strftime("%d/%m/%Y") if entry.can_approve and status in LOCKED else "",
        "reason": request.POST.get("reason", "") if action in ("return", "reopen") else "",
        "failed_action": action,
        "events": _events(submission),
        "can_approve": entry.can_approve and submission is not None,
        "flagged": flagged,
        "targets_readonly": editable and any(c.readonly for s in sections for line in s["lines"]
                                             for c in line.cells.values()),
    }
    return render(request, "reporting/entry.html", context)


@login_required
def cell_history(request, form_id: int, unit_code: str, period: str, indicator_id: int, kind: str):
    entry = entry_or_404(request.user, form_id, unit_code, period)
    if kind not in ValueKind.values:
        raise Http404
    row = (FormRow.objects.filter(section__form=entry.form, indicator_id=indicator_id)
           .select_related("indicator").first())
    if row is None or kind not in row.kind_list:
        raise Http404
    decimals = row.indicator.decimals
    changes = [
        {
            "at": h.changed_at,
            "who": (h.changed_by.get_full_name() or h.changed_by.get_username()) if h.changed_by else "—",
            "old": format_number(h.old_value, decimals, trim=True),
            "new": format_number(h.new_value, decimals, trim=True),
            "channel": h.get_channel_display(),
        }
        for h in ValueHistory.objects.filter(
            indicator_id=indicator_id, orgunit=entry.unit, period=entry.period.id, kind=kind
        ).select_related("changed_by")
    ]
    context = {"entry": entry, "row": row, "kind_label": ValueKind(kind).label, "changes": changes,
               "entry_url": reverse("reporting:entry", args=[entry.form.pk, entry.unit.code, entry.period.id])}
    template = "reporting/_entry_history.html" if request.headers.get("HX-Request") else "reporting/history.html"
    return render(request, template, context)
