"""The reporting-level entry point for bulk values: rows as a client sends them (codes, as typed) → the one writer.

Every bulk channel calls `values_import_rows`: the CSV import (`csv_import.values_import` parses the file into
rows), `manage.py import_values` and the data API (dataValueSets). All or nothing; `dry_run` checks everything,
writes nothing and returns the counts a real run would; problems come back as ImportProblem (stable code, 0-based
index of the row, field, Vietnamese message).

Here: resolving codes (each combination once, then looked up as typed), parsing numbers, repeats, which form a row
belongs to. The rows stream into the writer (dieuhanh.indicators.writer) as cells tagged with their form; the
report rules then run set-based on the writer's staging table, inside its transaction (`_ReportChecks`): the
reports are locked (created as drafts where missing) and must be editable, sum rules hold with the stored values,
targets change only for those who may set them, each value takes the state of the reports that carry it, and every
report touched moves to its next version. The writer itself checks the unit scope and the values' bounds.
"""

from __future__ import annotations

import datetime
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import TARGET_SETTING_ROLES, Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.indicators.models import DataValue, Indicator, ValueKind, ValueState
from dieuhanh.indicators.writer import STRATEGIES, Staged, WriteErrors, WriteResult, datavalues_write, units_sql
from dieuhanh.lib.vnformat import NumberFormatError, fold, format_number, parse_number
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.models import ReportForm, Submission
from dieuhanh.reporting.services import (
    VALUE_STATE,
    form_cells,
    form_rows,
    locked_report_problem,
    period_check,
    submissions_bump,
    submissions_lock,
    sum_rule_problems,
)
from dieuhanh.reporting.targets import target_refusal

MAX_ERRORS = 200
MAX_OVERWRITES_LISTED = 200  # the rest are counted (and every one is marked in the history)
KIND_NAMES = {
    "target": ValueKind.TARGET, "estimate": ValueKind.ESTIMATE, "actual": ValueKind.ACTUAL,
    fold("kế hoạch"): ValueKind.TARGET, fold("ước thực hiện"): ValueKind.ESTIMATE,
    fold("thực hiện"): ValueKind.ACTUAL,
}


class ImportRow(NamedTuple):
    """One value as a client sends it (codes, as typed). A named tuple: one is made per line of a ten-million-line
    file, and a tuple is made in a third of a frozen dataclass's time."""

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


@dataclass(frozen=True)
class ImportResult:
    values: int  # rows written (cells staged)
    changed: int  # cells whose value changed (one history row each)
    seconds: float
    validating: float = 0.0  # of which: reading, staging and checking,
    writing: float = 0.0  # the writes and the rollups,
    committing: float = 0.0  # and the commit
    imported: int = 0  # new cells
    updated: int = 0  # existing cells whose value, comment or state changed
    ignored: int = 0  # unchanged, or skipped by the strategy
    deleted: int = 0  # cleared cells
    write: WriteResult | None = None  # the writer's own account, step by step (make bench prints it)
    overwritten: int = 0  # stored figures replaced or cleared by an import that named no report version
    overwrites: tuple[Overwrite, ...] = ()  # the first MAX_OVERWRITES_LISTED of them, by row


@dataclass(frozen=True)
class Overwrite:
    """A stored figure an import without a version replaced (or cleared): old → new, and who saved the old one."""

    index: int  # 0-based row of the input
    indicator: str
    unit: str
    period: str
    kind: str
    old: Decimal
    new: Decimal | None
    saved_by: str  # who saved the replaced figure ("" when the system did)
    saved_at: datetime.datetime

    def describe(self) -> str:
        return _("%(ind)s · %(unit)s · %(period)s (%(kind)s): %(old)s → %(new)s, saved by %(who)s at %(when)s") % {
            "ind": self.indicator, "unit": self.unit, "period": self.period,
            "kind": str(ValueKind(self.kind).label).lower(), "old": format_number(self.old, 6, trim=True),
            "new": _("empty") if self.new is None else format_number(self.new, 6, trim=True),
            "who": self.saved_by or _("the system"),
            "when": timezone.localtime(self.saved_at).strftime("%H:%M %d/%m/%Y")}


