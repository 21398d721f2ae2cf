from django.core.management.base import BaseCommand

from reporting.tips.services.rotation import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value and file (tip text, notes, referrals, evidence names, reporter "
        "identities, evidence files, exports) with the first key of PIMPASA_FERNET_KEYS, and index again "
        "the tips indexed with an older PIMPASA_SEARCH_INDEX_KEYS key. Safe to run again; an interrupted "
        "run is finished by the next. Remove an old key only after a run that rotated nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild-index",
            action="store_true",
            help="Index every tip again, not only those indexed with an older key.",
        )

    def handle(self, *args, rebuild_index=False, **options):
        rotated = rotate_keys(rebuild_everything=rebuild_index)
        for name, count in rotated.columns.items():
            if count:
                self.stdout.write(f"{name}: {count} values re-encrypted with the newest key.")
        self.stdout.write(
            f"Re-encrypted {rotated.values} values and {rotated.files} files with the newest key "
            f"({rotated.files_unchanged} files already were); indexed {rotated.tips_reindexed} tips "
            f"with the newest search key; fingerprinted {rotated.tips_refingerprinted} tips again."
        )
        if not (rotated.values or rotated.files or rotated.tips_reindexed or rotated.tips_refingerprinted):
            self.stdout.write("Nothing left under an older key: older keys may now be removed.")
