"""A proof-of-work challenge for public forms (ALTCHA, self-hosted): the browser pays about a second
of a phone's work per submission, so a script filing thousands pays thousands of seconds.

The `altcha` library makes and checks the challenges (its v2 protocol, which the vendored widget in
static/vendor/altcha/ speaks). A challenge is PBKDF2/SHA-256 with a secret counter the server chose
at random between half and all of PIMPASA_POW_MAX_COUNTER: the browser tries counters from 0 until
its derived key matches, so its work is bounded (no unlucky phone spins for ten seconds), while the
server made one derivation to issue it and checks the answer with one HMAC (the key's signature).

A challenge is signed (HMAC keyed from SECRET_KEY), names its purpose, expires after
PIMPASA_POW_MINUTES, and is accepted once: its nonce is kept in the shared cache until it expires,
so a solved payload replayed is refused. Nothing about the person is in it or kept about it.
"""

import logging
import secrets
import time
from dataclasses import dataclass

import altcha
from django.conf import settings
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

from pimpasa.ratelimit import counter_store

logger = logging.getLogger(__name__)

ALGORITHM = "PBKDF2/SHA-256"
# A solved payload is a few hundred bytes; anything much longer is not ours and is not decoded.
MAX_PAYLOAD_CHARS = 4096


class Reason:
    """Why a payload was not accepted (the views turn each into words for the resident)."""

    MISSING = "missing"
    MALFORMED = "malformed"
    FORGED = "forged"
    EXPIRED = "expired"
    WRONG = "wrong"
    REPLAYED = "replayed"


@dataclass(frozen=True)
class Verdict:
    solved: bool
    reason: str = ""

    @property
    def missing(self):
        return self.reason == Reason.MISSING


def _secret(purpose):
    # Derived from SECRET_KEY, one per use, so no other signature of the project is a valid challenge.
    return salted_hmac(f"pimpasa.proof-of-work.{purpose}", "", algorithm="sha256").hexdigest()


def _settings():
    return (
        getattr(settings, "PIMPASA_POW_COST", 1000),
        getattr(settings, "PIMPASA_POW_MAX_COUNTER", 1000),
        getattr(settings, "PIMPASA_POW_MINUTES", 60),
    )


def new_challenge(purpose):
    """A fresh signed challenge for `purpose`, as the JSON-ready dict the widget expects."""
    cost, max_counter, minutes = _settings()
    low = max(1, max_counter // 2)
    counter = low + secrets.randbelow(max(1, max_counter - low + 1))
    challenge = altcha.create_challenge(
        ALGORITHM,
        cost,
        counter=counter,
        expires_at=int(time.time()) + minutes * 60,
        data={"purpose": purpose},
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def verify(payload, purpose):
    """Check a submitted payload and, if it is a valid solution, spend it (a replay is refused).

    Returns a Verdict; never raises on anything a client can send.
    """
    if not payload:
        return Verdict(False, Reason.MISSING)
    if len(payload) > MAX_PAYLOAD_CHARS:
        return Verdict(False, Reason.MALFORMED)
    try:
        result = altcha.verify_solution(
            payload, _secret("challenge"), hmac_key_secret=_secret("key"), hmac_algorithm="SHA-256"
        )
        if result.error:
            return Verdict(False, Reason.MALFORMED)
        if result.expired:
            return Verdict(False, Reason.EXPIRED)
        if result.invalid_signature:
            return Verdict(False, Reason.FORGED)
        if not result.verified:
            return Verdict(False, Reason.WRONG)
        parameters = altcha.Payload.from_base64(payload).challenge.parameters
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return Verdict(False, Reason.MALFORMED)
    if not isinstance(parameters.data, dict) or parameters.data.get("purpose") != purpose:
        return Verdict(False, Reason.FORGED)  # signed by us, but for another form
    if not _spend(parameters.nonce, parameters.expires_at):
        return Verdict(False, Reason.REPLAYED)
    return Verdict(True)


def _spend(nonce, expires_at):
    """Mark the challenge used until it expires; False if it already was (add() is atomic)."""
    timeout = max(1, int(expires_at or 0) - int(time.time()) + 5)
    try:
        # Beside the limit counters, never in the culling page cache: a culled mark is a replay let in.
        return counter_store().add(f"pow-used:{nonce}", 1, timeout=timeout)
    except RedisError:
        # As the rate limits do (pimpasa.ratelimit.hit): with the shared cache down the solution is
        # still checked and still cost its work; only its single use cannot be enforced for now.
        logger.warning("Proof-of-work replay not checked: the shared cache is unreachable.")
        return True


__all__ = ["Reason", "Verdict", "new_challenge", "verify"]
