"""Bulk import of values from a long-format CSV: `form,unit,period,indicator,kind,value`, one value a line.

All or nothing across the whole file. The per-value rules are the web path's own functions (parse_number,
value_problem, sum_rule_problems, period_check, EDITABLE); what differs is the shape of the work, for speed:
the whole file is validated in Python against dictionaries fetched once, then written in bulk through a
staging table — COPY on PostgreSQL, executemany on SQLite — with set-based SQL for the history (old → new) and the
values, all inside one transaction. `make bench` (dieuhanh/bench.py) times it on a million values.
"""

from __future__ import annotations

import csv
import gc
import io
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import TARGET_SETTING_ROLES, Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.indicators.models import DataValue, Indicator, ValueHistory, ValueKind
from dieuhanh.indicators.rollups import rollups_refresh_query
from dieuhanh.indicators.services import MAX_ABS_VALUE, value_problem
from dieuhanh.lib.vnformat import NumberFormatError, fold, parse_number
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.models import ReportForm, Submission, SubmissionEvent
from dieuhanh.reporting.services import EDITABLE, form_rows, period_check, sum_rule_problems
from dieuhanh.reporting.targets import target_refusal

COLUMNS = ("form", "unit", "period", "indicator", "kind", "value")
MAX_ERRORS = 200
CHUNK = 5000
COPY_LINES = 50_000  # lines per write to COPY
PG_SORT_MEMORY = "256MB"  # for the two sorts of the staged rows, this transaction only
SQLITE_CACHE = -262_144  # KiB (negative: a size, not pages): 256 MiB
COPY_NULL = "\\N"
_NEAR_MAX = MAX_ABS_VALUE - Decimal("0.000001")  # the largest magnitude with 6 decimals that is allowed
KIND_NAMES = {
    "target": ValueKind.TARGET, "estimate": ValueKind.ESTIMATE, "actual": ValueKind.ACTUAL,
    fold("kế hoạch"): ValueKind.TARGET, fold("ước thực hiện"): ValueKind.ESTIMATE,
    fold("thực hiện"): ValueKind.ACTUAL,
}


@dataclass(frozen=True)
class ImportResult:
    values: int  # lines imported
    changed: int  # cells whose value changed (one history row each)
    seconds: float
    validating: float = 0.0  # of which: reading and checking the file,
    writing: float = 0.0  # locking the reports, sum rules and the writes,
    committing: float = 0.0  # and the commit (deferred foreign-key checks)


class ImportErrors(Exception):
    """The file was refused; `errors` holds the first MAX_ERRORS messages ("Line 12: …"), `more` the rest's count."""

    def __init__(self, errors: list[str], more: int = 0):
        self.errors, self.more = errors, more
        super().__init__("\n".join(errors) + (f"\n(+{more})" if more else ""))


class _Errors:
    def __init__(self, limit: int):
        self.limit, self.items, self.more = limit, [], 0

    def add(self, line: int, message: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": message})
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)


class _Cell:
    """One (indicator, kind) of a form, with what every value of it must meet; one object per pair however typed."""

    __slots__ = ("indicator", "pk", "kind", "integer", "low", "high", "summed", "prefix", "target")

    def __init__(self, indicator: Indicator, kind: str, summed: bool):
        self.indicator, self.pk, self.kind, self.summed = indicator, indicator.pk, kind, summed
        self.target = kind == ValueKind.TARGET
        self.integer = indicator.value_type == Indicator.ValueType.INTEGER
        # Inside these bounds a value with at most 6 decimals passes value_problem; anything else is asked there.
        self.low = max(indicator.min_value, -_NEAR_MAX) if indicator.min_value is not None else -_NEAR_MAX
        self.high = min(indicator.max_value, _NEAR_MAX) if indicator.max_value is not None else _NEAR_MAX
        self.prefix = f"{indicator.pk}\t{kind}\t"


