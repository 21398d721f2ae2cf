"""Absolute addresses for what leaves the site: share previews, canonical links, feeds, the sitemap.

They are built from PIMPASA_PUBLIC_URL, never from the Host header of whoever asked.
"""

from django.conf import settings


def public_url(path_or_url):
    if not path_or_url:
        return ""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.PIMPASA_PUBLIC_URL + path_or_url


def page_public_url(page, request=None):
    return public_url(page.get_url(request=request))
