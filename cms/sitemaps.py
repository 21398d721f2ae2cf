"""sitemap.xml: every live public page in every language, each listing its translations."""

from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .sharing import page_public_url


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap covers the site root's own tree, i.e. Indonesian only. The English tree is
    a sibling (the root's translation), so it is added here, and addresses use PIMPASA_PUBLIC_URL."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_some_tree = Q()
        for root in roots:
            in_some_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.live()
            .public()
            .filter(in_some_tree)
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        locations = {item.pk: page_public_url(item, self.request) for item in pages}
        by_translation = defaultdict(list)
        for item in pages:
            by_translation[item.translation_key].append(item)
        urls = []
        for item in pages:
            siblings = by_translation[item.translation_key]
            alternates = [
                {"lang_code": other.locale.language_code, "location": locations[other.pk]}
                for other in siblings
            ]
            urls.append(
                {
                    "item": item,
                    "location": locations[item.pk],
                    "lastmod": self.lastmod(item),
                    "alternates": alternates if len(siblings) > 1 else [],
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls
