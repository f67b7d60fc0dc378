"""API: reports (submissions of a form by a unit for a period) — where each stands, and the workflow steps a system
takes for its units: submit, approve, return, reopen.

Reads and steps go through the same rules as the entry page (reporting.views_entry): a report is found through
`entry_or_404` within the key's subtree (anything else answers 404), its state is the completeness rule's
(reporting.completeness: on time or late, overdue), and each step is the page's service (reporting.services):
reporters submit, approvers approve, return and reopen, and only with a read-write key (403 otherwise).

Form codes hold slashes ("01/BC-VT"), so a report is named by `form`, `orgUnit` and `period` in the query (reads)
or the body (steps) rather than in the path."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dieuhanh.accounts.models import Role
from dieuhanh.api.errors import ApiError, ErrorOut
from dieuhanh.api.idempotency import idempotent
from dieuhanh.api.values_import import no_nul
from dieuhanh.lib.periods import Period, PeriodError
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import STATE_LABELS, State, UnitRow, completeness_of, period_to_report
from dieuhanh.reporting.models import ReportForm, Submission
from dieuhanh.reporting.selectors import entry_or_404
from dieuhanh.reporting.services import (
    SubmissionConflict,
    period_check,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_submit,
)

router = Router(tags=["reports"])
Status = Submission.Status
# A list reads the completeness of every (form, period) asked for; beyond this many it is too broad to answer at once.
MAX_PAIRS = 120
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class Choice(Schema):
    """A coded value with its label (statuses, kinds); tasks use it too."""

    code: str
    label: str = Field(description="in the interface's language (Vietnamese by default)")


class ReportEventOut(Schema):
    from_status: Choice | None = Field(description="null for the report's creation")
    to_status: Choice
    at: datetime.datetime
    by: str = Field(description="who took the step: a person's or a system's name")
    reason: str


class ReportItem(Schema):
    form: str = Field(description="the form's code")
    form_name: str
    org_unit: str = Field(description="the reporting unit's code")
    org_unit_name: str
    period: str
    period_label: str
    status: Choice = Field(description="the workflow status: draft | submitted | approved | returned (draft before "
                                       "anything is saved, as the entry page shows it)")
    state: Choice = Field(description="where the report stands for completeness: not_started | draft | "
                                      "submitted_on_time | submitted_late | approved | returned")
    version: int = Field(description="0 before anything is saved; send it as expected_version to refuse a step "
                                     "taken on a stale view (409)")
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    deadline: datetime.date = Field(description="the form's deadline for the period")
    deadline_in_force: datetime.date = Field(description="the form's deadline, or the later day given when the "
                                                         "report was returned")
    on_time: bool | None = Field(description="set once the report is submitted (also when approved)")
    overdue: bool = Field(description="not reported and the form's deadline has passed")
    returned_reason: str
    resubmit_by: datetime.date | None = Field(description="the day a returned report must come back by")
    updated_at: datetime.datetime | None
    updated_by: str | None


class ReportOut(ReportItem):
    events: list[ReportEventOut] = Field(description="the workflow's history, oldest first")


class ReportListOut(Schema):
    count: int = Field(description="reports matching the filters (before limit and offset)")
    items: list[ReportItem]


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def choice(code: str, label) -> Choice:
    return Choice(code=str(code), label=str(label))


def report_item(form: ReportForm, period: Period, row: UnitRow) -> dict:
    submission = row.submission
    status = submission.status if submission else Status.DRAFT
    return {
        "form": form.code, "form_name": form.name, "org_unit": row.unit.code, "org_unit_name": row.unit.name,
        "period": period.id, "period_label": period.label,
        "status": choice(status, Status(status).label), "state": choice(row.state, STATE_LABELS[row.state]),
        "version": submission.version if submission else 0,
        "submitted_at": submission.submitted_at if submission else None,
        "approved_at": submission.approved_at if submission else None,
        "deadline": row.deadline,
        "deadline_in_force": submission.deadline_in_force(row.deadline) if submission else row.deadline,
        "on_time": row.on_time, "overdue": row.overdue,
        "returned_reason": submission.returned_reason if submission else "",
        "resubmit_by": submission.resubmit_by if submission else None,
        "updated_at": submission.updated_at if submission else None,
        "updated_by": _person(submission.updated_by) if submission else None,
    }


def report_out(form: ReportForm, period: Period, unit: OrgUnit) -> ReportOut:
    """The report as the completeness rule sees it today, with its history."""
    rows = completeness_of([(form, period)], OrgUnit.objects.filter(pk=unit.pk))[0].rows
    if not rows:  # the unit did not exist during the period: it owes no report
        raise Http404
    row = rows[0]
    events = []
    if row.submission is not None:
        for event in row.submission.events.select_related("actor"):
            events.append(ReportEventOut(
                from_status=choice(event.from_status, Status(event.from_status).label) if event.from_status else None,
                to_status=choice(event.to_status, Status(event.to_status).label), at=event.at,
                by=event.actor_label, reason=event.reason))
    return ReportOut(**report_item(form, period, row), events=events)


def _form_or_404(code: str) -> ReportForm:
    try:
        return ReportForm.objects.get(code=code, active=True)
    except ReportForm.DoesNotExist as exc:
        raise Http404 from exc


def _period_of(form: ReportForm, period_id: str) -> Period:
    try:
        return period_check(form, period_id)
    except ValidationError as exc:
        raise ApiError(400, "E_PERIOD", exc.messages[0], field="period") from exc


def _entry(request, form_code: str, unit_code: str, period_id: str, *roles: str):
    """(form, unit, period) of a report this key may reach holding `roles`; 404 otherwise, as the page answers."""
    no_nul(form_code, unit_code, period_id)
    form = _form_or_404(form_code)
    period = _period_of(form, period_id)
    request.auth.unit_or_404(unit_code, *roles)  # within the key's subtree
    entry = entry_or_404(request.auth.user, form.pk, unit_code, period.id, *roles)  # the entry page's own rule
    return entry.form, entry.unit, period


# --- reads ---------------------------------------------------------------------------------------------------------
class ReportQuery(Schema):
    form: str = Field(description="the form's code, e.g. 01/BC-VT")
    orgUnit: str = Field(description="the reporting unit's code")  # noqa: N815 (DHIS2's name)
    period: str = Field(description="a period id of the form's type, e.g. 202603")


@router.get("/report", response={200: ReportOut, **ERRORS}, summary="One report: its state, deadline and history")
def report_detail(request, query: Query[ReportQuery]):
    """The report of `form` by `orgUnit` for `period`: workflow status, version, when it was submitted and approved,
    the deadline and whether it was on time, the reason it was returned and by when it must come back, and every
    workflow step. A unit outside the key's reach, or one that does not report the form, answers 404."""
    form, unit, period = _entry(request, query.form, query.orgUnit, query.period)
    return report_out(form, period, unit)


