"""Links and redirects built from something a visitor sent (a request path, a `next` value) stay on
this site: the one rule, Django's url_has_allowed_host_and_scheme, with no host allowed at all.

"//evil.example/en/" is a path to Django's URL resolver but a link to another site in a browser; so
are "/\\evil.example", "https://evil.example" and "javascript:...". Only a path on this site passes.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def same_origin(url, fallback="/"):
    """`url` if it is a path on this site, else `fallback`."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return fallback
