"""The one writer of data values: every channel (web form, XLSX, CSV, the API, the demo, the benchmark) writes
through `datavalues_write`, so the history, the value checks and the rollups follow one set of rules.

How a write goes, all in one transaction (all or nothing):

1. stage — the cells stream into a temporary table `value_staging` (PostgreSQL: COPY, in batches; SQLite:
   executemany, in batches). Nothing holds all the cells in Python. The few checks that need the number's text
   (more than 6 decimals, more than the column holds) run here, on the text.
2. check — set-based, on the staging table: unknown units and indicators (the values table has no database
   foreign keys: this check is what keeps them true), units outside the caller's `scope`, whole numbers, minimum
   and maximum. Then the caller's own `checks`: callables that receive a `Staged` (the cursor, the table name, and
   `refuse()` to report a problem) and run their own SQL on the staged rows inside the writer's transaction.
   That is how reporting applies its rules (locked reports, sum rules, target rights, the report's state and
   version) without writing any value itself. A check may also set the staged rows' `state`.
   Any problem: WriteErrors, nothing written.
3. merge — the stored value, comment and state of each staged cell are read into the staging table once; then the
   history (one row per cell whose value changes: old → new, user, channel), the deletes, the updates and the
   inserts are one statement each.
4. rollups — the rollups above the cells whose counted value changed are recomputed (rollups_refresh_query).

`dry_run` runs 1–3's reads and counts and rolls everything back.

Strategies (DHIS2's importStrategy): CREATE_AND_UPDATE (default), CREATE (cells that exist are ignored), UPDATE
(cells that do not exist are ignored; a blank clears), DELETE (cells that exist are cleared, history old → null).
Counts: imported (new cells), updated (existing cells whose value, comment or state changed), deleted, ignored
(unchanged, or skipped by the strategy); `changed` is the number of history rows.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.audit.values import value_changes_record
from dieuhanh.indicators.models import DataValue, Indicator, ValueHistory, ValueState
from dieuhanh.indicators.rollups import rollups_refresh_query

STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE")
MAX_ABS_VALUE = Decimal("1e17")  # what DecimalField(max_digits=24, decimal_places=6) can hold
STAGING = "value_staging"
BATCH = 20_000  # cells per COPY write / executemany
PG_SORT_MEMORY = "256MB"  # for the sorts of the staged rows, this transaction only
SQLITE_CACHE = -262_144  # KiB (negative: a size, not pages): 256 MiB
COPY_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Cell(NamedTuple):
    """One cell to write. Plain tuples in this order are accepted too (the bulk callers build those)."""

    index: int  # the caller's position of the cell: problems name it
    orgunit: int
    period: str
    indicator: int
    kind: str
    value: str | None  # the number as Decimal text ("1234.5", str(Decimal)); None clears the cell
    comment: str | None = None  # None leaves the stored comment
    state: int = ValueState.DRAFT  # the state of the report the value is on (ValueState)
    tag: int = 0  # the caller's own grouping (reporting: the form id); staged, never read by the writer
    at: datetime.datetime | None = None  # when it changed (the demo's historic figures); None: now
    by: int | None = None  # who changed it (a user id; the demo); None: the call's user


@dataclass(frozen=True, slots=True)
class CellProblem:
    index: int
    field: str  # "unit" | "value" | … (whatever the caller's row calls it)
    value: str
    code: str  # stable: E_OUT_OF_SCOPE, E_VALUE_TYPE, E_RANGE, …
    message: str


class WriteErrors(Exception):
    """Nothing was written; `problems` holds the first `max_errors` (by index), `more` how many others."""

    def __init__(self, problems: list[CellProblem], more: int = 0):
        self.problems, self.more = problems, more
        super().__init__("\n".join(f"{p.index}: {p.message}" for p in problems) + (f"\n(+{more})" if more else ""))


@dataclass(frozen=True, slots=True)
class WriteResult:
    cells: int  # cells given
    imported: int  # new cells
    updated: int  # existing cells whose value, comment or state changed
    ignored: int  # unchanged, or skipped by the strategy
    deleted: int  # cleared cells
    changed: int  # history rows (cells whose value changed)
    seconds: float
    staging: float = 0.0  # of which: streaming the cells into the staging table (with the caller's parsing),
    checking: float = 0.0  # the checks (the writer's and the caller's),
    merging: float = 0.0  # history, deletes, updates, inserts,
    rollups: float = 0.0  # and the rollups


class Staged:
    """What a caller's check sees: `cursor`, the staging `table` (columns idx, orgunit, period, indicator, kind,
    value, comment, state, tag), the writing `user` and `refuse()`. Checks run after the writer's own."""

    table = STAGING

    def __init__(self, cursor, user, max_errors: int):
        self.cursor, self.user, self.max_errors = cursor, user, max_errors
        self.problems: list[CellProblem] = []
        self.more = 0

    def refuse(self, index: int, field: str, value: str, code: str, message: str) -> None:
        if len(self.problems) < self.max_errors:
            self.problems.append(CellProblem(index, field, value, code, message))
        else:
            self.more += 1

    def full(self) -> bool:
        """Whether more problems would only be counted (a check may stop looking)."""
        return len(self.problems) >= self.max_errors

    def sql(self, statement: str) -> str:
        """`statement` with {t} as the staging table and {dv} as the values table, names quoted."""
        return statement.format(t=STAGING, dv=connection.ops.quote_name(DataValue._meta.db_table))


