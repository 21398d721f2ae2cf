"""Feeds of new material, one per language, in RSS and Atom."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .models import MaterialPage
from .sharing import page_public_url, public_url

FEED_SIZE = 20


class LatestMaterialFeed(Feed):
    title = _("Ngopi Pimpasa: new material")
    description = _("New material on safe migration, trafficking and reporting, from PIMPASA officers.")

    def link(self):
        return public_url(reverse("wagtail_serve", args=[""]))

    def items(self):
        return (
            MaterialPage.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .order_by("-first_published_at")
            .defer_streamfields()[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return page_public_url(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class LatestMaterialAtomFeed(LatestMaterialFeed):
    feed_type = Atom1Feed
    subtitle = LatestMaterialFeed.description
