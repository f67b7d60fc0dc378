"""Rollups of data values over the unit tree, maintained on write (see ValueRollup).

Every write of values (the one writer, dieuhanh.indicators.writer) calls `rollups_refresh_query` with the cells
whose counted figure changed, inside the same transaction (a workflow step calls `rollups_refresh`), so the rollups
never lag behind the values: a figure read after the commit includes the write. The refresh recomputes the affected
rows — the changed cells' units, when they have sub-units, and all their ancestors, plus the weighted averages
weighted by a changed indicator — from the values, set-based: per level of the tree (deepest first) one DELETE and
two INSERT … SELECT … GROUP BY statements, the same on SQLite and PostgreSQL.

Only reported values count: a value whose report has not left the unit (a draft, a returned report) feeds no row,
and `pending` counts the units whose figure is submitted but not yet approved (ValueState, settings.REPORTED_DATA).
A step of a report's workflow changes its values' state and refreshes their rows like a write (datavalues_set_state).

A unit's own value wins over its children's: the province's own estimate is the province's figure; otherwise the
children's figures are combined (sums summed, averages as Σ value and count, weighted averages as Σ value × weight
and Σ weight). "none" indicators are not rolled up.

A move in the tree (orgunit_move, a merge that moves the units below) calls `rollups_refresh_moved` in its
transaction: the new ancestors gain the moved subtrees' figures and the old ones lose them, for every (indicator,
period) the subtrees hold values of.

`rollups_rebuild` recomputes everything (after the migration that adds the table, after the demo's bulk load):
`manage.py rollups_rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from dieuhanh.indicators.models import ValueState

TARGET, ACTUAL, ESTIMATE = "target", "actual", "estimate"
SCAN_FROM_KEYS = 2000  # rows of one level to recompute from which the values are scanned rather than looked up
ROLLUP_LOCK = 7_640_001  # the first key of the advisory locks on PostgreSQL (the second is the indicator id)
TREE_LOCK = (7_640_002, 0)  # writers hold it shared, a move of units exclusive (see rollups_lock_tree)


@dataclass(frozen=True)
class _Names:
    """Quoted table and column names (from the models given, so that a migration can pass its historical ones)."""

    dv: str
    ru: str
    ind: str
    ou: str
    col: dict

    @classmethod
    def of(cls, datavalue, rollup, indicator, orgunit) -> _Names:
        qn = connection.ops.quote_name
        col = {}
        for prefix, model in (("dv", datavalue), ("ru", rollup), ("ind", indicator), ("ou", orgunit)):
            for field in model._meta.concrete_fields:
                col[f"{prefix}.{field.name}"] = qn(field.column)
        return cls(qn(datavalue._meta.db_table), qn(rollup._meta.db_table), qn(indicator._meta.db_table),
                   qn(orgunit._meta.db_table), col)


def _ordered() -> str:
    """The join keyword that keeps the tables in the order written: SQLite has no statistics on the temporary
    tables and, left to itself, reads all of an indicator's values per key instead of the children's cells
    (a hundred times more rows on a large import). PostgreSQL plans from the ANALYZE of the keys."""
    return "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"


def _live_models():
    from dieuhanh.indicators.models import DataValue, Indicator, ValueRollup
    from dieuhanh.orgunits.models import OrgUnit

    return DataValue, ValueRollup, Indicator, OrgUnit


def _ancestry(unit_ids: Iterable[int], orgunit_model) -> list[tuple[int, int, int]]:
    """(unit, rolled-up unit, depth of the rolled-up unit) for every ancestor of the units, and the unit itself
    when it has sub-units (a leaf's figure is its own value and needs no row)."""
    unit_ids = set(unit_ids)
    if not unit_ids:
        return []
    paths = dict(orgunit_model.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    codes = {code for path in paths.values() for code in path.strip("/").split("/") if code}
    by_code = dict(orgunit_model.objects.filter(code__in=codes).values_list("code", "pk"))
    parents = set(orgunit_model.objects.filter(parent_id__in=unit_ids).values_list("parent_id", flat=True))
    rows = []
    for unit, path in paths.items():
        chain = [c for c in path.strip("/").split("/") if c]
        for depth, code in enumerate(chain, start=1):
            ancestor = by_code.get(code)
            if ancestor is None:
                continue
            if ancestor == unit and unit not in parents:
                continue
            rows.append((unit, ancestor, depth))
    return rows


def _own_sql(n: _Names, source: str, where: str) -> str:
    """Each unit's own contribution, one row per (indicator, unit, period, rollup kind): the target, and the
    best of actual and estimate, of its reported values only. `source` joins `d` (data values) to the keys `k`
    (whose unit is `parent`)."""
    c = n.col
    value, kind = f"d.{c['dv.value']}", f"d.{c['dv.kind']}"
    ind, unit, period = f"d.{c['dv.indicator']}", f"d.{c['dv.orgunit']}", f"d.{c['dv.period']}"
    counted = int(ValueState.counted())  # an int from our own enum: safe to write into the statement

    def reported(alias: str) -> str:
        return f"{alias}.{c['dv.state']} >= {counted}"

    # The weight: the weight indicator's actual, else its estimate, else its target, of the same unit and period.
    weight = (f"(SELECT w.{c['dv.value']} FROM {n.dv} w WHERE w.{c['dv.indicator']} = i.{c['ind.weight_indicator']} "
              f"AND w.{c['dv.orgunit']} = {unit} AND w.{c['dv.period']} = {period} AND {reported('w')} "
              f"ORDER BY CASE w.{c['dv.kind']} WHEN '{ACTUAL}' THEN 0 WHEN '{ESTIMATE}' THEN 1 ELSE 2 END LIMIT 1)")
    weighted = f"i.{c['ind.unit_aggregation']} = 'weighted_average'"
    return (
        f"SELECT o.ind, o.unit, o.parent, o.period, o.kind, "
        f"CASE WHEN o.weighted = 1 THEN o.v * o.w ELSE o.v END AS total, "
        f"CASE WHEN o.weighted = 1 THEN o.w ELSE 1 END AS weight, o.est, o.pend, o.at FROM ("
        f"SELECT {ind} AS ind, {unit} AS unit, k.orgunit AS parent, {period} AS period, "
        f"CASE WHEN {kind} = '{TARGET}' THEN 'target' ELSE 'best' END AS kind, {value} AS v, "
        f"CASE WHEN {weighted} THEN 1 ELSE 0 END AS weighted, "
        f"CASE WHEN {weighted} THEN {weight} END AS w, "
        f"CASE WHEN {kind} = '{ESTIMATE}' THEN 1 ELSE 0 END AS est, "
        f"CASE WHEN d.{c['dv.state']} = {int(ValueState.SUBMITTED)} THEN 1 ELSE 0 END AS pend, "
        f"d.{c['dv.updated_at']} AS at "
        f"FROM {source} {_ordered()} {n.ind} i ON i.{c['ind.id']} = {ind} "
        f"WHERE ({where}) AND {reported('d')} AND i.{c['ind.unit_aggregation']} <> 'none' "
        f"AND ({kind} <> '{ESTIMATE}' OR NOT EXISTS ("
        f"SELECT 1 FROM {n.dv} a WHERE a.{c['dv.indicator']} = {ind} AND a.{c['dv.orgunit']} = {unit} "
        f"AND a.{c['dv.period']} = {period} AND a.{c['dv.kind']} = '{ACTUAL}' AND {reported('a')}))) o"
    )


def _prepare(cursor, ancestry: list[tuple[int, int, int]]) -> None:
    pg = connection.vendor == "postgresql"
    for table, columns in (("rollup_ancestry", "unit bigint, ancestor bigint, depth integer"),
                           ("rollup_keys", "indicator bigint, orgunit bigint, period varchar(12), depth integer")):
        cursor.execute(f"DROP TABLE IF EXISTS {'pg_temp' if pg else 'temp'}.{table}")
        cursor.execute(f"CREATE TEMP TABLE {table} ({columns})" + (" ON COMMIT DROP" if pg else ""))
    if ancestry:
        cursor.executemany("INSERT INTO rollup_ancestry (unit, ancestor, depth) VALUES (%s, %s, %s)", ancestry)


def _keys_from(cursor, n: _Names, cells: str) -> None:
    """The rows to recompute: every rolled-up unit of each changed cell, for its indicator and for the weighted
    averages weighted by it. `cells` is a FROM item `c` with columns indicator, orgunit, period."""
    c = n.col
    cursor.execute(
        f"INSERT INTO rollup_keys (indicator, orgunit, period, depth) "
        f"SELECT DISTINCT x.indicator, a.ancestor, x.period, a.depth FROM ("
        f"SELECT c.indicator, c.orgunit, c.period FROM {cells} "
        f"UNION ALL SELECT i.{c['ind.id']}, c.orgunit, c.period FROM {n.ind} i {_ordered()} {cells} "
        f"ON c.indicator = i.{c['ind.weight_indicator']} WHERE i.{c['ind.unit_aggregation']} = 'weighted_average'"
        f") x JOIN rollup_ancestry a ON a.unit = x.orgunit JOIN {n.ind} j ON j.{c['ind.id']} = x.indicator "
        f"AND j.{c['ind.unit_aggregation']} <> 'none'"
    )


def _children_cells(n: _Names, table: str, alias: str, model: str, depth: int, many: bool) -> str:
    """The cells (values or rollup rows, as `alias`) of the children `u` of the units of the keys `k` of `depth`."""
    c, join = n.col, _ordered()
    keyed = (f"k.indicator = {alias}.{c[model + '.indicator']} AND k.period = {alias}.{c[model + '.period']} "
             f"AND k.depth = {depth}")
    if many:
        return (f"{table} {alias} {join} {n.ou} u ON u.{c['ou.id']} = {alias}.{c[model + '.orgunit']} "
                f"{join} rollup_keys k ON {keyed} AND k.orgunit = u.{c['ou.parent']}")
    return (f"rollup_keys k {join} {n.ou} u ON u.{c['ou.parent']} = k.orgunit {join} {table} {alias} "
            f"ON {keyed} AND {alias}.{c[model + '.orgunit']} = u.{c['ou.id']}")


def _recompute(cursor, n: _Names, changed_at=None) -> None:
    """Recompute the rows named in rollup_keys, deepest level first (a parent reads its children's new rows).

    `changed_at`: the moment of the write that asked for it, which every recomputed row then shows as its last
    change (a cleared value leaves no row to date it); without it (a rebuild) the latest of the values fed in."""
    c = n.col
    at_params = [changed_at] if changed_at is not None else []
    own_at, children_at = ("%s", "%s") if changed_at is not None else ("o.at", "MAX(x.at)")
    # With the moment given, the values' own dates are not carried through the aggregation (a narrower sort).
    row_at, cell_at = ("NULL", "NULL") if changed_at is not None else (f"r.{c['ru.updated_at']}", "o.at")
    cursor.execute("CREATE INDEX rollup_keys_cell ON rollup_keys (indicator, period, orgunit, depth)")
    if connection.vendor == "sqlite":
        cursor.execute("SELECT COUNT(*) FROM rollup_keys")
        if cursor.fetchone()[0] < SCAN_FROM_KEYS:
            # Without statistics SQLite guesses the temporary tables are large and scans every value (a web save
            # took 0.3 s on a 3.6-million-value province); with them it looks the few keys up (5 ms).
            cursor.execute("ANALYZE temp.rollup_keys")
            cursor.execute("ANALYZE temp.rollup_ancestry")
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE rollup_keys")
        # Two writers under the same parent would each delete and re-insert the parent's row, the second from a
        # snapshot without the first's value (or failing on the first's new row). Writers of the same indicator
        # take turns, in indicator order (no deadlock), for the rest of their transaction; each statement after
        # the lock sees what the one before committed. SQLite has a single writer anyway.
        cursor.execute("SELECT DISTINCT indicator FROM rollup_keys ORDER BY indicator")
        for (indicator_id,) in cursor.fetchall():
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK, indicator_id])
    cursor.execute("SELECT DISTINCT depth FROM rollup_keys ORDER BY depth DESC")
    depths = [row[0] for row in cursor.fetchall()]
    rcols = (f"{c['ru.indicator']}, {c['ru.orgunit']}, {c['ru.period']}, {c['ru.kind']}, {c['ru.total']}, "
             f"{c['ru.weight']}, {c['ru.units_reported']}, {c['ru.estimates']}, {c['ru.pending']}, "
             f"{c['ru.updated_at']}")
    rkey = f"{c['ru.indicator']}, {c['ru.orgunit']}, {c['ru.period']}"
    dkey = f"d.{c['dv.indicator']} = k.indicator AND d.{c['dv.period']} = k.period"
    for depth in depths:
        cursor.execute(f"DELETE FROM {n.ru} WHERE ({rkey}) IN "
                       f"(SELECT indicator, orgunit, period FROM rollup_keys WHERE depth = %s)", [depth])
        # The unit's own value, where it has one.
        own = _own_sql(n, f"rollup_keys k {_ordered()} {n.dv} d ON {dkey} AND d.{c['dv.orgunit']} = k.orgunit",
                       f"k.depth = {int(depth)}")
        cursor.execute(f"INSERT INTO {n.ru} ({rcols}) SELECT o.ind, o.unit, o.period, o.kind, o.total, o.weight, 1, "
                       f"o.est, o.pend, {own_at} FROM ({own}) o", at_params)
        # Otherwise its children's: their rows where they have them (sub-units), else their own values. A few keys
        # (a web save) look their children's cells up; many (a large import) read the values once, in table order,
        # and look the keys up instead: a million scattered index lookups cost ten times a scan.
        d = int(depth)
        cursor.execute("SELECT COUNT(*) FROM rollup_keys WHERE depth = %s", [d])
        many = cursor.fetchone()[0] >= SCAN_FROM_KEYS

        children = _own_sql(
            n, _children_cells(n, n.dv, "d", "dv", d, many),
            # A child with sub-units has a row of its own (which includes its own value) where it has a figure.
            f"u.{c['ou.id']} NOT IN (SELECT {c['ou.parent']} FROM {n.ou} WHERE {c['ou.parent']} IS NOT NULL) "
            f"OR NOT EXISTS (SELECT 1 FROM {n.ru} r WHERE r.{c['ru.indicator']} = d.{c['dv.indicator']} "
            f"AND r.{c['ru.orgunit']} = d.{c['dv.orgunit']} AND r.{c['ru.period']} = d.{c['dv.period']} "
            f"AND r.{c['ru.kind']} = CASE WHEN d.{c['dv.kind']} = '{TARGET}' THEN 'target' ELSE 'best' END)")
        pg_scan = many and connection.vendor == "postgresql"
        if pg_scan:
            # Right after a large import the statistics still see the value table as small, and the planner would
            # look each key's cells up; hash joins over one scan of the table are many times faster.
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"INSERT INTO {n.ru} ({rcols}) "
            f"SELECT x.ind, x.parent, x.period, x.kind, SUM(x.total), SUM(x.weight), SUM(x.units), SUM(x.est), "
            f"SUM(x.pend), {children_at} FROM ("
            f"SELECT k.indicator AS ind, k.orgunit AS parent, k.period AS period, r.{c['ru.kind']} AS kind, "
            f"r.{c['ru.total']} AS total, r.{c['ru.weight']} AS weight, r.{c['ru.units_reported']} AS units, "
            f"r.{c['ru.estimates']} AS est, r.{c['ru.pending']} AS pend, {row_at} AS at "
            f"FROM {_children_cells(n, n.ru, 'r', 'ru', d, many)} "
            f"UNION ALL SELECT o.ind, o.parent, o.period, o.kind, o.total, o.weight, 1, o.est, o.pend, {cell_at} "
            f"FROM ({children}) o"
            f") x GROUP BY x.ind, x.parent, x.period, x.kind "
            # The unit's own value, inserted above, wins.
            f"HAVING NOT EXISTS (SELECT 1 FROM {n.ru} y WHERE y.{c['ru.indicator']} = x.ind "
            f"AND y.{c['ru.orgunit']} = x.parent AND y.{c['ru.period']} = x.period AND y.{c['ru.kind']} = x.kind)",
            at_params)
        if pg_scan:
            cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
    cursor.execute("DROP TABLE rollup_keys")
    cursor.execute("DROP TABLE rollup_ancestry")


