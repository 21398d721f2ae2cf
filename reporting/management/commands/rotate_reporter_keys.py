from django.core.management.base import BaseCommand

from reporting.tips.models import Tip
from reporting.tips.services.identity import rotate_identities


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored reporter identity with the first key of PIMPASA_FERNET_KEYS, "
        "so that the older keys after it can be removed."
    )

    def handle(self, *args, **options):
        count = rotate_identities(Tip.objects.all())
        self.stdout.write(f"Re-encrypted {count} reporter identities with the newest key.")
