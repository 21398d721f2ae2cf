"""sitemap.xml: every live public page in every language, each listing its translations.

Django's own multilingual sitemap does the listing (`i18n`, `alternates`): an item is a page in
all its languages (its translation key), and `location` gives its address in the language Django
activates for each entry. Addresses use PIMPASA_PUBLIC_URL, never the Host header of the request.
"""

from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, Site


class TranslatedSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        # The Indonesian tree is the default site's; the English tree is its root's translation.
        roots = Site.objects.get(is_default_site=True).root_page.get_translations(inclusive=True)
        in_some_tree = Q()
        for root in roots:
            in_some_tree |= Q(path__startswith=root.path)
        pages = (
            Page.objects.live()
            .public()
            .filter(in_some_tree)
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
        )
        self.translations = defaultdict(dict)
        for page in pages:
            self.translations[page.translation_key][page.locale.language_code] = page
        # One item per translation key, in the order of the first tree it appears in.
        return [next(iter(by_language.values())) for by_language in self.translations.values()]

    def get_languages_for_item(self, item):
        return [code for code, _name in settings.LANGUAGES if code in self.translations[item.translation_key]]

    def _translation(self, item):
        return self.translations[item.translation_key][translation.get_language()]

    def location(self, item):
        _site_id, _root_url, path = self._translation(item).get_url_parts()
        return path

    def lastmod(self, item):
        # Django asks once per item, whatever the language: the latest change among its translations.
        changes = [
            page.last_published_at or page.latest_revision_created_at
            for page in self.translations[item.translation_key].values()
        ]
        return max((change for change in changes if change is not None), default=None)

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PIMPASA_PUBLIC_URL).scheme

    def get_domain(self, site=None):
        public = urlsplit(settings.PIMPASA_PUBLIC_URL)
        return public.netloc + public.path.rstrip("/")
