"""Rules for the public site's page tree."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_TITLE = "Ngopi Pimpasa"
HOME_SLUG = "beranda"


@transaction.atomic
def ensure_home_page():
    """Make sure the default site is served by a HomePage in the default locale.

    Wagtail's first migration leaves a generic welcome page as the site root; it is replaced once
    (and removed if nothing was built under it). Running this again changes nothing.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and site.root_page.specific_class is HomePage:
        return site.root_page.specific

    locale = Locale.get_default()
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title=HOME_TITLE, slug=HOME_SLUG, locale=locale)
        )
    previous_root = site.root_page if site is not None else None
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = site.site_name or "Pimpasa"
    site.save()
    if previous_root is not None and previous_root.specific_class is Page and previous_root.numchild == 0:
        previous_root.delete()
    return home
