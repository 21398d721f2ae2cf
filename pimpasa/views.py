"""Project-wide views: the load balancer's health check and the error pages."""

import logging

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from pimpasa import health

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 while the database (and Redis, when configured) answer, else 503: the load balancer takes
    this process out. The worker's heartbeat is reported, not judged: that is /healthz/worker."""
    database = "ok" if health.database_reachable() else "unreachable"
    redis = health.redis_status()
    healthy = database == "ok" and redis != "unreachable"
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "redis": redis,
        "worker_last_heartbeat": health.last_worker_heartbeat() if database == "ok" else None,
    }
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def healthz_worker(request):
    """200 while a django-q cluster's heartbeat is fresh, 503 when stale or absent (restart it)."""
    status = health.worker_status()
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Render the 500 page with the request (for its language) but without touching the database,
    which may be the very thing that failed."""
    try:
        template = loader.get_template(template_name)
        body = template.render({"request": request})
    except Exception:  # the error page itself must never fail
        logger.exception("Rendering the 500 page failed")
        body = "<h1>500</h1>"
    return HttpResponseServerError(body)