Check = Callable[[Staged], None]
# The defaults of the fields after the first n of a Cell, for plain tuples that stop early.
_TAILS = {n: tuple(Cell._field_defaults[f] for f in Cell._fields[n:]) for n in range(6, 12)}


def value_problem(indicator: Indicator, value: Decimal | None) -> str | None:
    """Why `value` is not acceptable for `indicator` (a Vietnamese message), or None: the rule every check of a
    value's bounds names its message by."""
    from dieuhanh.lib.vnformat import format_number

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


class _DryRun(Exception):
    pass


def datavalues_write(cells: Iterable[Cell | tuple], *, user, channel: str, strategy: str = "CREATE_AND_UPDATE",
                     dry_run: bool = False, scope=None, checks: Sequence[Check] = (), max_errors: int = 200,
                     refresh_rollups: bool = True, overwrite: bool = False) -> WriteResult:
    """Write the cells (see the module's docstring); raises WriteErrors listing the problems, nothing written.

    `overwrite`: the caller did not say which version of the figures it saw (a bulk import without a report
    version), so each stored figure it replaces or clears is marked in the history as an overwrite.
    `scope`: a queryset of the units the caller may write (None: any). `checks`: the caller's checks on the staged
    rows. `refresh_rollups` False only for a bulk load that rebuilds the rollups itself afterwards (the demo)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    started = time.perf_counter()
    outcome: list[WriteResult] = []
    try:
        with _sqlite_cache(), transaction.atomic(), connection.cursor() as cursor:
            staged = Staged(cursor, user, max_errors)
            count = _stage(cursor, cells, staged)
            staging_done = time.perf_counter()
            _check(staged, scope)
            for check in checks:
                check(staged)
            if staged.problems or staged.more:
                raise WriteErrors(sorted(staged.problems, key=lambda p: p.index), staged.more)
            checked = time.perf_counter()
            now = timezone.now()  # one moment for the values, their history and their rollups
            counts = _merge(cursor, count, user=user, channel=channel, strategy=strategy, dry_run=dry_run, now=now,
                            overwrite=overwrite)
            merged = time.perf_counter()
            if not dry_run and refresh_rollups:
                _rollups(cursor, strategy, now)
            cursor.execute(f"DROP TABLE {STAGING}")
            done = time.perf_counter()
            outcome.append(WriteResult(count, *counts, seconds=done - started, staging=staging_done - started,
                                       checking=checked - staging_done, merging=merged - checked,
                                       rollups=done - merged))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except IntegrityError as exc:  # a cell written by someone else at the same moment
        raise WriteErrors([CellProblem(0, "report", "", "E_CONFLICT", _("Not saved: conflict"))]) from exc
    # The commit's own time belongs to the total.
    return dataclasses.replace(outcome[0], seconds=time.perf_counter() - started)


@contextmanager
def _sqlite_cache():
    """SQLite keeps 2 MB of pages by default, so a large write reads the same index pages from the file again and
    again; the cache is a per-connection, memory-only setting, raised for the write and put back after it."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


