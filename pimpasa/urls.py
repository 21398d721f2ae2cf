from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cms import urls as cms_urls
from cms.sitemaps import TranslatedSitemap
from pimpasa import password_reset, views
from pimpasa.admin import audit
from reporting.tips.sitemaps import TipPagesSitemap

# One sitemap for the whole site: the page tree in both languages, and the tip form beside it.
SITEMAPS = {"pages": TranslatedSitemap, "tips": TipPagesSitemap}


def _admin_view(view):
    # What Wagtail wraps its own admin views in (wagtail/admin/urls/__init__.py).
    return require_admin_access(never_cache(view))


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz/worker", views.healthz_worker, name="healthz_worker"),
    # "Reports → Site history" narrowed to what each user may see: routed before Wagtail's own view,
    # which answers at the same addresses (and names, for reverse()).
    path("admin/reports/site-history/", _admin_view(audit.SiteHistoryView.as_view())),
    path(
        "admin/reports/site-history/results/", _admin_view(audit.SiteHistoryView.as_view(results_only=True))
    ),
    # Password reset counted per address and e-mail, answered alike for every address, mailed from the
    # task queue (pimpasa.password_reset): before Wagtail's own view at the same address and name.
    path(
        "admin/password_reset/",
        password_reset.ThrottledPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    *cms_urls.site_patterns,
]

# Public pages: Indonesian at the root, English under /en/. Wagtail's catch-all comes last.
urlpatterns += i18n_patterns(
    path("sesi/", include("events.urls")),
    path("lapor/", include("reporting.tips.urls")),
    path("rujukan/", include("reporting.referrals.urls")),
    *cms_urls.localized_patterns,
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler400 = "pimpasa.views.bad_request"
handler500 = "pimpasa.views.server_error"
