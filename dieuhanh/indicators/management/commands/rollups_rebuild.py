"""`manage.py rollups_rebuild`: recompute every rollup from the stored values.

Writes keep the rollups current by themselves; this is for values written around the services (a bulk load, a
restore) and after units move in the tree."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from dieuhanh.indicators.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the rollups of all values over the unit tree (after a bulk load or a change of the tree)."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            rows = rollups_rebuild()
        self.stdout.write(f"{rows} rollup rows in {time.monotonic() - started:.1f} s.")
