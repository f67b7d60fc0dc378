"""`manage.py load_admin_units "Tây Ninh"` (or a code, or --all): the official 2025 units, idempotent."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dieuhanh.orgunits.admin_units import all_province_codes
from dieuhanh.orgunits.services import admin_units_sync


class Command(BaseCommand):
    help = "Load a province (name with or without diacritics, or official code) and all its communes."

    def add_arguments(self, parser):
        parser.add_argument("provinces", nargs="*", help='e.g. "Tây Ninh", "tay ninh", 80')
        parser.add_argument("--all", action="store_true", help="all 34 provinces and 3,321 communes")

    def handle(self, *args, **options):
        wanted = all_province_codes() if options["all"] else options["provinces"]
        if not wanted:
            raise CommandError(_('Name a province ("Tây Ninh", 80) or pass --all.'))
        totals = [0, 0, 0]
        for name in wanted:
            try:
                result = admin_units_sync(province=name)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            totals = [totals[0] + result.created, totals[1] + result.updated, totals[2] + result.unchanged]
            counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            self.stdout.write(
                f"{result.province.code} {result.province.name}: "
                + _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % counts
            )
        if len(wanted) > 1:
            counts = {"created": totals[0], "updated": totals[1], "unchanged": totals[2]}
            self.stdout.write(_("Total: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % counts)
