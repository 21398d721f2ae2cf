"""How an answer typed on the status page reaches its tip without the tracking code travelling again.

The status page shows a tip's conversation once, to whoever typed the code (reporting.tips.services.
receipts: a second look-up asks for the code again). Its reply form cannot carry the code itself (no
code in a URL, a cookie, the session or a page's hidden field), so the page carries a token made for
that one page view:

- sealed with a key derived from SECRET_KEY (Fernet: a copy of the page reveals neither the tip nor
  anything else), naming the tip and a random view id, valid REPLY_MINUTES;
- used once: the store of the rate limits (pimpasa.ratelimit.counter_store: Redis, or a database table
  that never culls a live entry) remembers the view ids that sent something, by a keyed hash, longer
  than a token lives. Sending the same form again (Back then Forward, reload on a shared phone) is refused
  and asks for the code, and every answer to a reply carries a fresh token for the next one.

With that store unreachable a token cannot be marked used: it is refused then (the reporter
types the code again), rather than let a shared phone's next user send with it.
"""

import base64
import hashlib
import hmac
import json
import logging
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from pimpasa.ratelimit import counter_store, hashed
from reporting.tips.models import Tip

logger = logging.getLogger(__name__)

# An answer can take a while to write on a phone; a token is of no use after this.
REPLY_MINUTES = 45
# Used view ids are remembered beyond a token's life, so an old form is always known as used.
REMEMBER_SECONDS = REPLY_MINUTES * 60 + 60 * 60


class Refused(Exception):
    """The token cannot send: `reason` is "forged", "expired" or "used"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason

    @property
    def typed_may_return(self):
        """Whether what the form carried may be shown again: only to the person who has not sent it
        yet (an expired form never used), never to whoever replays a form that was sent."""
        return self.reason == "expired"


def _fernet():
    key = hmac.new(settings.SECRET_KEY.encode(), b"pimpasa.conversation.reply-token", hashlib.sha256)
    return Fernet(base64.urlsafe_b64encode(key.digest()))


def issue(tip):
    """A token for the reply form of one page view of `tip`'s status."""
    payload = {"tip": str(tip.pk), "view": secrets.token_urlsafe(18)}
    return _fernet().encrypt(json.dumps(payload).encode()).decode("ascii")


def _open(token, ttl):
    return json.loads(_fernet().decrypt(token.encode("ascii"), ttl=ttl))


def _cache_key(view):
    return f"conversation:view:{hashed(view)}"


def redeem(token):
    """The tip a reply form's token names, using the token up; Refused otherwise."""
    try:
        payload = _open(token or "", REPLY_MINUTES * 60)
    except (InvalidToken, ValueError, UnicodeError):
        raise Refused(_expired_or_forged(token)) from None
    try:
        claimed = counter_store().add(_cache_key(payload["view"]), 1, timeout=REMEMBER_SECONDS)
    except Exception:
        logger.warning("Reply token not checked: the shared cache is unreachable.")
        claimed = False
    if not claimed:
        raise Refused("used")
    tip = Tip.objects.filter(pk=payload["tip"]).first()
    if tip is None:  # deleted since: nothing to answer
        raise Refused("forged")
    return tip


def _expired_or_forged(token):
    """An expired token is one of ours that outlived REPLY_MINUTES; "used" if it had sent something."""
    try:
        payload = _open(token or "", None)
    except (InvalidToken, ValueError, UnicodeError):
        return "forged"
    try:
        used = counter_store().get(_cache_key(payload.get("view", ""))) is not None
    except Exception:
        used = True  # cannot tell: never show the form's text again
    return "used" if used else "expired"