class ReportListQuery(Schema):
    form: str | None = Field(None, description="a form's code; default: every active form of the units")
    period: list[str] = Field([], description="period ids (repeatable); each applies to the forms of its type. "
                                              "Default: each form's period being collected now")
    orgUnit: str | None = Field(None, description="a unit's code; default: every unit the key reaches")  # noqa: N815
    children: bool = Field(False, description="with orgUnit: also the units below it")
    state: list[State] = Field([], description="only reports in these completeness states (repeatable)")
    status: list[Status] = Field([], description="only reports in these workflow statuses (repeatable; a unit that "
                                                 "has saved nothing counts as draft)")
    overdue: bool | None = Field(None, description="only overdue reports (true) or only the others (false)")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


def _periods(ids: list[str]) -> list[Period]:
    out = []
    for index, pid in enumerate(dict.fromkeys(ids)):
        try:
            out.append(Period.parse(pid))
        except PeriodError as exc:
            raise ApiError(400, "E_PERIOD", str(exc), field="period", index=index) from exc
    return out


@router.get("", response={200: ReportListOut, **ERRORS}, summary="Reports of the key's units, filtered")
def report_list(request, query: Query[ReportListQuery]):
    """Where each report stands, by form, period and unit, as the completeness page counts them (a unit owes a
    period's report only if it existed during the period). Ordered by form, period, then unit name."""
    no_nul(query.form or "", query.orgUnit or "", *query.period)
    units = request.auth.units()
    if query.orgUnit:
        top = request.auth.unit_or_404(query.orgUnit)
        units = units.filter(path__startswith=top.path) if query.children else units.filter(pk=top.pk)
    forms = ReportForm.objects.filter(active=True, units__in=units).distinct().order_by("code")
    if query.form:
        forms = forms.filter(code=query.form)
        if not forms:
            raise Http404
    periods = _periods(query.period)
    pairs = []
    for form in forms:
        if periods:
            pairs += [(form, p) for p in periods if p.type == form.period_type]
        else:
            pairs.append((form, period_to_report(form)))
    if query.form and periods and not pairs:
        raise ApiError(400, "E_PERIOD", _("Form %(form)s is reported by %(type)s") % {
            "form": forms[0].code, "type": forms[0].get_period_type_display().lower()}, field="period")
    if len(pairs) > MAX_PAIRS:
        raise ApiError(400, "E_TOO_BROAD", _("Too many forms and periods at once (%(n)s); at most %(max)s: name a "
                                             "form or fewer periods") % {"n": len(pairs), "max": MAX_PAIRS},
                       field="period")
    items = []
    for result in completeness_of(pairs, units):
        for row in result.rows:
            if query.state and row.state not in query.state:
                continue
            status = row.submission.status if row.submission else Status.DRAFT
            if query.status and status not in query.status:
                continue
            if query.overdue is not None and row.overdue != query.overdue:
                continue
            items.append((result.form, result.period, row))
    page = items[query.offset:query.offset + query.limit]
    return ReportListOut(count=len(items), items=[ReportItem(**report_item(f, p, row)) for f, p, row in page])