@contextmanager
def _no_gc():
    """Staging makes millions of short-lived objects and no reference cycles: the cycle collector's passes are pure
    cost. Process-wide, so put back as found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _text_problem(index: int, text: str, staged: Staged) -> bool:
    """The bounds that only the text shows (more than 6 decimals, more than the column holds); True if refused.
    Called only for texts that may break them (long ones, exponents)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        staged.refuse(index, "value", text, "E_VALUE_TYPE", _("'%(v)s' is not a number") % {"v": text})
        return True
    if not value.is_finite():
        staged.refuse(index, "value", text, "E_VALUE_TYPE", _("'%(v)s' is not a number") % {"v": text})
        return True
    if abs(value) >= MAX_ABS_VALUE:
        staged.refuse(index, "value", text, "E_RANGE", _("%(v)s is too large") % {"v": text})
        return True
    if value.as_tuple().exponent < -6:
        staged.refuse(index, "value", text, "E_VALUE_TYPE", _("at most 6 decimal places"))
        return True
    return False


def _stage(cursor, cells: Iterable, staged: Staged) -> int:
    """Stream the cells into the staging table; returns how many. Per cell only a few string operations: this runs
    ten million times for a large file."""
    pg = connection.vendor == "postgresql"
    if pg:
        # Dropped explicitly too: an outer transaction (tests, a caller's atomic) may outlive ON COMMIT DROP.
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGING}")
        cursor.execute(f"CREATE TEMP TABLE {STAGING} (idx bigint, orgunit bigint, period varchar(12), "
                       "indicator bigint, kind varchar(8), value numeric, comment text, state smallint, tag bigint, "
                       "at timestamptz, by_user bigint, old numeric(24, 6), old_comment text, old_state smallint) "
                       "ON COMMIT DROP")
    else:
        cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGING}")
        cursor.execute(f"CREATE TEMP TABLE {STAGING} (idx integer, orgunit integer, period varchar(12), "
                       "indicator integer, kind varchar(8), value decimal, comment text, state integer, tag integer, "
                       "at datetime, by_user integer, old decimal, old_comment text, old_state integer)")
    count = 0
    batch: list = []
    add = batch.append
    with _no_gc():
        if pg:
            # One COPY per batch, each opened after its batch is built: the caller's generator may query the
            # database while it makes the cells (resolving codes), which it cannot do in the middle of a COPY.
            copy_sql = (f"COPY {STAGING} (idx, orgunit, period, indicator, kind, value, comment, state, tag, at, "
                        "by_user) FROM STDIN")
            for cell in cells:
                index, unit, period, indicator, kind, value = cell[:6]
                if value is None:
                    value = COPY_NULL
                elif len(value) > 17 or "E" in value or (
                        (dot := value.find(".")) >= 0 and len(value) - dot > 7):
                    if _text_problem(index, value, staged):
                        continue
                rest = cell[6:]
                if rest:
                    comment = rest[0]
                    comment = COPY_NULL if comment is None else comment.translate(_COPY_ESCAPES)
                    state = rest[1] if len(rest) > 1 else 0
                    tag = rest[2] if len(rest) > 2 else 0
                    at = COPY_NULL if len(rest) < 4 or rest[3] is None else rest[3].isoformat()
                    by = COPY_NULL if len(rest) < 5 or rest[4] is None else rest[4]
                    add(f"{index}\t{unit}\t{period}\t{indicator}\t{kind}\t{value}\t{comment}\t{int(state)}\t{tag}"
                        f"\t{at}\t{by}\n")
                else:
                    add(f"{index}\t{unit}\t{period}\t{indicator}\t{kind}\t{value}\t\\N\t0\t0\t\\N\t\\N\n")
                if len(batch) >= BATCH:
                    with cursor.cursor.copy(copy_sql) as copy:
                        copy.write("".join(batch))
                    count += len(batch)
                    batch.clear()
            if batch:
                with cursor.cursor.copy(copy_sql) as copy:
                    copy.write("".join(batch))
                count += len(batch)
            cursor.execute(f"ANALYZE {STAGING}")  # a temp table has no statistics; the joins need them
        else:
            # Most cells carry no moment or author of their own: those go in with the nine columns they have.
            short = (f"INSERT INTO {STAGING} (idx, orgunit, period, indicator, kind, value, comment, state, tag) "
                     "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)")
            full = (f"INSERT INTO {STAGING} (idx, orgunit, period, indicator, kind, value, comment, state, tag, at, "
                    "by_user) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
            long: list = []
            for cell in cells:
                value = cell[5]
                if value is not None and (len(value) > 17 or "E" in value or (
                        (dot := value.find(".")) >= 0 and len(value) - dot > 7)):
                    if _text_problem(cell[0], value, staged):
                        continue
                if len(cell) < 9:
                    cell = (*cell, *_TAILS[len(cell)][:9 - len(cell)])
                if len(cell) == 9 or (cell[9] is None and cell[10] is None):
                    add(cell[:9])
                else:
                    if len(cell) < 11:
                        cell = (*cell, *_TAILS[len(cell)])
                    at = None if cell[9] is None else connection.ops.adapt_datetimefield_value(cell[9])
                    long.append((*cell[:9], at, cell[10]))
                    if len(long) >= BATCH:
                        cursor.executemany(full, long)
                        count += len(long)
                        long.clear()
                if len(batch) >= BATCH:
                    cursor.executemany(short, batch)
                    count += len(batch)
                    batch.clear()
            for statement, rows in ((short, batch), (full, long)):
                if rows:
                    cursor.executemany(statement, rows)
                    count += len(rows)
    return count


def units_sql(units) -> tuple[str, list]:
    """A queryset of units as a subquery of their ids (an empty one as a subquery that yields nothing)."""
    try:
        sql, params = units.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT CAST(NULL AS bigint) WHERE 1 = 0", []  # typed: PostgreSQL compares it with bigint ids
    return sql, list(params)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model) -> dict[str, str]:
    return {f.name: _q(f.column) for f in model._meta.concrete_fields}


