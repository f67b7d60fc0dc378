"""Rates and shares read the same on every page: "85,3%"."""

from decimal import Decimal

import pytest

from dieuhanh.lib.vnformat import format_percent


@pytest.mark.parametrize("value, expected", [
    (Decimal("85.3"), "85,3%"),
    (Decimal("85"), "85,0%"),  # one decimal always, so a column of rates lines up
    (Decimal("100"), "100,0%"),
    (Decimal("0"), "0,0%"),
    (Decimal("98.55"), "98,6%"),  # half up, as statistics offices round
    (Decimal("1234.5"), "1.234,5%"),
    (58.25, "58,3%"),  # a float rounds as written, not as 58.2499…
    (7, "7,0%"),
    (Decimal("-18.14"), "-18,1%"),
])
def test_it_writes_one_decimal_with_a_vietnamese_comma(value, expected):
    assert format_percent(value) == expected


def test_it_writes_a_dash_when_there_is_no_rate():
    assert format_percent(None) == "—"
    assert format_percent(float("nan")) == "—"


def test_it_takes_other_precisions():
    assert format_percent(Decimal("85.333"), 2) == "85,33%"
    assert format_percent(Decimal("85.6"), 0) == "86%"
