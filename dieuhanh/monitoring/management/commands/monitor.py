"""Run the monitoring worker: `manage.py monitor` keeps running checks as they fall due (stop with Ctrl-C or
SIGTERM; the checks in flight finish first); `--once` runs the checks due now once and exits."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand
from django.utils import timezone

from dieuhanh.monitoring.runner import run_forever, run_once


class Command(BaseCommand):
    help = "Run the monitoring checks: continuously, or those due now with --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the checks due now, then exit")
        parser.add_argument("--concurrency", type=int, default=None,
                            help="checks probed at once (default: MONITORING_CONCURRENCY, 200)")

    def handle(self, *args, once=False, concurrency=None, **options):
        if once:
            summary = run_once(concurrency=concurrency)
            self.stdout.write(f"{summary.ran} checks ran, {summary.failed} failed"
                              + (f", {summary.lost} taken over by another worker" if summary.lost else ""))
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write("Monitoring worker started; Ctrl-C stops it.")

        def report(summary, in_flight):
            self.stdout.write(f"{timezone.localtime():%H:%M:%S} {summary.ran} checks ran, {summary.failed} failed, "
                              f"{in_flight} in flight")

        summary = run_forever(stop=stop, concurrency=concurrency, report=report)
        self.stdout.write(f"Stopped: {summary.ran} checks ran, {summary.failed} failed.")
