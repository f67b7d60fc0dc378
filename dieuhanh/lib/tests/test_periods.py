import datetime

import pytest
from django.utils import translation

from dieuhanh.lib.periods import (
    DeadlineRule,
    Period,
    PeriodError,
    PeriodType,
    add_working_days,
    is_working_day,
    parse_period,
    periods_of_year,
)

D = datetime.date
ALL_2026 = [p for t in PeriodType for p in periods_of_year(t, 2026)]


def test_it_counts_the_periods_of_a_year():
    assert [len(periods_of_year(t, 2026)) for t in PeriodType] == [12, 4, 2, 1, 1]
    assert len(ALL_2026) == 20


@pytest.mark.parametrize("period", ALL_2026, ids=str)
def test_it_round_trips_every_period_id(period):
    assert parse_period(period.id) == period
    assert parse_period(period.id.lower()) == period
    assert str(period) == period.id


@pytest.mark.parametrize(
    "text,expected",
    [("202603", Period(2026, PeriodType.MONTH, 3)), ("2026Q1", Period(2026, PeriodType.QUARTER, 1)),
     ("2026S2", Period(2026, PeriodType.SIX_MONTHS, 2)), (" 2026n9 ", Period(2026, PeriodType.NINE_MONTHS, 9)),
     ("2026", Period(2026, PeriodType.YEAR, 1))],
)
def test_it_parses_dhis2_style_ids(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "202613", "202600", "2026Q5", "2026S3", "2026N8", "26Q1", "0999", "Q1/2026", None]
)
def test_it_rejects_what_is_not_a_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_it_explains_a_bad_period_in_vietnamese():
    with translation.override("vi"), pytest.raises(PeriodError) as err:
        parse_period("2026Q5")
    assert str(err.value).startswith("'2026Q5' không phải là kỳ báo cáo")


@pytest.mark.parametrize(
    "period_id,vi,en",
    [("202603", "Tháng 3/2026", "Month 3/2026"), ("2026Q1", "Quý I/2026", "Quarter I/2026"),
     ("2026Q4", "Quý IV/2026", "Quarter IV/2026"), ("2026S1", "6 tháng đầu năm 2026", "First six months of 2026"),
     ("2026S2", "6 tháng cuối năm 2026", "Last six months of 2026"),
     ("2026N9", "9 tháng năm 2026", "Nine months of 2026"),
     ("2026", "Năm 2026", "Year 2026")],
)
def test_it_labels_periods_in_vietnamese(period_id, vi, en):
    period = parse_period(period_id)
    with translation.override("vi"):
        assert period.label == vi
    with translation.override("en"):
        assert period.label == en


def test_it_labels_period_types():
    with translation.override("vi"):
        assert [t.label for t in PeriodType] == ["Tháng", "Quý", "6 tháng", "9 tháng", "Năm"]


