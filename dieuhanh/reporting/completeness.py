"""Completeness of a form for one period: which units have reported, on time or late, and which are overdue.

This module owns "not reported": a unit that must report the form for the period (one of the form's units, existing
during the period) and whose report has not left it — no report, a draft (whatever figures are typed in it), or a
returned report. Submitted and approved reports are reported. The overview's alert and panel, the indicator page's
list (analytics.queries.freshness), the completeness page and the worklists all read it from here
(`Completeness.not_reported`, `units_not_reported`), so they name the same units on the same day.

Also the choice of the period officials are collecting now (`period_to_report`) and period navigation, which
the form list and the completeness page share.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from dieuhanh.lib.periods import Period, PeriodType, add_working_days, periods_of_year
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.models import Holiday, ReportForm, Submission

# Deadlines are legal dates in Vietnam: a report sent at 23:30 on the deadline day, Hanoi time, is on time,
# whatever time zone the server or the viewer uses.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Status = Submission.Status


class State(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED_ON_TIME = "submitted_on_time"
    SUBMITTED_LATE = "submitted_late"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])

    @property
    def colour(self) -> str:
        """Bootstrap colour of the state's badge."""
        return STATE_COLOURS[self]


STATE_LABELS = {
    State.NOT_STARTED: gettext_lazy("Not started"),
    State.DRAFT: gettext_lazy("Draft"),
    State.SUBMITTED_ON_TIME: gettext_lazy("Submitted on time"),
    State.SUBMITTED_LATE: gettext_lazy("Submitted late"),
    State.APPROVED: pgettext_lazy("report", "Approved"),
    State.RETURNED: gettext_lazy("Returned"),
}
STATE_COLOURS = {
    State.NOT_STARTED: "secondary",
    State.DRAFT: "info",
    State.SUBMITTED_ON_TIME: "primary",
    State.SUBMITTED_LATE: "warning",
    State.APPROVED: "success",
    State.RETURNED: "danger",
}
REPORTED = {State.SUBMITTED_ON_TIME, State.SUBMITTED_LATE, State.APPROVED}
# An approver returning a report gives the unit this many working days to send it again, unless they choose a day.
RESUBMIT_WORKING_DAYS = 5


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(LOCAL_TZ).date()


def local_today() -> datetime.date:
    return local_date(timezone.now())


@dataclass(frozen=True)
class UnitRow:
    """One unit that must report, and where its report stands."""

    unit: OrgUnit
    state: State
    deadline: datetime.date
    submission: Submission | None = None
    # Set once the report is submitted (also for approved reports): on time means by the deadline day, local time.
    on_time: bool | None = None
    overdue: bool = False

    @property
    def reported(self) -> bool:
        """The report has left the unit: submitted (on time or late) or approved."""
        return self.state in REPORTED

    @property
    def resubmit_by(self) -> datetime.date | None:
        """The day a returned report must come back by (the approver's new deadline)."""
        return self.submission.resubmit_by if self.submission and self.state == State.RETURNED else None

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return self.submission.submitted_at if self.submission and self.state in REPORTED else None

    @property
    def last_change_by(self):
        return self.submission.updated_by if self.submission else None

    @property
    def last_change_at(self) -> datetime.datetime | None:
        return self.submission.updated_at if self.submission else None


@dataclass
class Completeness:
    """The rows and their totals.

    - `expected`: units that must report (the form's units in the viewer's scope, existing during the period).
    - `reported`: units whose report is submitted or approved. A returned report does not count: the unit must
      send it again. A reopened (approved, then back to draft) report does not count either until resubmitted.
    - `not_reported`: the other rows (not started, draft, returned) — the one list of units that have not reported.
    - `on_time`: reported units whose (latest) submission is dated on or before the deadline day in
      Asia/Ho_Chi_Minh time (Submission.is_on_time). A report returned and sent again counts with the date it was
      sent again, against the later of the form's deadline and the new deadline the approver set when returning it;
      a report already late when it was returned stays late.
    - `on_time_rate` = on_time ÷ expected, in percent, rounded half-up to one decimal (None when nobody must
      report). Units that have not reported count against the rate, as in the official "tỷ lệ báo cáo đúng hạn".
    - `overdue`: the units that have not reported once the form's deadline day has passed (all of `not_reported`
      then, none before): the leaders' "late reports". A returned report counts among them until it is sent again,
      since its figures are out of every total; the unit itself is late only if it misses its new deadline.
    """

    form: ReportForm
    period: Period
    deadline: datetime.date
    today: datetime.date
    rows: list[UnitRow] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def counts(self) -> dict[State, int]:
        counts = {state: 0 for state in State}
        for row in self.rows:
            counts[row.state] += 1
        return counts

    def count_items(self) -> list[tuple[State, int]]:
        """(state, count) in workflow order, for templates."""
        counts = self.counts
        return [(state, counts[state]) for state in State]

    @property
    def reported(self) -> int:
        return sum(1 for row in self.rows if row.reported)

    @property
    def not_reported(self) -> list[UnitRow]:
        return [row for row in self.rows if not row.reported]

    @property
    def on_time(self) -> int:
        return sum(1 for row in self.rows if row.state in REPORTED and row.on_time)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.deadline

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.on_time, self.expected)

    @property
    def reported_rate(self) -> Decimal | None:
        return _percent(self.reported, self.expected)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def holidays_around(period: Period) -> list[datetime.date]:
    """Holidays that can move a deadline of `period` (it falls within a few months of the period's end)."""
    return list(
        Holiday.objects.filter(
            date__gte=period.start - datetime.timedelta(days=62), date__lte=period.end + datetime.timedelta(days=124)
        ).values_list("date", flat=True)
    )


