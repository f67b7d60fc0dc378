"""The worker: claims due checks on the database, probes them concurrently in one asyncio event loop (bounded by
MONITORING_CONCURRENCY, default 200), and records each result as soon as it is in.

Claims let several workers (the `monitor` command on several machines, the Huey task) share the checks, and keep
one check from running twice at once: a worker takes due, unclaimed checks with one conditional UPDATE
(`filter(pk__in=…, due, not claimed).update(claimed_until=lease, claim_token=token)`, the webhooks app's pattern
for a whole batch), then works only on the rows that carry its token. Recording a result needs the token still on
the row, sets `next_run_at` (started + interval) and clears the claim, so a second worker finds the check neither
claimed nor due. A worker that dies leaves its checks to the others when the lease ends.

The database is used from one thread only (asgiref's `sync_to_async` inside `async_to_sync` runs on the calling
thread), so results are written one after the other while the probes go on in the event loop."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import math
import secrets
import threading
import time

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation

from dieuhanh.dashboard import datacache
from dieuhanh.monitoring.models import Check
from dieuhanh.monitoring.runner.probes import Outcome, ProbeSpec, http_client, probe
from dieuhanh.monitoring.runner.records import heartbeat_evaluate, result_record

log = logging.getLogger(__name__)

LEASE_MARGIN_SECONDS = 60


def retrying(function):
    """`function`, tried again when SQLite says a table is locked: its shared-cache mode (the tests' in-memory
    database) answers that at once instead of waiting out the busy timeout. Each call is its own transaction, so
    trying again is safe."""

    def call(**kwargs):
        for attempt in range(100):
            try:
                return function(**kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                time.sleep(0.02 + 0.01 * (attempt % 10))

    return call


def concurrency_setting() -> int:
    return max(1, int(getattr(settings, "MONITORING_CONCURRENCY", 200)))


@dataclasses.dataclass
class RunSummary:
    ran: int = 0  # checks probed or heartbeats looked at, and recorded
    failed: int = 0
    lost: int = 0  # results dropped because the claim had passed to another worker
    check_ids: list[int] = dataclasses.field(default_factory=list)


class Clock:
    """Now, shifted when the caller runs the worker "as of" another moment (tests, the bench)."""

    def __init__(self, now: dt.datetime | None = None):
        self.offset = (now - timezone.now()) if now else dt.timedelta(0)

    def now(self) -> dt.datetime:
        return timezone.now() + self.offset


def _due_and_free(now: dt.datetime) -> Q:
    return ((Q(next_run_at__lte=now) | Q(next_run_at__isnull=True))
            & (Q(claimed_until__lt=now) | Q(claimed_until__isnull=True)))


def due_checks(now: dt.datetime) -> QuerySet[Check]:
    return Check.objects.filter(_due_and_free(now), active=True, system__active=True)


def claim_due(*, now: dt.datetime, token: str, limit: int | None = None,
              concurrency: int | None = None) -> list[Check]:
    """Claim up to `limit` due checks, most overdue first, for the worker holding `token`; returns those won. The
    lease covers the waves the semaphore will run them in, so a slow batch is not taken over while it waits."""
    concurrency = concurrency or concurrency_setting()
    candidates = list(due_checks(now).order_by(F("next_run_at").asc(nulls_first=True), "pk")
                      .values_list("pk", "timeout_seconds")[:limit])
    if not candidates:
        return []
    waves = math.ceil(len(candidates) / concurrency)
    lease = now + dt.timedelta(seconds=waves * (max(t for _pk, t in candidates) + 2) + LEASE_MARGIN_SECONDS)
    ids = [pk for pk, _t in candidates]
    # Conditions on the check's own row only: Django turns a filter across a join into `WHERE id IN (subquery)`,
    # which PostgreSQL does not re-check against a row another worker has just claimed (both would win).
    with datacache.unchanged_figures():  # a claim changes nothing a page shows
        Check.objects.filter(_due_and_free(now), pk__in=ids, active=True).update(claimed_until=lease,
                                                                                claim_token=token)
    return list(Check.objects.filter(pk__in=ids, claim_token=token).select_related("system"))


def _held(check_id: int, token: str) -> Check | None:
    """The check, locked, if this worker still holds its claim and it is still to be run: one switched off (or
    its system) while it was probed gets no result, which would bring back a state it has left."""
    check = (Check.objects.select_for_update(of=("self",)).select_related("system")
             .filter(pk=check_id, claim_token=token).first())
    if check is not None and not (check.active and check.system.active):
        with datacache.unchanged_figures():
            Check.objects.filter(pk=check_id).update(claimed_until=None, claim_token="")
        return None
    return check


def probe_record(*, check_id: int, token: str, outcome: Outcome, started: dt.datetime, at: dt.datetime) -> bool:
    """Record a probe's outcome if this worker still holds the check's claim."""
    with transaction.atomic():
        check = _held(check_id, token)
        if check is None:
            return False
        result_record(check=check, at=at, ok=outcome.ok, response_ms=outcome.response_ms, error=outcome.error,
                      cert_expires_at=outcome.cert_expires_at, started=started)
        return True


def heartbeat_record(*, check_id: int, token: str, now: dt.datetime) -> tuple[bool, str | None]:
    """Look at a heartbeat check under its row lock (a ping may be arriving at the same moment)."""
    with transaction.atomic():
        check = _held(check_id, token)
        if check is None:
            return False, None
        return True, heartbeat_evaluate(check=check, now=now)


class Worker:
    def __init__(self, *, clock: Clock, concurrency: int):
        self.clock = clock
        self.concurrency = concurrency
        self.semaphore = asyncio.Semaphore(concurrency)
        self.summary = RunSummary()
        self.client = None

    async def run_claimed(self, checks: list[Check], token: str) -> None:
        await asyncio.gather(*(self.run_one(check, token) for check in checks))

    async def run_one(self, check: Check, token: str) -> None:
        try:
            if check.kind == Check.Kind.HEARTBEAT:
                held, state = await sync_to_async(retrying(heartbeat_record))(check_id=check.pk, token=token,
                                                                    now=self.clock.now())
                failed = state is not None and state != "up"
            else:
                async with self.semaphore:
                    started = self.clock.now()
                    outcome = await probe(ProbeSpec.of(check), client=self.client)
                    at = self.clock.now()
                held = await sync_to_async(retrying(probe_record))(check_id=check.pk, token=token, outcome=outcome,
                                                         started=started, at=at)
                failed = not outcome.ok
        except Exception:  # one bad record must not stop the others; the claim lapses and the check runs again
            log.exception("check %s could not be run or recorded", check.pk)
            return
        if held:
            self.summary.ran += 1
            self.summary.failed += int(failed)
            self.summary.check_ids.append(check.pk)
        else:
            self.summary.lost += 1


async def _run_once(clock: Clock, concurrency: int) -> RunSummary:
    worker = Worker(clock=clock, concurrency=concurrency)
    token = secrets.token_hex(16)
    checks = await sync_to_async(retrying(claim_due))(now=clock.now(), token=token, concurrency=concurrency)
    async with http_client(connections=concurrency) as worker.client:
        await worker.run_claimed(checks, token)
    return worker.summary


def run_once(*, now: dt.datetime | None = None, concurrency: int | None = None) -> RunSummary:
    """Run every check due now, concurrently, once; returns what ran. `now` shifts the worker's clock."""
    with translation.override(settings.LANGUAGE_CODE):
        return async_to_sync(_run_once)(Clock(now), concurrency or concurrency_setting())


