"""Who is asking: the one rule for a client's address, behind however many trusted proxies.

Each reverse proxy appends the address it received the request from to X-Forwarded-For; anything to
the left of what our own proxies wrote was written by the client and proves nothing. With
PIMPASA_PROXY_COUNT = N trusted proxies in front of the application, the client is therefore the N-th
entry from the right. With N = 0 (no proxy, the default) the header is ignored and REMOTE_ADDR is the
client. A header with fewer entries than N, or an entry that is not an IP address, means a proxy did
not do its part: REMOTE_ADDR (the nearest proxy) is used rather than anything the client wrote.

Rate limits and login throttling (django-axes) both call client_address.
"""

import ipaddress

from django.conf import settings


def proxy_count():
    return getattr(settings, "PIMPASA_PROXY_COUNT", 0)


def client_address(request):
    """The client's IP address as the trusted proxies saw it (a string; "" if unknown)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = proxy_count()
    if count <= 0:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