def deadline_of(form: ReportForm, period: Period, holidays: list[datetime.date] | None = None) -> datetime.date:
    if holidays is None:
        holidays = holidays_around(period)
    return form.deadline_rule.deadline_for(period, holidays)


def resubmit_by_default(today: datetime.date | None = None) -> datetime.date:
    """The new deadline a returned report gets unless the approver chooses one: RESUBMIT_WORKING_DAYS working days
    after `today` (weekends and holidays skipped)."""
    today = today or local_today()
    holidays = Holiday.objects.filter(date__gt=today, date__lte=today + datetime.timedelta(days=60))
    return add_working_days(today, RESUBMIT_WORKING_DAYS, holidays.values_list("date", flat=True))


def exists_during(unit: OrgUnit, period: Period) -> bool:
    """A unit owes a period's report only if it exists during the period: a commune that ended before the period
    began, or starts after it, owes none."""
    return (unit.valid_to is None or unit.valid_to >= period.start) and (
        unit.valid_from is None or unit.valid_from <= period.end)


def _state(submission: Submission | None) -> State:
    if submission is None:
        return State.NOT_STARTED
    if submission.status == Status.APPROVED:
        return State.APPROVED
    if submission.status == Status.RETURNED:
        return State.RETURNED
    if submission.status == Status.SUBMITTED:
        return State.SUBMITTED_ON_TIME  # on time or late is decided against the deadline below
    return State.DRAFT


def _row(unit: OrgUnit, submission: Submission | None, deadline: datetime.date, today: datetime.date) -> UnitRow:
    state = _state(submission)
    on_time = None
    if state in REPORTED and submission.submitted_at is not None:
        on_time = submission.is_on_time(deadline, local_date(submission.submitted_at))
        if state == State.SUBMITTED_ON_TIME and not on_time:
            state = State.SUBMITTED_LATE
    return UnitRow(unit=unit, state=state, deadline=deadline, submission=submission, on_time=on_time,
                   overdue=state not in REPORTED and today > deadline)


def completeness(
    form: ReportForm, period: Period | str, units: QuerySet[OrgUnit] | None = None,
    today: datetime.date | None = None,
) -> Completeness:
    """Where every unit that must report `form` for `period` (within `units`, if given) stands. Three queries
    whatever the number of units (holidays, units, submissions); two when the form's deadline counts no working
    days."""
    if isinstance(period, str):
        period = Period.parse(period)
    return completeness_of([(form, period)], units, today)[0]


def holidays_for(forms: Iterable[ReportForm], periods: Iterable[Period]) -> list[datetime.date]:
    """The holidays that can move the deadlines of `forms` for `periods`: none to read unless a form counts working
    days (one query then)."""
    periods = list(periods)
    if not periods or not any(f.deadline_kind == ReportForm.DeadlineKind.WORKING_DAYS for f in forms):
        return []
    return list(Holiday.objects.filter(
        date__gte=min(p.start for p in periods) - datetime.timedelta(days=62),
        date__lte=max(p.end for p in periods) + datetime.timedelta(days=124),
    ).values_list("date", flat=True))


