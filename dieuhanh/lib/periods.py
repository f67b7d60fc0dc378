"""Reporting periods, their Decree 09/2019 cut-off windows, and per-form submission deadlines.

Period ids follow DHIS2 where it has one: month `202603`, quarter `2026Q1`, six months `2026S1`/`2026S2`,
year `2026`. DHIS2 has no nine-month period; we use `2026N9` ("9 tháng năm 2026", cumulative Jan–Sep).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodType(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    SIX_MONTHS = "six_months"
    NINE_MONTHS = "nine_months"
    YEAR = "year"

    @property
    def label(self) -> str:
        return str(PERIOD_TYPE_LABELS[self])


PERIOD_TYPE_LABELS = {
    PeriodType.MONTH: gettext_lazy("Month"),
    PeriodType.QUARTER: gettext_lazy("Quarter"),
    PeriodType.SIX_MONTHS: gettext_lazy("Six months"),
    PeriodType.NINE_MONTHS: gettext_lazy("Nine months"),
    PeriodType.YEAR: gettext_lazy("Year"),
}

_PATTERNS = [
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), PeriodType.MONTH),
    (re.compile(r"^(\d{4})Q([1-4])$"), PeriodType.QUARTER),
    (re.compile(r"^(\d{4})S([12])$"), PeriodType.SIX_MONTHS),
    (re.compile(r"^(\d{4})N(9)$"), PeriodType.NINE_MONTHS),
    (re.compile(r"^(\d{4})()$"), PeriodType.YEAR),
]


class PeriodError(ValueError):
    pass


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A calendar reporting period. `index`: month 1–12, quarter 1–4, half 1–2, 9 for nine months, 1 for year."""

    year: int
    type: PeriodType
    index: int = 1

    # --- identity -------------------------------------------------------------------------------------------
    @classmethod
    def parse(cls, period_id: str) -> Period:
        text = (period_id or "").strip().upper()
        for pattern, ptype in _PATTERNS:
            m = pattern.match(text)
            if m:
                year = int(m.group(1))
                if not 1900 <= year <= 2999:
                    break
                index = int(m.group(2)) if m.group(2) else 1
                return cls(year, ptype, index)
        raise PeriodError(
            _("'%(id)s' is not a period (examples: 202603, 2026Q1, 2026S1, 2026N9, 2026)") % {"id": period_id}
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, PeriodType.MONTH, month)

    @classmethod
    def containing(cls, ptype: PeriodType | str, day: datetime.date) -> Period:
        """The period of `ptype` whose calendar span contains `day` (nine months: Jan–Sep only)."""
        ptype = PeriodType(ptype)
        m = day.month
        if ptype == PeriodType.MONTH:
            return cls(day.year, ptype, m)
        if ptype == PeriodType.QUARTER:
            return cls(day.year, ptype, (m - 1) // 3 + 1)
        if ptype == PeriodType.SIX_MONTHS:
            return cls(day.year, ptype, 1 if m <= 6 else 2)
        if ptype == PeriodType.NINE_MONTHS:
            return cls(day.year, ptype, 9)
        return cls(day.year, ptype, 1)

    @cached_property  # read thousands of times per page by the analytics; the instance is frozen
    def id(self) -> str:
        match self.type:
            case PeriodType.MONTH:
                return f"{self.year}{self.index:02d}"
            case PeriodType.QUARTER:
                return f"{self.year}Q{self.index}"
            case PeriodType.SIX_MONTHS:
                return f"{self.year}S{self.index}"
            case PeriodType.NINE_MONTHS:
                return f"{self.year}N9"
        return str(self.year)

    def __str__(self) -> str:
        return self.id

    @property
    def label(self) -> str:
        """Vietnamese by default: "Tháng 3/2026", "Quý I/2026", "6 tháng đầu năm 2026", "Năm 2026"."""
        y = self.year
        match self.type:
            case PeriodType.MONTH:
                return _("Month %(m)d/%(y)d") % {"m": self.index, "y": y}
            case PeriodType.QUARTER:
                return _("Quarter %(q)s/%(y)d") % {"q": ROMAN[self.index], "y": y}
            case PeriodType.SIX_MONTHS:
                if self.index == 1:
                    return _("First six months of %(y)d") % {"y": y}
                return _("Last six months of %(y)d") % {"y": y}
            case PeriodType.NINE_MONTHS:
                return _("Nine months of %(y)d") % {"y": y}
        return _("Year %(y)d") % {"y": y}

    # --- calendar span ----------------------------------------------------------------------------------------
    @property
    def first_month(self) -> int:
        match self.type:
            case PeriodType.MONTH:
                return self.index
            case PeriodType.QUARTER:
                return (self.index - 1) * 3 + 1
            case PeriodType.SIX_MONTHS:
                return 1 if self.index == 1 else 7
        return 1

    @property
    def last_month(self) -> int:
        match self.type:
            case PeriodType.MONTH:
                return self.index
            case PeriodType.QUARTER:
                return self.index * 3
            case PeriodType.SIX_MONTHS:
                return 6 if self.index == 1 else 12
            case PeriodType.NINE_MONTHS:
                return 9
        return 12

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return _month_end(self.year, self.last_month)

    def months(self) -> list[Period]:
        return [Period.month(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    # --- neighbours -----------------------------------------------------------------------------------------
    def previous(self) -> Period:
        """The period just before, of the same type (for nine months and years: the year before)."""
        if self.type == PeriodType.MONTH:
            y, m = _shift_month(self.year, self.index, -1)
            return Period.month(y, m)
        per_year = {PeriodType.QUARTER: 4, PeriodType.SIX_MONTHS: 2}.get(self.type)
        if per_year is None:
            return Period(self.year - 1, self.type, self.index)
        if self.index > 1:
            return Period(self.year, self.type, self.index - 1)
        return Period(self.year - 1, self.type, per_year)

    def next(self) -> Period:
        """The period just after, of the same type (for nine months and years: the year after)."""
        if self.type in (PeriodType.NINE_MONTHS, PeriodType.YEAR):
            return Period(self.year + 1, self.type, self.index)
        return Period.containing(self.type, self.end + datetime.timedelta(days=1))

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.type, self.index)

    # --- Decree 09/2019 Article 12 ------------------------------------------------------------------------
    def window(self) -> tuple[datetime.date, datetime.date]:
        """The data cut-off window: from the 15th of the month before the period to the 14th of its last month.

        Six months and years start on 15/12 of the previous year, except the last six months (15/6 → 14/12);
        the nine-month window (15/12 → 14/9) is provincial practice, not in the Decree.
        """
        first_month = self.first_month
        if self.type == PeriodType.SIX_MONTHS and self.index == 2:
            first_month = 7
        y, m = _shift_month(self.year, first_month, -1)
        return datetime.date(y, m, 15), datetime.date(self.year, self.last_month, 14)

    @property
    def cutoff(self) -> datetime.date:
        return self.window()[1]


def parse_period(period_id: str) -> Period:
    return Period.parse(period_id)


def periods_of_year(ptype: PeriodType | str, year: int) -> list[Period]:
    ptype = PeriodType(ptype)
    count = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.SIX_MONTHS: 2}.get(ptype)
    if count:
        return [Period(year, ptype, i) for i in range(1, count + 1)]
    return [Period(year, ptype, 9 if ptype == PeriodType.NINE_MONTHS else 1)]


# --- working days and deadlines ---------------------------------------------------------------------------------
def is_working_day(day: datetime.date, holidays: Iterable[datetime.date] = ()) -> bool:
    return day.weekday() < 5 and day not in set(holidays)


def add_working_days(day: datetime.date, count: int, holidays: Iterable[datetime.date] = ()) -> datetime.date:
    """The `count`-th working day after `day` (`day` itself not counted)."""
    off = set(holidays)
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current, off):
            remaining -= 1
    return current


