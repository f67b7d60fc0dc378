"""Is a figure plausible against the unit's own history? (issue #10 §4)

A figure far outside what the same unit reported before for the same indicator and value kind — 61 agencies
last month, 2.060 now — is usually a slip (a misplaced separator, a figure typed in the wrong row or unit), but it
may be true (a reorganisation, a new count). So it is not refused: it is flagged, shown to the reporter and the
approver, and the report cannot be submitted until each flagged cell carries a note (`DataValue.comment`)
explaining it.

The rule, in this order:
1. History: the unit's stored values of the same indicator and kind for the up to `HISTORY` (12) latest periods
   of the same type before this one, looked for among the `LOOKBACK` (24) periods before it.
2. With at least `MIN_HISTORY` (4) of them and a median absolute deviation (MAD) above zero: the modified
   z-score of Iglewicz and Hoaglin, z = 0.6745 · (value − median) / MAD, flags |z| > 3.5. Median and MAD, not
   mean and standard deviation, because one earlier slip in the history would otherwise widen the band enough
   to hide the next one; 3.5 is the authors' recommended cut-off. The value must also be at least twice the
   median or at most half of it (`MATERIAL`): on a smooth or trending series the MAD is tiny, and the z-score
   alone flagged changes of 0,4% — 78 cells in 63 of the demo's 730 reports, none of them more than 28% from
   the median. A slip is a factor of 10 or 1000; a unit must not have to explain an ordinary month.
3. Otherwise (a short history, or one so steady that the MAD is zero, such as a count of agencies that never
   changed): the ratio to the latest stored period flags a value ten times it or more, or a tenth of it or less
   (a misplaced thousands separator is a factor of 1000; a real change of that size is rare). A zero or a change
   of sign is not judged by the ratio: no ratio exists, or none means anything.
Targets (kế hoạch) are the province's plan, not the unit's report, and are not judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dieuhanh.indicators.models import DataValue, Indicator, ValueKind
from dieuhanh.lib.periods import Period
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reporting.models import FormRow, Submission

HISTORY = 12
LOOKBACK = 24
MIN_HISTORY = 4
Z_LIMIT = Decimal("3.5")
Z_SCALE = Decimal("0.6745")  # makes the MAD comparable to a standard deviation for normally spread data
MATERIAL = Decimal(2)  # a z-flagged value must also be ×2 or ÷2 the median
RATIO_LIMIT = Decimal(10)
JUDGED_KINDS = (ValueKind.ESTIMATE, ValueKind.ACTUAL)

Cell = tuple[int, str]  # (indicator id, value kind)


@dataclass(frozen=True)
class Reference:
    """What a value was compared with, for the message: the latest period, or the median of several."""

    value: Decimal
    periods: int  # 1: the latest stored period; more: the median of that many
    period: Period | None = None


def modified_z(value: Decimal, history: list[Decimal]) -> Decimal | None:
    """Iglewicz–Hoaglin's modified z-score of `value` against `history`; None when the MAD is zero."""
    middle = median(history)
    mad = median(abs(x - middle) for x in history)
    if mad == 0:
        return None
    return Z_SCALE * (value - middle) / mad


def judge(value: Decimal | None, history: list[tuple[Period, Decimal]], *, decimals: int) -> str | None:
    """Why `value` is implausible against `history` (oldest first), in words; None when it is plausible."""
    if value is None or not history:
        return None
    figures = [v for _period, v in history]
    if len(figures) >= MIN_HISTORY:
        z = modified_z(value, figures)
        if z is not None:
            middle = median(figures)
            if abs(z) <= Z_LIMIT or not _material(value, middle):
                return None
            return _describe(value, Reference(middle, len(figures)), decimals)
    latest_period, latest = history[-1]
    if value == 0 or latest == 0 or (value > 0) != (latest > 0):
        return None
    ratio = value / latest
    if 1 / RATIO_LIMIT < ratio < RATIO_LIMIT:
        return None
    return _describe(value, Reference(latest, 1, latest_period), decimals)


