"""Vietnamese number parsing and formatting, and diacritic-free text search keys.

Officials type numbers the Vietnamese way ("1.762,38") or the plain way ("1762.38"). When a single separator
is followed by exactly three digits ("1.762") it could be either, so it is rejected with a message — unless
the cell takes whole numbers, where a dot can only be a thousands separator ("2.060" is 2060). A comma there
("1,234") is refused all the same: to a Vietnamese reader it is 1 point 234, not a whole number.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.utils.translation import gettext as _


class NumberFormatError(ValueError):
    """A number the user typed that cannot be read; `str(err)` is the message to show."""


# The shapes most cells have ("1762.38", "1762,38", "2000", "1.762,38"), read without the general rules below;
# each gives what those rules give. [0-9], not \d: other scripts' digits go the long way and are refused there.
_FAST = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?|([0-9]{1,3}(?:\.[0-9]{3})+),([0-9]+)")


def _grouped(digits: str, sep: str) -> bool:
    return re.fullmatch(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", digits) is not None


def parse_number(text: object, *, integer: bool = False) -> Decimal | None:
    """Read a number typed by a person. Blank → None. Raises NumberFormatError saying why."""
    if type(text) is str:
        fast = _FAST.fullmatch(text)
        if fast is not None:
            whole, frac, grouped, decimals = fast.groups()
            if frac is None and grouped is None:
                return Decimal(text)
            # "1.762" may be a thousands group, and whole numbers refuse fractions: both take the long way.
            if integer:
                pass
            elif grouped is not None:
                return Decimal(f"{grouped.replace('.', '')}.{decimals}")
            elif len(frac) != 3 or len(whole) > 3 or whole[0] == "0":
                return Decimal(f"{whole}.{frac}")
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberFormatError(_("'%(v)s' is not a number") % {"v": text})
    if isinstance(text, int | Decimal | float):
        value = Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
        if not value.is_finite():  # NaN or infinity from a spreadsheet formula is not a figure
            raise NumberFormatError(_("'%(v)s' is not a number") % {"v": text})
        if integer and value != value.to_integral_value():
            raise NumberFormatError(_("'%(v)s' is not a whole number") % {"v": text})
        return value
    raw = str(text)
    s = raw.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not s:
        return None
    s = s.rstrip("%").strip()
    sign = ""
    if s and s[0] in "+-−":
        sign = "-" if s[0] in "-−" else ""
        s = s[1:].strip()
    s = s.replace(" ", "")
    if not s or not re.fullmatch(r"[0-9.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        raise NumberFormatError(_("'%(v)s' is not a number") % {"v": raw.strip()})
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal_sep = "." if s.rfind(".") > s.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _sep, frac = s.rpartition(decimal_sep)
        if s.count(decimal_sep) > 1 or not _grouped(whole, group_sep):
            raise NumberFormatError(
                _("'%(v)s' mixes '.' and ',' in a way that is not a number") % {"v": raw.strip()}
            )
        normal = whole.replace(group_sep, "") + "." + frac
    elif dots + commas == 0:
        normal = s
    else:
        sep = "." if dots else ","
        if dots + commas > 1:
            if not _grouped(s, sep):
                raise NumberFormatError(_("'%(v)s' is not a number") % {"v": raw.strip()})
            normal = s.replace(sep, "")
        else:
            whole, _sep, frac = s.partition(sep)
            # Only "1.762"-like input can be a thousands group: 1-3 digits, no leading zero, before it.
            if len(frac) == 3 and len(whole) <= 3 and not whole.startswith("0"):
                if integer and sep == ",":
                    # A Vietnamese reader sees "1,234" as 1 point 234; taking it as 1234 would store a figure
                    # a thousand times what the colleague who reads it back thinks was typed.
                    raise NumberFormatError(
                        _(
                            "'%(v)s' has a decimal comma, but this cell takes whole numbers: write %(dotted)s or "
                            "%(plain)s"
                        )
                        % {"v": raw.strip(), "dotted": f"{sign}{whole}.{frac}", "plain": f"{sign}{whole}{frac}"}
                    )
                if integer:
                    normal = whole + frac
                else:
                    raise NumberFormatError(
                        _(
                            "'%(v)s' is ambiguous: write %(whole)s if it is a whole number, or %(dec)s if it has "
                            "a decimal part"
                        )
                        % {"v": raw.strip(), "whole": f"{whole}{frac}", "dec": f"{whole},{frac}"}
                    )
            else:
                normal = whole + "." + frac
    try:
        value = Decimal(sign + normal)
    except InvalidOperation as exc:  # pragma: no cover - the checks above leave only valid literals
        raise NumberFormatError(_("'%(v)s' is not a number") % {"v": raw.strip()}) from exc
    if integer and value != value.to_integral_value():
        raise NumberFormatError(_("'%(v)s' is not a whole number") % {"v": raw.strip()})
    return value


_FORMAT_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=32)
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def format_number(value: Decimal | int | float | None, decimals: int = 2, *, trim: bool = False) -> str:
    """Vietnamese grouping: 1762.38 → "1.762,38". `trim` drops trailing zeros of the fraction."""
    if value is None:
        return ""
    # A float goes through its shortest repr, so 1762.385 rounds as typed (not as 1762.38499999…);
    # half-up is how officials and statistics offices round ("2,5" → "3").
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return ""
    decimals = max(decimals, 0)
    precision = number.adjusted() + decimals + 2
    # One shared context for the usual sizes (a pivot formats thousands of figures); large totals get their own.
    context = _FORMAT_CONTEXT if precision <= _FORMAT_CONTEXT.prec else Context(prec=precision, rounding=ROUND_HALF_UP)
    q = number.quantize(_quantum(decimals), context=context)
    if q == 0:
        q = abs(q)  # no "-0,00"
    text = f"{q:,.{decimals}f}"
    whole, _sep, frac = text.partition(".")
    if trim and frac:
        frac = frac.rstrip("0")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if frac else whole


def fold(text: str) -> str:
    """Lower-case text without diacritics ("Tây Ninh" → "tay ninh", "Đắk Lắk" → "dak lak") for search."""
    text = (text or "").replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


NO_RATE = "—"


def format_percent(value: Decimal | int | float | None, decimals: int = 1) -> str:
    """A rate or a share as every page and export writes it: "85,3%" — one decimal, Vietnamese comma, no space
    before the sign — so the overview, the scorecard and the completeness pages read the same figure the same
    way. None (nothing fell due, nobody had to report) is "—", not "0%"."""
    if value is None:
        return NO_RATE
    text = format_number(value, decimals)
    return f"{text}%" if text else NO_RATE


_ROMAN_DIGITS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """Roman numeral for 1–3999 ("Phụ lục IV", section "III."), as official documents number annexes and parts."""
    if not 1 <= number <= 3999:
        raise ValueError(f"no Roman numeral for {number}")
    out = []
    for value, letters in _ROMAN_DIGITS:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)
