"""A tracking code is shown once, on the page that sent the tip, and to nobody who comes after.

On a shared phone the next person may press Back, Forward or reload, or open the receipt's address in
a new tab. So, without JavaScript and without keeping the code readable anywhere:

- Each opened tip form carries a nonce (random, signed with the time it was made). The answer to the
  form's POST is the receipt itself, marked no-store: no URL, cookie or server-side copy holds the code,
  and neither the browser's cache nor its back-forward cache keeps the page.
- The shared cache remembers each nonce that recorded a tip, by a keyed hash. Sending the same form again
  (a reload, Back then Forward, a double tap) never records a second tip.
- A double tap is two POSTs, and the browser shows the answer to the second: that one must show the code
  too. Until the receipt has been displayed, the code is kept in the cache encrypted under a key derived
  from the nonce, which the server does not keep (only the page in the browser holds it): a copy of the
  cache reads nothing. The receipt page loads a tiny stylesheet whose address names the entry; a browser
  fetches it only when it displays the page. From then on the ciphertext is gone and the same form sent
  again answers "already sent; the code was shown once", without the code.

The status page's look-ups work the same way without anything to keep: a look-up's form sent again after
its answer was displayed asks for the code to be typed again.

With the shared cache unreachable nothing is remembered: a tip is still recorded and its receipt shown
(a lost tip would be worse than a doubled one), and a look-up is answered.
"""

import base64
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core import signing
from django.core.cache import caches

logger = logging.getLogger(__name__)

_NONCE_SALT = "reporting.tips.form-nonce"
# An opened form may be sent within a day; what it recorded is remembered a little longer, so that no
# form still valid can record twice. A form older than that is refused without being shown again.
FORM_MAX_AGE = 24 * 60 * 60
REMEMBER_SECONDS = FORM_MAX_AGE + 60 * 60
# How long a second POST of the same form (a double tap) may still get the code, if the receipt was
# never displayed (a connection cut before the page arrived).
REPEAT_SECONDS = 10 * 60
# How long a second POST waits for the first one that is still recording the same tip.
WAIT_FOR_FIRST_SECONDS = 20
# How long a look-up's form may be sent again and answered, if its answer was never displayed.
LOOKUP_REPEAT_SECONDS = 2 * 60

PENDING, RECORDED, SEEN = "pending", "recorded", "seen"


class FormExpired(Exception):
    """The form was opened more than FORM_MAX_AGE ago and recorded nothing that is still remembered."""


@dataclass(frozen=True)
class Outcome:
    """What to answer a form's POST: `record` it, or show `code` again, or say it was already sent."""

    record: bool = False
    code: str | None = None
    already_sent: bool = False


def new_form_nonce():
    return signing.TimestampSigner(salt=_NONCE_SALT).sign(secrets.token_urlsafe(18))


def _verified(nonce):
    """The nonce if the form carried a genuine one; None for none or a forged one; FormExpired if old."""
    if not nonce:
        return None
    try:
        signing.TimestampSigner(salt=_NONCE_SALT).unsign(nonce, max_age=FORM_MAX_AGE)
    except signing.SignatureExpired:
        raise FormExpired from None
    except signing.BadSignature:
        return None
    return nonce


def _derive(purpose, nonce):
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()


def entry_id(nonce):
    """The keyed hash a form's nonce is remembered by (and the receipt's stylesheet is named by)."""
    return _derive("entry", nonce).hex()[:40]


def _cache_key(kind, entry):
    return f"tips:{kind}:{entry}"


def _sealer(nonce):
    return Fernet(base64.urlsafe_b64encode(_derive("seal", nonce)))


def _cache():
    return caches["default"]


def is_genuine(nonce):
    """Whether `nonce` is one our form made and still valid."""
    try:
        return _verified(nonce) is not None
    except FormExpired:
        return False


def is_entry_id(value):
    return len(value) == 40 and all(ch in "0123456789abcdef" for ch in value)


