"""Rules for the public site's page tree: the home page in each language, the locales, the site's
address, translations and child pages made idempotently (setup, demo content, tests)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from cms.models import HomePage, MaterialPage

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

    locale = ensure_locales()[settings.LANGUAGE_CODE]
    root = ensure_tree_roots(locale)
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug=HOME_SLUG, locale=locale))
    previous_root = site.root_page if site is not None else None
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = site.site_name or "Pimpasa"
    site.save()
    if previous_root is not None and previous_root.specific_class is Page and previous_root.numchild == 0:
        previous_root.delete()
    return home


def ensure_tree_roots(locale):
    """The page tree's and the collection tree's roots, which Wagtail's migrations create; made again
    if a database was emptied without re-running migrations (a flushed test database, a bare restore)."""
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return root


def ensure_locales():
    """One Locale per configured content language (Wagtail creates only the default one)."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    return {locale.language_code: locale for locale in Locale.objects.all()}


def align_site_with_public_url():
    """Make the default Wagtail site's address PIMPASA_PUBLIC_URL, so that every full URL Wagtail
    builds (sitemap, "view live" in the admin, e-mails) is the public one."""
    parts = urlsplit(settings.PIMPASA_PUBLIC_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save()
    return site


@transaction.atomic
def ensure_translation(page, locale, **fields):
    """The translation of `page` in `locale`, created (published, with `fields` set) if missing.

    Like Wagtail's copy_for_translation, but the translated fields (the slug above all) are set before
    the copy is first saved, so no spurious redirect from a never-published slug is left behind.
    An existing translation is returned untouched: what an editor changed is never overwritten.
    """
    from cms.signals import translated_topics

    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    source = page.specific
    if page.depth > 2:
        parent = page.get_parent().get_translation(locale)
    else:  # a site root: its translation is a sibling, as Wagtail does it
        parent = page.get_parent()
        fields.setdefault("slug", f"{page.slug}-{locale.language_code}")
    translation = source.copy(
        to=parent,
        update_attrs={"locale": locale, **fields},
        keep_live=False,
        reset_translation_key=False,
        copy_revisions=False,
        log_action=None,
    ).specific
    if isinstance(source, MaterialPage):
        translation.topics.set(translated_topics(source, locale))
    translation.save_revision(log_action=False).publish(log_action=False)
    return translation


@transaction.atomic
def ensure_child_page(parent, page):
    """Add `page` under `parent` and publish it, unless a page with its slug is already there."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return page
