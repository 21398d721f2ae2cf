"""A browser, as the server knows it: a random id the server issued and signed, kept in a cookie.

Limits that count "per browser" must not count per anything the client makes up. Django accepts a
CSRF secret the client invents, so counting per CSRF cookie let a script be a new browser on every
request. This id is made here, signed with SECRET_KEY (django.core.signing), and only an id that
verifies is a device; a client without one (or with a forged one) is counted with every other
unknown client of its address (`device_key`), so inventing cookies gains nothing.

The id is random, says nothing about the person, is never stored with a tip, and reaches the cache
only as a salted hash (pimpasa.ratelimit.hashed) inside a counter that expires with its window.
"""

import secrets

from pimpasa.ratelimit import client_key, hashed

COOKIE = "pimpasa_device"
SALT = "pimpasa.device"
# A day: the limits it serves count per hour, and a shared phone should not carry it for long.
MAX_AGE = 24 * 60 * 60


def device_id(request):
    """The id this browser was issued (signature and age checked), or "" if it has none that is valid."""
    cached = getattr(request, "_pimpasa_device", None)
    if cached is not None:
        return cached
    # With a default, a forged, tampered or expired cookie reads as "" (no device).
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=MAX_AGE)
    request._pimpasa_device = value
    return value


def device_key(request):
    """What a per-browser limit counts by: the issued id, hashed; or, for a browser without a valid
    id, one shared key per client address (a made-up cookie joins its address's unknown clients)."""
    issued = device_id(request)
    if issued:
        return hashed(f"device:{issued}")
    return hashed(f"unknown-device:{client_key(request)}")


def ensure_device(request, response):
    """Issue an id to a browser that has no valid one, on this response. Returns the response."""
    if device_id(request):
        return response
    issued = secrets.token_urlsafe(16)
    request._pimpasa_device = issued
    response.set_signed_cookie(
        COOKIE,
        issued,
        salt=SALT,
        max_age=MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


__all__ = ["COOKIE", "device_id", "device_key", "ensure_device"]
