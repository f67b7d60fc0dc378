"""Date inputs typed and shown dd/mm/yyyy, whatever the browser's language.

A browser's own date input (`type="date"`) shows and takes dates in the browser's language (12/31/2026 in an
English Chromium), so every date field is a text input holding 31/12/2026: the server parses it, and
`static/js/dates.js` adds flatpickr's calendar in Vietnamese. Without JavaScript the text input still works.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

# dd/mm/yyyy first (what the field shows), the other ways Vietnamese officials write a date, and ISO for links
# and bookmarks made before the fields were text (?on=2026-12-31).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_DISPLAY_FORMAT = "%d/%m/%Y"


class DateInput(forms.DateInput):
    """A text input showing dd/mm/yyyy, marked for the date picker."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"data-date-input": "", "placeholder": _("dd/mm/yyyy"), "autocomplete": "off", "maxlength": "10"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_DISPLAY_FORMAT)

    def format_value(self, value):
        # A bound form shows what was typed; a date typed another accepted way (or an ISO link) shows as 31/12/2026.
        if isinstance(value, str):
            parsed = parse_date(value)
            return parsed.strftime(DATE_DISPLAY_FORMAT) if parsed else value
        return super().format_value(value)


def parse_date(text: str) -> datetime.date | None:
    """The date in `text` written any accepted way, or None."""
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DateInput(), help_text=help_text,
        error_messages={"invalid": _("Enter a date like 31/12/2026.")},
    )
