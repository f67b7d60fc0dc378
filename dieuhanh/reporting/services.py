"""Writes for periodic reporting: saving a unit's figures for a form and period, and the approval workflow.

Every channel that fills a form (the web page, an XLSX upload, the API) saves through
`submission_save_values`, so locking, conflict detection and the sum rules hold whichever way data arrives.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.indicators.models import DataValue, ValueKind, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_set_state, value_cells, value_errors
from dieuhanh.indicators.writer import WriteErrors, datavalues_write
from dieuhanh.lib.periods import Period, PeriodError, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reporting.completeness import deadline_of, local_date, local_today, resubmit_by_default
from dieuhanh.reporting.events import last_approved_at, report_events_emit
from dieuhanh.reporting.models import FormRow, ReportForm, Submission, SubmissionEvent
from dieuhanh.reporting.plausibility import submission_plausibility_check
from dieuhanh.reporting.targets import target_problems

Status = Submission.Status
EDITABLE = {Status.DRAFT, Status.RETURNED}
# The state a report's values take: only a report that has left the unit counts (ValueState.counted()).
VALUE_STATE = {Status.SUBMITTED: ValueState.SUBMITTED, Status.APPROVED: ValueState.APPROVED}


class SubmissionConflict(Exception):
    """Someone saved a newer version of the same submission since the user opened it."""

    def __init__(self, submission: Submission):
        self.submission = submission
        super().__init__(
            _("%(who)s saved this report at %(when)s, after you opened it. Reload to see their figures; nothing of "
              "yours was saved.")
            % {
                "who": (submission.updated_by.get_full_name() or submission.updated_by.get_username()
                        if submission.updated_by else _("Someone")),
                "when": timezone.localtime(submission.updated_at).strftime("%H:%M:%S %d/%m/%Y"),
            }
        )


def period_check(form: ReportForm, period: str) -> Period:
    """The parsed period if it is of the form's period type; ValidationError otherwise."""
    try:
        parsed = Period.parse(period)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from exc
    if parsed.type != form.period_type:
        raise ValidationError(
            _("Form %(form)s is reported by %(type)s, not for %(period)s")
            % {"form": form.code, "type": PeriodType(form.period_type).label.lower(), "period": period}
        )
    return parsed


def form_rows(form: ReportForm) -> list[FormRow]:
    return list(
        FormRow.objects.filter(section__form=form).select_related("indicator", "section", "total_row")
        .order_by("section__order", "section__id", "order", "id")
    )


def sum_rule_problems(rows: list[FormRow], cells: dict[tuple[int, str], Decimal | None]) -> list[str]:
    """Parts of a total may not add up to more than the total (checked per value kind)."""
    parts_of: dict[int, list[FormRow]] = defaultdict(list)
    for row in rows:
        if row.total_row_id:
            parts_of[row.total_row_id].append(row)
    by_id = {row.pk: row for row in rows}
    problems = []
    for total_id, parts in parts_of.items():
        total_row = by_id.get(total_id)
        if total_row is None:
            continue
        for kind in total_row.kind_list:
            total = cells.get((total_row.indicator_id, kind))
            values = [cells.get((p.indicator_id, kind)) for p in parts]
            filled = [v for v in values if v is not None]
            if total is None or not filled:
                continue
            if sum(filled) > total:
                problems.append(
                    _("%(kind)s: the parts (%(parts)s) add up to %(sum)s, "
                      "more than the total %(total)s (%(total_name)s)")
                    % {
                        "kind": ValueKind(kind).label,
                        "parts": ", ".join(str(p) for p in parts),
                        "sum": format_number(sum(filled), total_row.indicator.decimals, trim=True),
                        "total": format_number(total, total_row.indicator.decimals, trim=True),
                        "total_name": str(total_row),
                    }
                )
    return problems


def form_cells(form_ids) -> dict[int, set[tuple[int, str]]]:
    """{form id: the (indicator id, kind) cells its rows ask for}: what a report of the form holds, in one query."""
    cells: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for form_id, indicator_id, kinds in FormRow.objects.filter(section__form__in=form_ids).values_list(
            "section__form_id", "indicator_id", "kinds"):
        cells[form_id].update((indicator_id, kind) for kind in kinds.split(",") if kind)
    return cells


def value_states(*, orgunit, period: str, cells) -> dict[tuple[int, str], int]:
    """{(indicator id, kind): ValueState} of a unit's cells for a period: the furthest state among the reports of
    that unit and period whose form asks for the cell (a cell on two forms counts once either report has left the
    unit); a cell on no report that has left the unit is a draft."""
    states = dict.fromkeys(cells, int(ValueState.DRAFT))
    gone = {form_id: VALUE_STATE[status] for form_id, status in Submission.objects.filter(
        orgunit=orgunit, period=period, status__in=VALUE_STATE).values_list("form_id", "status")}
    for form_id, asked in form_cells(gone).items() if gone else ():
        for cell in asked & states.keys():
            states[cell] = max(states[cell], gone[form_id])
    return states