class _Group:
    """One (form, unit, period) of the file: its submission key, first line and the cells seen so far."""

    __slots__ = ("info", "cells", "key", "unit_id", "period", "unit_code", "seen", "sums", "prefix", "targets_locked")

    def __init__(self, info: _FormInfo, unit_id: int, unit_code: str, period: str, targets_locked: bool):
        self.info, self.cells, self.key = info, info.cells, (info.form.pk, unit_id, period)
        self.unit_id, self.period, self.unit_code = unit_id, period, unit_code
        self.seen: dict[_Cell, int] = {}  # cell → its line, to name the first line of a repeat
        self.sums: dict[tuple[int, str], Decimal | None] | None = {} if info.has_sum_rules else None
        self.prefix = f"{unit_id}\t{period}\t"
        self.targets_locked = targets_locked  # the importing person may not change this unit's targets


class _FormInfo:
    """One form's rows, fetched once: which (indicator code, kind) it takes and its sum rules."""

    def __init__(self, form: ReportForm):
        self.form = form
        self.rows = form_rows(form)
        self.indicators = {row.indicator.code: row.indicator for row in self.rows}
        self.kinds = {(row.indicator.code, kind) for row in self.rows for kind in row.kind_list}
        self.has_sum_rules = any(row.total_row_id for row in self.rows)
        # The totals and their parts, in form order: all that sum_rule_problems reads, and the only values kept.
        totals = {row.total_row_id for row in self.rows if row.total_row_id}
        self.sum_rows = [row for row in self.rows if row.total_row_id or row.pk in totals]
        self.summed = {row.indicator_id for row in self.sum_rows}
        self.unit_ids = set(form.units.values_list("pk", flat=True))
        self.periods: dict[str, str | None] = {}  # period id → problem (None when fine)
        self.cells: dict[tuple[str, str], _Cell | str] = {}  # (indicator, kind) as typed → cell or problem
        self.cell_of: dict[tuple[int, str], _Cell] = {}

    def period_problem(self, period: str) -> str | None:
        if period not in self.periods:
            try:
                period_check(self.form, period)
                self.periods[period] = None
            except ValidationError as exc:
                self.periods[period] = " ".join(exc.messages)
        return self.periods[period]

    def cell(self, indicator: Indicator, kind: str) -> _Cell:
        key = (indicator.pk, kind)
        if key not in self.cell_of:
            self.cell_of[key] = _Cell(indicator, kind, indicator.pk in self.summed)
        return self.cell_of[key]


