"""manage.py import_values FILE.csv [--user USERNAME]: bulk import of long-format values, all or nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from dieuhanh.indicators.models import Channel
from dieuhanh.reporting.csv_import import ImportErrors, values_import_file


class Command(BaseCommand):
    help = "Import values from a CSV with the header form,unit,period,indicator,kind,value (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="import as this user (needs the reporter role on every unit); "
                                           "without it the import runs as the system")
        parser.add_argument("--language", default="vi", help="language of the messages (vi, en)")

    def handle(self, *args, file, user=None, language="vi", **options):
        translation.activate(language)
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user, is_active=True)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(_("No active user '%(u)s'") % {"u": user}) from exc
        try:
            # Streamed: the file is never held in memory whole (ten million lines fit in a few hundred MB).
            result = values_import_file(file, user=account, channel=Channel.CSV)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ImportErrors as exc:
            for message in exc.errors:
                self.stderr.write(message)
            if exc.more:
                self.stderr.write(_("… and %(n)d more errors") % {"n": exc.more})
            raise CommandError(_("Nothing was imported")) from exc
        self.stdout.write(_("Imported %(n)d values (%(c)d changed) in %(s).1f s") % {
            "n": result.values, "c": result.changed, "s": result.seconds})
        if result.overwritten:
            # The file names no report version: whatever it replaced is said, not replaced silently.
            self.stdout.write(_("%(n)d figures saved before were overwritten (the file names no report version; "
                                "each is recorded in the history as an overwrite):") % {"n": result.overwritten})
            for overwrite in result.overwrites:
                self.stdout.write(_("Line %(line)d: %(change)s") % {"line": overwrite.index + 2,
                                                                    "change": overwrite.describe()})
            if result.overwritten > len(result.overwrites):
                self.stdout.write(_("… and %(n)d more") % {"n": result.overwritten - len(result.overwrites)})