class ImportErrors(Exception):
    """Nothing was written. `problems`: the first max_errors ImportProblem, by index; `more`: how many others;
    `errors`: the same as messages naming the CSV line ("Dòng 12: …")."""

    def __init__(self, errors: list[str], more: int = 0, problems: list[ImportProblem] | None = None):
        self.errors, self.more, self.problems = errors, more, problems or []
        super().__init__("\n".join(errors) + (f"\n(+{more})" if more else ""))

    @classmethod
    def of(cls, problems: list[ImportProblem], more: int = 0) -> ImportErrors:
        lines = [_("Line %(line)d: %(problem)s") % {"line": p.index + 2, "problem": p.message} for p in problems]
        return cls(lines, more, problems)


class _FormInfo:
    """One form's rows, fetched once: which (indicator code, kind) it takes and its sum rules."""

    def __init__(self, form: ReportForm):
        self.form = form
        self.rows = form_rows(form)
        self.indicators = {row.indicator.code: row.indicator for row in self.rows}
        self.kinds = {(row.indicator.code, kind) for row in self.rows for kind in row.kind_list}
        totals = {row.total_row_id for row in self.rows if row.total_row_id}
        # The totals and their parts, in form order: all that sum_rule_problems reads.
        self.sum_rows = [row for row in self.rows if row.total_row_id or row.pk in totals]
        self.summed = {row.indicator_id for row in self.sum_rows}
        self.unit_ids = set(form.units.values_list("pk", flat=True))
        self.periods: dict[str, str | None] = {}  # period id → problem (None when fine)
        self.positions: dict[tuple[int, str], int] = {}  # (indicator id, kind) → its slot in a group's repeats

    def period_problem(self, period: str) -> str | None:
        if period not in self.periods:
            try:
                period_check(self.form, period)
                self.periods[period] = None
            except ValidationError as exc:
                self.periods[period] = " ".join(exc.messages)
        return self.periods[period]

    def position(self, indicator_id: int, kind: str) -> int:
        return self.positions.setdefault((indicator_id, kind), len(self.positions))


class _Group:
    """One (form, unit, period): the first row of each of its cells (to name a repeat), nothing else — small."""

    __slots__ = ("info", "form_id", "unit_id", "unit_code", "period", "first")

    def __init__(self, info: _FormInfo, unit_id: int, unit_code: str, period: str):
        self.info, self.unit_id, self.unit_code, self.period = info, unit_id, unit_code, period
        self.form_id = info.form.pk
        self.first = array("q")


class _Cell:
    """One (form, indicator, kind) as typed, resolved once."""

    __slots__ = ("indicator", "indicator_id", "kind", "integer", "position")

    def __init__(self, indicator: Indicator, kind: str, info: _FormInfo):
        self.indicator, self.indicator_id, self.kind = indicator, indicator.pk, kind
        self.integer = indicator.value_type == Indicator.ValueType.INTEGER
        self.position = info.position(indicator.pk, kind)


