"""Rendered text compressed on the wire: residents read on cheap phones over 3G, where an HTML page
shrinks to about a third with gzip.

Static files never pass through here: WhiteNoise (above this middleware) answers them itself, with
the gzip copies made at collectstatic. Media, QR codes, evidence and export downloads are images,
videos, PDFs or zip files already, and streamed responses (downloads) are left alone: compressing
them costs CPU and gains nothing.

BREACH (guessing a secret in a compressed response by reflecting chosen text beside it): Django's
GZipMiddleware pads every response with random bytes (Heal The Breach), and the one secret our
pages carry, the CSRF token, is masked afresh on every response. docs/deployment.md records the
decision.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
)


class TextCompressionMiddleware(GZipMiddleware):
    """GZipMiddleware for rendered text only (HTML, JSON, feeds, sitemaps, calendar files)."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if response.streaming or not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
