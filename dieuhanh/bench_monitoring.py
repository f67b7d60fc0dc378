"""`make bench` (monitoring part): does one worker keep a thousand checks on time, does the systems board answer
fast for a thousand systems, and how soon does a confirmed outage reach a person's webhook.

1. Schedule: BENCH_MONITOR_CHECKS (1,000) HTTP checks every BENCH_MONITOR_INTERVAL (60) s against HTTP servers
   this bench starts on 127.0.0.1 (BENCH_MONITOR_PORTS, 4 ports; latency uniform 0–BENCH_MONITOR_LATENCY (2) s,
   BENCH_MONITOR_FAILURES (5 %) of answers a 500 or slower than the check's timeout), run by ONE product worker —
   `manage.py monitor`, in its own process — for BENCH_MONITOR_SECONDS (300). The checks' first runs are spread
   over the first interval, as checks created over time are. Measured:
   - scheduling lag: the moment a probe's request reaches the server minus the `next_run_at` it was due at. The
     due moments are the product's own: the bench reads every check's `next_run_at` every second while the
     worker runs (the runner sets it to the run's start + interval), and each request is matched with the last
     due moment before it. The lag so includes the TCP connect on 127.0.0.1 (well under a millisecond);
   - missed runs (a gap of more than 1.5 intervals between a check's results, or before its first one, or after
     its last one up to the stop) and doubled runs (two results less than half an interval apart), from the
     CheckResult rows; requests received against results recorded;
   - the worker process's CPU seconds (user + system, from os.wait4 once it has stopped).
2. Board: BENCH_BOARD_SYSTEMS (1,000) systems, each with one check and 90 days of history — unknown → up 90 days
   ago, BENCH_BOARD_OUTAGES (3) outages of 5–180 min, 1 % down now with an open incident — as StateChange rows,
   and the monthly figures written by the product's own job (uptime.system_months_update). p50/p95 server time
   of GET /systems/ for an operator of the province (Django's test client, in process, BENCH_REQUESTS (30)
   requests after 2 unmeasured) and its query count. Raw CheckResult rows are not generated for the 90 days (the
   board does not read them).
3. Alert: one system, one HTTP check every 10 s (the product's shortest interval; down after 2 failures) against
   the bench's server, an alert rule "system down" on its unit (no pending time), an operator whose notification
   channels are in-app and a webhook to a receiver of the bench. The worker (`manage.py monitor`) and the job
   queue (`manage.py run_huey`, which evaluates the alert rules and sends deliveries) run as the product runs
   them. The server starts failing;
   measured is the receiver's arrival time of the "firing" notification minus the `at` of the StateChange to
   "down" (the confirming failure's result). Then the server answers again and the system comes back up before
   the next of BENCH_ALERT_SAMPLES (2) samples; 0 skips this part.

Each database is measured in a child process (Django binds one default database per process): a fresh SQLite file
var/bench/monitoring.sqlite3 and the PostgreSQL database `dieuhanh_bench_monitoring` (DATABASE_URL names the
server), created and dropped here. BENCH_DATABASES ("sqlite,postgresql") picks them.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import gc
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlparse, urlunparse

from dieuhanh.bench import BASE_DIR, BENCH_DIR, drop_database, fresh_database
from dieuhanh.bench_analytics import percentile, timed

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dieuhanh_bench_monitoring"
LAG_P95_AIM_S = 1.0
BOARD_P95_AIM_MS = 100
ALERT_AIM_S = 5.0
ALERT_WAIT_S = 180  # a sample not delivered by then is counted as not delivered


@dataclass
class Sizes:
    checks: int = 1000
    interval: int = 60
    seconds: int = 300
    ports: int = 4
    latency: float = 2.0
    failures: float = 0.05
    timeout: int = 5
    board_systems: int = 1000
    board_days: int = 90
    outages: int = 3
    requests: int = 30
    alert_samples: int = 2

    @classmethod
    def from_env(cls) -> Sizes:
        env = os.environ.get
        return cls(checks=int(env("BENCH_MONITOR_CHECKS", 1000)), interval=int(env("BENCH_MONITOR_INTERVAL", 60)),
                   seconds=int(env("BENCH_MONITOR_SECONDS", 300)), ports=int(env("BENCH_MONITOR_PORTS", 4)),
                   latency=float(env("BENCH_MONITOR_LATENCY", 2.0)),
                   failures=float(env("BENCH_MONITOR_FAILURES", 0.05)),
                   timeout=int(env("BENCH_MONITOR_TIMEOUT", 5)),
                   board_systems=int(env("BENCH_BOARD_SYSTEMS", 1000)), board_days=int(env("BENCH_BOARD_DAYS", 90)),
                   outages=int(env("BENCH_BOARD_OUTAGES", 3)), requests=int(env("BENCH_REQUESTS", 30)),
                   alert_samples=int(env("BENCH_ALERT_SAMPLES", 2)))


# --- the local HTTP servers -------------------------------------------------------------------------------------
class Servers:
    """Asyncio HTTP/1.1 servers (keep-alive) on several ports of 127.0.0.1, in a thread of their own.

    /c/<n>   a scheduled check: waits 0–latency s; a share of `failures` answers 500 or waits past the timeout
    /flaky   answers 503 while `failing`, else 200
    /hook    the webhook receiver: records the arrival time and the JSON body
    Every request's path and arrival time (time.time()) is recorded."""

    def __init__(self, *, ports: int, latency: float, failures: float, timeout: float, seed: int = 12):
        self.count, self.latency, self.failures, self.timeout = ports, latency, failures, timeout
        self.rng = random.Random(seed)
        self.arrivals: list[tuple[str, float]] = []
        self.hooks: list[tuple[float, dict]] = []
        self.failing = False
        self.ports: list[int] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> Servers:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result(10)
        return self

    async def _listen(self) -> None:
        self.servers = [await asyncio.start_server(self._serve, "127.0.0.1", 0) for _ in range(self.count)]
        self.ports = [s.sockets[0].getsockname()[1] for s in self.servers]

    def stop(self) -> None:
        async def close():
            for server in self.servers:
                server.close()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def url(self, n: int, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[n % len(self.ports)]}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                arrived = time.time()
                lines = head.decode("latin-1").split("\r\n")
                method, path = lines[0].split(" ")[:2]
                headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
                length = int({k.strip().lower(): v for k, v in headers.items()}.get("content-length", "0"))
                body = await reader.readexactly(length) if length else b""
                self.arrivals.append((path, arrived))
                status = await self._answer(method, path, body, arrived)
                text = b'{"status":"ok"}'
                writer.write(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (status, len(text), text))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _answer(self, method: str, path: str, body: bytes, arrived: float) -> int:
        if path.startswith("/hook"):
            try:
                self.hooks.append((arrived, json.loads(body or b"{}")))
            except ValueError:
                self.hooks.append((arrived, {}))
            return 200
        if path.startswith("/flaky"):
            return 503 if self.failing else 200
        draw = self.rng.random()
        if draw < self.failures / 2:
            return 500
        if draw < self.failures:
            await asyncio.sleep(self.timeout + 1)  # the worker gives up first
            return 200
        await asyncio.sleep(self.rng.uniform(0, self.latency))
        return 200


