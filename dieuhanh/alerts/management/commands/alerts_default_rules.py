"""Create the default alert rules on each top unit (a province), once; administrators adjust them at /alerts/rules/."""

from django.core.management.base import BaseCommand

from dieuhanh.alerts.services import rules_default_create
from dieuhanh.orgunits.models import OrgUnit


class Command(BaseCommand):
    help = "Create the default alert rules (tasks, reports, systems) on each top unit that lacks them."

    def handle(self, *args, **options):
        for unit in OrgUnit.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("path"):
            made = rules_default_create(unit=unit)
            self.stdout.write(f"{unit.name}: {len(made)} rules created")
