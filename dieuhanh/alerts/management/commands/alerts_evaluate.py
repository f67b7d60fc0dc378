"""Evaluate the alert rules now (the worker does it every minute)."""

from django.core.management.base import BaseCommand

from dieuhanh.alerts.engine import alerts_evaluate


class Command(BaseCommand):
    help = "Evaluate every active alert rule once: move alerts through their states and notify."

    def handle(self, *args, **options):
        result = alerts_evaluate()
        self.stdout.write(f"rules {result.rules}, fired {result.fired}, resolved {result.resolved}, "
                          f"notifications {result.notified}, errors {result.errors}")
        if result.errors:
            raise SystemExit(1)