# --- helpers in the child ---------------------------------------------------------------------------------------
def _manage(*args: str) -> subprocess.Popen:
    """A product command in its own process, with this process's environment (its database); its output goes to
    var/bench/monitoring_<command>.log (a pipe nobody reads would stall it once full)."""
    log_path = BENCH_DIR / f"monitoring_{args[0]}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=os.environ.copy(),
                                   stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log_path
    return process


def _wait_stop(process: subprocess.Popen) -> tuple[float, str]:
    """SIGTERM (the command finishes the checks in flight), then the process's CPU seconds (user + system, from
    os.wait4, which reaps it) and the end of its log."""
    process.send_signal(signal.SIGTERM)
    deadline = time.time() + 60
    while time.time() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime, process.log_path.read_text(errors="replace")[-2000:]
        time.sleep(0.1)
    process.kill()
    return float("nan"), "did not stop within 60 s"


def _people(unit_code: str, name: str):
    """A unit under its own province and an operator and administrator of it."""
    from django.contrib.auth import get_user_model

    from dieuhanh.accounts.models import Role, RoleAssignment
    from dieuhanh.orgunits.models import OrgUnit
    from dieuhanh.orgunits.services import orgunit_create

    unit = orgunit_create(code=unit_code, name=name, kind=OrgUnit.Kind.PROVINCE, division_type="tỉnh")
    user = get_user_model().objects.create_user(username=f"op_{unit_code.lower()}", password="bench-pass-123")
    RoleAssignment.objects.create(user=user, role=Role.OPERATOR, orgunit=unit)
    RoleAssignment.objects.create(user=user, role=Role.ADMIN, orgunit=unit)
    return unit, user


