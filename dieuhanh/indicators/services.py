"""Writes of data values. Every channel (web form, XLSX, CSV, API) goes through `datavalues_save`, so every
change is validated the same way and lands in the append-only history.

Each value carries the state of the report it is on (ValueState): the writer says which, and each step of the
report's workflow moves its values with `datavalues_set_state`. Leaders' figures (the rollups, the analytics) count
only reported values, so a draft's write refreshes no rollup and a submission refreshes them all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.indicators.models import DataValue, Indicator, ValueHistory, ValueKind, ValueState
from dieuhanh.indicators.rollups import rollups_refresh
from dieuhanh.lib.vnformat import format_number

MAX_ABS_VALUE = Decimal("1e17")  # what DecimalField(max_digits=24, decimal_places=6) can hold


@dataclass(frozen=True)
class ValueInput:
    indicator: Indicator
    kind: str
    value: Decimal | None  # None clears the cell (the old value stays in the history)
    comment: str = ""


def value_problem(indicator: Indicator, value: Decimal | None) -> str | None:
    """Why `value` is not acceptable for `indicator` (a Vietnamese message), or None."""
    if value is None:
        return None
    if abs(value) >= MAX_ABS_VALUE:
        return _("%(v)s is too large") % {"v": value}
    if indicator.value_type == Indicator.ValueType.INTEGER and value != value.to_integral_value():
        return _("%(ind)s takes whole numbers only") % {"ind": indicator.name}
    if value.as_tuple().exponent < -6:
        return _("at most 6 decimal places")
    if indicator.min_value is not None and value < indicator.min_value:
        return _("%(v)s is below the minimum %(min)s") % {
            "v": format_number(value, indicator.decimals, trim=True),
            "min": format_number(indicator.min_value, indicator.decimals, trim=True),
        }
    if indicator.max_value is not None and value > indicator.max_value:
        return _("%(v)s is above the maximum %(max)s") % {
            "v": format_number(value, indicator.decimals, trim=True),
            "max": format_number(indicator.max_value, indicator.decimals, trim=True),
        }
    return None


@transaction.atomic
def datavalues_save(*, orgunit, period: str, values: Iterable[ValueInput], user, channel: str, state: int) -> int:
    """Write the given cells of one unit and period, on a report in `state` (ValueState); returns how many cells
    changed.

    Validates everything first and raises ValidationError listing every problem before writing anything.
    """
    items = list(values)
    problems = []
    for item in items:
        if item.kind not in ValueKind.values:
            problems.append(_("unknown value kind '%(k)s'") % {"k": item.kind})
            continue
        problem = value_problem(item.indicator, item.value)
        if problem:
            problems.append(f"{item.indicator.code} ({ValueKind(item.kind).label}): {problem}")
    if problems:
        raise ValidationError(problems)

    now = timezone.now()
    existing = {
        (dv.indicator_id, dv.kind): dv
        for dv in DataValue.objects.select_for_update().filter(
            orgunit=orgunit, period=period, indicator__in={i.indicator.pk for i in items}
        )
    }
    counted = ValueState.counted()
    to_create, to_update, to_delete, history, reported = [], [], [], [], []
    for item in items:
        current = existing.get((item.indicator.pk, item.kind))
        old = current.value if current else None
        new = item.value
        if (old is not None and new is not None and old == new and current.comment == item.comment
                and current.state == state):
            continue
        if old is None and new is None:
            continue
        # Leaders' figures change only where a counted value comes or goes: a draft's edits refresh nothing.
        if state >= counted or (current is not None and current.state >= counted):
            reported.append(item.indicator.pk)
        if new is None:
            to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                DataValue(
                    indicator=item.indicator, orgunit=orgunit, period=period, kind=item.kind, value=new,
                    comment=item.comment, state=state, updated_at=now, updated_by=user,
                )
            )
        else:
            current.value, current.comment, current.updated_at, current.updated_by = new, item.comment, now, user
            current.state = state
            to_update.append(current)
        if old != new:
            history.append(
                ValueHistory(
                    indicator=item.indicator, orgunit=orgunit, period=period, kind=item.kind, old_value=old,
                    new_value=new, changed_by=user, changed_at=now, channel=channel,
                )
            )
    DataValue.objects.bulk_create(to_create)
    DataValue.objects.bulk_update(to_update, ["value", "comment", "state", "updated_at", "updated_by"])
    DataValue.objects.filter(pk__in=to_delete).delete()
    ValueHistory.objects.bulk_create(history)
    # In the same transaction: every aggregate shows the change as soon as it is committed.
    rollups_refresh(((indicator_id, orgunit.pk, period) for indicator_id in reported), changed_at=now)
    return len(to_create) + len(to_update) + len(to_delete)


@transaction.atomic
def datavalues_set_state(*, orgunit, period: str, states: dict[tuple[int, str], int]) -> int:
    """Move the values of one unit and period to the state of their report: `states` maps (indicator id, kind) to
    its ValueState. Refreshes the rollups of the cells whose counting changed, in the same transaction, so a submitted
    report is in every total as soon as it commits and a returned one is out of them. Returns the cells moved."""
    if not states:
        return 0
    counted = ValueState.counted()
    rows = list(DataValue.objects.select_for_update().filter(
        orgunit=orgunit, period=period, indicator__in={i for i, _k in states}).values_list(
        "pk", "indicator_id", "kind", "state"))
    moved: dict[int, list[int]] = {}
    refresh = set()
    for pk, indicator_id, kind, current in rows:
        wanted = states.get((indicator_id, kind), current)
        if current == wanted:
            continue
        moved.setdefault(wanted, []).append(pk)
        if max(current, wanted) >= counted:  # counted before or after (submitted → approved changes `pending`)
            refresh.add((indicator_id, orgunit.pk, period))
    for state, pks in moved.items():
        DataValue.objects.filter(pk__in=pks).update(state=state)
    rollups_refresh(refresh, changed_at=timezone.now())
    return sum(len(pks) for pks in moved.values())
