"""The public site's URLs outside the page tree.

`site_patterns` live at the root (robots.txt; the one sitemap, with other apps' sections, is in
pimpasa.urls); `localized_patterns` go inside i18n_patterns, before Wagtail's catch-all, so that /cari/ and /en/search/ both exist.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views
from .feeds import LatestMaterialAtomFeed, LatestMaterialFeed

site_patterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

localized_patterns = [
    path(_("search/"), views.search, name="search"),
    path("feed/", LatestMaterialFeed(), name="material_feed"),
    path("feed/atom/", LatestMaterialAtomFeed(), name="material_feed_atom"),
]
