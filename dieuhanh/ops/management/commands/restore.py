"""manage.py restore PATH --yes: replace the database and the uploaded files with a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from dieuhanh.ops.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`: the database and MEDIA_ROOT are REPLACED (needs --yes)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="confirm that the current data is to be replaced")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--language", default="vi", help="language of the messages (vi, en)")

    def handle(self, *args, path, yes=False, database="default", language="vi", **options):
        translation.activate(language)
        name = connections[database].settings_dict["NAME"]
        if not yes:
            raise CommandError(_("Restoring replaces every table of the database %(name)s and the uploaded files "
                                 "with the backup's. Stop the web server and the worker, then run again with --yes.")
                               % {"name": name})
        try:
            result = backup_restore(path=Path(path), alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Restored %(path)s into %(name)s (%(files)d uploaded files).") % {
            "path": result.path, "name": name, "files": result.media_files})