@dataclass(frozen=True)
class DeadlineRule:
    """When a form's report for a period is due.

    - `day_of_month`: day `day` of the month `month_offset` months after the period's last month
      (ICT sector, TT 02/2023: monthly by the 15th → (15, 0); quarterly by the 6th of the quarter's last
      month → (6, 0); six months by 6/6 → (6, 0); annual by 25/11 → (25, -1)).
    - `working_days_after_cutoff`: `working_days` working days after the cut-off date (weekends and
      holidays skipped).
    """

    kind: str = "day_of_month"
    day: int = 15
    month_offset: int = 0
    working_days: int = 1

    def deadline_for(self, period: Period, holidays: Iterable[datetime.date] = ()) -> datetime.date:
        if self.kind == "working_days_after_cutoff":
            return add_working_days(period.cutoff, self.working_days, holidays)
        y, m = _shift_month(period.year, period.last_month, self.month_offset)
        return datetime.date(y, m, min(self.day, calendar.monthrange(y, m)[1]))

    def describe(self) -> str:
        """The rule as officials say it: "by day 25 of the month before the period's last month"."""
        if self.kind == "working_days_after_cutoff":
            return ngettext(
                "%(n)d working day after the cut-off", "%(n)d working days after the cut-off", self.working_days
            ) % {"n": self.working_days}
        values = {"d": self.day, "n": abs(self.month_offset)}
        if self.month_offset == 0:
            return _("by day %(d)d of the period's last month") % values
        if self.month_offset == -1:
            return _("by day %(d)d of the month before the period's last month") % values
        if self.month_offset == 1:
            return _("by day %(d)d of the month after the period") % values
        if self.month_offset < 0:
            return _("by day %(d)d, %(n)d months before the period's last month") % values
        return _("by day %(d)d, %(n)d months after the period's last month") % values