def _check(staged: Staged, scope) -> None:
    """The writer's own checks, set-based: units and indicators that exist, units in scope, whole numbers, minimum
    and maximum."""
    from dieuhanh.orgunits.models import OrgUnit

    cursor = staged.cursor
    limit = staged.max_errors + 1
    ou, ind = _columns(OrgUnit), _columns(Indicator)
    cursor.execute(f"SELECT s.idx, s.orgunit, s.indicator, o.{ou['id']} IS NULL FROM {STAGING} s "
                   f"LEFT JOIN {_q(OrgUnit._meta.db_table)} o ON o.{ou['id']} = s.orgunit "
                   f"LEFT JOIN {_q(Indicator._meta.db_table)} i ON i.{ind['id']} = s.indicator "
                   f"WHERE o.{ou['id']} IS NULL OR i.{ind['id']} IS NULL ORDER BY s.idx LIMIT {limit}")
    for index, unit, indicator, no_unit in cursor.fetchall():
        if no_unit:
            staged.refuse(index, "unit", str(unit), "E_UNKNOWN_UNIT", _("unknown unit '%(v)s'") % {"v": unit})
        else:
            staged.refuse(index, "indicator", str(indicator), "E_UNKNOWN_INDICATOR",
                          _("unknown indicator '%(v)s'") % {"v": indicator})
    if scope is not None:
        sql, params = units_sql(scope)
        cursor.execute(f"SELECT s.idx, o.{ou['code']} FROM {STAGING} s JOIN {_q(OrgUnit._meta.db_table)} o "
                       f"ON o.{ou['id']} = s.orgunit WHERE s.orgunit NOT IN ({sql}) ORDER BY s.idx LIMIT {limit}",
                       params)
        for index, code in cursor.fetchall():
            staged.refuse(index, "unit", code, "E_OUT_OF_SCOPE",
                          _("you may not enter figures for unit %(unit)s") % {"unit": code})
    cursor.execute(
        f"SELECT s.idx, s.indicator, s.value FROM {STAGING} s JOIN {_q(Indicator._meta.db_table)} i "
        f"ON i.{ind['id']} = s.indicator WHERE s.value IS NOT NULL AND ("
        f"(i.{ind['value_type']} = 'integer' AND s.value <> ROUND(s.value)) "
        f"OR (i.{ind['min_value']} IS NOT NULL AND s.value < i.{ind['min_value']}) "
        f"OR (i.{ind['max_value']} IS NOT NULL AND s.value > i.{ind['max_value']})) ORDER BY s.idx LIMIT {limit}")
    rows = cursor.fetchall()
    indicators = Indicator.objects.in_bulk({r[1] for r in rows})
    for index, indicator_id, value in rows:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        indicator = indicators[indicator_id]
        integer = indicator.value_type == Indicator.ValueType.INTEGER and number != number.to_integral_value()
        staged.refuse(index, "value", str(number), "E_VALUE_TYPE" if integer else "E_RANGE",
                      value_problem(indicator, number) or _("'%(v)s' is not a number") % {"v": number})


