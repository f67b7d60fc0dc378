"""manage.py backup [--output PATH]: the database and the uploaded files into one archive (see ops/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from dieuhanh.ops.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's online backup) and MEDIA_ROOT into BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive to write, or a folder for it (default: BACKUP_DIR)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--language", default="vi", help="language of the messages (vi, en)")

    def handle(self, *args, output=None, database="default", language="vi", **options):
        translation.activate(language)
        try:
            result = backup_create(output=Path(output) if output else None, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Backup written: %(path)s (%(engine)s, %(files)d uploaded files)") % {
            "path": result.path, "engine": result.engine, "files": result.media_files})
