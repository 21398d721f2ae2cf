import importlib

from django.core.management.base import BaseCommand

from cms.services.page_tree import ensure_home_page
from pimpasa import ratelimit, sessions
from pimpasa.roles import ensure_roles

# Each app may ship a `bootstrap` module with an `ensure(stdout)` function that creates what every
# installation of it needs (schedules, fixed pages); it must be safe to run again.
BOOTSTRAP_APPS = ["offices", "cms", "events", "reporting"]


class Command(BaseCommand):
    help = "Create what every installation needs (roles, the home page, schedules). Safe to run again."

    def handle(self, *args, **options):
        groups = ensure_roles()
        home = ensure_home_page()
        self.stdout.write(f"Roles: {', '.join(groups)}. Home page: {home.title} (id {home.pk}).")
        sessions.ensure_schedule_exists(self.stdout)
        ratelimit.ensure_schedule_exists(self.stdout)
        for app in BOOTSTRAP_APPS:
            try:
                module = importlib.import_module(f"{app}.bootstrap")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.bootstrap":
                    raise
                continue
            module.ensure(self.stdout)
