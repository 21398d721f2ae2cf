"""Which version of the privacy notice is in force: what a resident's consent is recorded against.

UU PDP 27/2022 (Pasal 24) asks the controller to prove the consent it relies on. The notice is a
Wagtail page (at PIMPASA_PRIVACY_URL, `/privasi/` by default, in each language); every publish makes
a revision, so the live revision's id names the exact text a resident agreed to, and
`Revision.objects.get(pk=...).as_object()` shows it again years later. Revisions of the privacy notice
must therefore never be purged (docs/data-protection.md).

This is the one thing events asks of cms about privacy. The answer sits in the shared cache until
any page is published, unpublished, moved or deleted (cms.signals).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

_CACHE_KEY = "cms:privacy-notice:{}"
_MISSING = "-"  # cached "no notice page": the configured URL is not a page of this site


@dataclass(frozen=True)
class Notice:
    revision_id: int | None  # None: PIMPASA_PRIVACY_URL is not a published page of this site
    url: str


def current_notice(language=None):
    """The privacy notice in `language` (the active one by default): its live revision and URL."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    cached = cache.get(_CACHE_KEY.format(language))
    if cached is None:
        page = _notice_page(language)
        cached = (page.live_revision_id, page.url) if page is not None else _MISSING
        cache.set(_CACHE_KEY.format(language), cached, None)
    if cached == _MISSING:
        return Notice(revision_id=None, url=settings.PIMPASA_PRIVACY_URL)
    revision_id, url = cached
    return Notice(revision_id=revision_id, url=url or settings.PIMPASA_PRIVACY_URL)


def forget(**_signal_kwargs):
    """Drop the cached answers (a signal receiver: any page change may be the notice's)."""
    cache.delete_many([_CACHE_KEY.format(code) for code, _name in settings.LANGUAGES])


def _notice_page(language):
    """The published page at PIMPASA_PRIVACY_URL in `language`, else in the default language."""
    path = settings.PIMPASA_PRIVACY_URL
    if not path.startswith("/") or path.startswith("//"):
        return None  # a notice kept elsewhere: no revision to point at
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    slugs = [part for part in path.split("/") if part]
    candidates = [language, settings.LANGUAGE_CODE] if language != settings.LANGUAGE_CODE else [language]
    for code in candidates:
        locale = Locale.objects.filter(language_code=code).first()
        root = site.root_page.get_translation_or_none(locale) if locale else None
        if root is None:
            continue
        url_path = root.url_path + "".join(f"{slug}/" for slug in slugs)
        page = Page.objects.live().filter(locale=locale, url_path=url_path).first()
        if page is not None and page.live_revision_id:
            return page
    return None