def _tree_lock(cursor, *, exclusive: bool = False) -> None:
    """On PostgreSQL, before the ancestry is read: a write computes its cells' ancestors from the units' paths, so it
    must not read them while a move of units is changing them (it would refresh the old ancestors only). Writes
    share the lock; a move takes it alone and waits for the writes under way. SQLite has one writer anyway."""
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        cursor.execute(f"SELECT {function}(%s, %s)", list(TREE_LOCK))


def rollups_lock_tree() -> None:
    """Call inside a move's transaction before the paths change: no write reads the tree until it commits."""
    with connection.cursor() as cursor:
        _tree_lock(cursor, exclusive=True)


def rollups_refresh(cells: Iterable[tuple[int, int, str]], *, changed_at=None) -> None:
    """Recompute the rollups fed by the given (indicator id, unit id, period) cells, changed at `changed_at`; call
    inside the write's transaction."""
    cells = set(cells)
    if not cells:
        return
    datavalue, rollup, indicator, orgunit = _live_models()
    n = _Names.of(datavalue, rollup, indicator, orgunit)
    with connection.cursor() as cursor:
        _tree_lock(cursor)
    ancestry = _ancestry({unit for _i, unit, _p in cells}, orgunit)
    if not ancestry:
        return
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        _prepare(cursor, ancestry)
        cursor.execute(f"DROP TABLE IF EXISTS {'pg_temp' if pg else 'temp'}.rollup_cells")
        cursor.execute("CREATE TEMP TABLE rollup_cells (indicator bigint, orgunit bigint, period varchar(12))"
                       + (" ON COMMIT DROP" if pg else ""))
        cursor.executemany("INSERT INTO rollup_cells (indicator, orgunit, period) VALUES (%s, %s, %s)", list(cells))
        _keys_from(cursor, n, "rollup_cells c")
        cursor.execute("DROP TABLE rollup_cells")
        _recompute(cursor, n, changed_at)