# --- workflow steps ------------------------------------------------------------------------------------------------
class StepIn(Schema):
    form: str = Field(description="the form's code")
    org_unit: str = Field(description="the reporting unit's code")
    period: str
    expected_version: int | None = Field(None, description="the version the step is based on: if the report "
                                                            "changed since, nothing is done and the answer is 409")


class ReasonStepIn(StepIn):
    reason: str = Field(description="why: kept in the report's history and shown to the unit")


class ReturnIn(ReasonStepIn):
    resubmit_by: datetime.date | None = Field(None, description="the day the unit must send the report again "
                                                                "by (not before today); default: 5 working days")


def _step(request, payload: StepIn, role: str, run) -> ReportOut:
    """Take a workflow step on a report: a read-write key holding `role` on the unit (403 for a read-only key, 404
    out of reach), the submission locked and its version checked, then the page's service."""
    request.auth.require_write()
    no_nul(getattr(payload, "reason", ""))
    form, unit, period = _entry(request, payload.form, payload.org_unit, payload.period, role)
    try:
        with transaction.atomic():
            submission = (Submission.objects.select_for_update()
                          .filter(form=form, orgunit=unit, period=period.id).first())
            if submission is None:
                raise ApiError(400, "E_NOTHING_SAVED", _("Nothing has been saved for this report yet"))
            if payload.expected_version is not None and payload.expected_version != submission.version:
                raise SubmissionConflict(submission)
            run(submission, request.auth.user)
    except SubmissionConflict as exc:
        raise ApiError(409, "E_CONFLICT", str(exc), field="expected_version") from exc
    return report_out(form, period, unit)


@router.post("/submit", response={200: ReportOut, **ERRORS}, summary="Submit a report (a reporter's step)")
@idempotent
def report_submit(request, payload: StepIn):
    """Send a draft or returned report to its approvers, as the entry page's "Submit" does (the figures' plausibility
    checks included). Needs a read-write key whose units include the reporting unit."""
    return _step(request, payload, Role.REPORTER, lambda s, user: submission_submit(
        submission=s, user=user, expected_version=s.version))


@router.post("/approve", response={200: ReportOut, **ERRORS}, summary="Approve a submitted report")
@idempotent
def report_approve(request, payload: StepIn):
    """An approver's step: the report's figures then count as approved. Needs a read-write key."""
    return _step(request, payload, Role.APPROVER, lambda s, user: submission_approve(submission=s, user=user))


@router.post("/return", response={200: ReportOut, **ERRORS}, summary="Return a report to its unit, saying why")
@idempotent
def report_return(request, payload: ReturnIn):
    """Send a submitted or approved report back to the unit with the reason and the day it must come back by (an
    on-time report that comes back by then stays on time). Needs a read-write key."""
    return _step(request, payload, Role.APPROVER, lambda s, user: submission_return(
        submission=s, user=user, reason=payload.reason, resubmit_by=payload.resubmit_by))


@router.post("/reopen", response={200: ReportOut, **ERRORS}, summary="Reopen an approved report for correction")
@idempotent
def report_reopen(request, payload: ReasonStepIn):
    """Unlock an approved report (back to draft) so its unit can correct it; the reason stays on record. Needs a
    read-write key."""
    return _step(request, payload, Role.APPROVER, lambda s, user: submission_reopen(
        submission=s, user=user, reason=payload.reason))
