"""Who is asking: the one rule for a client's address, behind however many trusted proxies.

Each reverse proxy appends the address it received the request from to X-Forwarded-For; anything to
the left of what our own proxies wrote was written by the client and proves nothing. With
PIMPASA_PROXY_COUNT = N trusted proxies in front of the application, the client is therefore the N-th
entry from the right. With N = 0 (no proxy, the default) the header is ignored and REMOTE_ADDR is the
client. A header with fewer entries than N, or an entry that is not an IP address, means a proxy did
not do its part: REMOTE_ADDR (the nearest proxy) is used rather than anything the client wrote.

A header is believed only from a peer in PIMPASA_TRUSTED_PROXIES (where the proxies connect from):
when gunicorn can be reached directly, a client writes any X-Forwarded-For it likes, and a new one at
each request would make every limit count a new client. Such a request is counted by its own address
(the direct peer), never by the header. Both cases (no header from a proxy, a peer that is no proxy)
mean a request came past the proxy or the proxy is misconfigured: they are recorded in the shared
cache (a count and the last time, at most one write a minute per process) for `check --deploy` and
/healthz to report (proxy_bypass_report).

Rate limits and login throttling (django-axes) both call client_address.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

logger = logging.getLogger(__name__)

BYPASS_KEY = "pimpasa:proxy-bypass"
# How long a bypass stays reported after the last one seen, and how often one process records it.
BYPASS_REMEMBER_SECONDS = 7 * 24 * 3600
BYPASS_RECORD_EVERY_SECONDS = 60


def proxy_count():
    return getattr(settings, "PIMPASA_PROXY_COUNT", 0)


def client_address(request):
    """The client's IP address as the trusted proxies saw it (a string; "" if unknown)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = proxy_count()
    if count <= 0:
        return remote
    if not _is_trusted_proxy(remote):
        _record_bypass("untrusted_peer")
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < count:
        _record_bypass("missing_header")
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


@lru_cache(maxsize=8)
def _trusted_networks(networks):
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _is_trusted_proxy(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks = _trusted_networks(tuple(getattr(settings, "PIMPASA_TRUSTED_PROXIES", ())))
    return any(ip in network for network in networks)


def _record_bypass(reason):
    """Note in the shared cache that a request came past the proxy (no address: the fact, a count, when).

    Each process writes at most once a minute per reason (its own memory remembers when it last did),
    so a flood of direct requests costs the shared cache nothing; the count is therefore of minutes
    with such requests per process, not of requests. Never fails the request it was called for."""
    local = caches["local"]
    if not local.add(f"{BYPASS_KEY}:{reason}:recorded", True, timeout=BYPASS_RECORD_EVERY_SECONDS):
        return
    logger.warning(
        "A request arrived %s while PIMPASA_PROXY_COUNT is %s: counted by its own address.",
        "from a peer that is no trusted proxy"
        if reason == "untrusted_peer"
        else "without the proxy's header",
        proxy_count(),
    )
    shared = caches["default"]
    try:
        report = shared.get(BYPASS_KEY) or {}
        entry = report.get(reason) or {"count": 0}
        entry = {"count": entry["count"] + 1, "last_seen": timezone.now().isoformat()}
        shared.set(BYPASS_KEY, {**report, reason: entry}, timeout=BYPASS_REMEMBER_SECONDS)
    except Exception:  # the shared cache may be down: the warning above is logged anyway
        logger.warning("The proxy bypass could not be recorded in the shared cache.")


def proxy_bypass_report():
    """What has come past the proxy lately, by reason ("missing_header", "untrusted_peer"): each a dict
    with a count (minutes with such requests, per process) and the last time; {} when nothing has, or
    when no proxy is configured."""
    if proxy_count() <= 0:
        return {}
    try:
        return caches["default"].get(BYPASS_KEY) or {}
    except Exception:
        return {}


def forget_proxy_bypass():
    """Clear the report (after the deployment was fixed)."""
    caches["default"].delete(BYPASS_KEY)
    for reason in ("missing_header", "untrusted_peer"):
        caches["local"].delete(f"{BYPASS_KEY}:{reason}:recorded")


class ProxyBypassMiddleware:
    """Looks at every request, not only those a limit counts, so that a gunicorn reachable directly
    is reported even by a visitor who only reads pages (cheap: no write unless it came past the proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if proxy_count() > 0:
            client_address(request)
        return self.get_response(request)
