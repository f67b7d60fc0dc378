"""`make loadtest`: leaders' pages under a crowd, on gunicorn + PostgreSQL, measured by locust (headless, bounded,
127.0.0.1 only). `python -m dieuhanh.loadtest [leaders|mixed|all]` (default all).

It needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dieuhanh_load, created when missing),
into which it migrates and builds the full demo (kept between runs). It starts gunicorn on 127.0.0.1:LOADTEST_PORT
(default 8048; `gunicorn.conf.py` at the repository's root when there is one, else LOADTEST_WORKERS sync workers)
with DEBUG off, and the Huey worker, then runs two scenarios (locust/locustfile.py):

(a) leaders: 100 leaders logged in at once (LOADTEST_LEADERS), each opening the overview again after a pause of 1 to 3
    seconds (a reader who keeps reloading: about 40 pages a second offered), for LOADTEST_LEADER_SECONDS (default
    60) after they are all logged in. Target: the overview's p95 < 300 ms and no error.
(b) mixed: 200 users (LOADTEST_USERS) for LOADTEST_MINUTES (default 10): leaders reading the overview, indicator and
    unit pages (every 2-6 s), screens of the IOC room on the wall (HTMX refresh every 60 s), reporters saving their
    figures (every 10-30 s, CSRF and version as a browser sends them). Target: no error.
    Each simulated reporter logs in as a reporter of its own unit, as in a province where every commune, agency and
    enterprise has its own: the load test adds such logins (`loadtest.NNN`, the demo's password) to its database for
    the units that have a report to make. Only when the demo has fewer such units than simulated reporters do some
    share a login and its report (the page then reports the conflict and the reporter saves again).

It prints each request's count, rate, p50/p95/p99 and failures, then PASS or FAIL per target, and exits 1 on FAIL.
"""

from __future__ import annotations

import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/dieuhanh_load"
P95_TARGET_MS = 300
RAMP_RATE = float(os.environ.get("LOADTEST_RAMP", "2.5"))  # users started (and logged in) a second


