"""Dates as officials write them, 31/12/2026, wherever Django formats or parses one without being told how (the
admin's lists and date fields, `{{ date }}` in a template). Django's own Vietnamese formats write "Ngày 31
tháng 12 năm 2026" and leave input to the ISO default."""

from dieuhanh.lib.dates import DATE_INPUT_FORMATS as _DATES

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"\T\há\n\g n/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = _DATES
DATETIME_INPUT_FORMATS = [f"{d} %H:%M:%S" for d in _DATES] + [f"{d} %H:%M" for d in _DATES] + _DATES
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
