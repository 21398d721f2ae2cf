"""The public site's few views outside the page tree: search and robots.txt."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from .models import MaterialPage, Topic, with_card_images
from .search import ranked_search

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


def search_material(query, locale):
    """Live public material in one language matching any word of `query` in one of its forms
    (synonyms, near misses; small words ignored: see cms.search), the most words matched first."""
    materials = MaterialPage.objects.live().public().filter(locale=locale)
    return with_card_images(ranked_search(materials, query, locale))


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        paginator = Paginator(search_material(query, Locale.get_active()), RESULTS_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page") or 1)
        except (PageNotAnInteger, EmptyPage):
            results = paginator.page(1)
    topics = None
    if query and not results.paginator.count:
        # Nothing found: the topics to browse instead (and the tip form, in the template).
        topics = Topic.objects.filter(locale=Locale.get_active())
    return render(request, "cms/search.html", {"query": query, "results": results, "topics": topics})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {settings.PIMPASA_PUBLIC_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