def sent_before(nonce):
    """Call first on a tip form's POST: None when this form has recorded nothing yet, otherwise the
    Outcome to answer (its code if the receipt was never displayed, else "already sent").

    Raises FormExpired for a form too old to tell (the caller shows the form empty: what it holds may
    be the last person's).
    """
    try:
        verified = _verified(nonce)
    except FormExpired:
        if _read(_cache_key("form", entry_id(nonce))) is not None:
            return Outcome(already_sent=True)
        raise
    if verified is None:
        return None
    return _earlier_answer(nonce)


def before_recording(nonce):
    """Call just before recording the tip of a valid form: claims the form's nonce.

    Outcome(record=True) when this request is to record it; otherwise a double tap's answer.
    """
    if not is_genuine(nonce):
        return Outcome(record=True)  # no nonce of ours (an old page, a script): nothing to tell apart
    key = _cache_key("form", entry_id(nonce))
    for _attempt in range(2):
        try:
            claimed = _cache().add(key, {"state": PENDING}, timeout=REMEMBER_SECONDS)
        except Exception:
            claimed = None
        if claimed is None or claimed:  # None: the cache is unreachable (django-redis ignores errors)
            if claimed is None:
                logger.warning("Tip form not remembered: the shared cache is unreachable.")
            return Outcome(record=True)
        earlier = _earlier_answer(nonce)
        if earlier is not None:
            return earlier
    return Outcome(record=True)


def _earlier_answer(nonce):
    """The form was sent before: wait for that try to record it, then its code if never displayed.
    None when nothing is remembered (never sent, or the first try failed and let go of it)."""
    key = _cache_key("form", entry_id(nonce))
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    entry = _read(key)
    while entry is not None and entry.get("state") == PENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        entry = _read(key)
    if entry is None:
        return None
    if entry.get("state") == RECORDED and time.time() - entry.get("at", 0) < REPEAT_SECONDS:
        try:
            return Outcome(code=_sealer(nonce).decrypt(entry["sealed"].encode()).decode())
        except (InvalidToken, KeyError):
            pass
    return Outcome(already_sent=True)


def _read(key):
    try:
        return _cache().get(key)
    except Exception:
        return None


def recorded(nonce, code):
    """The tip of this form is recorded: keep its code sealed until the receipt is displayed."""
    if not is_genuine(nonce):
        return
    sealed = _sealer(nonce).encrypt(code.encode()).decode()
    _write(
        _cache_key("form", entry_id(nonce)),
        {"state": RECORDED, "sealed": sealed, "at": time.time()},
        REMEMBER_SECONDS,
    )


def not_recorded(nonce):
    """Recording failed: let the same form be sent again."""
    if not is_genuine(nonce):
        return
    try:
        _cache().delete(_cache_key("form", entry_id(nonce)))
    except Exception:
        logger.warning("Tip form not released: the shared cache is unreachable.")


def displayed(entry):
    """The receipt named by `entry` was displayed: forget the code, remember only that it was sent."""
    key = _cache_key("form", entry)
    current = _read(key)
    if current is not None and current.get("state") != SEEN:
        _write(key, {"state": SEEN}, REMEMBER_SECONDS)


def _write(key, value, timeout):
    try:
        _cache().set(key, value, timeout=timeout)
    except Exception:
        logger.warning("Tip receipt state not kept: the shared cache is unreachable.")


# --- the status page's look-ups ------------------------------------------------------------------------


def new_lookup_nonce():
    return secrets.token_urlsafe(18)


def lookup_may_answer(nonce):
    """False when this look-up form was answered already and its answer displayed (or long ago):
    whoever sends it again (Back then Forward, reload) must type the code again."""
    if not nonce:
        return True
    key = _cache_key("lookup", lookup_id(nonce))
    try:
        if _cache().add(key, {"state": RECORDED, "at": time.time()}, timeout=REMEMBER_SECONDS) is not False:
            return True
    except Exception:
        return True
    entry = _read(key)
    if entry is None:
        return True
    return entry.get("state") == RECORDED and time.time() - entry.get("at", 0) < LOOKUP_REPEAT_SECONDS


def lookup_id(nonce):
    return entry_id(f"lookup:{nonce}")


def lookup_displayed(entry):
    key = _cache_key("lookup", entry)
    if _read(key) is not None:
        _write(key, {"state": SEEN}, REMEMBER_SECONDS)