def _material(value: Decimal, reference: Decimal) -> bool:
    """Whether `value` is at least `MATERIAL` times `reference` or at most its `MATERIAL`-th; with a zero or a
    change of sign no ratio exists, and the z-score alone decides."""
    if value == 0 or reference == 0 or (value > 0) != (reference > 0):
        return True
    ratio = value / reference
    return ratio >= MATERIAL or ratio <= 1 / MATERIAL


def _describe(value: Decimal, ref: Reference, decimals: int) -> str:
    shown = format_number(ref.value, max(decimals, 2), trim=True)  # a median may be a half ("60,5")
    if ref.periods == 1:
        what = _("the previous period (%(period)s: %(value)s)") % {"period": ref.period.label, "value": shown}
    else:
        what = _("the median of the last %(n)d periods (%(value)s)") % {"n": ref.periods, "value": shown}
    if ref.value == 0 or (value > 0) != (ref.value > 0):
        return _("far from %(reference)s") % {"reference": what}
    ratio = value / ref.value  # at least MATERIAL times the reference, or at most its MATERIAL-th
    if ratio > 1:
        return _("%(times)s times %(reference)s") % {"times": format_number(ratio, 1, trim=True), "reference": what}
    return _("only %(percent)s%% of %(reference)s") % {
        "percent": format_number(ratio * 100, 1, trim=True), "reference": what}


def _earlier_periods(period: Period) -> list[Period]:
    found, current = [], period
    for _i in range(LOOKBACK):
        current = current.previous()
        found.append(current)
    return found


def flags_for(*, orgunit, period: Period, values: dict[Cell, Decimal | None],
              indicators: dict[int, Indicator]) -> dict[Cell, str]:
    """{cell: why} for the cells of `values` (one unit, one period) that are implausible against the unit's
    history. One query, whatever the number of cells."""
    judged = {cell: v for cell, v in values.items() if cell[1] in JUDGED_KINDS and v is not None}
    if not judged:
        return {}
    earlier = {p.id: p for p in _earlier_periods(period)}
    history: dict[Cell, list[tuple[Period, Decimal]]] = {}
    for indicator_id, kind, period_id, value in DataValue.objects.filter(
        orgunit=orgunit, period__in=earlier, indicator__in={c[0] for c in judged}, kind__in={c[1] for c in judged},
    ).values_list("indicator_id", "kind", "period", "value"):
        history.setdefault((indicator_id, kind), []).append((earlier[period_id], value))
    flags = {}
    for cell, value in judged.items():
        past = sorted(history.get(cell, []))[-HISTORY:]
        why = judge(value, past, decimals=indicators[cell[0]].decimals)
        if why:
            flags[cell] = why
    return flags


def submission_flags(submission: Submission) -> dict[Cell, tuple[FormRow, str, str]]:
    """{cell: (form row, why, note)} for the stored cells of a report that are implausible."""
    rows = {row.indicator_id: row for row in
            FormRow.objects.filter(section__form=submission.form_id).select_related("indicator")}
    stored = {
        (indicator_id, kind): (value, comment)
        for indicator_id, kind, value, comment in DataValue.objects.filter(
            orgunit=submission.orgunit_id, period=submission.period, indicator__in=rows,
        ).values_list("indicator_id", "kind", "value", "comment")
        if kind in rows[indicator_id].kind_list
    }
    flags = flags_for(orgunit=submission.orgunit_id, period=Period.parse(submission.period),
                      values={cell: value for cell, (value, _comment) in stored.items()},
                      indicators={ind: row.indicator for ind, row in rows.items()})
    # In the form's order, so that a message lists the cells as the reporter sees them.
    return {(ind, kind): (row, flags[(ind, kind)], stored[(ind, kind)][1])
            for ind, row in rows.items() for kind in JUDGED_KINDS if (ind, kind) in flags}


def submission_plausibility_check(submission: Submission) -> None:
    """Refuse to submit a report while an implausible cell has no note explaining it (ValidationError naming
    each such cell and why it is flagged)."""
    missing = [
        _("%(row)s (%(kind)s): %(why)s — far from this unit's earlier figures; if it is right, say why in the "
          "cell's note") % {"row": row, "kind": ValueKind(cell[1]).label, "why": why}
        for cell, (row, why, note) in submission_flags(submission).items() if not note.strip()
    ]
    if missing:
        raise ValidationError(missing)