def environment(var_dir: Path) -> dict[str, str]:
    """The server's environment: production settings (DEBUG off), the demo's logins usable as they are."""
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.update(
        DATABASE_URL=os.environ.get("DATABASE_URL", DEFAULT_DATABASE),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DEMO_PASSWORD_ALLOWED="1",  # the demo's shared password without the forced change at first login
        TWO_FACTOR_ENFORCED="0",
        DIEUHANH_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    # One cache for all the web processes (and the worker's queue) when Redis answers, as in production; else
    # each process keeps its own in memory and computes each page once itself.
    redis = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/11")
    if redis and redis_answers(redis):
        env["REDIS_URL"] = redis
    return env


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 (no Redis: the in-process cache)
        return False


def ensure_database(url: str) -> None:
    """Create the database of `url` when it is missing (connecting to the server's `postgres` database)."""
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.get("dbname")
    with psycopg.connect(psycopg.conninfo.make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")


def reporters_ensure(count: int) -> list[str]:
    """Usernames of `count` reporters (fewer if the demo has fewer), each the reporter of a different unit that has a
    report to make today (reporting.selectors.reports_to_make), created when missing. Runs inside Django."""
    from django.contrib.auth import get_user_model

    from dieuhanh.accounts.models import Role, RoleAssignment
    from dieuhanh.accounts.passwords import DEMO_PASSWORD
    from dieuhanh.orgunits.models import OrgUnit
    from dieuhanh.reporting.selectors import reports_to_make

    units = OrgUnit.objects.filter(report_forms__active=True).distinct()
    to_make = sorted({task.unit.code: task.unit for task in reports_to_make(units)}.items())[:count]
    User = get_user_model()
    names = []
    for number, (_code, unit) in enumerate(to_make, 1):
        user, created = User.objects.get_or_create(username=f"loadtest.{number:03d}",
                                                   defaults={"first_name": "Load test", "last_name": str(number)})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.filter(user=user).exclude(role=Role.REPORTER, orgunit=unit).delete()
        RoleAssignment.objects.get_or_create(user=user, role=Role.REPORTER, orgunit=unit)
        names.append(user.username)
    return names


def reporter_logins(env: dict, count: int) -> list[str]:
    """reporters_ensure in a Django process with the server's settings."""
    code = ("import django; django.setup(); from dieuhanh.loadtest import reporters_ensure; "
            f"print(','.join(reporters_ensure({count})))")
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=dict(env, DJANGO_SETTINGS_MODULE="dieuhanh.settings"),
                         check=True, capture_output=True, text=True).stdout
    return [name for name in out.strip().splitlines()[-1].split(",") if name]


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # as nginx sends it
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s")
        time.sleep(0.5)


def start_server(env: dict, port: int, log: Path) -> list[subprocess.Popen]:
    config = ROOT / "gunicorn.conf.py"
    args = [str(BIN / "gunicorn"), "dieuhanh.wsgi:application", "--bind", f"127.0.0.1:{port}"]  # never beyond
    if config.exists():
        args[1:1] = ["-c", str(config)]
    else:
        args += ["--workers", os.environ.get("LOADTEST_WORKERS", "4"), "--timeout", "60"]
    out = open(log, "w")  # noqa: SIM115 (kept open for the server's lifetime)
    # Each in its own process group, so that stopping it stops its workers too.
    web = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    worker = subprocess.Popen([PYTHON, "manage.py", "run_huey"], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT, start_new_session=True)
    return [web, worker]


def run_locust(name: str, host: str, users: int, rate: float, seconds: int, classes: list[str],
               out_dir: Path, extra_env: dict | None = None) -> list[dict]:
    """Run locust headless for `seconds` after `users` are started at `rate` a second; its CSV rows. The figures
    count from the moment the last user has logged in (locustfile.crowd_wait)."""
    prefix = out_dir / name
    args = [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--host", host,
            "-u", str(users), "-r", str(rate), "--run-time", f"{seconds + int(users / rate) + 30}s",
            "--csv", str(prefix), "--only-summary", "--stop-timeout", "30", *classes]
    print(f"\n== {name}: {' '.join(args[3:])}", flush=True)
    env = dict(os.environ, **(extra_env or {}))
    started = time.monotonic()
    subprocess.run(args, env=env, check=False)
    print(f"(locust ran {time.monotonic() - started:.0f} s)")
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def show(rows: list[dict]) -> None:
    print(f"{'request':34} {'count':>7} {'fails':>6} {'rps':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for row in rows:
        print(f"{row['Name'][:34]:34} {row['Request Count']:>7} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7} "
              f"{float(row['Max Response Time']):7.0f}")


def row_named(rows: list[dict], name: str) -> dict:
    return next(r for r in rows if r["Name"] == name)


def verdict(label: str, ok: bool) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}: {label}")
    return ok


def leaders(host: str, out_dir: Path) -> bool:
    users = int(os.environ.get("LOADTEST_LEADERS", "100"))
    rows = run_locust("leaders", host, users, RAMP_RATE, int(os.environ.get("LOADTEST_LEADER_SECONDS", "60")),
                      ["Leader"], out_dir)
    show(rows)
    overview, total = row_named(rows, "overview"), row_named(rows, "Aggregated")
    p95 = float(overview["95%"])
    return all([
        verdict(f"{users} leaders on the overview: p95 {p95:.0f} ms < {P95_TARGET_MS} ms", p95 < P95_TARGET_MS),
        verdict(f"{users} leaders: {total['Failure Count']} errors in {total['Request Count']} requests",
                int(total["Failure Count"]) == 0 and int(overview["Request Count"]) > 0),
    ])


def mixed(host: str, out_dir: Path, reporters: list[str]) -> bool:
    users = int(os.environ.get("LOADTEST_USERS", "200"))
    minutes = float(os.environ.get("LOADTEST_MINUTES", "10"))
    print(f"Reporters: {len(reporters)} logins, each the reporter of its own unit (shared when the crowd has more)")
    rows = run_locust("mixed", host, users, RAMP_RATE, int(minutes * 60), ["LeaderReader", "Wall", "Reporter"], out_dir,
                      {"LOADTEST_REPORTERS": ",".join(reporters)})
    show(rows)
    total = row_named(rows, "Aggregated")
    saved = next((r for r in rows if r["Name"] == "save figures"), None)
    return all([
        verdict(f"mixed load of {users} users for {minutes:g} min: {total['Failure Count']} errors in "
                f"{total['Request Count']} requests", int(total["Failure Count"]) == 0),
        verdict(f"reporters saved figures {saved['Request Count'] if saved else 0} times",
                saved is not None and int(saved["Request Count"]) > 0),
    ])


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "all"
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load test runs on PostgreSQL: set DATABASE_URL=postgres://… (or leave it unset)")
    var_dir = Path(os.environ.get("LOADTEST_VAR_DIR") or tempfile.mkdtemp(prefix="dieuhanh-load-"))
    env = environment(var_dir)
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "demo")  # the full demo; "already exists" when kept from an earlier run
    manage(env, "collectstatic", "--noinput", "-v", "0")
    # As many as the mixed load's reporters (locustfile.Reporter's weight: 4 of 16 users).
    users = int(os.environ.get("LOADTEST_USERS", "200"))
    reporters = reporter_logins(env, users // 4 + 5) if which != "leaders" else []
    port = int(os.environ.get("LOADTEST_PORT", "8048"))
    host = f"http://127.0.0.1:{port}"
    print(f"Cache: {'Redis ' + env['REDIS_URL'] if env.get('REDIS_URL') else 'in each process (no Redis)'}")
    processes = start_server(env, port, var_dir / "server.log")
    results = []
    try:
        wait_for(f"{host}/login/")
        if which in ("leaders", "all"):
            results.append(leaders(host, var_dir))
        if which in ("mixed", "all"):
            results.append(mixed(host, var_dir, reporters))
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    errors = (var_dir / "server.log").read_text(errors="replace").count("Traceback")
    results.append(verdict(f"server log: {errors} tracebacks ({var_dir / 'server.log'})", errors == 0))
    print("\nLOAD TEST " + ("PASSED" if all(results) else "FAILED"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
