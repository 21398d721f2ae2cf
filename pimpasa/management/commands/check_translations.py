import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Indonesian is the default language: every string the project marks must have its translation.
REQUIRED_LANGUAGES = ["id"]


class Command(BaseCommand):
    help = "Refresh the catalogues from the source and fail if any marked string lacks a translation."

    def handle(self, *args, **options):
        if shutil.which("xgettext") is None:
            raise CommandError("xgettext is missing: install gettext (apt-get install gettext).")
        call_command(
            "makemessages",
            locale=REQUIRED_LANGUAGES,
            no_location=True,
            no_obsolete=True,
            ignore_patterns=[".venv/*", "var/*", "bench/*", "tests/*"],
            verbosity=0,
        )
        problems = []
        for language in REQUIRED_LANGUAGES:
            for locale_dir in settings.LOCALE_PATHS:
                for po_path in Path(locale_dir).glob(f"{language}/LC_MESSAGES/*.po"):
                    catalogue = polib.pofile(str(po_path))
                    for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
                        problems.append(f"{po_path.name} [{language}]: {entry.msgid!r}")
        if problems:
            listing = "\n  ".join(problems[:50])
            raise CommandError(f"{len(problems)} string(s) lack an Indonesian translation:\n  {listing}")
        self.stdout.write("Every marked string has its Indonesian translation.")