def _operator(unit):
    """An operator of the unit and nothing more: the production settings send an administrator to set up two-factor
    login before any page, and the board is an operator's page."""
    from django.contrib.auth import get_user_model

    from dieuhanh.accounts.models import Role, RoleAssignment

    user = get_user_model().objects.create_user(username=f"reader_{unit.code.lower()}", password="bench-pass-123")
    RoleAssignment.objects.create(user=user, role=Role.OPERATOR, orgunit=unit)
    return user


# --- 1. the schedule --------------------------------------------------------------------------------------------
def schedule_gaps(due0: float, ats: list[float], stop: float, interval: float) -> tuple[int, int]:
    """(missed, doubled) runs of one check from its first due moment, its results' times and the stop."""
    missed = doubled = 0
    points = [due0, *ats, stop]
    for n in range(1, len(points)):
        gap = points[n] - points[n - 1]
        if gap > 1.5 * interval:
            missed += round(gap / interval) - 1
        elif 1 < n < len(points) - 1 and gap < 0.5 * interval:
            doubled += 1
    return missed, doubled


def measure_schedule(sizes: Sizes, servers: Servers) -> dict:
    from django.utils import timezone

    from dieuhanh.monitoring.models import Check, CheckResult, System
    from dieuhanh.monitoring.services import check_create, system_create

    unit, user = _people("BENCH-MON", "Tỉnh thử lịch chạy")
    per_system = 10
    started = time.perf_counter()
    number_of: dict[int, int] = {}
    for s in range((sizes.checks + per_system - 1) // per_system):
        system = system_create(user=user, code=f"lich-{s:04d}", name=f"Hệ thống lịch {s}", owner=unit)
        for n in range(s * per_system, min(sizes.checks, (s + 1) * per_system)):
            check = check_create(system=system, user=user, name=f"c{n}", kind=Check.Kind.HTTP,
                                 url=servers.url(n, f"/c/{n}"), interval_seconds=sizes.interval,
                                 timeout_seconds=sizes.timeout)
            number_of[check.pk] = n
    setup = time.perf_counter() - started
    # The first runs spread over the first interval (checks are created over time, not all in one second), after
    # the worker has had time to start.
    first = timezone.now() + dt.timedelta(seconds=10)
    due0 = {}
    for pk, n in number_of.items():
        due = first + dt.timedelta(seconds=sizes.interval * n / sizes.checks)
        Check.objects.filter(pk=pk).update(next_run_at=due)
        due0[pk] = due.timestamp()
    checks = Check.objects.filter(system__owner=unit)
    dues: dict[int, set[float]] = defaultdict(set)
    worker = _manage("monitor")
    began = time.time()
    while time.time() - began < sizes.seconds:
        for pk, due in checks.values_list("pk", "next_run_at"):
            if due is not None:
                dues[pk].add(due.timestamp())
        time.sleep(1)
    stopped = time.time()
    cpu, errors = _wait_stop(worker)

    lags, unmatched = [], 0
    sorted_dues = {pk: sorted(v | {due0[pk]}) for pk, v in dues.items()}
    pk_of = {n: pk for pk, n in number_of.items()}
    requests = 0
    for path, arrived in list(servers.arrivals):
        if not path.startswith("/c/") or arrived > stopped:
            continue
        requests += 1
        moments = sorted_dues.get(pk_of[int(path[3:])], [])
        i = bisect.bisect_right(moments, arrived + 0.001)
        if i == 0:
            unmatched += 1
        else:
            lags.append(arrived - moments[i - 1])
    ats: dict[int, list[float]] = defaultdict(list)
    for pk, at in CheckResult.objects.filter(check__system__owner=unit).order_by("at").values_list("check_id", "at"):
        ats[pk].append(at.timestamp())
    missed = doubled = 0
    for pk in number_of:
        m, d = schedule_gaps(due0[pk], ats[pk], stopped, sizes.interval)
        missed, doubled = missed + m, doubled + d
    results = sum(len(v) for v in ats.values())
    failed = CheckResult.objects.filter(check__system__owner=unit, ok=False).count()
    down = System.objects.filter(owner=unit, state="down").count()
    # Keep the other parts' workers off these checks.
    checks.update(next_run_at=timezone.now() + dt.timedelta(days=365))
    return {"checks": sizes.checks, "seconds": round(stopped - began, 1), "setup": setup, "requests": requests,
            "results": results, "failed": failed, "systems_down": down, "unmatched": unmatched,
            "lag_p50": percentile(lags, 0.5) if lags else None, "lag_p95": percentile(lags, 0.95) if lags else None,
            "lag_max": max(lags) if lags else None, "missed": missed, "doubled": doubled, "cpu": cpu,
            "expected": round(sizes.checks * (stopped - first.timestamp()) / sizes.interval),
            "errors": errors if worker.returncode or "Traceback" in errors else ""}


# --- 2. the board -----------------------------------------------------------------------------------------------
def build_board(sizes: Sizes, seed: int = 7) -> tuple[object, dict]:
    """Systems with one check each and their history; returns the unit's operator (who reads the board) and the
    set-up timings."""
    from django.utils import timezone

    from dieuhanh.monitoring.models import Check, State, StateChange, System
    from dieuhanh.monitoring.services import check_create, incident_open, system_create
    from dieuhanh.monitoring.uptime import month_start, system_months_update
    from dieuhanh.monitoring.uptime_days import system_days_update

    rng = random.Random(seed)
    unit, user = _people("BENCH-BOARD", "Tỉnh thử bảng hệ thống")
    timings = {}
    started = time.perf_counter()
    categories = [c for c, _label in System.Category.choices]
    checks = []
    for s in range(sizes.board_systems):
        system = system_create(user=user, code=f"ht-{s:04d}", name=f"Hệ thống thông tin {s:04d}", owner=unit,
                               category=categories[s % len(categories)], public=s % 4 == 0)
        checks.append(check_create(system=system, user=user, name="Trang chủ", kind=Check.Kind.HTTP,
                                   url=f"https://ht-{s:04d}.example.vn/"))
    Check.objects.filter(system__owner=unit).update(next_run_at=timezone.now() + dt.timedelta(days=365))
    timings["systems"] = time.perf_counter() - started

    started = time.perf_counter()
    now = timezone.now()
    begin = now - dt.timedelta(days=sizes.board_days)
    span = (now - begin).total_seconds()
    changes, down_now = [], []
    for n, check in enumerate(checks):
        changes.append(StateChange(check=check, system_id=check.system_id, at=begin, old=State.UNKNOWN,
                                   new=State.UP))
        starts = sorted(rng.uniform(3600, span - 4 * 3600) for _ in range(sizes.outages))
        for start in starts:
            at = begin + dt.timedelta(seconds=start)
            back = at + dt.timedelta(minutes=rng.uniform(5, 180))
            changes += [StateChange(check=check, system_id=check.system_id, at=at, old=State.UP, new=State.PENDING,
                                    error="HTTP 503"),
                        StateChange(check=check, system_id=check.system_id, at=at + dt.timedelta(minutes=2),
                                    old=State.PENDING, new=State.DOWN, error="HTTP 503"),
                        StateChange(check=check, system_id=check.system_id, at=back, old=State.DOWN,
                                    new=State.UP)]
        if n % 100 == 7:  # 1 % down now
            at = now - dt.timedelta(minutes=rng.uniform(5, 90))
            changes.append(StateChange(check=check, system_id=check.system_id, at=at, old=State.UP,
                                       new=State.DOWN, error="Timeout"))
            down_now.append((check, at))
    StateChange.objects.bulk_create(changes, batch_size=2000)
    Check.objects.filter(system__owner=unit).update(state=State.UP, state_since=begin)
    System.objects.filter(owner=unit).update(state=State.UP, state_since=begin)
    for check, at in down_now:
        Check.objects.filter(pk=check.pk).update(state=State.DOWN, state_since=at)
        System.objects.filter(pk=check.system_id).update(state=State.DOWN, state_since=at)
        incident_open(system=check.system, title=f"{check.system.name} ngừng hoạt động", user=user, started_at=at,
                      error="Timeout")
    timings["history"] = time.perf_counter() - started
    timings["state_changes"] = len(changes)

    started = time.perf_counter()
    months, month = [], month_start(begin.date())
    while month <= now.date():
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    timings["system_months"] = system_months_update(months=months, now=now)
    timings["months"] = time.perf_counter() - started
    # The finished days the board reads, kept by the product's nightly job (a view would keep them too).
    started = time.perf_counter()
    timings["system_days"] = system_days_update(now=now)
    timings["days"] = time.perf_counter() - started
    return _operator(unit), timings


def measure_board(sizes: Sizes) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, timings = build_board(sizes)
    client = Client(SERVER_NAME="127.0.0.1")  # one of the production settings' hosts
    client.force_login(user)
    answer = {}

    def get():
        response = client.get("/systems/", secure=True)  # production settings: plain HTTP is redirected
        answer["status"], answer["size"] = response.status_code, len(response.content)
        answer["shows"] = "Hệ thống thông tin 0007" in response.content.decode()

    get()  # the first request loads templates and URL patterns, as a server's start does
    gc.collect()
    gc.freeze()  # as dieuhanh/wsgi.py does once the application is loaded
    result = timed(get, sizes.requests)
    with CaptureQueriesContext(connection) as queries:
        get()
    return {**result, "queries": len(queries), **answer, "build": timings, "systems": sizes.board_systems}


# --- 3. confirmed failure → webhook -----------------------------------------------------------------------------
def measure_alert(sizes: Sizes, servers: Servers) -> dict:
    if sizes.alert_samples <= 0:
        return {"skipped": "BENCH_ALERT_SAMPLES=0"}
    try:
        from dieuhanh.alerts.models import Alert, AlertRule, AlertTransition, Delivery
        from dieuhanh.alerts.services import preference_update, rule_save
    except ImportError as exc:
        return {"skipped": f"the alerts app lacks {exc.name}"}
    if "system_down" not in AlertRule.Kind.values:
        return {"skipped": "the alerts app has no system_down rule"}
    from dieuhanh.monitoring.models import Check, StateChange, System
    from dieuhanh.monitoring.services import check_create, system_create

    unit, user = _people("BENCH-ALERT", "Tỉnh thử cảnh báo")
    preference_update(user=user, channels=["in_app", "webhook"], webhook_url=servers.url(0, "/hook"))
    rule_save(user=user, name="Hệ thống ngừng hoạt động", kind="system_down", unit=unit, for_minutes=0)
    system = system_create(user=user, code="canh-bao", name="Hệ thống thử cảnh báo", owner=unit)
    check = check_create(system=system, user=user, name="Trang chủ", kind=Check.Kind.HTTP,
                         url=servers.url(1, "/flaky"), interval_seconds=10, timeout_seconds=2, failures_to_down=2,
                         successes_to_up=1)
    (BENCH_DIR / "huey.sqlite3").unlink(missing_ok=True)
    worker, queue = _manage("monitor"), _manage("run_huey", "--workers", "2")
    samples, lost, steps = [], 0, []
    try:
        deadline = time.time() + 60
        while System.objects.get(pk=system.pk).state != "up":  # started and seen up first
            if time.time() > deadline:
                return {"skipped": "the check never came up (the worker did not run it within 60 s)"}
            time.sleep(0.5)
        for _n in range(sizes.alert_samples):
            told = len(servers.hooks)
            servers.failing = True
            deadline = time.time() + ALERT_WAIT_S
            arrived = None
            while time.time() < deadline and arrived is None:
                for at, body in servers.hooks[told:]:
                    if ":firing:" in body.get("event_key", ""):
                        arrived = at
                time.sleep(0.05)
            change = StateChange.objects.filter(check=check, new="down").order_by("-at").first()
            if arrived is None or change is None:
                lost += 1
            else:
                samples.append(arrived - change.at.timestamp())
                fired = AlertTransition.objects.filter(alert__rule__unit=unit, new="firing").order_by("-at").first()
                sent = Delivery.objects.filter(notification__user=user, channel="webhook", state="sent").order_by(
                    "-sent_at").first()
                steps.append({"down → firing": (fired.at - change.at).total_seconds() if fired else None,
                              "firing → sent": (sent.sent_at - fired.at).total_seconds() if fired and sent else None,
                              "sent → received": arrived - sent.sent_at.timestamp() if sent else None})
            servers.failing = False
            # The next sample only once the alert is resolved (the rules' next evaluation has seen the system up):
            # a failure while it still fires would tell nobody again.
            deadline = time.time() + 150
            while time.time() < deadline and (System.objects.get(pk=system.pk).state != "up" or Alert.objects.filter(
                    rule__unit=unit, state__in=["pending", "firing"]).exists()):
                time.sleep(0.5)
    finally:
        _wait_stop(worker)
        _wait_stop(queue)
    return {"samples": samples, "lost": lost, "steps": steps}


# --- processes and the report -----------------------------------------------------------------------------------
def run_child(sizes: Sizes) -> dict:
    os.environ.setdefault("DIEUHANH_ALLOW_DEMO_KEY", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dieuhanh.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    result = {"migrate": time.perf_counter() - started}
    servers = Servers(ports=sizes.ports, latency=sizes.latency, failures=sizes.failures,
                      timeout=sizes.timeout).start()
    try:
        result["schedule"] = measure_schedule(sizes, servers)
        plain = {**settings.STORAGES,
                 "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        with override_settings(STORAGES=plain):
            result["board"] = measure_board(sizes)
        result["alert"] = measure_alert(sizes, servers)
    finally:
        servers.stop()
    return result


def _pg_url() -> str:
    """DATABASE_URL's server, with the database `dieuhanh_bench_monitoring`."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL for the PostgreSQL run")
    return urlunparse(urlparse(url)._replace(path="/dieuhanh_bench_monitoring"))


def run(target: str, sizes: Sizes) -> dict:
    env = {**os.environ, "DIEUHANH_ALLOW_DEMO_KEY": "1", "DEBUG": "0", "DIEUHANH_VAR_DIR": str(BENCH_DIR),
           "CONN_MAX_AGE": "600"}
    env.pop("REDIS_URL", None)  # the job queue in var/bench/huey.sqlite3, not a shared Redis
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if target == "postgresql":
        os.environ["DATABASE_URL"], saved = _pg_url(), os.environ.get("DATABASE_URL")
        try:
            url = fresh_database(target, BENCH_DIR / "monitoring.sqlite3")
        finally:
            if saved is None:
                os.environ.pop("DATABASE_URL")
            else:
                os.environ["DATABASE_URL"] = saved
    else:
        url = fresh_database(target, BENCH_DIR / "monitoring.sqlite3")
    env["DATABASE_URL"] = url
    for name, value in vars(sizes).items():
        env[f"BENCH_SIZE_{name.upper()}"] = str(value)
    try:
        done = subprocess.run([sys.executable, "-m", "dieuhanh.bench_monitoring", "--child"], env=env, cwd=BASE_DIR,
                              stdout=subprocess.PIPE, text=True)
        if done.returncode:
            raise SystemExit(f"{target} run failed (see above)")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            drop_database(url)


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(results: dict[str, dict], sizes: Sizes) -> str:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [f"Monitoring: {sizes.checks:,} HTTP checks every {sizes.interval} s for {sizes.seconds} s by one worker "
             f"({sizes.ports} local servers, latency 0–{sizes.latency:g} s, {sizes.failures:.0%} failures or "
             f"timeouts of {sizes.timeout} s); board of {sizes.board_systems:,} systems × {sizes.board_days} days"]
    for db, r in results.items():
        name = names.get(db, db)
        s = r["schedule"]
        lines.append(f"  {name} schedule: {s['requests']:,} requests received, {s['results']:,} results recorded "
                     f"(≈{s['expected']:,} due), {s['failed']:,} failed, {s['systems_down']} systems down at the end")
        if s["lag_p95"] is None:
            lines.append(f"  {name} scheduling lag: NOT measured (no request matched a due moment)")
        else:
            lines.append(f"  {name} scheduling lag p50 {s['lag_p50']:.3f} s, p95 {s['lag_p95']:.3f} s, max "
                         f"{s['lag_max']:.3f} s (aim p95 < {LAG_P95_AIM_S:g} s): {_met(s['lag_p95'] < LAG_P95_AIM_S)}"
                         + (f"; {s['unmatched']} requests before any due moment" if s["unmatched"] else ""))
        lines.append(f"  {name} missed runs {s['missed']}, doubled runs {s['doubled']} (aim 0): "
                     f"{_met(s['missed'] == 0 and s['doubled'] == 0)}")
        cpu = s["cpu"]
        lines.append(f"  {name} worker CPU {cpu:.1f} s in {s['seconds']:.0f} s = {cpu / s['seconds']:.1%} of one core, "
                     f"{1000 * cpu / max(s['results'], 1):.1f} ms per check run")
        if s.get("errors"):
            lines.append(f"  {name} worker stderr: {s['errors']}")
        b = r["board"]
        t = b["build"]
        lines.append(f"  {name} board: {b['systems']:,} systems, {t['state_changes']:,} state changes (built in "
                     f"{t['systems'] + t['history']:.0f} s), {t['system_months']:,} monthly figures by "
                     f"system_months_update in {t['months']:.1f} s")
        lines.append(f"  {name} GET /systems/ p50 {b['p50']:.1f} ms, p95 {b['p95']:.1f} ms, {b['queries']} queries, "
                     f"{b['size'] / 1e6:.1f} MB, HTTP {b['status']}"
                     + ("" if b["shows"] else ", a system's name NOT on the page")
                     + f" (aim p95 < {BOARD_P95_AIM_MS} ms): "
                     + _met(b["p95"] < BOARD_P95_AIM_MS and b["status"] == 200))
        a = r["alert"]
        if "skipped" in a:
            lines.append(f"  {name} confirming failure → webhook: not measured: {a['skipped']}")
        elif not a["samples"]:
            lines.append(f"  {name} confirming failure → webhook: nothing received within {ALERT_WAIT_S} s in "
                         f"{a['lost']} tries: NOT met")
        else:
            worst = max(a["samples"])
            lines.append(f"  {name} confirming failure → webhook received: "
                         + ", ".join(f"{x:.2f} s" for x in a["samples"])
                         + (f", {a['lost']} not received within {ALERT_WAIT_S} s" if a["lost"] else "")
                         + f" (aim < {ALERT_AIM_S:g} s): {_met(worst < ALERT_AIM_S and not a['lost'])}")
            for step in a["steps"]:
                lines.append(f"  {name}   " + ", ".join(
                    f"{k} {v:.2f} s" if v is not None else f"{k} n/a" for k, v in step.items()))
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sizes = Sizes(**{name: type(value)(os.environ[f"BENCH_SIZE_{name.upper()}"])
                         for name, value in vars(Sizes()).items()})
        print(json.dumps(run_child(sizes), default=str))
        return
    sizes = Sizes.from_env()
    targets = [t.strip() for t in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if t.strip()]
    started = time.perf_counter()
    # Each database's figures as soon as they are in (a run takes minutes), and the others' even if one fails.
    took, failed = [], []
    for target in targets:
        t0 = time.perf_counter()
        try:
            result = run(target, sizes)
        except SystemExit as exc:
            failed.append(target)
            print(f"  {target}: {exc}", flush=True)
            continue
        text = report({target: result}, sizes)
        print(text if not took else text.split("\n", 1)[1], flush=True)  # the heading once
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"  load average after {target} (1, 5, 15 min): {load} on {os.cpu_count()} CPUs — timings stretch "
              "with it.", flush=True)
        took.append(f"{target}: {time.perf_counter() - t0:.0f} s")
    print(f"Monitoring bench took {time.perf_counter() - started:.0f} s ({', '.join(took)})")
    if failed:
        raise SystemExit(f"monitoring bench failed on {', '.join(failed)}")


if __name__ == "__main__":
    main()
