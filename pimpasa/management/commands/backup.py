from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pimpasa.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one dated archive (pimpasa-backup-YYYYMMDD-HHMMSS.tar.gz, mode 0600) of the database, the "
        "private files and the media files, with a manifest. Keys are never inside: back them up apart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(settings.PIMPASA_BACKUP_DIR),
            help="Folder for the archive (default: PIMPASA_BACKUP_DIR). Copy it off this machine afterwards.",
        )

    def handle(self, *args, output_dir, **options):
        try:
            path = create_backup(output_dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
