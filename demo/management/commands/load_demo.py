from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from cms.services.page_tree import ensure_home_page
from demo import boundaries, offices, referrals, sessions, site_content, tips
from demo.accounts import ensure_demo_accounts, refuse_in_production
from pimpasa.roles import ROLE_LABELS

# Each of these modules has a `load(stdout)` function; they run in this order because later demo data
# points at earlier demo data (sessions show the site's topics, tips belong to sessions, referrals to tips;
# offices come before the areas, which go to the first office unless named).
LOADERS = [site_content, offices, sessions, boundaries, tips, referrals]


class Command(BaseCommand):
    help = "Load demo content and demo accounts (embedded default only). Running it twice adds nothing."

    def handle(self, *args, **options):
        try:
            refuse_in_production()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        ensure_home_page()
        accounts = ensure_demo_accounts()
        for loader in LOADERS:
            loader.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo accounts (Wagtail admin at /admin/):"))
        for username, role, password in accounts:
            shown = password or "(changed by its owner)"
            self.stdout.write(f"  {username:<17} {shown:<22} {ROLE_LABELS[role]}")