def _sync_value_states(submission: Submission) -> None:
    """Give the report's values the state its workflow reached (in the same transaction as the step)."""
    cells = form_cells([submission.form_id])[submission.form_id]
    datavalues_set_state(orgunit=submission.orgunit, period=submission.period,
                         states=value_states(orgunit=submission.orgunit, period=submission.period, cells=cells))


def _record(submission: Submission, *, from_status: str, to_status: str, user, reason: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, from_status=from_status, to_status=to_status, actor=user, at=timezone.now(),
        reason=reason,
    )


def submissions_lock(keys, user) -> dict[tuple[int, int, str], tuple[int, str, int]]:
    """{(form id, unit id, period): (pk, status, version)} of the reports that a write of values touches, locked
    until the write commits; missing ones are created as drafts (with their event). The one place a write of
    values locks its reports, for the web form, XLSX and every bulk import."""
    keys = set(keys)
    if not keys:
        return {}
    forms, units, periods = {k[0] for k in keys}, {k[1] for k in keys}, {k[2] for k in keys}

    def locked():
        rows = Submission.objects.select_for_update().filter(
            form_id__in=forms, orgunit_id__in=units, period__in=periods).values_list(
            "form_id", "orgunit_id", "period", "pk", "status", "version")
        return {(f, u, p): (pk, status, version) for f, u, p, pk, status, version in rows.iterator(chunk_size=5000)
                if (f, u, p) in keys}

    found = locked()
    missing = keys - found.keys()
    if missing:
        # Someone creating the same report at the same moment: theirs is kept and locked below.
        Submission.objects.bulk_create([Submission(form_id=f, orgunit_id=u, period=p, updated_by=user)
                                        for f, u, p in missing], batch_size=5000, ignore_conflicts=True)
        found = locked()
        now = timezone.now()
        SubmissionEvent.objects.bulk_create(
            [SubmissionEvent(submission_id=found[k][0], from_status="", to_status=Status.DRAFT, actor=user, at=now)
             for k in missing], batch_size=5000)
    return found


def locked_report_problem(status: str) -> str | None:
    """Why values of a report in `status` cannot be written, or None: the one editability rule of every write."""
    if status in EDITABLE:
        return None
    return _("This report is %(status)s and locked; it can be changed only after an approver returns or reopens it"
             ) % {"status": Status(status).label.lower()}


def submissions_bump(pks, user) -> None:
    """Every report a write of values touched moves to its next version (a save based on an older one is then a
    conflict)."""
    pks = list(pks)
    now = timezone.now()
    for i in range(0, len(pks), 5000):
        Submission.objects.filter(pk__in=pks[i:i + 5000]).update(version=F("version") + 1, updated_by=user,
                                                                updated_at=now)


@transaction.atomic
def submission_save_values(
    *, form: ReportForm, orgunit, period: str, values: list[ValueInput], user, channel: str,
    expected_version: int | None = None,
) -> Submission:
    """Save a unit's figures for one form and period as a draft, through the one writer. All or nothing.

    `expected_version` is the submission version the user's page or file was based on; if someone saved since,
    SubmissionConflict is raised and nothing is written. Submitted and approved reports are locked.
    """
    period_check(form, period)
    if not form.units.filter(pk=orgunit.pk).exists():
        raise ValidationError(_("%(unit)s does not report form %(form)s") % {"unit": orgunit, "form": form.code})
    key = (form.pk, orgunit.pk, period)
    pk, status, version = submissions_lock([key], user)[key]
    problem = locked_report_problem(status)
    if problem:
        raise ValidationError(problem)
    if expected_version is not None and expected_version != version:
        raise SubmissionConflict(Submission.objects.select_related("updated_by").get(pk=pk))

    rows = form_rows(form)
    allowed = {(row.indicator_id, kind) for row in rows for kind in row.kind_list}
    strays = [v for v in values if (v.indicator.pk, v.kind) not in allowed]
    if strays:
        raise ValidationError(
            [_("%(ind)s (%(kind)s) is not on form %(form)s") % {
                "ind": v.indicator.code, "kind": ValueKind(v.kind).label, "form": form.code} for v in strays]
        )
    cells: dict[tuple[int, str], Decimal | None] = {
        (ind, kind): value
        for ind, kind, value in DataValue.objects.filter(
            orgunit=orgunit, period=period, indicator__in={r.indicator_id for r in rows}
        ).values_list("indicator_id", "kind", "value")
    }
    refused = target_problems(values=values, stored=cells, row_labels={r.indicator_id: str(r) for r in rows},
                              user=user, orgunit=orgunit)
    if refused:
        raise ValidationError(refused)
    cells.update({(v.indicator.pk, v.kind): v.value for v in values})
    problems = sum_rule_problems(rows, cells)
    if problems:
        raise ValidationError(problems)

    states = value_states(orgunit=orgunit, period=period, cells={(v.indicator.pk, v.kind) for v in values})
    try:
        datavalues_write(value_cells(orgunit=orgunit, period=period, values=values, states=states, tag=form.pk),
                         user=user, channel=channel)
    except WriteErrors as exc:
        raise value_errors(values, exc) from exc
    submissions_bump([pk], user)
    return Submission.objects.get(pk=pk)


