"""The public site's few views outside the page tree: search and robots.txt."""

import re

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from .models import MaterialPage, with_card_images

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100
MAX_TERMS = 8


def search_terms(query):
    """The words of a visitor's query. Quotes and operators mean something to SQLite's and
    PostgreSQL's full-text syntax; a visitor only ever means words."""
    return " ".join(re.findall(r"\w+", query)[:MAX_TERMS])


def search_material(query, locale):
    """Live public material in one language containing every word of `query`, best match first."""
    terms = search_terms(query)
    materials = MaterialPage.objects.live().public().filter(locale=locale)
    if not terms:
        return materials.none()
    return with_card_images(materials).search(terms, operator="and")


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
    return render(request, "cms/search.html", {"query": query, "results": results})


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
