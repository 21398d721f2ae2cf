from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page

from pimpasa.safe_urls import same_origin

register = template.Library()


@register.filter
def machine_time(moment):
    """A moment for <time datetime>: ISO 8601 in local time with its offset and whole seconds (the HTML
    standard allows at most three fraction digits; Django's "c" format writes six)."""
    if not moment:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _page_translation_urls(page, request):
    """URLs of a Wagtail page's translations, keyed by language code (one query)."""
    urls = {}
    for translation in page.get_translations(inclusive=True).live().select_related("locale"):
        url = translation.get_url(request=request)
        if url:
            urls[translation.locale.language_code] = url
    return urls


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context):
    """Links to this same page in every language: a Wagtail page links to its translation (or to
    the other language's home when it has none); any other page keeps its path under the other
    language's prefix. Plain links: they work without JavaScript and can be shared."""
    request = context.get("request")
    current = get_language()
    page = context.get("page")
    page_urls = _page_translation_urls(page, request) if isinstance(page, Page) else {}
    path = request.get_full_path() if request else "/"
    links = []
    for code, name in settings.LANGUAGES:
        if code in page_urls:
            url = page_urls[code]
        elif isinstance(page, Page):
            url = translate_url("/", code)
        else:
            # The path is the visitor's own (a 404 page shows whatever was asked for): a link built
            # from it must stay on this site, else the other language's home.
            url = same_origin(translate_url(path, code), fallback=translate_url("/", code))
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}
