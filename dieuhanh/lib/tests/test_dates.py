"""Dates typed the Vietnamese way: parsed from every accepted writing, shown back as 31/12/2026."""

import datetime

import pytest
from django import forms

from dieuhanh.lib.dates import DateInput, date_field, parse_date


@pytest.mark.parametrize("text", ["31/12/2026", "31-12-2026", "31.12.2026", "2026-12-31", " 31/12/2026 "])
def test_it_reads_every_accepted_writing(text):
    assert parse_date(text) == datetime.date(2026, 12, 31)


@pytest.mark.parametrize("text", ["12/31/2026", "31/02/2026", "31/12/26", "", "hôm nay"])
def test_it_refuses_what_is_not_a_day_month_year_date(text):
    assert parse_date(text) is None


class Form(forms.Form):
    day = date_field("Ngày")


def test_the_field_shows_dd_mm_yyyy_and_says_what_to_type():
    assert 'value="05/03/2026"' in str(Form(initial={"day": datetime.date(2026, 3, 5)})["day"])
    assert 'value="05/03/2026"' in str(Form({"day": "2026-03-05"})["day"])  # an ISO link shows the Vietnamese way
    assert 'type="text"' in str(Form()["day"]) and "data-date-input" in str(Form()["day"])
    form = Form({"day": "03/31/2026"})  # month and day swapped, as an English browser would write it
    assert not form.is_valid() and form.errors["day"] == ["Nhập ngày theo dạng 31/12/2026."]
    assert 'value="03/31/2026"' in str(form["day"])  # what was typed stays, beside the message
    short = Form({"day": "5/3/2026"})
    assert short.is_valid() and short.cleaned_data["day"] == datetime.date(2026, 3, 5)


def test_the_widget_keeps_a_date_object_format():
    assert DateInput().format_value(datetime.date(2026, 1, 2)) == "02/01/2026"
