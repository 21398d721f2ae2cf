"""What every installation of the public site needs (run by `manage.py setup`; safe to run again):
both languages, the English home page, the site's public address and the privacy notice at /privasi/.
"""

from django.db import transaction

from .content.privacy import PRIVACY
from .content.privacy import SLUG as PRIVACY_SLUG
from .models import StandardPage
from .services import (
    align_site_with_public_url,
    ensure_child_page,
    ensure_home_page,
    ensure_locales,
    ensure_translation,
)

ENGLISH_HOME = {
    "title": "Ngopi Pimpasa",
    "hero_heading": "Safe migration starts at home",
    "hero_text": (
        "Village-supervising immigration officers (PIMPASA) explain how to work abroad safely, how to "
        "spot trafficking, and how to report what worries you."
    ),
}


@transaction.atomic
def ensure(stdout):
    locales = ensure_locales()
    align_site_with_public_url()
    home = ensure_home_page()
    english_home = ensure_translation(home, locales["en"], **ENGLISH_HOME)
    privacy = ensure_child_page(home, StandardPage(slug=PRIVACY_SLUG, **PRIVACY["id"]))
    ensure_translation(privacy, locales["en"], slug=PRIVACY_SLUG, **PRIVACY["en"])
    stdout.write(
        f"Public site: languages {', '.join(sorted(locales))}; English home (id {english_home.pk}); "
        f"privacy notice at /{PRIVACY_SLUG}/."
    )
