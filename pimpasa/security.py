"""Response headers that tell the browser what a page may do: Content-Security-Policy (django-csp),
Permissions-Policy and, through Django's SecurityMiddleware, Referrer-Policy.

The site's own pages run under a strict policy: scripts, styles, images and fonts from this site only,
no inline script or style attribute anywhere (templates keep them in static files), nothing framed but
the video hosts editors embed. Wagtail's admin is the one exception: its own templates write inline
scripts (date pickers, inline panels) and its scripts set style attributes, so under /admin/ the
policy also allows inline script and style (PIMPASA_ADMIN_CSP_RELAXATION); everything else stays
as strict there. Field mode (/admin/field/) is our own page and keeps the strict policy.

Permissions-Policy switches off what no page needs (camera, microphone, location, payment, USB);
pages that scan tickets (@camera_allowed) may ask for this site's camera.
"""

from functools import wraps

from csp.middleware import CSPMiddleware
from django.conf import settings

CAMERA_ALLOWED = "_pimpasa_camera_allowed"


def _relaxed(request):
    path = request.path_info
    return path.startswith(tuple(settings.PIMPASA_CSP_RELAXED_PREFIXES)) and not path.startswith(
        tuple(settings.PIMPASA_CSP_STRICT_PREFIXES)
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with Wagtail's admin relaxation added under its prefix only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and _relaxed(request):
            update = dict(parts.update or {})
            for directive, sources in settings.PIMPASA_ADMIN_CSP_RELAXATION.items():
                update[directive] = [*update.get(directive, ()), *sources]
            parts.update = update
        return parts


def camera_allowed(view):
    """Mark a view whose page scans QR codes with the device's camera (Permissions-Policy)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, CAMERA_ALLOWED, True)
        return response

    return wrapper


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            features = dict(settings.PIMPASA_PERMISSIONS_POLICY)
            if getattr(response, CAMERA_ALLOWED, False):
                features["camera"] = "(self)"
            response["Permissions-Policy"] = ", ".join(f"{name}={value}" for name, value in features.items())
        return response
