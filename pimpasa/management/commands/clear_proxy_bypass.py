"""Forget the recorded requests that came past the proxy (pimpasa.client), once the deployment is fixed."""

from django.core.management.base import BaseCommand

from pimpasa.client import forget_proxy_bypass


class Command(BaseCommand):
    help = "Forget the recorded requests that came past the reverse proxy (see `check --deploy`)."

    def handle(self, *args, **options):
        forget_proxy_bypass()
        self.stdout.write("Proxy bypass report cleared.")