class _Problems:
    def __init__(self, limit: int):
        self.limit, self.items, self.more = limit, [], 0

    def add(self, index: int, field: str, value: str, code: str, message: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(ImportProblem(index, field, value, code, message))
        else:
            self.more += 1


class _Resolver:
    """Codes → ids, each combination looked up once; answers a problem (field, value, code, message) or the
    thing."""

    def __init__(self):
        self.units = dict(OrgUnit.objects.values_list("code", "pk"))
        self.forms: dict[str, _FormInfo | None] = {}
        self.forms_of_unit: dict[int, list[str]] = {}
        self.known_indicators: dict[str, bool] = {}
        self.groups: dict[tuple[int, int, str], _Group] = {}
        self.group_of: dict[tuple, _Group | tuple] = {}
        self.cells: dict[tuple, _Cell | tuple] = {}
        self.unowned: dict[tuple, str | tuple] = {}

    def info(self, code: str) -> _FormInfo | None:
        if code not in self.forms:
            form = ReportForm.objects.filter(code=code, active=True).first()
            self.forms[code] = _FormInfo(form) if form else None
        return self.forms[code]

    def form_for(self, unit_code: str, ind_code: str, kind_text: str) -> str | tuple:
        """The code of the one active form of the unit carrying (indicator, kind), for rows without a form."""
        key = (unit_code, ind_code, kind_text)
        if key not in self.unowned:
            self.unowned[key] = self._form_for(unit_code.strip(), ind_code.strip(), kind_text)
        return self.unowned[key]

    def _form_for(self, unit_code: str, ind_code: str, kind_text: str) -> str | tuple:
        unit_id = self.units.get(unit_code)
        if unit_id is None:
            return ("unit", unit_code, "E_UNKNOWN_UNIT", _("unknown unit '%(v)s'") % {"v": unit_code})
        kind = KIND_NAMES.get(fold(kind_text))
        if kind is None:
            return ("kind", kind_text.strip(), "E_KIND",
                    _("unknown value kind '%(v)s' (target, estimate, actual)") % {"v": kind_text.strip()})
        if unit_id not in self.forms_of_unit:
            self.forms_of_unit[unit_id] = list(ReportForm.objects.filter(active=True, units=unit_id).order_by(
                "code").values_list("code", flat=True))
        carrying = [code for code in self.forms_of_unit[unit_id] if (ind_code, kind) in self.info(code).kinds]
        if len(carrying) == 1:
            return carrying[0]
        if not carrying:
            return ("indicator", ind_code, "E_NOT_ON_FORM",
                    _("no form of unit %(unit)s takes %(ind)s (%(kind)s)") % {
                        "unit": unit_code, "ind": ind_code, "kind": ValueKind(kind).label})
        return ("form", "", "E_FORM_AMBIGUOUS", _("%(ind)s (%(kind)s) of unit %(unit)s is on several forms "
                                                  "(%(forms)s): name the form") % {
            "ind": ind_code, "kind": ValueKind(kind).label, "unit": unit_code, "forms": ", ".join(carrying)})

    def group(self, form_code: str, unit_code: str, period: str) -> _Group | tuple:
        key = (form_code, unit_code, period)
        found = self.group_of.get(key)
        if found is None:
            found = self.group_of[key] = self._group(form_code.strip(), unit_code.strip(), period.strip())
        return found

    def _group(self, form_code: str, unit_code: str, period: str) -> _Group | tuple:
        info = self.info(form_code)
        if info is None:
            return ("form", form_code, "E_UNKNOWN_FORM", _("unknown form '%(v)s'") % {"v": form_code})
        unit_id = self.units.get(unit_code)
        if unit_id is None:
            return ("unit", unit_code, "E_UNKNOWN_UNIT", _("unknown unit '%(v)s'") % {"v": unit_code})
        if unit_id not in info.unit_ids:
            return ("unit", unit_code, "E_NOT_ON_FORM", _("unit %(unit)s does not report form %(form)s") % {
                "unit": unit_code, "form": form_code})
        problem = info.period_problem(period)
        if problem:
            return ("period", period, "E_PERIOD", problem)
        key = (info.form.pk, unit_id, period)
        if key not in self.groups:  # the same group may be typed differently (spaces)
            self.groups[key] = _Group(info, unit_id, unit_code, period)
        return self.groups[key]

    def cell(self, info: _FormInfo, ind_code: str, kind_text: str) -> _Cell | tuple:
        key = (info.form.pk, ind_code, kind_text)
        found = self.cells.get(key)
        if found is None:
            found = self.cells[key] = self._cell(info, ind_code.strip(), kind_text)
        return found

    def _cell(self, info: _FormInfo, ind_code: str, kind_text: str) -> _Cell | tuple:
        kind = KIND_NAMES.get(fold(kind_text))
        if kind is None:
            return ("kind", kind_text.strip(), "E_KIND",
                    _("unknown value kind '%(v)s' (target, estimate, actual)") % {"v": kind_text.strip()})
        indicator = info.indicators.get(ind_code)
        if indicator is None:
            if ind_code not in self.known_indicators:
                self.known_indicators[ind_code] = Indicator.objects.filter(code=ind_code).exists()
            if self.known_indicators[ind_code]:
                return ("indicator", ind_code, "E_NOT_ON_FORM", _("indicator %(ind)s is not on form %(form)s") % {
                    "ind": ind_code, "form": info.form.code})
            return ("indicator", ind_code, "E_UNKNOWN_INDICATOR", _("unknown indicator '%(v)s'") % {"v": ind_code})
        if (ind_code, kind) not in info.kinds:
            return ("kind", kind_text.strip(), "E_NOT_ON_FORM", _("%(ind)s (%(kind)s) is not on form %(form)s") % {
                "ind": ind_code, "kind": ValueKind(kind).label, "form": info.form.code})
        return _Cell(indicator, kind, info)


def _cells(items: Iterable[tuple[int, ImportRow | ImportProblem]], resolver: _Resolver, problems: _Problems,
           strategy: str) -> Iterator[tuple]:
    """The writer's cells of the rows (index, orgunit, period, indicator, kind, value text, comment, state, form);
    the problems go to `problems`. Runs once per row: as little work as it can."""
    delete = strategy == "DELETE"
    group_of, cells = resolver.group_of, resolver.cells  # looked up inline: this loop runs once per row
    draft = int(ValueState.DRAFT)
    for index, row in items:
        if type(row) is ImportProblem:
            problems.add(row.index, row.field, row.value, row.code, row.message)
            continue
        form_code = row.form
        if form_code is None:
            form_code = resolver.form_for(row.unit, row.indicator, row.kind)
            if type(form_code) is tuple:
                problems.add(index, *form_code)
                continue
        group = group_of.get((form_code, row.unit, row.period))
        if group is None:
            group = resolver.group(form_code, row.unit, row.period)
        if type(group) is tuple:
            problems.add(index, *group)
            continue
        cell = cells.get((group.form_id, row.indicator, row.kind))
        if cell is None:
            cell = resolver.cell(group.info, row.indicator, row.kind)
        if type(cell) is tuple:
            problems.add(index, *cell)
            continue
        if delete:
            text = None
        else:
            try:
                value = parse_number(row.value, integer=cell.integer)
            except NumberFormatError as exc:
                problems.add(index, "value", row.value or "", "E_VALUE_TYPE", str(exc))
                continue
            text = None if value is None else str(value)
        first = group.first
        position = cell.position
        if position >= len(first):
            first.extend([-1] * (position + 1 - len(first)))
        if first[position] < 0:
            first[position] = index
        else:
            first = first[position]
            problems.add(index, "indicator", row.indicator, "E_DUPLICATE",
                         _("repeats line %(first)d (%(ind)s, %(unit)s, %(period)s, %(kind)s)") % {
                             "first": first + 2, "ind": cell.indicator.code, "unit": group.unit_code,
                             "period": group.period, "kind": cell.kind})
            continue
        yield (index, group.unit_id, group.period, cell.indicator_id, cell.kind, text, row.comment or None, draft,
               group.form_id)


class _ReportChecks:
    """The report rules, on the writer's staging table (the cells' tag is their form id)."""

    def __init__(self, resolver: _Resolver, problems: _Problems, user):
        self.resolver, self.problems, self.user = resolver, problems, user

    def __call__(self, staged: Staged) -> None:
        for p in self.problems.items:  # the rows' own problems first: one list, by index
            staged.refuse(p.index, p.field, p.value, p.code, p.message)
        staged.more += self.problems.more
        cursor = staged.cursor
        cursor.execute(staged.sql("SELECT tag, orgunit, period, MIN(idx) FROM {t} GROUP BY tag, orgunit, period"))
        first = {(form, unit, period): index for form, unit, period, index in cursor.fetchall()}
        reports = submissions_lock(first, self.user)
        for key, (_pk, status, _version) in reports.items():
            if locked_report_problem(status):
                group = self.resolver.groups[key]
                staged.refuse(first[key], "report", group.info.form.code, "E_LOCKED",
                              _("the report %(form)s of %(unit)s for %(period)s is %(status)s and locked") % {
                                  "form": group.info.form.code, "unit": group.unit_code, "period": key[2],
                                  "status": str(Submission.Status(status).label).lower()})
        self._sum_rules(staged, first)
        self._targets(staged)
        self._states(staged, first)
        submissions_bump([pk for pk, _status, _version in reports.values()], self.user)

    def _sum_rules(self, staged: Staged, first: dict) -> None:
        """Parts may not exceed their total, with the rows' values laid over what is stored."""
        infos = {info.form.pk: info for info in self.resolver.forms.values() if info and info.sum_rows}
        if not infos:
            return
        where = " OR ".join(f"(tag = {int(pk)} AND indicator IN ({', '.join(str(int(i)) for i in info.summed)}))"
                            for pk, info in infos.items())
        staged.cursor.execute(staged.sql(f"SELECT tag, orgunit, period, indicator, kind, value FROM {{t}} "
                                         f"WHERE {where}"))
        given: dict[tuple, dict] = defaultdict(dict)
        for form, unit, period, indicator, kind, value in staged.cursor.fetchall():
            given[(form, unit, period)][(indicator, kind)] = value
        if not given:
            return
        stored: dict[tuple[int, str], dict] = defaultdict(dict)
        for ind, unit, period, kind, value in DataValue.objects.filter(
            orgunit_id__in={g[1] for g in given}, period__in={g[2] for g in given},
            indicator_id__in={i for info in infos.values() for i in info.summed},
        ).values_list("indicator_id", "orgunit_id", "period", "kind", "value").iterator(chunk_size=5000):
            stored[(unit, period)][(ind, kind)] = value
        for key, cells in given.items():
            merged = {**stored.get(key[1:], {}), **{k: _decimal(v) for k, v in cells.items()}}
            for problem in sum_rule_problems(infos[key[0]].sum_rows, merged):
                staged.refuse(first[key], "value", "", "E_SUM_RULE", problem)

    def _targets(self, staged: Staged) -> None:
        """A target the person may not change passes only as it is stored (the rule of reporting.targets)."""
        if self.user is None:
            return
        sql, params = units_sql(units_in_scope(self.user, *TARGET_SETTING_ROLES))
        differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        staged.cursor.execute(staged.sql(
            "SELECT s.idx, s.indicator, s.orgunit, s.period FROM {t} s LEFT JOIN {dv} d "
            "ON d.indicator_id = s.indicator AND d.orgunit_id = s.orgunit AND d.period = s.period "
            "AND d.kind = s.kind WHERE s.kind = 'target' AND s.orgunit NOT IN (")
            + sql + f") AND d.value {differs} s.value ORDER BY s.idx LIMIT {staged.max_errors + 1}", params)
        rows = staged.cursor.fetchall()
        codes = dict(Indicator.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "code"))
        units = {pk: code for code, pk in self.resolver.units.items()}
        for index, indicator, unit, period in rows:
            staged.refuse(index, "value", "", "E_TARGET_RIGHTS",
                          target_refusal(f"{codes[indicator]} · {units[unit]} · {period}"))

    def _states(self, staged: Staged, first: dict) -> None:
        """A cell that is also on a report that has left the unit takes that report's state (value_states)."""
        pairs = {(unit, period) for _form, unit, period in first}
        gone = [(form, unit, period, VALUE_STATE[status]) for form, unit, period, status in Submission.objects.filter(
            status__in=VALUE_STATE, orgunit_id__in={u for u, _p in pairs}, period__in={p for _u, p in pairs},
        ).values_list("form_id", "orgunit_id", "period", "status") if (unit, period) in pairs]
        if not gone:
            return
        cells_of = form_cells({form for form, _u, _p, _s in gone})
        staged.cursor.executemany(staged.sql(
            "UPDATE {t} SET state = %s WHERE orgunit = %s AND period = %s AND indicator = %s AND kind = %s "
            "AND state < %s"),
            [(int(state), unit, period, indicator, kind, int(state)) for form, unit, period, state in gone
             for indicator, kind in cells_of.get(form, ())])


