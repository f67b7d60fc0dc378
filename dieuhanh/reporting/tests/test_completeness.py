"""Completeness of a form for a period, against a hand-built set of units and submissions.

Form 01/BC-VT is due on the 15th of the period's month; for March 2026 the deadline is 15/03/2026.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dieuhanh.lib.periods import Period
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.completeness import (
    State,
    completeness,
    completeness_of,
    period_to_report,
    recent_periods,
)
from dieuhanh.reporting.models import Holiday, ReportForm, Submission

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = "202603"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    """A moment in Vietnam's local time."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=HCM)


def commune(province, code):
    return orgunit_create(code=code, name=f"Xã {code}", kind=OrgUnit.Kind.COMMUNE, parent=province)


def report(form, unit, status, submitted_at=None, user=None, period=MARCH):
    return Submission.objects.create(form=form, orgunit=unit, period=period, status=status,
                                     submitted_at=submitted_at, updated_by=user)


@pytest.fixture
def hand_built(monthly_form, province, commune_a, commune_b, reporter_a):
    """Eight units must report; one outside the form and one that ended before March do not count."""
    S = Submission.Status
    units = {code: commune(province, code) for code in ("C", "D", "E", "F", "G", "H")}
    monthly_form.units.add(*units.values())
    # On the deadline day, late in the evening, Hanoi time (still the 15th in UTC too).
    report(monthly_form, commune_a, S.SUBMITTED, at(15, 23, 30), user=reporter_a)
    # The day after the deadline, shortly after midnight in Hanoi: the 15th in UTC, but late.
    report(monthly_form, commune_b, S.SUBMITTED, at(16, 0, 5))
    report(monthly_form, units["C"], S.APPROVED, at(10, 9))
    report(monthly_form, units["D"], S.RETURNED, at(12, 9))
    report(monthly_form, units["E"], S.DRAFT)
    # F has not started.
    report(monthly_form, units["G"], S.APPROVED, at(20, 9))
    report(monthly_form, units["H"], S.SUBMITTED, at(14, 8))
    report(monthly_form, units["H"], S.DRAFT, period="202602")  # another period does not count
    outside = commune(province, "NOT-ON-FORM")
    report(monthly_form, outside, S.SUBMITTED, at(1, 8))
    ended = orgunit_create(code="ENDED", name="Xã cũ", kind=OrgUnit.Kind.COMMUNE, parent=province,
                           valid_to=datetime.date(2026, 2, 28))
    monthly_form.units.add(ended)
    return {"A": commune_a, "B": commune_b, **units}


def test_it_gives_each_unit_its_state(hand_built, monthly_form):
    result = completeness(monthly_form, MARCH, today=datetime.date(2026, 3, 20))
    states = {row.unit.code: row.state for row in result.rows}
    assert states == {
        "XA-A": State.SUBMITTED_ON_TIME,
        "XA-B": State.SUBMITTED_LATE,
        "C": State.APPROVED,
        "D": State.RETURNED,
        "E": State.DRAFT,
        "F": State.NOT_STARTED,
        "G": State.APPROVED,
        "H": State.SUBMITTED_ON_TIME,
    }
    on_time = {row.unit.code: row.on_time for row in result.rows}
    assert on_time == {"XA-A": True, "XA-B": False, "C": True, "D": None, "E": None, "F": None, "G": False,
                       "H": True}


def test_it_counts_the_deadline_day_as_on_time_in_local_time(hand_built, monthly_form):
    result = completeness(monthly_form, Period.parse(MARCH), today=datetime.date(2026, 3, 20))
    assert result.deadline == datetime.date(2026, 3, 15)
    rows = {row.unit.code: row for row in result.rows}
    # 16/03 00:05 in Hanoi is 15/03 17:05 UTC: a UTC comparison would wrongly call it on time.
    assert rows["XA-B"].submitted_at.astimezone(datetime.UTC).day == 15
    assert rows["XA-B"].state == State.SUBMITTED_LATE
    assert rows["XA-A"].submitted_at == at(15, 23, 30)
    assert rows["XA-A"].last_change_by.username == "reporter_a"
    assert rows["F"].submitted_at is None and rows["F"].submission is None
    assert rows["D"].submitted_at is None  # a returned report is not a report the unit has sent


def test_it_totals_reported_on_time_and_overdue(hand_built, monthly_form):
    result = completeness(monthly_form, MARCH, today=datetime.date(2026, 3, 20))
    assert result.expected == 8
    assert result.reported == 5  # A, B, C, G, H
    assert result.on_time == 3  # A, C, H
    assert result.on_time_rate == Decimal("37.5")
    assert result.reported_rate == Decimal("62.5")
    assert result.overdue == 3  # D (returned), E (draft), F (not started)
    assert {row.unit.code for row in result.rows if row.overdue} == {"D", "E", "F"}
    counts = result.counts
    assert counts[State.APPROVED] == 2 and counts[State.NOT_STARTED] == 1 and counts[State.SUBMITTED_LATE] == 1
    assert sum(counts.values()) == 8


def test_nothing_is_overdue_on_the_deadline_day(hand_built, monthly_form):
    result = completeness(monthly_form, MARCH, today=datetime.date(2026, 3, 15))
    assert result.overdue == 0 and not result.deadline_passed
    assert completeness(monthly_form, MARCH, today=datetime.date(2026, 3, 16)).overdue == 3


