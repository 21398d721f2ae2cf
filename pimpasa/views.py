"""Project-wide views: the load balancer's health check and the error pages."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 while the database answers, 503 when it does not; a load balancer takes us out on 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
