"""`manage.py demo`: the demo province (new Tây Ninh), its catalogue, forms, figures 2017–2026 and users."""

import time

from django.core.management.base import BaseCommand

from dieuhanh.demo.build import demo_build


class Command(BaseCommand):
    help = "Build the demo province (Tây Ninh after the 2025 merger) with figures, forms and one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true",
                            help="two history years and a few communes only (for tests)")

    def handle(self, *args, **options):
        started = time.monotonic()
        result = demo_build(small=options["small"])
        elapsed = time.monotonic() - started
        units = result.units
        if result.values_created or result.submissions_created:
            self.stdout.write(
                f"Demo province {units.province.name} ({units.province.code}): {len(units.communes)} communes, "
                f"{len(units.agencies)} agencies, {len(units.enterprises)} enterprises; "
                f"{result.values_created} values, {result.submissions_created} submissions, "
                f"{result.holidays_created} holidays added in {elapsed:.1f} s."
            )
        else:
            self.stdout.write(f"The demo already exists; nothing to add ({elapsed:.1f} s).")
        rows = [("Username", "Password", "Role", "Unit")] + [
            (x.username, x.password, x.role, x.unit) for x in result.logins
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        line = "-+-".join("-" * w for w in widths)
        self.stdout.write("Logins:")
        self.stdout.write(line)
        for n, row in enumerate(rows):
            self.stdout.write(" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
            if n == 0:
                self.stdout.write(line)
        self.stdout.write(line)