def test_it_limits_the_rows_to_the_viewers_units(hand_built, monthly_form, commune_b):
    result = completeness(monthly_form, MARCH, units=OrgUnit.objects.filter(pk=commune_b.pk),
                          today=datetime.date(2026, 3, 20))
    assert [row.unit.code for row in result.rows] == ["XA-B"]
    assert result.expected == 1 and result.on_time_rate == Decimal("0.0")


def test_the_rate_is_none_when_nobody_must_report(monthly_form):
    result = completeness(monthly_form, MARCH, units=OrgUnit.objects.none())
    assert result.expected == 0 and result.on_time_rate is None and result.reported == 0


def test_it_moves_a_working_day_deadline_past_holidays(province, commune_a):
    form = ReportForm.objects.create(code="Q", name="Quý", period_type="quarter",
                                     deadline_kind=ReportForm.DeadlineKind.WORKING_DAYS, deadline_working_days=2)
    form.units.add(commune_a)
    period = Period.parse("2026Q1")  # cut-off Saturday 14/03/2026
    assert completeness(form, period).deadline == datetime.date(2026, 3, 17)
    Holiday.objects.create(date=datetime.date(2026, 3, 16), name="Nghỉ bù")
    assert completeness(form, period).deadline == datetime.date(2026, 3, 18)


def test_it_takes_a_few_queries_for_a_hundred_units(monthly_form, province, django_assert_num_queries):
    units = [commune(province, f"U{i:03d}") for i in range(100)]
    monthly_form.units.add(*units)
    for unit in units[::2]:
        report(monthly_form, unit, Submission.Status.SUBMITTED, at(14, 10))
    with django_assert_num_queries(2):  # the units, the submissions (a day-of-month deadline needs no holidays)
        result = completeness(monthly_form, MARCH, today=datetime.date(2026, 3, 20))
        assert [row.last_change_by for row in result.rows]
    assert result.expected == 102 and result.on_time == 50


def test_several_forms_and_periods_at_once_take_the_same_few_queries(monthly_form, province, commune_a, commune_b,
                                                                     django_assert_num_queries):
    quarterly = ReportForm.objects.create(code="Q", name="Quý", period_type="quarter", deadline_day=6,
                                          deadline_kind=ReportForm.DeadlineKind.WORKING_DAYS, deadline_working_days=3)
    quarterly.units.set([commune_b])
    report(monthly_form, commune_a, Submission.Status.SUBMITTED, at(14, 10))
    report(monthly_form, commune_b, Submission.Status.SUBMITTED, at(16, 10), period="202602")
    report(quarterly, commune_b, Submission.Status.APPROVED, at(17, 10), period="2026Q1")
    pairs = [(monthly_form, Period.parse(MARCH)), (monthly_form, Period.parse("202602")),
             (quarterly, Period.parse("2026Q1"))]
    with django_assert_num_queries(3):  # holidays (a working-days deadline), units, submissions
        results = completeness_of(pairs, today=datetime.date(2026, 4, 20))
    assert [[(r.unit.code, r.state) for r in result.rows] for result in results] == [
        [(commune_b.code, State.NOT_STARTED), (commune_a.code, State.SUBMITTED_ON_TIME)],
        [(commune_b.code, State.SUBMITTED_LATE), (commune_a.code, State.NOT_STARTED)],
        [(commune_b.code, State.APPROVED)],
    ]
    for (form, period), result in zip(pairs, results, strict=True):
        assert [(r.unit, r.state) for r in result.rows] == [
            (r.unit, r.state) for r in completeness(form, period, today=datetime.date(2026, 4, 20)).rows]


def test_the_period_to_report_is_the_latest_whose_cutoff_has_passed(monthly_form):
    # Cut-off of November is 14/11: from 15/11 November is being reported.
    assert period_to_report(monthly_form, datetime.date(2026, 11, 14)).id == "202610"
    assert period_to_report(monthly_form, datetime.date(2026, 11, 15)).id == "202611"
    assert period_to_report(monthly_form, datetime.date(2026, 12, 10)).id == "202611"
    assert period_to_report(monthly_form, datetime.date(2027, 1, 3)).id == "202612"


def test_a_report_due_before_its_cutoff_is_shown_from_the_deadlines_month(province):
    annual = ReportForm.objects.create(code="N", name="Năm", period_type="year", deadline_day=25,
                                       deadline_month_offset=-1)  # by 25/11, cut-off 14/12
    assert period_to_report(annual, datetime.date(2026, 10, 31)).id == "2025"
    assert period_to_report(annual, datetime.date(2026, 11, 1)).id == "2026"
    assert period_to_report(annual, datetime.date(2026, 12, 31)).id == "2026"
    quarterly = ReportForm.objects.create(code="Q", name="Quý", period_type="quarter", deadline_day=6)
    assert period_to_report(quarterly, datetime.date(2026, 8, 31)).id == "2026Q2"
    assert period_to_report(quarterly, datetime.date(2026, 9, 1)).id == "2026Q3"


def test_it_walks_to_the_next_and_previous_periods():
    assert Period.parse("202612").next().id == "202701"
    assert Period.parse("2026Q2").next().id == "2026Q3"
    assert Period.parse("2026S2").next().id == "2027S1"
    assert Period.parse("2026N9").next().id == "2027N9"
    assert [p.id for p in recent_periods(Period.parse("202602"), 3)] == ["202602", "202601", "202512"]