def _transition(submission: Submission, *, allowed_from: set[str], to_status: str, user, reason: str = "",
                expected_version: int | None = None) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in allowed_from:
        raise ValidationError(
            _("A report that is %(status)s cannot become %(to)s")
            % {"status": submission.get_status_display().lower(), "to": Status(to_status).label.lower()}
        )
    if expected_version is not None and expected_version != submission.version:
        raise SubmissionConflict(submission)
    from_status = submission.status
    approved_before = last_approved_at(submission) if to_status == Status.APPROVED else None
    now = timezone.now()
    submission.status = to_status
    submission.version += 1
    submission.updated_by = user
    if to_status == Status.SUBMITTED:
        submission.submitted_at = now
        submission.returned_reason = ""
    elif to_status == Status.APPROVED:
        submission.approved_at = now
    elif to_status == Status.RETURNED:
        submission.returned_reason = reason
    elif to_status == Status.DRAFT:
        submission.approved_at = None
    submission.save()
    _record(submission, from_status=from_status, to_status=to_status, user=user, reason=reason)
    _sync_value_states(submission)
    report_events_emit(submission, from_status=from_status, user=user, reason=reason,
                       approved_before=approved_before)
    return submission


@transaction.atomic
def submission_submit(*, submission: Submission, user, expected_version: int | None = None) -> Submission:
    if submission.status in EDITABLE:  # otherwise the transition says why it cannot be submitted
        submission_plausibility_check(submission)
    return _transition(submission, allowed_from=EDITABLE, to_status=Status.SUBMITTED, user=user,
                       expected_version=expected_version)


@transaction.atomic
def submission_approve(*, submission: Submission, user) -> Submission:
    return _transition(submission, allowed_from={Status.SUBMITTED}, to_status=Status.APPROVED, user=user)


@transaction.atomic
def submission_return(*, submission: Submission, user, reason: str,
                      resubmit_by: datetime.date | None = None) -> Submission:
    """Send the report back to the unit, saying why and by when it must come back (`resubmit_by`, by default
    RESUBMIT_WORKING_DAYS working days after today; not before today).

    Whether the report was on time so far is kept (`missed_deadline`): coming back by the new deadline keeps an
    on-time report on time, even after the form's deadline, and a late report stays late (Submission.is_on_time).
    """
    problems = {}
    if not (reason or "").strip():
        problems["reason"] = _("Say why the report is returned")
    today = local_today()
    if resubmit_by is None:
        resubmit_by = resubmit_by_default(today)
    elif resubmit_by < today:
        problems["resubmit_by"] = _("The new deadline cannot be before today (%(today)s)") % {
            "today": today.strftime("%d/%m/%Y")}
    if problems:
        raise ValidationError(problems)
    current = Submission.objects.select_for_update().select_related("form").get(pk=submission.pk)
    late = current.submitted_at is not None and not current.is_on_time(
        deadline_of(current.form, Period.parse(current.period)), local_date(current.submitted_at))
    submission = _transition(current, allowed_from={Status.SUBMITTED, Status.APPROVED}, to_status=Status.RETURNED,
                             user=user, reason=reason.strip())
    submission.resubmit_by = resubmit_by
    submission.missed_deadline = submission.missed_deadline or late
    submission.full_clean()
    submission.save(update_fields=["resubmit_by", "missed_deadline"])
    return submission


@transaction.atomic
def submission_reopen(*, submission: Submission, user, reason: str) -> Submission:
    """An approver unlocks approved data for correction; the reason stays on record."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is reopened")})
    return _transition(submission, allowed_from={Status.APPROVED}, to_status=Status.DRAFT, user=user,
                       reason=reason.strip())