def rollups_refresh_query(cursor, cells: str, *, changed_at=None) -> None:
    """Recompute the rollups fed by the cells that the SELECT `cells` yields (columns indicator, orgunit, period:
    the writer's changed cells), with the caller's cursor and inside its transaction."""
    datavalue, rollup, indicator, orgunit = _live_models()
    n = _Names.of(datavalue, rollup, indicator, orgunit)
    _tree_lock(cursor)
    cursor.execute(f"SELECT DISTINCT orgunit FROM ({cells}) c")
    ancestry = _ancestry([row[0] for row in cursor.fetchall()], orgunit)
    if not ancestry:
        return
    _prepare(cursor, ancestry)
    _keys_from(cursor, n, f"({cells}) c")
    _recompute(cursor, n, changed_at)


def rollups_refresh_moved(moves: Iterable[tuple[int, int | None]], new_parent: int | None) -> None:
    """Recompute the rollups that units moving in the tree changed; call inside the move's transaction, after the
    paths changed. `moves`: (moved unit id, its old parent id); `new_parent`: the id of the unit they moved under.

    The moved subtrees' own rows do not change (their shape is the same). For every (indicator, period) a subtree
    holds values of, the old parent's and the new parent's cells are refreshed, which recomputes them and all their
    ancestors (those they share too). An old parent left without sub-units keeps no rows; a new parent that had none
    gets rows for its own values as well."""
    moves = list(moves)
    if not moves:
        return
    datavalue, rollup, indicator, orgunit = _live_models()
    n = _Names.of(datavalue, rollup, indicator, orgunit)
    c = n.col
    moved = [unit for unit, _old in moves]
    paths = dict(orgunit.objects.filter(pk__in=moved).values_list("pk", "path"))
    old_parents = {old for _unit, old in moves if old is not None}
    with_children = set(orgunit.objects.filter(parent_id__in=old_parents | {new_parent})
                        .exclude(pk__in=moved).values_list("parent_id", flat=True))
    # A leaf's figure is its own value: the rows of an old parent that is now a leaf would otherwise stay, and be
    # read by its figure and by its ancestors' recomputation below.
    rollup.objects.filter(orgunit_id__in=old_parents - with_children).delete()
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {'pg_temp' if pg else 'temp'}.rollup_moved")
        cursor.execute("CREATE TEMP TABLE rollup_moved (indicator bigint, orgunit bigint, period varchar(12))"
                       + (" ON COMMIT DROP" if pg else ""))
        for unit, old_parent in moves:
            for parent in {old_parent, new_parent} - {None}:
                # The subtree's units by path prefix (SUBSTR, not LIKE: codes may hold "_").
                cursor.execute(
                    f"INSERT INTO rollup_moved (indicator, orgunit, period) "
                    f"SELECT DISTINCT d.{c['dv.indicator']}, %s, d.{c['dv.period']} FROM {n.dv} d "
                    f"WHERE d.{c['dv.orgunit']} IN (SELECT u.{c['ou.id']} FROM {n.ou} u "
                    f"WHERE SUBSTR(u.{c['ou.path']}, 1, %s) = %s)",
                    [parent, len(paths[unit]), paths[unit]])
        if new_parent is not None and new_parent not in with_children:
            cursor.execute(f"INSERT INTO rollup_moved (indicator, orgunit, period) "
                           f"SELECT DISTINCT {c['dv.indicator']}, {c['dv.orgunit']}, {c['dv.period']} FROM {n.dv} "
                           f"WHERE {c['dv.orgunit']} = %s", [new_parent])
        rollups_refresh_query(cursor, "SELECT DISTINCT indicator, orgunit, period FROM rollup_moved")
        cursor.execute("DROP TABLE rollup_moved")


def rollups_rebuild(*, models=None) -> int:
    """Recompute every rollup from the values; returns the number of rows. `models` (DataValue, ValueRollup,
    Indicator, OrgUnit) lets a migration pass its historical models."""
    datavalue, rollup, indicator, orgunit = models or _live_models()
    n = _Names.of(datavalue, rollup, indicator, orgunit)
    c = n.col
    # One transaction: the work tables live until its commit on PostgreSQL, and readers never see a half rebuild.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {n.ru}")
        units = datavalue.objects.values_list("orgunit_id", flat=True).distinct()
        _prepare(cursor, _ancestry(list(units), orgunit))
        _keys_from(cursor, n, f"(SELECT DISTINCT {c['dv.indicator']} AS indicator, {c['dv.orgunit']} AS orgunit, "
                              f"{c['dv.period']} AS period FROM {n.dv}) c")
        _recompute(cursor, n)
        cursor.execute(f"SELECT COUNT(*) FROM {n.ru}")
        return cursor.fetchone()[0]
