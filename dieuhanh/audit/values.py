"""Figure changes in the trail: called by the value writer (indicators.writer) right after it writes the history,
inside its transaction, with the SQL that selects the changed cells.

One audit row per unit and write (a form saved, a file imported, an API call), not one per cell: a province-wide
import changes a million cells, and ValueHistory already keeps each of them. The row names the unit and the
channel and lists up to CELLS_SHOWN of the cells before → after ("CT01 · 2026-03 · actual": 12 → 15), then how
many more ("…": 950)."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction

from dieuhanh.audit.models import Action, AuditEvent
from dieuhanh.audit.recorder import event_build, jsonable

logger = logging.getLogger(__name__)
CELLS_SHOWN = 50


def value_changes_record(cursor, changed_sql: str, *, user, channel: str) -> None:
    """`changed_sql` selects (orgunit, indicator, period, kind, old, new) of the changed cells. Never raises."""
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the values written
            AuditEvent.objects.bulk_create(_events(cursor, changed_sql, user=user, channel=channel))
    except Exception:  # noqa: BLE001 -- the figures are saved; the failure is in the log
        logger.exception("audit: could not record value changes")


def _figure(value) -> str | None:
    """A figure as plain decimal text whatever the database hands back (SQLite: int or float; PostgreSQL: Decimal)."""
    return None if value is None else jsonable(Decimal(str(value)))


def _events(cursor, changed_sql: str, *, user, channel: str) -> list[AuditEvent]:
    from dieuhanh.indicators.models import Indicator
    from dieuhanh.orgunits.models import OrgUnit

    cursor.execute(f"SELECT c.orgunit, COUNT(*) FROM ({changed_sql}) c GROUP BY c.orgunit")
    counts = dict(cursor.fetchall())
    cursor.execute(f"SELECT orgunit, indicator, period, kind, old, new FROM (SELECT c.*, ROW_NUMBER() OVER "
                   f"(PARTITION BY c.orgunit ORDER BY c.indicator, c.period, c.kind) AS n FROM ({changed_sql}) c) r "
                   f"WHERE n <= {CELLS_SHOWN} ORDER BY orgunit, indicator, period, kind")
    rows = cursor.fetchall()
    codes = dict(Indicator.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "code"))
    units = OrgUnit.objects.in_bulk(counts)
    before: dict[int, dict] = {unit: {} for unit in counts}
    after: dict[int, dict] = {unit: {} for unit in counts}
    for unit, indicator, period, kind, old, new in rows:
        key = f"{codes.get(indicator, indicator)} · {period} · {kind}"
        before[unit][key], after[unit][key] = _figure(old), _figure(new)
    events = []
    for unit_id, count in counts.items():
        unit = units.get(unit_id)
        event = event_build(Action.VALUE_CHANGE, user=user, obj=unit, unit=unit_id,
                            before=before[unit_id], after=after[unit_id])
        # The channel (web, xlsx, csv, api, system) as the object's id: the page names it.
        event.object_type, event.object_id = "indicators.datavalue", channel
        event.object_text = str(unit or unit_id)[:255]
        if count > CELLS_SHOWN:
            event.after["…"] = count - CELLS_SHOWN
        events.append(event)
    return events
