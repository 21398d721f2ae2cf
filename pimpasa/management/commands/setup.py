from django.core.management.base import BaseCommand

from cms.services import ensure_home_page
from pimpasa.roles import ensure_roles


class Command(BaseCommand):
    help = "Create what every installation needs (roles, the home page, schedules). Safe to run again."

    def handle(self, *args, **options):
        groups = ensure_roles()
        home = ensure_home_page()
        self.stdout.write(f"Roles: {', '.join(groups)}. Home page: {home.title} (id {home.pk}).")
