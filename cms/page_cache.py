"""A shared cache of rendered pages for anonymous visitors, emptied by every publish.

Material is read far more than it is written, mostly by anonymous visitors on phones. A page type
opts in (CachedPageMixin marks its responses); PageCacheMiddleware stores marked responses and
answers later requests for the same URL before Wagtail routes or renders anything, without a single
database query.

The cache is Django's default cache (the database in the embedded default, Redis in production),
shared by every process. Invalidation does not hunt for keys: every key embeds a *generation*
token, and publishing, unpublishing, moving or deleting a page, changing what every page shows
(site settings, topics), or saving or deleting a session or an area (the home page lists upcoming
sessions; events.signals calls invalidate()) replaces the token, so all earlier entries become
unreachable at once and expire on their own. A page whose content changes by itself with time (the
home page, when its first listed session ends) stores its entry for no longer than that.

Logged-in users, previews, non-GET requests and pages behind a view restriction always bypass it.

An entry holds the page gzipped, compressed once when it is stored: a hit sends those bytes as they are
to every client that accepts gzip (nearly all), where it used to be gzipped again on every hit by
pimpasa.compression (about a third of a hit's CPU, docs/benchmarks.md "Cached hits"); the rare client
without gzip gets it decompressed, which costs a fraction of compressing. It also takes a third of the
room in the cache. The stream is padded once (pimpasa.compression's BREACH note): a cached page is the
same for every anonymous visitor and carries no secret, so the same stream for all of them reveals
nothing.
"""

import gzip
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from pimpasa.compression import TextCompressionMiddleware

GENERATION_KEY = "cms:page-cache:generation"
CACHE_HEADER = "X-Pimpasa-Cache"
_MARK = "_pimpasa_page_cache"
_KEY_ATTR = "_pimpasa_page_cache_key"
# Headers a cached response must carry again; everything else is rebuilt per request.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")


def timeout():
    return getattr(settings, "PIMPASA_PAGE_CACHE_SECONDS", 3600)


def enabled():
    return timeout() > 0


def generation():
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        # add(): if another process created a token meanwhile, theirs wins and we use it.
        if not cache.add(GENERATION_KEY, token, None):
            token = cache.get(GENERATION_KEY) or token
    return token


def invalidate(**_signal_kwargs):
    """Make every cached page unreachable (a signal receiver, hence the keyword arguments)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _key(request):
    host = request.get_host()
    digest = hashlib.sha256(f"{host}|{request.get_full_path()}".encode()).hexdigest()
    # "gz": entries hold the gzipped body (earlier entries, held plain, are never read as such).
    return f"cms:page-cache:gz:{generation()}:{digest}"


def request_may_use_cache(request):
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    # Wagtail's previews run a dummy request through the middleware; they must never read or fill it.
    if getattr(request, "is_dummy", False) or getattr(request, "is_preview", False):
        return False
    # A pending flash message would be rendered into (and frozen in) the cached page.
    if "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def mark_cacheable(request, response, page, seconds=None):
    """Called by a page's serve(): the middleware may store this response, for `seconds` if the page
    knows its content changes by itself sooner than the site's default (never longer than that)."""
    if response.status_code == 200 and request_may_use_cache(request) and not page.get_view_restrictions():
        seconds = timeout() if seconds is None else min(seconds, timeout())
        if seconds > 0:
            setattr(response, _MARK, seconds)


class PageCacheMiddleware:
    """Place after AuthenticationMiddleware and LocaleMiddleware (the URL carries the language).

    Only requests routed to Wagtail's page view consult the cache; everything else (the health
    check, the admin, forms) passes straight through without touching it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, _KEY_ATTR, None)
        seconds = getattr(response, _MARK, None)
        if key is not None and seconds:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            patch_vary_headers(response, ("Accept-Encoding",))
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            body = compress_string(
                response.content, max_random_bytes=TextCompressionMiddleware.max_random_bytes
            )
            cache.set(key, (body, headers), seconds)
            if _accepts_gzip(request):
                # This visitor gets the bytes just stored: compressed once, not again on the way out.
                _send_gzipped(response, body)
            response[CACHE_HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve as wagtail_serve  # not at import: cms.models imports this module

        if view_func is not wagtail_serve or not request_may_use_cache(request):
            return None
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            return self._rebuild(request, cached)
        setattr(request, _KEY_ATTR, key)
        return None

    @staticmethod
    def _rebuild(request, cached):
        body, headers = cached
        if _accepts_gzip(request):
            response = HttpResponse()
            _send_gzipped(response, body)
        else:
            response = HttpResponse(gzip.decompress(body))
        for name, value in headers.items():
            response[name] = value
        response[CACHE_HEADER] = "hit"
        return response


def _accepts_gzip(request):
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _send_gzipped(response, body):
    """The stored gzip stream as the response's body; pimpasa.compression leaves an encoded body alone."""
    response.content = body
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(body))
