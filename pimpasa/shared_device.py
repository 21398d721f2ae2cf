"""A shared phone: what one resident typed must not come back to the next one through the browser.

Public pages holding personal data are answered no-store, and their forms ask the browser not to
restore or keep what was typed (autocomplete="off"). That is not enough in Chromium today: it keeps
no-store pages in its back-forward cache too, and restores them on Back with everything typed in them,
unless a cookie changed since the page was left (tests/browser/test_shared_phone_journey.py shows both).
So every answer to a public form's POST changes this cookie: the pages left before it are never restored.
The cookie holds nothing but a random value and is never read.
"""

import secrets

TURN_COOKIE = "pimpasa_turn"


def new_turn(request, response):
    """Mark a new turn on this browser: pages it holds from before are not restored by Back."""
    response.set_cookie(
        TURN_COOKIE,
        secrets.token_urlsafe(9),
        secure=request.is_secure(),
        httponly=True,  # Chromium watches HttpOnly cookies in every variant of its rule
        samesite="Lax",
    )
    return response