def _conditions(strategy: str) -> dict[str, str]:
    """SQL conditions on the staged row `s` (after the stored cell is read into old, old_comment, old_state; old is
    null exactly when the cell does not exist, DataValue.value being never null)."""
    exists, missing = "s.old IS NOT NULL", "s.old IS NULL"
    differs = ("(s.value <> s.old OR s.state <> s.old_state "
               "OR (s.comment IS NOT NULL AND s.comment <> s.old_comment))")
    if strategy == "DELETE":
        return {"insert": "1 = 0", "update": "1 = 0", "delete": exists}
    insert = f"{missing} AND s.value IS NOT NULL"
    update = f"{exists} AND s.value IS NOT NULL AND {differs}"
    delete = f"{exists} AND s.value IS NULL"
    if strategy == "CREATE":
        update = delete = "1 = 0"
    elif strategy == "UPDATE":
        insert = "1 = 0"
    return {"insert": insert, "update": update, "delete": delete}


def _merge(cursor, count: int, *, user, channel: str, strategy: str, dry_run: bool, now,
           overwrite: bool = False) -> tuple[int, ...]:
    """Read the stored cells into the staging table, then write; (imported, updated, ignored, deleted, changed)."""
    pg = connection.vendor == "postgresql"
    dv, vh = _columns(DataValue), _columns(ValueHistory)
    dvt, vht = _q(DataValue._meta.db_table), _q(ValueHistory._meta.db_table)
    key = ("indicator", "orgunit", "period", "kind")
    join = " AND ".join(f"d.{dv[k]} = s.{k}" for k in key)
    read = (f"UPDATE {STAGING} AS s SET old = d.{dv['value']}, old_comment = d.{dv['comment']}, "
            f"old_state = d.{dv['state']} FROM {dvt} d WHERE {join}")
    if pg:
        cursor.execute(f"SET LOCAL work_mem = '{PG_SORT_MEMORY}'")
    cursor.execute(read)  # SQLite has a single writer: its transaction already keeps everyone else out.
    when = _conditions(strategy)
    if pg:
        if cursor.rowcount:
            cursor.execute(f"ANALYZE {STAGING}")
            # The cells this write changes or clears are locked and read again, so that nobody changes them
            # between that read and the writes, and their history's old value is the one replaced. Only those:
            # locking a million unchanged cells cost more than all the merge's writes (6.5 s). A cell changed by
            # someone else after the first read is one this write leaves as it found it, as if it ran first.
            cursor.execute(f"WITH stored AS (SELECT d.{dv['id']} FROM {dvt} d JOIN {STAGING} s ON {join} "
                           f"WHERE ({when['update']}) OR ({when['delete']}) FOR UPDATE OF d) "
                           f"{read} AND d.{dv['id']} IN (SELECT {dv['id']} FROM stored)")
    history_when = (f"({when['insert']}) OR ({when['delete']}) OR "
                    f"(({when['update']}) AND s.value <> s.old)")
    cursor.execute(f"SELECT "
                   f"SUM(CASE WHEN {when['insert']} THEN 1 ELSE 0 END), "
                   f"SUM(CASE WHEN {when['update']} THEN 1 ELSE 0 END), "
                   f"SUM(CASE WHEN {when['delete']} THEN 1 ELSE 0 END), "
                   f"SUM(CASE WHEN {history_when} THEN 1 ELSE 0 END) FROM {STAGING} s")
    imported, updated, deleted, changed = (int(n or 0) for n in cursor.fetchone())
    counts = (imported, updated, count - imported - updated - deleted, deleted, changed)
    if dry_run:
        return counts
    user_id = user.pk if user is not None else None
    new_value = "NULL" if strategy == "DELETE" else "s.value"
    # In the order of the cell indexes, so that each index is walked once instead of hit at random.
    order = "ORDER BY s.indicator, s.orgunit, s.period, s.kind"
    if changed:
        cursor.execute(
            f"INSERT INTO {vht} ({', '.join(vh[k] for k in key)}, {vh['old_value']}, {vh['new_value']}, "
            f"{vh['changed_by']}, {vh['changed_at']}, {vh['channel']}, {vh['overwrite']}) "
            f"SELECT s.indicator, s.orgunit, s.period, s.kind, s.old, {new_value}, COALESCE(s.by_user, %s), "
            f"COALESCE(s.at, %s), %s, CASE WHEN s.old IS NOT NULL THEN %s ELSE %s END FROM {STAGING} s "
            f"WHERE {history_when} {order}", [user_id, now, channel, overwrite, False])
        value_changes_record(cursor, f"SELECT s.orgunit, s.indicator, s.period, s.kind, s.old, {new_value} AS new "
                             f"FROM {STAGING} s WHERE {history_when}", user=user, channel=channel)
    if deleted:
        if pg:
            cursor.execute(f"DELETE FROM {dvt} d USING {STAGING} s WHERE {join} AND {when['delete']}")
        else:
            cursor.execute(f"DELETE FROM {dvt} WHERE ({', '.join(dv[k] for k in key)}) IN (SELECT s.indicator, "
                           f"s.orgunit, s.period, s.kind FROM {STAGING} s WHERE {when['delete']})")
    if updated:
        target = "d" if pg else dvt
        cursor.execute(
            f"UPDATE {dvt} {'AS d ' if pg else ''}SET {dv['value']} = s.value, "
            f"{dv['comment']} = COALESCE(s.comment, {target}.{dv['comment']}), {dv['state']} = s.state, "
            f"{dv['updated_at']} = COALESCE(s.at, %s), {dv['updated_by']} = COALESCE(s.by_user, %s) "
            f"FROM {STAGING} s WHERE {join.replace('d.', target + '.')} AND {when['update']}", [now, user_id])
    if imported:
        cursor.execute(
            f"INSERT INTO {dvt} ({', '.join(dv[k] for k in key)}, {dv['value']}, {dv['comment']}, {dv['state']}, "
            f"{dv['updated_at']}, {dv['updated_by']}) SELECT s.indicator, s.orgunit, s.period, s.kind, s.value, "
            f"COALESCE(s.comment, ''), s.state, COALESCE(s.at, %s), COALESCE(s.by_user, %s) FROM {STAGING} s "
            f"WHERE {when['insert']} {order}", [now, user_id])
    return counts


def _rollups(cursor, strategy: str, now) -> None:
    """The rollups above the cells whose counted figure came, went or changed."""
    counted = int(ValueState.counted())
    when = _conditions(strategy)
    written = f"({when['insert']}) OR ({when['update']}) OR ({when['delete']})"
    cells = (f"SELECT DISTINCT s.indicator, s.orgunit, s.period FROM {STAGING} s WHERE ({written}) "
             f"AND (s.state >= {counted} OR COALESCE(s.old_state, 0) >= {counted})")
    cursor.execute(f"SELECT 1 FROM ({cells}) c LIMIT 1")
    if cursor.fetchone():
        rollups_refresh_query(cursor, cells, changed_at=now)