def completeness_of(
    pairs: Sequence[tuple[ReportForm, Period]], units: QuerySet[OrgUnit] | None = None,
    today: datetime.date | None = None, holidays: list[datetime.date] | None = None,
) -> list[Completeness]:
    """completeness() of several (form, period), in its order, in the same few queries whatever their number (the
    worklists and the menu ask for every form a person reports at once). `holidays`: holidays_for() of the pairs,
    when the caller has them already."""
    if not pairs:
        return []
    today = today or local_today()
    if holidays is None:
        holidays = holidays_for([f for f, _p in pairs], [p for _f, p in pairs])
    links = ReportForm.units.through.objects.filter(reportform__in={form.pk for form, _period in pairs})
    if units is not None:
        links = links.filter(orgunit__in=units.values("pk"))
    units_of: dict[int, list[OrgUnit]] = {}
    for link in links.select_related("orgunit").order_by("orgunit__search_name", "orgunit__code"):
        units_of.setdefault(link.reportform_id, []).append(link.orgunit)
    expected = [[u for u in units_of.get(form.pk, []) if exists_during(u, period)] for form, period in pairs]
    wanted = Q(pk__in=[])
    for (form, period), unit_list in zip(pairs, expected, strict=True):
        if unit_list:
            wanted |= Q(form=form, period=period.id, orgunit__in=[u.pk for u in unit_list])
    submissions = {(s.form_id, s.period, s.orgunit_id): s
                   for s in Submission.objects.filter(wanted).select_related("updated_by")} if any(expected) else {}
    results = []
    for (form, period), unit_list in zip(pairs, expected, strict=True):
        deadline = form.deadline_rule.deadline_for(period, holidays)
        rows = [_row(u, submissions.get((form.pk, period.id, u.pk)), deadline, today) for u in unit_list]
        results.append(Completeness(form=form, period=period, deadline=deadline, today=today, rows=rows))
    return results


def units_not_reported(
    forms: Iterable[ReportForm], period: Period | str, units: QuerySet[OrgUnit] | None = None,
    today: datetime.date | None = None,
) -> list[OrgUnit]:
    """The units (within `units`) that have not reported at least one of `forms` for `period` (see the module
    note), in tree order, each once. Forms of another period type than `period`'s are skipped."""
    if isinstance(period, str):
        period = Period.parse(period)
    found: dict[int, OrgUnit] = {}
    for form in forms:
        if form.period_type != period.type:
            continue
        for row in completeness(form, period, units=units, today=today).not_reported:
            found.setdefault(row.unit.pk, row.unit)
    return sorted(found.values(), key=lambda u: u.path)


# --- which period, and its neighbours ---------------------------------------------------------------------------
def period_to_report(form: ReportForm, today: datetime.date | None = None) -> Period:
    """The period officials are collecting now: the latest period whose report is already due to be made.

    A report can be made from the day after its data cut-off (Decree 09: the 14th of the period's last month),
    so on 20/11 the monthly form shows November (due 15/11): who has not sent it is what a department chases.
    The December report cannot be finished before 14/12, so showing it would list every unit as "not started".
    Some regimes set the deadline before the cut-off (ICT sector: quarterly by the 6th of the quarter's last
    month, annual estimates by 25/11): those reports are prepared in the deadline's month, so such a period is
    shown from the first day of that month (the annual report from 1/11, while it is being written).
    """
    today = today or local_today()
    period = Period.containing(PeriodType(form.period_type), today)
    rule = form.deadline_rule
    for _ in range(60):  # a few steps in practice; bounded so that a strange rule cannot loop
        deadline = rule.deadline_for(period)
        opens = period.cutoff + datetime.timedelta(days=1)
        if deadline < opens:
            opens = deadline.replace(day=1)
        if opens <= today:
            return period
        period = period.previous()
    return period


def recent_periods(period: Period, count: int = 6) -> list[Period]:
    """`period` and the ones before it, newest first (for a period selector)."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def on_time_in_year(unit: OrgUnit, year: int, today: datetime.date | None = None) -> tuple[int, int]:
    """(reports on time, reports owed) of `unit` and the units below it over `year`: every active form they report,
    every period of the form's type in `year` whose deadline day has passed by `today` (a report not yet due
    counts neither way). On time and owed as in `Completeness` (a report not sent counts as owed, not on time), so
    the rate on_time ÷ owed is the official "tỷ lệ báo cáo đúng hạn" of the year (commendation evidence)."""
    today = today or local_today()
    units = OrgUnit.objects.filter(path__startswith=unit.path)
    forms = list(ReportForm.objects.filter(active=True, units__in=units).distinct())
    pairs = [(form, period) for form in forms for period in periods_of_year(form.period_type, year)]
    on_time = owed = 0
    for result in completeness_of(pairs, units, today):
        if result.deadline_passed:
            on_time, owed = on_time + result.on_time, owed + result.expected
    return on_time, owed
