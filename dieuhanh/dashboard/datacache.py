"""Leaders' pages cache their figures under a data version that every committed write of their data changes.

`cached(parts, compute)` returns what `compute()` returned for the same `parts` (the page, the reader's scope, the
language, the day, the query) and the same data version, computing it only when no process has yet. A write
through any path — a service's save, a queryset's `update()`, `bulk_create`, the values writer's raw SQL — changes
the version in the same transaction, so no figure served from the cache is older than the last committed write.

How the version moves (`install`, on every database connection):
- An execute wrapper sees every SQL statement the connection runs. A statement that writes a table of the data
  apps (WATCHED) marks the connection's transaction as changing the data.
- Just before that transaction commits, the version row gets a new value (an UPDATE of its one row, inside the
  transaction): the new data and the new version become visible to others at the same instant. A reader reads the
  version first, then the figures. If it read the old version, the figures it computes may already be the new ones
  (the write committed in between): new figures under an old key, harmless, and nobody reads that key once the
  new version is visible. If it read the new version, the write had committed before, so its figures include it.
  Bumping after the commit (`transaction.on_commit`) would leave a moment — forever, if the process died there —
  where the old version is visible with the new data, and old figures cached under it are served.
- Taking the version's row lock last, just before the commit, keeps the lock short (concurrent writers wait on
  each other only for the commit itself) and makes it the last lock a transaction takes, so it cannot close a
  deadlock cycle; one UPDATE per transaction, however many rows it wrote.
- A statement outside a transaction (autocommit) commits by itself; the version follows it at once.
- Inside a test case's transaction (Django's TestCase, which never commits) the version changes at each write, so
  that tests reading a page after a write see the write.
- The version is a random number rather than a count: a rolled-back transaction, a test's rollback or a database
  restored from a backup goes back to an earlier version, and its cached figures must not be found again under a
  number that a later write reuses.

Reads that run inside a transaction which has itself written (not committed yet) are not cached: its figures must
not reach other readers before (or unless) it commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.backends.signals import connection_created
from django.utils import translation

from dieuhanh.dashboard.models import DataVersion
from dieuhanh.lib.requestmemo import forget, memoized

T = TypeVar("T")

# The tables whose rows the leaders' pages read: values and rollups, reports and their states, tasks, systems and
# incidents, units, targets, dashboards' configuration, alerts.
WATCHED = ("indicators_", "analytics_", "reporting_", "assignments_", "monitoring_", "orgunits_", "dashboard_",
           "alerts_")
VERSION_TABLE = DataVersion._meta.db_table
WAIT_SECONDS = 10  # how long a reader waits for another process computing the same page
CACHE_SECONDS = 15 * 60  # a figure unread for this long leaves the cache (a new version makes it unreachable anyway)
WRITTEN_TABLE = re.compile(r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.I)
PENDING = "_datacache_pending"  # attribute of a connection whose open transaction wrote watched tables
_unchanged: ContextVar[bool] = ContextVar("datacache_unchanged", default=False)


def data_version() -> int:
    """The current data version; a fresh one (nothing cached will match) when the row is missing (a test emptied
    the tables)."""
    def read() -> int:
        found = DataVersion.objects.filter(pk=1).values_list("value", flat=True).first()
        return secrets.randbits(62) if found is None else found

    # Read once per request (a page's parts share it); every bump forgets it, so a request reads its own writes.
    return memoized("data_version", read)


def bump(conn=None) -> None:
    """Give the data a new version, in `conn`'s current transaction (its row lock is held until the commit)."""
    conn = conn or connection
    forget()
    with conn.cursor() as cursor:
        cursor.execute(f"UPDATE {VERSION_TABLE} SET value = %s WHERE id = 1", [secrets.randbits(62)])
        if cursor.rowcount == 0:  # the tables were emptied (a transactional test): the row comes back
            cursor.execute(f"INSERT INTO {VERSION_TABLE} (id, value) VALUES (1, %s)", [secrets.randbits(62)])


