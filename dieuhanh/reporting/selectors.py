"""Reads for periodic reporting. Every reporting page finds its form, unit and period through
`entry_or_404`, so the access rule (404 for anything outside the user's scope) is written once.

The worklists' reads (`reports_to_make`, `reports_to_approve`) take the units whose work it is, which the caller
draws from the user's role assignments (dashboard.worklist), and read "not reported" from reporting.completeness.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import roles_on, units_in_scope
from dieuhanh.lib.periods import Period
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import State, completeness_of, holidays_for, local_today, period_to_report
from dieuhanh.reporting.models import ReportForm, Submission
from dieuhanh.reporting.services import period_check


@dataclass(frozen=True)
class Entry:
    """One form, for one reporting unit and one period, as seen by one user."""

    form: ReportForm
    unit: OrgUnit
    period: Period
    roles: frozenset[str]  # the user's roles on the unit (administrators hold all)

    @property
    def can_enter(self) -> bool:
        return Role.REPORTER in self.roles

    @property
    def can_approve(self) -> bool:
        return Role.APPROVER in self.roles

    def submission(self) -> Submission | None:
        return Submission.objects.filter(form=self.form, orgunit=self.unit, period=self.period.id).first()


def entry_or_404(user, form_id: int, unit_code: str, period_id: str, *roles: str) -> Entry:
    """The entry if the user holds one of `roles` (default: any reading role) on a unit that reports the form,
    and the period is of the form's type. Anything else is 404, so another unit's data does not even show
    that it exists."""
    form = get_object_or_404(ReportForm, pk=form_id, active=True)
    try:
        unit = units_in_scope(user, *roles).get(code=unit_code, report_forms=form)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc
    try:
        period = period_check(form, period_id)
    except ValidationError as exc:
        raise Http404 from exc
    return Entry(form=form, unit=unit, period=period, roles=frozenset(roles_on(user, unit)))


# --- worklists ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportTask:
    """A report waiting for its unit's reporters: due, late (its deadline passed unreported) or returned."""

    DUE = "due"
    LATE = "late"
    RETURNED = "returned"

    kind: str
    form: ReportForm
    unit: OrgUnit
    period: Period
    deadline: datetime.date  # the unit's deadline in force: the form's, or the approver's new one for a returned report
    today: datetime.date
    submission: Submission | None = None

    @property
    def url(self) -> str:
        return reverse("reporting:entry", args=[self.form.pk, self.unit.code, self.period.id])

    @property
    def days_left(self) -> int:
        """Days to the deadline (0 on the day itself); negative once it has passed."""
        return (self.deadline - self.today).days

    @property
    def days_late(self) -> int:
        return -self.days_left

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def is_draft(self) -> bool:
        return self.submission is not None and self.submission.status == Submission.Status.DRAFT


def reports_to_make(units: QuerySet[OrgUnit], today: datetime.date | None = None) -> list[ReportTask]:
    """What the reporters of `units` must send: each active form's current period (period_to_report) that a unit
    has not reported (the completeness rule) — late once its deadline has passed, due before — and every returned
    report, of any period, with the approver's reason and new deadline. Late first, then the nearest deadline.

    Four queries whatever the number of forms and units (forms, returned reports, the forms' units, submissions),
    one more when a form's deadline counts working days (holidays)."""
    today = today or local_today()
    forms = list(ReportForm.objects.filter(active=True, units__in=units).distinct().order_by("code"))
    pairs = [(form, period_to_report(form, today)) for form in forms]
    returned = [(s, Period.parse(s.period)) for s in Submission.objects.filter(
        status=Submission.Status.RETURNED, orgunit__in=units, form__active=True).select_related("form", "orgunit")]
    holidays = holidays_for(forms + [s.form for s, _p in returned], [p for _f, p in pairs] + [p for _s, p in returned])
    tasks = []
    for result in completeness_of(pairs, units, today, holidays):
        for row in result.not_reported:
            if row.state != State.RETURNED:  # returned reports are listed below, whatever their period
                kind = ReportTask.LATE if row.overdue else ReportTask.DUE
                tasks.append(ReportTask(kind, result.form, row.unit, result.period, result.deadline, today,
                                        row.submission))
    for submission, period in returned:
        deadline = submission.deadline_in_force(submission.form.deadline_rule.deadline_for(period, holidays))
        tasks.append(ReportTask(ReportTask.RETURNED, submission.form, submission.orgunit, period, deadline, today,
                                submission))
    tasks.sort(key=lambda t: (not t.late, t.deadline, t.form.code, t.unit.search_name))
    return tasks


def reports_to_approve(units: QuerySet[OrgUnit]) -> QuerySet[Submission]:
    """Reports of `units` submitted and waiting for an approver, the longest waiting first."""
    return (Submission.objects.filter(status=Submission.Status.SUBMITTED, orgunit__in=units, form__active=True)
            .order_by("submitted_at", "id"))
