"""The reporting-level entry point for bulk values: rows as a client sends them (codes, as typed) → the one writer.

Every bulk channel calls `values_import_rows`: the CSV import (`csv_import.values_import` parses the file into
rows), `manage.py import_values`, and the data API (dataValueSets). All or nothing; `dry_run` checks everything
and writes nothing; problems come back as ImportProblem (stable code, 0-based index of the row, field, Vietnamese
message).

PROVISIONAL: this first version runs through the CSV import's old path so that the API can code against the
contract; the writer-based version replaces the body, not the signatures.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE")


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One value as a client sends it (codes, as typed)."""

    form: str | None  # ReportForm code; None: the one active form of that unit carrying (indicator, kind)
    unit: str  # OrgUnit code
    period: str  # period id (202603, 2026Q1, 2026S1, 2026 ...)
    indicator: str  # Indicator code
    kind: str  # "actual" | "estimate" | "target" (also the Vietnamese names, as the CSV accepts)
    value: str | None  # as typed ("1.234,5" or "1234.5"); None or "" clears the cell
    comment: str = ""  # "" leaves the stored comment as it is


@dataclass(frozen=True, slots=True)
class ImportProblem:
    index: int  # 0-based position of the row in the input (CSV: line number - 2)
    field: str  # "form" | "unit" | "period" | "indicator" | "kind" | "value" | "comment" | "report"
    value: str  # the offending value as given
    code: str  # stable error code, e.g. "E_UNKNOWN_UNIT"
    message: str  # Vietnamese (gettext), names what is wrong


def values_import_rows(rows: Iterable[ImportRow], *, user, channel: str, strategy: str = "CREATE_AND_UPDATE",
                       dry_run: bool = False, max_errors: int = 200):
    """Check and write the rows in one transaction; returns ImportResult, raises ImportErrors (with `.problems`)."""
    from dieuhanh.reporting.csv_import import ImportErrors, values_import
    from dieuhanh.reporting.models import ReportForm

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["form", "unit", "period", "indicator", "kind", "value"])
    for row in rows:
        form = row.form
        if form is None:
            form = (ReportForm.objects.filter(active=True, units__code=row.unit, sections__rows__indicator__code=
                                              row.indicator).values_list("code", flat=True).first() or "")
        writer.writerow([form, row.unit, row.period, row.indicator, row.kind, row.value or ""])

    class _DryRun(Exception):
        pass

    try:
        with transaction.atomic():
            try:
                result = values_import(out.getvalue(), user=user, channel=channel, max_errors=max_errors)
            except ImportErrors as exc:
                exc.problems = [ImportProblem(index=_line(m) - 2, field="value", value="", code="E_INVALID",
                                              message=m) for m in exc.errors]
                raise
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _line(message: str) -> int:
    head = message.split(":", 1)[0].split()
    return int(head[-1]) if head and head[-1].isdigit() else 1
