"""Writes of data values for the few callers that write one unit and period at a time (admin, the analytics
benchmark, tests): `datavalues_save` is a thin call of the one writer, `dieuhanh.indicators.writer`.

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

from dieuhanh.indicators.models import DataValue, Indicator, ValueKind, ValueState
from dieuhanh.indicators.rollups import rollups_refresh
from dieuhanh.indicators.writer import MAX_ABS_VALUE, WriteErrors, WriteResult, datavalues_write, value_problem

__all__ = ["MAX_ABS_VALUE", "ValueInput", "datavalues_save", "datavalues_set_state", "value_cells", "value_problem"]


@dataclass(frozen=True)
class ValueInput:
    indicator: Indicator
    kind: str
    value: Decimal | None  # None clears the cell (the old value stays in the history)
    comment: str = ""


def value_cells(*, orgunit, period: str, values: list[ValueInput], states: dict[tuple[int, str], int] | int,
                tag: int = 0) -> list[tuple]:
    """The writer's cells of one unit and period, in the order of `values` (a problem's index is its position);
    `states` is the ValueState of every cell, or one for all."""
    def state(v: ValueInput) -> int:
        return int(states) if isinstance(states, int) else states[(v.indicator.pk, v.kind)]

    return [(i, orgunit.pk, period, v.indicator.pk, v.kind, None if v.value is None else str(v.value), v.comment,
             state(v), tag) for i, v in enumerate(values)]


def value_errors(values: list[ValueInput], exc: WriteErrors) -> ValidationError:
    """The writer's problems as the web path shows them: "DT_VT (Actual): …"."""
    return ValidationError([f"{values[p.index].indicator.code} ({ValueKind(values[p.index].kind).label}): {p.message}"
                            if 0 <= p.index < len(values) else p.message for p in exc.problems])


def datavalues_save(*, orgunit, period: str, values: Iterable[ValueInput], user, channel: str, state: int,
                    checks=()) -> WriteResult:
    """Write the given cells of one unit and period, on a report in `state` (ValueState), through the writer;
    raises ValidationError listing every problem, nothing written. Returns the writer's counts."""
    items = list(values)
    unknown = [_("unknown value kind '%(k)s'") % {"k": v.kind} for v in items if v.kind not in ValueKind.values]
    if unknown:
        raise ValidationError(unknown)
    try:
        return datavalues_write(value_cells(orgunit=orgunit, period=period, values=items, states=state), user=user,
                                channel=channel, checks=checks)
    except WriteErrors as exc:
        raise value_errors(items, exc) from exc


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