def _decode(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportErrors([_("The file is not UTF-8 text (save it as 'CSV UTF-8')")]) from exc
    return data.removeprefix("\ufeff")


def _reader(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def values_import(data: bytes | str, *, user=None, channel: str = "csv", max_errors: int = MAX_ERRORS) -> ImportResult:
    """Validate the whole CSV and write it in one transaction; raises ImportErrors listing the problems.

    `user` None is the system (command without --user); otherwise the user needs the reporter role on every
    unit in the file."""
    started = time.perf_counter()
    reader = _reader(_decode(data))
    header = [fold(h) for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise ImportErrors([_("Line 1: the header must be %(expected)s, not %(found)s") % {
            "expected": ",".join(COLUMNS), "found": ",".join(header) or _("empty")}])

    errors = _Errors(max_errors)
    forms: dict[str, _FormInfo | None] = {}
    units = {code: pk for code, pk in OrgUnit.objects.values_list("code", "pk")}
    allowed_units = None if user is None else set(units_in_scope(user, Role.REPORTER).values_list("pk", flat=True))
    target_units = None if user is None else set(units_in_scope(user, *TARGET_SETTING_ROLES).values_list("pk",
                                                                                                      flat=True))
    known_indicators: dict[str, bool] = {}
    groups: dict[tuple[int, int, str], _Group] = {}

    def resolve_group(form_code: str, unit_code: str, period: str) -> _Group | str:
        """The group of a line, or the problem; the same for every line of a group."""
        form_code, unit_code, period = form_code.strip(), unit_code.strip(), period.strip()
        info = forms.get(form_code, False)
        if info is False:
            form = ReportForm.objects.filter(code=form_code, active=True).first()
            info = forms[form_code] = _FormInfo(form) if form else None
        if info is None:
            return _("unknown form '%(v)s'") % {"v": form_code}
        unit_id = units.get(unit_code)
        if unit_id is None:
            return _("unknown unit '%(v)s'") % {"v": unit_code}
        if unit_id not in info.unit_ids:
            return _("unit %(unit)s does not report form %(form)s") % {"unit": unit_code, "form": form_code}
        if allowed_units is not None and unit_id not in allowed_units:
            return _("you may not enter figures for unit %(unit)s") % {"unit": unit_code}
        problem = info.period_problem(period)
        if problem:
            return problem
        key = (info.form.pk, unit_id, period)
        if key not in groups:  # the same group may be typed differently (spaces)
            groups[key] = _Group(info, unit_id, unit_code, period,
                                 targets_locked=target_units is not None and unit_id not in target_units)
        return groups[key]

    def resolve_cell(info: _FormInfo, ind_code: str, kind_text: str) -> _Cell | str:
        """The cell of a line, or the problem; the same for every line of that row and kind."""
        ind_code = ind_code.strip()
        kind = KIND_NAMES.get(fold(kind_text))
        if kind is None:
            return _("unknown value kind '%(v)s' (target, estimate, actual)") % {"v": kind_text.strip()}
        indicator = info.indicators.get(ind_code)
        if indicator is None:
            if ind_code not in known_indicators:
                known_indicators[ind_code] = Indicator.objects.filter(code=ind_code).exists()
            if known_indicators[ind_code]:
                return _("indicator %(ind)s is not on form %(form)s") % {"ind": ind_code, "form": info.form.code}
            return _("unknown indicator '%(v)s'") % {"v": ind_code}
        if (ind_code, kind) not in info.kinds:
            return _("%(ind)s (%(kind)s) is not on form %(form)s") % {
                "ind": ind_code, "kind": ValueKind(kind).label, "form": info.form.code}
        return info.cell(indicator, kind)

    pg = connection.vendor == "postgresql"
    group_of: dict[tuple[str, str, str], _Group | str] = {}
    staged: list = []
    stage = staged.append
    held_targets: list = []  # (line, group, cell, value) of targets the person may not change: checked if changed
    with _no_gc():
        _read(reader, group_of, resolve_group, resolve_cell, stage, errors, pg, held_targets)
    if errors:
        raise ImportErrors(errors.items, errors.more)
    if not staged:
        raise ImportErrors([_("The file has no values")])
    group_line = {key: min(group.seen.values()) for key, group in groups.items() if group.seen}
    sums = {key: group.sums for key, group in groups.items() if group.seen and group.sums is not None}

    infos = {info.form.pk: info for info in forms.values() if info}
    validated = time.perf_counter()
    try:
        changed, written = _save(staged, group_line=group_line, infos=infos, groups=groups, sums=sums, errors=errors,
                                 user=user, channel=channel, held_targets=held_targets)
    except IntegrityError as exc:  # a cell or report written by someone else at the same moment
        raise ImportErrors([_("Not saved: conflict")]) from exc
    done = time.perf_counter()
    return ImportResult(values=len(staged), changed=changed, seconds=done - started, validating=validated - started,
                        writing=written - validated, committing=done - written)


def _save(staged: list, *, group_line: dict, infos: dict, groups: dict, sums: dict, errors: _Errors, user,
          channel: str, held_targets: list) -> tuple[int, float]:
    """Lock the reports, check them and the sum rules, write; (cells changed, time the writes ended)."""
    with _sqlite_cache(), transaction.atomic():
        submissions = _lock_submissions(group_line, user)
        for key, (_pk, status) in submissions.items():
            if status not in EDITABLE:
                errors.add(group_line[key], _("the report %(form)s of %(unit)s for %(period)s is %(status)s and "
                                              "locked") % {
                    "form": infos[key[0]].form.code, "unit": groups[key].unit_code, "period": key[2],
                    "status": str(Submission.Status(status).label).lower()})
        _sum_rule_check(infos, sums, group_line, errors)
        _target_check(held_targets, errors)
        if errors:
            raise ImportErrors(errors.items, errors.more)
        changed = _write(staged, user=user, channel=channel)
        _bump(submissions, user)
        written = time.perf_counter()
    return changed, written


@contextmanager
def _sqlite_cache():
    """SQLite keeps 2 MB of pages by default, so a large import reads the same index pages from the file again and
    again; the cache is a per-connection, memory-only setting, raised for the import and put back after it."""
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


def _read(reader, group_of: dict, resolve_group, resolve_cell, stage, errors: _Errors, pg: bool,
          held_targets: list) -> None:
    """Check every line and stage the good ones; runs once per line (a million for a big file), so it does as
    little as it can. Lines repeat the same form/unit/period and indicator/kind: each combination is resolved
    once and then looked up as typed. Numbers are checked against bounds prepared per cell, and value_problem is
    asked only outside them. A line is staged as the text the database reads (COPY on PostgreSQL) or as a row
    (SQLite)."""
    for row in reader:
        if len(row) != 6:
            if row and (len(row) > 1 or row[0].strip()):
                errors.add(reader.line_num, _("%(n)d columns, expected 6") % {"n": len(row)})
            continue
        form_code, unit_code, period, ind_code, kind_text, value_text = row
        group = group_of.get((form_code, unit_code, period))
        if group is None:
            group = group_of[(form_code, unit_code, period)] = resolve_group(form_code, unit_code, period)
        if type(group) is str:
            errors.add(reader.line_num, group)
            continue
        cell = group.cells.get((ind_code, kind_text))
        if cell is None:
            cell = group.cells[(ind_code, kind_text)] = resolve_cell(group.info, ind_code, kind_text)
        if type(cell) is str:
            errors.add(reader.line_num, cell)
            continue
        try:
            value = parse_number(value_text, integer=cell.integer)
        except NumberFormatError as exc:
            errors.add(reader.line_num, str(exc))
            continue
        if value is None:
            text = None
        else:
            text = str(value)
            dot = text.find(".")
            if (dot >= 0 and len(text) - dot > 7) or "E" in text or not cell.low <= value <= cell.high:
                problem = value_problem(cell.indicator, value)
                if problem:
                    errors.add(reader.line_num, problem)
                    continue
        line = reader.line_num
        first = group.seen.setdefault(cell, line)
        if first != line:
            errors.add(line, _("repeats line %(first)d (%(ind)s, %(unit)s, %(period)s, %(kind)s)") % {
                "first": first, "ind": cell.indicator.code, "unit": group.unit_code, "period": group.period,
                "kind": cell.kind})
            continue
        if cell.summed and group.sums is not None:
            group.sums[(cell.pk, cell.kind)] = value
        if cell.target and group.targets_locked:
            held_targets.append((line, group, cell, value))
        if pg:
            stage(f"{group.prefix}{cell.prefix}{COPY_NULL if text is None else text}\n")
        else:
            stage((group.unit_id, group.period, cell.pk, cell.kind, text))


@contextmanager
def _no_gc():
    """The read makes millions of short-lived objects and no reference cycles: the cycle collector's passes over
    the growing staged data are pure cost (a fifth of the read). Process-wide, so put back as found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lock_submissions(group_line: dict, user) -> dict[tuple[int, int, str], tuple[int, str]]:
    """(pk, status) of the submission of every (form, unit, period) in the file, locked; missing ones are created
    as drafts (a concurrent creation of the same one fails on unique_submission, and the import with it)."""
    found = {}
    rows = Submission.objects.select_for_update().filter(
        form_id__in={g[0] for g in group_line}, orgunit_id__in={g[1] for g in group_line},
        period__in={g[2] for g in group_line}).values_list("form_id", "orgunit_id", "period", "pk", "status")
    for form_id, unit_id, period, pk, status in rows.iterator(chunk_size=CHUNK):
        if (form_id, unit_id, period) in group_line:
            found[(form_id, unit_id, period)] = (pk, status)
    missing = [g for g in group_line if g not in found]
    if missing:
        created = Submission.objects.bulk_create(
            [Submission(form_id=f, orgunit_id=u, period=p, updated_by=user) for f, u, p in missing], batch_size=CHUNK)
        if any(s.pk is None for s in created):  # SQLite before 3.35 does not return the new keys
            found = _lock_submissions(group_line, user)
        else:
            found.update({(s.form_id, s.orgunit_id, s.period): (s.pk, s.status) for s in created})
        now = timezone.now()
        SubmissionEvent.objects.bulk_create(
            [SubmissionEvent(submission_id=found[g][0], from_status="", to_status=Submission.Status.DRAFT, actor=user,
                             at=now) for g in missing], batch_size=CHUNK)
    return found


def _target_check(held: list, errors: _Errors) -> None:
    """A target the person may not change passes only as it is stored (the rule of reporting.targets), so a file
    exported with its targets can come back; read under the reports' locks."""
    if not held:
        return
    stored = {
        (unit_id, period, indicator_id): value
        for unit_id, period, indicator_id, value in DataValue.objects.filter(
            kind=ValueKind.TARGET, orgunit_id__in={g.unit_id for _l, g, _c, _v in held},
            period__in={g.period for _l, g, _c, _v in held}, indicator_id__in={c.pk for _l, _g, c, _v in held},
        ).values_list("orgunit_id", "period", "indicator_id", "value")
    }
    for line, group, cell, value in held:
        if stored.get((group.unit_id, group.period, cell.pk)) != value:
            errors.add(line, target_refusal(f"{cell.indicator.code} · {group.unit_code} · {group.period}"))


def _sum_rule_check(infos: dict[int, _FormInfo], groups: dict, group_line: dict, errors: _Errors) -> None:
    """Parts may not exceed their total, with the file's values laid over what is stored.

    `groups` holds, for every group of a form with sum rules, the file's values of totals and parts."""
    if not groups:
        return
    stored: dict[tuple[int, str], dict] = defaultdict(dict)
    unit_ids = {g[1] for g in groups}
    periods = {g[2] for g in groups}
    indicator_ids = {pk for info in infos.values() if info.has_sum_rules for pk in info.summed}
    for ind, unit, period, kind, value in DataValue.objects.filter(
        orgunit_id__in=unit_ids, period__in=periods, indicator_id__in=indicator_ids
    ).values_list("indicator_id", "orgunit_id", "period", "kind", "value").iterator(chunk_size=CHUNK):
        stored[(unit, period)][(ind, kind)] = value
    for group, cells in groups.items():
        form_id, unit_id, period = group
        merged = {**stored.get((unit_id, period), {}), **cells}
        for problem in sum_rule_problems(infos[form_id].sum_rows, merged):
            errors.add(group_line[group], problem)


def _write(staged: list, *, user, channel: str) -> int:
    """Write the staged cells and append one history row per changed value; returns the number changed.

    `staged` holds (orgunit, period, indicator, kind, value text or None) — as lines of COPY text on PostgreSQL,
    as tuples on SQLite. Everything after the staging table is set-based SQL."""
    dv, vh = DataValue._meta, ValueHistory._meta
    col = {f.name: f.column for f in dv.concrete_fields}
    hcol = {f.name: f.column for f in vh.concrete_fields}
    qn = connection.ops.quote_name
    dvt, value = qn(dv.db_table), qn(col["value"])
    key = ["indicator", "orgunit", "period", "kind"]
    key_columns = ", ".join(qn(col[k]) for k in key)
    join = " AND ".join(f"d.{qn(col[k])} = s.{k}" for k in key)
    order = "ORDER BY s.indicator, s.orgunit, s.period, s.kind"
    history = (f"INSERT INTO {qn(vh.db_table)} ({', '.join(qn(hcol[c]) for c in key)}, {qn(hcol['old_value'])}, "
               f"{qn(hcol['new_value'])}, {qn(hcol['changed_by'])}, {qn(hcol['changed_at'])}, {qn(hcol['channel'])}) ")
    insert = (f"INSERT INTO {dvt} ({key_columns}, {value}, {qn(col['comment'])}, {qn(col['updated_at'])}, "
              f"{qn(col['updated_by'])}) SELECT s.indicator, s.orgunit, s.period, s.kind, s.value, '', %s, %s "
              f"FROM import_staging s ")
    now = timezone.now()
    user_id = user.pk if user else None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Dropped explicitly too: an outer transaction (tests, a caller's atomic) may outlive ON COMMIT DROP.
            cursor.execute("DROP TABLE IF EXISTS pg_temp.import_staging")
            cursor.execute("CREATE TEMP TABLE import_staging (orgunit bigint, period varchar(12), indicator bigint, "
                           "kind varchar(8), value numeric(24, 6), old numeric(24, 6)) ON COMMIT DROP")
            with cursor.cursor.copy("COPY import_staging (orgunit, period, indicator, kind, value) FROM STDIN") as copy:
                for i in range(0, len(staged), COPY_LINES):
                    copy.write("".join(staged[i:i + COPY_LINES]))
            cursor.execute("ANALYZE import_staging")  # a temp table has no statistics; the joins need them
            # The stored value of each cell is read once, into the staging table (DataValue.value is never null, so
            # old is null exactly for a new cell); the other statements then work from the staging table alone, and
            # new cells are plain inserts (a third cheaper than an upsert). Another writer cannot add one of these
            # cells meanwhile without the submission lock; if it did anyway, the insert fails and so does the import.
            cursor.execute(f"UPDATE import_staging s SET old = d.{value} FROM {dvt} d WHERE {join}")
            if cursor.rowcount:
                cursor.execute("ANALYZE import_staging")
            # Rows go in in the order of the cell indexes, so each index is walked through once instead of being hit
            # at random: with a million rows the indexes outgrow shared_buffers and random inserts thrash. The sorts
            # need the memory for it.
            cursor.execute(f"SET LOCAL work_mem = '{PG_SORT_MEMORY}'")
            changed_cells = "SELECT indicator, orgunit, period FROM import_staging WHERE old IS DISTINCT FROM value"
            cursor.execute(history + "SELECT s.indicator, s.orgunit, s.period, s.kind, s.old, s.value, %s, %s, %s "
                           f"FROM import_staging s WHERE s.old IS DISTINCT FROM s.value {order}",
                           [user_id, now, channel])
            changed = cursor.rowcount
            cursor.execute(f"DELETE FROM {dvt} d USING import_staging s WHERE {join} AND s.value IS NULL "
                           f"AND s.old IS NOT NULL")
            cursor.execute(f"UPDATE {dvt} d SET {value} = s.value, {qn(col['updated_at'])} = %s, "
                           f"{qn(col['updated_by'])} = %s FROM import_staging s WHERE {join} AND s.old <> s.value",
                           [now, user_id])
            cursor.execute(insert + f"WHERE s.old IS NULL AND s.value IS NOT NULL {order}", [now, user_id])
        else:
            cursor.execute("DROP TABLE IF EXISTS temp.import_staging")
            cursor.execute("CREATE TEMP TABLE import_staging (orgunit integer, period varchar(12), indicator integer, "
                           "kind varchar(8), value decimal)")
            cursor.executemany("INSERT INTO import_staging VALUES (%s, %s, %s, %s, %s)", staged)
            # History ids only grow and SQLite has one writer: the rows above this one are this import's changes.
            cursor.execute(f"SELECT COALESCE(MAX({qn(vh.pk.column)}), 0) FROM {qn(vh.db_table)}")
            last_history = int(cursor.fetchone()[0])
            changed_cells = (f"SELECT {qn(hcol['indicator'])} AS indicator, {qn(hcol['orgunit'])} AS orgunit, "
                             f"{qn(hcol['period'])} AS period FROM {qn(vh.db_table)} "
                             f"WHERE {qn(vh.pk.column)} > {last_history}")
            cursor.execute(history + f"SELECT s.indicator, s.orgunit, s.period, s.kind, d.{value}, s.value, %s, %s, %s "
                           f"FROM import_staging s LEFT JOIN {dvt} d ON {join} WHERE d.{value} IS NOT s.value",
                           [user_id, now, channel])
            changed = cursor.rowcount
            cursor.execute(f"DELETE FROM {dvt} WHERE ({key_columns}) IN "
                           f"(SELECT indicator, orgunit, period, kind FROM import_staging WHERE value IS NULL)")
            cursor.execute(insert + f"WHERE s.value IS NOT NULL ON CONFLICT ({key_columns}) DO UPDATE SET "
                           f"{value} = excluded.{value}, {qn(col['updated_at'])} = excluded.{qn(col['updated_at'])}, "
                           f"{qn(col['updated_by'])} = excluded.{qn(col['updated_by'])} "
                           f"WHERE {dvt}.{value} IS NOT excluded.{value}", [now, user_id])
        # The rollups above the changed cells, set-based, in this transaction.
        if changed:
            rollups_refresh_query(cursor, changed_cells, changed_at=now)
        cursor.execute("DROP TABLE import_staging")
    return changed


def _bump(submissions: dict, user) -> None:
    """Every saved submission moves to its next version, as a save from the web page does."""
    ids = [pk for pk, _status in submissions.values()]
    now = timezone.now()
    for i in range(0, len(ids), CHUNK):
        Submission.objects.filter(pk__in=ids[i:i + CHUNK]).update(version=F("version") + 1, updated_by=user,
                                                                   updated_at=now)