class _Overwrites:
    """Which stored figures the import replaces or clears, read from the staging table before the writer merges:
    an import that names no report version could not have seen them, so each is listed back to the importer (and
    the writer marks its history row as an overwrite) instead of being replaced silently."""

    def __init__(self, resolver: _Resolver, strategy: str):
        self.resolver, self.strategy = resolver, strategy
        self.count, self.items = 0, ()

    def __call__(self, staged: Staged) -> None:
        if staged.problems or staged.more or self.strategy == "CREATE":  # nothing written, or nothing replaced
            return
        replaces = "1 = 1" if self.strategy == "DELETE" else "(s.value IS NULL OR s.value <> d.value)"
        cursor = staged.cursor
        joined = staged.sql("FROM {t} s JOIN {dv} d ON d.indicator_id = s.indicator AND d.orgunit_id = s.orgunit "
                            "AND d.period = s.period AND d.kind = s.kind WHERE " + replaces)
        cursor.execute(f"SELECT COUNT(*) {joined}")
        self.count = int(cursor.fetchone()[0])
        if not self.count:
            return
        cursor.execute(f"SELECT s.idx, d.id, {'NULL' if self.strategy == 'DELETE' else 's.value'} {joined} "
                       f"ORDER BY s.idx LIMIT {MAX_OVERWRITES_LISTED}")
        rows = cursor.fetchall()
        stored = {dv.pk: dv for dv in DataValue.objects.filter(pk__in=[r[1] for r in rows]).select_related("indicator")}
        names = {u.pk: u.get_full_name() or u.get_username()
                 for u in get_user_model().objects.filter(pk__in={dv.updated_by_id for dv in stored.values()})}
        units = {pk: code for code, pk in self.resolver.units.items()}
        self.items = tuple(
            Overwrite(index=index, indicator=stored[pk].indicator.code, unit=units[stored[pk].orgunit_id],
                      period=stored[pk].period, kind=stored[pk].kind, old=stored[pk].value,
                      new=None if new is None else _decimal(new), saved_by=names.get(stored[pk].updated_by_id, ""),
                      saved_at=stored[pk].updated_at)
            for index, pk, new in rows)


