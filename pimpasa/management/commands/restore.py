from django.core.management.base import BaseCommand, CommandError

from pimpasa.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty database and empty private/media folders. "
        "The archive is checked whole first; a foreign, corrupt or altered one is refused and nothing "
        "is changed. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore over a database or folders that are not empty: the database objects the backup "
            "holds are replaced; the folders' contents are moved aside to <folder>.before-restore-<time>.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            restored = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(f"Not restored: {error}") from None
        rows = sum(restored.counts.values())
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({manifest['engine']}): "
            f"{len(restored.counts)} tables, {rows} rows, {len(manifest['files']) - 1} files; every count "
            "matches the manifest. Run `manage.py migrate` if this Pimpasa is newer than the backup, and "
            "set the same PIMPASA_FERNET_KEYS (and other keys) the backed-up site used."
        )
