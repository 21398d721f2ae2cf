"""Request bodies capped per view and answered with a 413 page before anything reads them.

A check-in is a few hundred bytes and a tip at most its evidence files: a view declares its cap
with `body_limit`, and BodyLimitMiddleware (placed before CSRF, which would read the body) refuses a
larger declared Content-Length at once. Bodies larger than Django's own DATA_UPLOAD_MAX_MEMORY_SIZE
anywhere get the same page instead of a bare 400 (see pimpasa.views.bad_request).
"""

from django.http import HttpResponse
from django.template import loader
from django.utils import translation

ATTRIBUTE = "pimpasa_body_limit"


def body_limit(max_bytes):
    """Refuse requests to this view whose body is over `max_bytes` with a 413 page."""

    def decorate(view):
        setattr(view, ATTRIBUTE, max_bytes)
        return view

    return decorate


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def payload_too_large(request):
    """413 in both languages: the language of a refused request is not always known, and the page
    must say plainly that nothing was recorded. Rendered without the database."""
    body = loader.get_template("413.html").render(
        {"current_language": translation.get_language() or "id"}, request
    )
    return HttpResponse(body, status=413)


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, ATTRIBUTE, None)
        if limit is not None and declared_length(request) > limit:
            return payload_too_large(request)
        return None