def cached(parts: tuple, compute: Callable[[], T], timeout: int = CACHE_SECONDS) -> T:
    """`compute()`, or what it returned before for the same `parts`, language and data version.

    `parts` must name everything the result depends on besides the data: the page, the reader's scope
    (`scope_key`), the unit and query, the day when the page depends on today's date."""
    if getattr(connection, PENDING, False):  # this transaction's own writes are not committed: not for others
        return compute()
    version = data_version()  # before the figures: see the module's docstring
    key = "datacache:" + hashlib.sha256(repr((version, translation.get_language(), *parts)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _computed_once(key, compute, timeout)
    return found


def _computed_once(key: str, compute: Callable[[], T], timeout: int) -> T:
    """`compute()` stored under `key`, computed by one process at a time: after a write, every web process misses
    the same page at once, and computing it several times over only slows them all (a crowd of leaders then waits
    seconds). The others wait for the first one's result, up to WAIT_SECONDS, then compute it themselves (the first
    may have died). Their figures are as fresh: the first read the same version, before its figures."""
    computing = key + ":computing"

    def fill() -> T:
        found = compute()
        cache.set(key, found, timeout)
        return found

    if cache.add(computing, 1, WAIT_SECONDS):
        try:
            return fill()
        finally:
            cache.delete(computing)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        working = cache.get(computing) is not None  # read before the result: the first stores it, then lets go
        found = cache.get(key)
        if found is not None:
            return found
        if not working:  # the first gave up (an error): no result is coming
            break
    return fill()


def scope_key(user) -> tuple:
    """What decides which figures `user` may read: their roles on units (the units' paths), or all as a superuser.
    Two users share cached figures only when these are the same."""
    from dieuhanh.accounts.selectors import role_paths

    if user.is_superuser:
        return ("superuser",)
    return tuple(sorted(role_paths(user)))


def _writes_watched(sql: str) -> bool:
    if sql.lstrip()[:6].upper() == "SELECT":
        return False
    return any(table.startswith(WATCHED) and table != VERSION_TABLE for table in WRITTEN_TABLE.findall(sql))


def _in_test_case(conn) -> bool:
    return any(getattr(block, "_from_testcase", False) for block in conn.atomic_blocks)


@contextmanager
def unchanged_figures():
    """Writes inside the block change no figure a cached page shows, and leave the version alone: a worker's
    bookkeeping of watched tables (a check's claim and last run, a rule's last evaluation, a check result that
    moves no state) or a store of what readers would compute anyway (the systems' finished days, which a view of
    the board may keep). Without it the worker's routine writes, several a second, would leave the leaders' cache
    nothing to serve. A write that does change a figure (a state change, an alert) stays outside the block."""
    token = _unchanged.set(True)
    try:
        yield
    finally:
        _unchanged.reset(token)


def _watch(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    if not _unchanged.get() and _writes_watched(sql):
        conn = context["connection"]
        if not conn.in_atomic_block and conn.get_autocommit():
            bump(conn)  # the statement committed by itself
        elif _in_test_case(conn):
            bump(conn)
        else:
            setattr(conn, PENDING, True)
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    """Watch `connection`'s writes and change the version just before its transactions commit (once per
    connection object, which reconnects keep)."""
    conn = connection
    if getattr(conn, "_datacache_installed", False):
        return
    conn._datacache_installed = True
    conn.execute_wrappers.append(_watch)
    commit, rollback = conn._commit, conn._rollback

    def _commit():
        if getattr(conn, PENDING, False):
            bump(conn)
            setattr(conn, PENDING, False)
        return commit()

    def _rollback():
        setattr(conn, PENDING, False)
        forget()  # a version read inside the transaction may be gone with it
        return rollback()

    conn._commit, conn._rollback = _commit, _rollback


def connect() -> None:
    connection_created.connect(install, dispatch_uid="dieuhanh.dashboard.datacache")
