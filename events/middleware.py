"""Logging out deletes what field mode kept on the phone, even entries still waiting to be sent."""


class ClearSiteDataOnLogoutMiddleware:
    """The logout's response asks the browser to delete this site's storage: field mode's entries in
    IndexedDB, its service worker and its kept pages (Clear-Site-Data: "storage"). The field page's
    script deletes them itself too, for browsers without the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "logged_out", False):
            response["Clear-Site-Data"] = '"storage"'
        return response
