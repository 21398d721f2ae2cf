"""The tip form and the status page in sitemap.xml: the public entrance to reporting, in each language."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from events.services import public_url


class TipPagesSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return ["tips:report", "tips:status"]

    def _urls(self, page, protocol, domain):
        urls = []
        for name in self.paginator.page(page).object_list:
            alternates = []
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    alternates.append({"lang_code": code, "location": public_url(reverse(name))})
            for alternate in alternates:
                urls.append(
                    {
                        "item": name,
                        "location": alternate["location"],
                        "lastmod": None,
                        "changefreq": self.changefreq,
                        "priority": str(self.priority),
                        "alternates": alternates,
                    }
                )
        return urls
