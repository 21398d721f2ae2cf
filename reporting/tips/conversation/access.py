"""How an answer typed on the status page reaches its tip without the tracking code travelling again.

The status page shows a tip's conversation once, to whoever typed the code (reporting.tips.services.
receipts: a second look-up asks for the code again). Its reply form cannot carry the code itself (no
code in a URL, a cookie, the session or a page's hidden field), so the page carries a token made for
that one page view:

- sealed with a key derived from SECRET_KEY (Fernet: a copy of the page reveals neither the tip nor
  anything else), naming the tip and a random view id, valid REPLY_MINUTES;
- used once: a database table (SpentReplyForm) remembers the view ids that sent something, by a keyed
  hash, longer than a token lives; a unique key makes two sends of one form at the same moment count
  once. Sending the same form again (Back then Forward, reload on a shared phone) is refused and asks
  for the code, and every answer to a reply carries a fresh token for the next one. The database, not
  the cache, so that an answer can still be sent, exactly once, while Redis is down.
"""

import base64
import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from pimpasa.ratelimit import hashed
from reporting.tips.conversation.models import SpentReplyForm
from reporting.tips.models import Tip

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


def redeem(token):
    """The tip a reply form's token names, using the token up; Refused otherwise."""
    try:
        payload = _open(token or "", REPLY_MINUTES * 60)
    except (InvalidToken, ValueError, UnicodeError):
        raise Refused(_expired_or_forged(token)) from None
    try:
        with transaction.atomic():
            SpentReplyForm.objects.create(view=hashed(payload["view"]), spent_at=timezone.now())
    except IntegrityError:
        raise Refused("used") from None
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
    used = SpentReplyForm.objects.filter(view=hashed(payload.get("view", ""))).exists()
    return "used" if used else "expired"


def forget_spent(now=None):
    """The hourly task: forget the forms whose tokens can no longer be valid; returns how many."""
    before = (now or timezone.now()) - timedelta(seconds=REMEMBER_SECONDS)
    deleted, _by_model = SpentReplyForm.objects.filter(spent_at__lt=before).delete()
    return deleted
