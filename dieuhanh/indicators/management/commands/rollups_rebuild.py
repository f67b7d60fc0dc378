"""`manage.py rollups_rebuild`: recompute every rollup from the stored values.

Writes and moves of units in the tree keep the rollups current by themselves; this is for values written around
the services (a bulk load, a restore)."""

import time

from django.core.management.base import BaseCommand

from dieuhanh.indicators.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the rollups of all values over the unit tree (after a bulk load or a restore)."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollups_rebuild()
        self.stdout.write(f"{rows} rollup rows in {time.monotonic() - started:.1f} s.")
