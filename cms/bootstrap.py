"""What every installation of the public site needs (run by `manage.py setup`; safe to run again):
both languages, the English home page, the site's public address, the privacy notice at /privasi/ and
the picture renditions every live page shows (cms.renditions).
"""

from django.db import transaction

from . import renditions
from .content.privacy import PRIVACY
from .content.privacy import SLUG as PRIVACY_SLUG
from .models import StandardPage
from .services.page_tree import (
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
    # Every other language gets a home page of its own: /en/ must be a real English page.
    for code, locale in locales.items():
        if code != home.locale.language_code:
            ensure_translation(home, locale, **(ENGLISH_HOME if code == "en" else {}))
    privacy = ensure_child_page(home, StandardPage(slug=PRIVACY_SLUG, **PRIVACY["id"]))
    ensure_translation(privacy, locales["en"], slug=PRIVACY_SLUG, **PRIVACY["en"])
    stdout.write(f"Public site: languages {', '.join(sorted(locales))}; privacy notice at /{PRIVACY_SLUG}/.")
    if renditions.enabled():
        # A template that asks for a new size, or pictures lost with var/media: no visitor waits for them.
        stdout.write(f"Pictures: {renditions.make_for_live_pages()} renditions made ahead of visitors.")
