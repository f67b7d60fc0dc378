from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from dieuhanh.audit.services import audit_purge


class Command(BaseCommand):
    help = "Delete audit-trail rows older than AUDIT_RETENTION_DAYS (only those)."

    def handle(self, *args, **options):
        try:
            deleted = audit_purge()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{deleted} audit events older than the retention deleted")
