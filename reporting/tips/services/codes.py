"""Tracking codes: what the reporter holds to follow a tip without an account.

A code is 16 symbols of Crockford's base32 (80 random bits from `secrets`), shown in four groups of
four. Only a keyed hash is stored, so a copy of the database cannot be turned back into codes; the
key derives from SECRET_KEY, and SECRET_KEY_FALLBACKS keep old codes working across a key rotation.
"""

import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

# No I, L, O or U: nothing a reader can confuse with 1, 0 or V, and no accidental words.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SYMBOLS = 16  # 16 × 5 bits = 80 bits
GROUP = 4
_SALT = "pimpasa.reporting.tracking-code"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code():
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))
    return "-".join(symbols[i : i + GROUP] for i in range(0, SYMBOLS, GROUP))


def normalise(code):
    """What the reporter typed, reduced to the 16 symbols: case, spaces, dashes and look-alikes forgiven.

    Returns "" when it cannot be a code, so callers give the same answer as for a wrong one.
    """
    symbols = "".join(ch for ch in str(code).upper() if ch.isalnum()).translate(_READ_AS)
    if len(symbols) != SYMBOLS or any(ch not in ALPHABET for ch in symbols):
        return ""
    return symbols


def _hash(symbols, secret):
    return salted_hmac(_SALT, symbols, secret=secret, algorithm="sha256").hexdigest()


def hash_code(code):
    """The keyed hash stored for a new code."""
    return _hash(normalise(code), settings.SECRET_KEY)


def candidate_hashes(code):
    """Every hash a stored code may have: under the current key and each fallback key."""
    symbols = normalise(code)
    if not symbols:
        return []
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_hash(symbols, secret) for secret in secrets_in_use]