@pytest.mark.parametrize(
    "period_id,start,end",
    [
        ("202601", D(2025, 12, 15), D(2026, 1, 14)),  # a month window starts in the previous year
        ("202603", D(2026, 2, 15), D(2026, 3, 14)),
        ("202612", D(2026, 11, 15), D(2026, 12, 14)),
        ("2026Q1", D(2025, 12, 15), D(2026, 3, 14)),
        ("2026Q2", D(2026, 3, 15), D(2026, 6, 14)),
        ("2026Q3", D(2026, 6, 15), D(2026, 9, 14)),
        ("2026Q4", D(2026, 9, 15), D(2026, 12, 14)),
        ("2026S1", D(2025, 12, 15), D(2026, 6, 14)),
        ("2026S2", D(2026, 6, 15), D(2026, 12, 14)),
        ("2026N9", D(2025, 12, 15), D(2026, 9, 14)),
        ("2026", D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_it_gives_the_decree_09_cut_off_windows(period_id, start, end):
    period = parse_period(period_id)
    assert period.window() == (start, end)
    assert period.cutoff == end


def test_it_gives_windows_that_tile_the_year_without_gaps():
    for ptype in (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SIX_MONTHS):
        periods = periods_of_year(ptype, 2026)
        for before, after in zip(periods, periods[1:], strict=False):
            assert after.window()[0] == before.window()[1] + datetime.timedelta(days=1)
        assert periods[0].window()[0] == periods[0].previous().window()[1] + datetime.timedelta(days=1)


def test_it_gives_calendar_spans():
    assert (parse_period("202602").start, parse_period("202602").end) == (D(2026, 2, 1), D(2026, 2, 28))
    assert parse_period("202802").end == D(2028, 2, 29)
    assert (parse_period("2026Q3").start, parse_period("2026Q3").end) == (D(2026, 7, 1), D(2026, 9, 30))
    assert [p.id for p in parse_period("2026N9").months()][::4] == ["202601", "202605", "202609"]
    assert Period.containing("quarter", D(2026, 8, 15)).id == "2026Q3"
    assert Period.containing(PeriodType.SIX_MONTHS, D(2026, 7, 1)).id == "2026S2"


@pytest.mark.parametrize(
    "period_id,previous,last_year",
    [("202601", "202512", "202501"), ("202603", "202602", "202503"), ("2026Q1", "2025Q4", "2025Q1"),
     ("2026Q3", "2026Q2", "2025Q3"), ("2026S1", "2025S2", "2025S1"), ("2026S2", "2026S1", "2025S2"),
     ("2026N9", "2025N9", "2025N9"), ("2026", "2025", "2025")],
)
def test_it_steps_back_across_year_boundaries(period_id, previous, last_year):
    period = parse_period(period_id)
    assert period.previous().id == previous
    assert period.same_period_last_year().id == last_year


def test_it_knows_working_days():
    assert is_working_day(D(2026, 3, 13))  # Friday
    assert not is_working_day(D(2026, 3, 14))  # Saturday
    assert not is_working_day(D(2026, 3, 15))  # Sunday
    assert not is_working_day(D(2026, 4, 30), holidays=[D(2026, 4, 30)])
    assert add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 16)  # over a weekend
    assert add_working_days(D(2026, 3, 13), 0) == D(2026, 3, 13)


# ICT sector, TT 02/2023: monthly by the 15th, quarterly by the 6th of the quarter's last month,
# six months by 6/6, annual by 25/11.
@pytest.mark.parametrize(
    "rule,period_id,due",
    [
        (DeadlineRule(day=15), "202603", D(2026, 3, 15)),
        (DeadlineRule(day=6), "2026Q1", D(2026, 3, 6)),
        (DeadlineRule(day=6), "2026Q4", D(2026, 12, 6)),
        (DeadlineRule(day=6), "2026S1", D(2026, 6, 6)),
        (DeadlineRule(day=25, month_offset=-1), "2026", D(2026, 11, 25)),
        (DeadlineRule(day=5, month_offset=1), "202612", D(2027, 1, 5)),  # next month, across the year
        (DeadlineRule(day=10, month_offset=-1), "202601", D(2025, 12, 10)),
        (DeadlineRule(day=31), "202602", D(2026, 2, 28)),  # a short month keeps its last day
    ],
)
def test_it_computes_day_of_month_deadlines(rule, period_id, due):
    assert rule.deadline_for(parse_period(period_id)) == due


def test_it_computes_working_days_after_the_cut_off():
    rule = DeadlineRule(kind="working_days_after_cutoff", working_days=1)
    # Cut-off Saturday 14/03/2026 → Monday 16/03.
    assert rule.deadline_for(parse_period("2026Q1")) == D(2026, 3, 16)
    # Cut-off Tuesday 14/04/2026 → Wednesday 15/04.
    assert rule.deadline_for(parse_period("202604")) == D(2026, 4, 15)
    # A public holiday on the next working day pushes the deadline on.
    assert rule.deadline_for(parse_period("202604"), holidays=[D(2026, 4, 15)]) == D(2026, 4, 16)


def test_it_carries_working_days_over_new_year_and_holidays():
    rule = DeadlineRule(kind="working_days_after_cutoff", working_days=14)
    # Cut-off Monday 14/12/2026; 13 working days take us to Thursday 31/12; 1/1/2027 is a holiday.
    holidays = (d for d in [D(2027, 1, 1)])  # any iterable will do
    assert rule.deadline_for(parse_period("2026"), holidays=holidays) == D(2027, 1, 4)
    assert rule.deadline_for(parse_period("2026")) == D(2027, 1, 1)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (DeadlineRule(day=15), "chậm nhất ngày 15 của tháng cuối kỳ"),
        (DeadlineRule(day=25, month_offset=-1), "chậm nhất ngày 25 của tháng trước tháng cuối kỳ"),
        (DeadlineRule(day=15, month_offset=1), "chậm nhất ngày 15 của tháng sau kỳ báo cáo"),
        (DeadlineRule(day=10, month_offset=-2), "chậm nhất ngày 10 của tháng thứ 2 trước tháng cuối kỳ"),
        (DeadlineRule(day=5, month_offset=3), "chậm nhất ngày 5 của tháng thứ 3 sau kỳ báo cáo"),
        (DeadlineRule(kind="working_days_after_cutoff", working_days=2), "2 ngày làm việc sau ngày chốt số liệu"),
    ],
)
def test_it_describes_rules_in_vietnamese(rule, text):
    with translation.override("vi"):
        assert rule.describe() == text


def test_it_describes_rules_in_english_without_signed_offsets():
    with translation.override("en"):
        assert DeadlineRule(day=25, month_offset=-1).describe() == (
            "by day 25 of the month before the period's last month"
        )
        assert DeadlineRule(day=5, month_offset=2).describe() == "by day 5, 2 months after the period's last month"
        assert DeadlineRule(kind="working_days_after_cutoff", working_days=1).describe() == (
            "1 working day after the cut-off"
        )