def _decimal(value):
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def values_import_rows(rows: Iterable[ImportRow], *, user, channel: str, strategy: str = "CREATE_AND_UPDATE",
                       dry_run: bool = False, max_errors: int = MAX_ERRORS) -> ImportResult:
    """Check and write the rows in one transaction; returns ImportResult, raises ImportErrors (with `.problems`).

    `user` None is the system (the command without --user); otherwise the user needs the reporter role on the
    rows' units (E_OUT_OF_SCOPE)."""
    return _import(enumerate(rows), user=user, channel=channel, strategy=strategy, dry_run=dry_run,
                   max_errors=max_errors)


def _import(items: Iterable[tuple[int, ImportRow | ImportProblem]], *, user, channel: str, strategy: str,
            dry_run: bool, max_errors: int) -> ImportResult:
    """values_import_rows over (index, row) pairs; a pair may carry a problem found while parsing (the CSV's)."""
    if strategy not in STRATEGIES:
        raise ImportErrors.of([ImportProblem(0, "report", strategy, "E_STRATEGY", _(
            "unknown import strategy '%(v)s' (%(all)s)") % {"v": strategy, "all": ", ".join(STRATEGIES)})])
    started = time.perf_counter()
    resolver, problems = _Resolver(), _Problems(max_errors)
    scope = None if user is None else units_in_scope(user, Role.REPORTER)
    overwrites = _Overwrites(resolver, strategy)
    try:
        result = datavalues_write(_cells(items, resolver, problems, strategy), user=user, channel=channel,
                                  strategy=strategy, dry_run=dry_run, scope=scope, max_errors=max_errors,
                                  checks=[_ReportChecks(resolver, problems, user), overwrites], overwrite=True)
    except WriteErrors as exc:
        raise ImportErrors.of([ImportProblem(p.index, p.field, p.value, p.code, p.message) for p in exc.problems],
                              exc.more) from exc
    validating = result.staging + result.checking
    writing = result.merging + result.rollups
    seconds = time.perf_counter() - started
    return ImportResult(values=result.cells, changed=result.changed, seconds=seconds, validating=validating,
                        writing=writing, committing=max(seconds - validating - writing, 0.0),
                        imported=result.imported, updated=result.updated, ignored=result.ignored,
                        deleted=result.deleted, write=result, overwritten=overwrites.count,
                        overwrites=overwrites.items)
