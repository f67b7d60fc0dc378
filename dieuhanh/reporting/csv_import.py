"""Bulk import of values from a long-format CSV: `form,unit,period,indicator,kind,value`, one value a line.

A parser only: the lines stream, one at a time, as ImportRow into `imports.values_import_rows`'s path (the same
as the API's), which resolves, checks and writes them through the one writer, all or nothing. `make bench`
(dieuhanh/bench.py) times it on a million values.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from dieuhanh.lib.vnformat import fold
from dieuhanh.lib.xlsx import csv_error_text
from dieuhanh.reporting.imports import ImportErrors, ImportProblem, ImportResult, ImportRow, _import

__all__ = ["COLUMNS", "ImportErrors", "ImportResult", "values_import", "values_import_file"]

COLUMNS = ("form", "unit", "period", "indicator", "kind", "value")
MAX_ERRORS = 200


def _decode(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportErrors([_("The file is not UTF-8 text (save it as 'CSV UTF-8')")]) from exc
    return data.removeprefix("\ufeff")


def _reader(lines: Iterable[str], first: str):
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.reader(lines, delimiter=delimiter)


def _rows(reader) -> Iterator[tuple[int, ImportRow | ImportProblem]]:
    """(index, row) per line; index = line number - 2. A line without six columns is a problem at its index."""
    for row in reader:
        if len(row) != 6:
            if row and (len(row) > 1 or row[0].strip()):
                yield reader.line_num - 2, ImportProblem(
                    reader.line_num - 2, "report", "", "E_COLUMNS",
                    _("%(n)d columns, expected 6") % {"n": len(row)})
            continue
        yield reader.line_num - 2, ImportRow(row[0], row[1], row[2], row[3], row[4], row[5])


def _run(lines: Iterable[str], first: str, *, user, channel: str, max_errors: int,
         strategy: str = "CREATE_AND_UPDATE", dry_run: bool = False) -> ImportResult:
    reader = _reader(lines, first)
    try:
        return _run_reader(reader, user=user, channel=channel, max_errors=max_errors, strategy=strategy,
                           dry_run=dry_run)
    except csv.Error as exc:  # the reader stops at the line it cannot read; nothing is written (all or nothing)
        raise ImportErrors([csv_error_text(exc, reader.line_num)]) from exc


def _run_reader(reader, *, user, channel: str, max_errors: int, strategy: str, dry_run: bool) -> ImportResult:
    header = [fold(h) for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise ImportErrors([_("Line 1: the header must be %(expected)s, not %(found)s") % {
            "expected": ",".join(COLUMNS), "found": ",".join(header) or _("empty")}])
    result = _import(_rows(reader), user=user, channel=channel, strategy=strategy, dry_run=dry_run,
                     max_errors=max_errors)
    if not result.values:
        raise ImportErrors([_("The file has no values")])
    return result


def values_import(data: bytes | str, *, user=None, channel: str = "csv", max_errors: int = MAX_ERRORS,
                  strategy: str = "CREATE_AND_UPDATE", dry_run: bool = False) -> ImportResult:
    """Import a whole CSV held in memory (the page's upload); raises ImportErrors listing the problems.

    `user` None is the system (command without --user); otherwise the user needs the reporter role on every
    unit in the file."""
    text = _decode(data)
    return _run(io.StringIO(text), text.split("\n", 1)[0], user=user, channel=channel, max_errors=max_errors,
                strategy=strategy, dry_run=dry_run)


def values_import_file(path, *, user=None, channel: str = "csv", max_errors: int = MAX_ERRORS,
                       strategy: str = "CREATE_AND_UPDATE", dry_run: bool = False) -> ImportResult:
    """Import a CSV file streamed line by line (the command: ten million lines in little memory)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
            return _run(itertools.chain([first], fh), first, user=user, channel=channel, max_errors=max_errors,
                        strategy=strategy, dry_run=dry_run)
    except UnicodeDecodeError as exc:
        raise ImportErrors([_("The file is not UTF-8 text (save it as 'CSV UTF-8')")]) from exc
    except FileNotFoundError as exc:
        raise ImportErrors([_("There is no file %(path)s") % {"path": path}]) from exc
    except OSError as exc:
        raise ImportErrors([_("The file %(path)s cannot be opened (%(reason)s)") % {
            "path": path, "reason": exc.strerror or exc.__class__.__name__}]) from exc
