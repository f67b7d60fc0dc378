"""The monitoring benchmark at a tiny size, on the database the tests run on (SQLite, or PostgreSQL when
DATABASE_URL names one): the product's worker runs 20 checks every 10 s for 35 s against the bench's local
servers, none missed or doubled, the lag and the CPU are figured, and the board answers with its figures. The
confirming failure → webhook part waits for the alert rules' minute and is left to `make bench`."""

import os
import re

from dieuhanh.bench_monitoring import Sizes, report, run, schedule_gaps

TINY = Sizes(checks=20, interval=10, seconds=35, ports=2, latency=0.5, failures=0.1, timeout=2, board_systems=20,
             board_days=90, outages=2, requests=3, alert_samples=0)


def test_gaps_count_missed_and_doubled_runs():
    # Due at 0, run every 60 s until the stop at 300 s: nothing missed or doubled.
    assert schedule_gaps(0, [1, 61, 121, 181, 241], 300, 60) == (0, 0)
    # A hole of two intervals (121 → 241) is one missed run; so is a first run an interval late and a last run
    # followed by nothing for more than one and a half intervals.
    assert schedule_gaps(0, [1, 61, 121, 241], 300, 60) == (1, 0)
    assert schedule_gaps(0, [95, 155], 180, 60) == (1, 0)
    assert schedule_gaps(0, [1, 61], 300, 60) == (3, 0)
    # Two results 5 s apart: one doubled run.
    assert schedule_gaps(0, [1, 61, 66, 121], 150, 60) == (0, 1)


def test_a_tiny_run_measures_the_schedule_and_the_board():
    target = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"

    result = run(target, TINY)

    s = result["schedule"]
    assert s["requests"] >= 20 * 2 and s["results"] >= s["requests"] - 20  # the last requests may be in flight
    assert s["failed"] > 0  # the servers' failures were recorded as failures
    assert s["missed"] == 0 and s["doubled"] == 0, s
    assert s["unmatched"] == 0
    assert 0 <= s["lag_p50"] <= s["lag_p95"] < 5
    assert s["cpu"] > 0 and not s["errors"], s["errors"]
    b = result["board"]
    assert b["status"] == 200 and b["shows"], b
    assert 0 < b["p50"] <= b["p95"] and b["queries"] > 0
    assert b["build"]["state_changes"] == 20 * (1 + 2 * 3) + 1  # one system down now (the 8th)
    assert result["alert"] == {"skipped": "BENCH_ALERT_SAMPLES=0"}

    text = report({target: result}, TINY)
    assert re.search(r"scheduling lag p50 [\d.]+ s, p95 [\d.]+ s, max [\d.]+ s \(aim p95 < 1 s\): (met|NOT met)",
                     text)
    assert "missed runs 0, doubled runs 0 (aim 0): met" in text
    assert re.search(r"worker CPU [\d.]+ s in \d+ s", text)
    assert re.search(r"GET /systems/ p50 [\d.]+ ms, p95 [\d.]+ ms, \d+ queries", text)
    assert "confirming failure → webhook: not measured: BENCH_ALERT_SAMPLES=0" in text
