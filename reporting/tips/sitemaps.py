"""The tip form and the status page in sitemap.xml: the public entrance to reporting, in each language.

Django's multilingual sitemap lists each page once per language with its alternates; addresses use
PIMPASA_PUBLIC_URL, like the page tree's sitemap (cms.sitemaps).
"""

from django.conf import settings
from django.urls import reverse

from cms.sitemaps import TranslatedSitemap


class TipPagesSitemap(TranslatedSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return ["tips:report", "tips:status"]

    def get_languages_for_item(self, item):
        return [code for code, _name in settings.LANGUAGES]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None
