"""Reads for periodic reporting. Every reporting page finds its form, unit and period through
`entry_or_404`, so the access rule (404 for anything outside the user's scope) is written once."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import roles_on, units_in_scope
from dieuhanh.lib.periods import Period
from dieuhanh.orgunits.models import OrgUnit
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