def _claim_step(*, clock: Clock, token: str, limit: int, concurrency: int) -> list[Check]:
    close_old_connections()  # a worker lives for weeks: drop connections the database has closed
    return claim_due(now=clock.now(), token=token, limit=limit, concurrency=concurrency)


async def _run_forever(stop: threading.Event, clock: Clock, concurrency: int, poll: float, report) -> RunSummary:
    worker = Worker(clock=clock, concurrency=concurrency)
    in_flight: set[asyncio.Task] = set()
    last_report = clock.now()
    async with http_client(connections=concurrency) as worker.client:
        while not stop.is_set():
            free = concurrency - len(in_flight)
            claimed = []
            if free > 0:
                token = secrets.token_hex(16)
                claimed = await sync_to_async(retrying(_claim_step))(clock=clock, token=token, limit=free,
                                                           concurrency=concurrency)
                for check in claimed:
                    task = asyncio.create_task(worker.run_one(check, token))
                    in_flight.add(task)
                    task.add_done_callback(in_flight.discard)
            if report and (clock.now() - last_report).total_seconds() >= 60:
                last_report = clock.now()
                report(worker.summary, len(in_flight))
            if not claimed or len(claimed) < free:
                await asyncio.sleep(poll)
            else:
                await asyncio.sleep(0)  # more may be due: claim again once a slot frees
        if in_flight:
            await asyncio.gather(*in_flight)
    return worker.summary


def run_forever(*, stop: threading.Event, concurrency: int | None = None, poll: float = 0.5,
                report=None) -> RunSummary:
    """Run checks as they fall due until `stop` is set; `report(summary, in_flight)` is called every minute."""
    with translation.override(settings.LANGUAGE_CODE):
        return async_to_sync(_run_forever)(stop, Clock(), concurrency or concurrency_setting(), poll, report)
