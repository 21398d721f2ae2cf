"""Project-wide views: the load balancer's health check and the error pages."""

import logging
import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from redis.exceptions import RedisError

from pimpasa import health
from pimpasa.request_limits import payload_too_large

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 while the database (and Redis, when configured) answer, else 503: the load balancer takes
    this process out. The worker's heartbeat is reported, not judged: that is /healthz/worker; so are
    requests that came past the reverse proxy (a deployment to fix, not a reason to stop serving)."""
    database = "ok" if health.database_reachable() else "unreachable"
    redis = health.redis_status()
    healthy = database == "ok" and redis != "unreachable"
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "redis": redis,
        "worker_last_heartbeat": health.last_worker_heartbeat() if database == "ok" else None,
        "proxy": health.proxy_status(),
    }
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def healthz_worker(request):
    """200 while a django-q cluster's heartbeat is fresh, 503 when stale or absent (restart it)."""
    status = health.worker_status()
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)


# Forms whose loss matters most: the error page names them (url names, as resolved).
SUBMISSIONS = {"events:checkin": "checkin", "tips:report": "tip"}
# Seconds a client is asked to wait when a part (database, Redis) is down.
RETRY_AFTER_SECONDS = 30


def what_was_sent(request):
    """ "checkin", "tip", "form" (another POST) or None: what the error page must say was not recorded."""
    if request.method != "POST":
        return None
    match = getattr(request, "resolver_match", None)
    return SUBMISSIONS.get(match.view_name if match else "", "form")


def part_is_down(exception):
    """The database or Redis did not answer (as opposed to a bug): a 503 the client may retry."""
    return isinstance(exception, (OperationalError, InterfaceError, RedisError))


def bad_request(request, exception):
    """A body over Django's upload limits is a 413 with its own page; anything else Django's 400."""
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        return payload_too_large(request)
    return defaults.bad_request(request, exception)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 500 page, or a 503 with Retry-After when the database or Redis is down. It tells the truth
    about a check-in or a tip that failed: not recorded, send it again. Rendered with the request
    (for its language) but without touching the database, which may be the very thing that failed."""
    unavailable = part_is_down(sys.exc_info()[1])  # Django calls this inside its except block
    context = {"request": request, "unavailable": unavailable, "sending": what_was_sent(request)}
    try:
        body = loader.get_template(template_name).render(context)
    except Exception:  # the error page itself must never fail
        logger.exception("Rendering the 500 page failed")
        body = "<h1>500</h1>"
    if unavailable:
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(body)
