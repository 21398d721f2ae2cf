"""A keyed index of whole words, so encrypted text can still be searched (a "blind index").

Each distinct word of a text is normalised (lower case, accents folded) and stored only as an
HMAC-SHA256 under PIMPASA_SEARCH_INDEX_KEYS (its own keys, never the encryption keys), cut to 128
bits. A search computes the same HMAC of each word typed and looks for equal tokens. Without the
key, a token cannot be turned back into its word by trying a dictionary.

Indonesian-friendly: "anak-anak" (reduplication) is also indexed as "anak"; a word with a clitic
suffix ("rumahnya", "dialah", "apakah", "itupun") also as its base ("rumah"); a phone number written
in any way ("0812-3456-7890", "+62 812 3456 7890") also as its digits from 0 ("081234567890").

Keys: newest first. Searches look for a word under every configured key, so while the index is
rebuilt with a new key (`rotate_encryption_keys`) every tip stays findable; the old key is removed
once the rebuild is done.
"""

import hashlib
import hmac
import re
import unicodedata
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

DIGEST_HEX = 32  # 128 bits
KEY_ID_HEX = 8
# A search reads at most this many words (each is one more condition on the index).
MAX_QUERY_WORDS = 8
MAX_WORD = 64

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d .\-()]{6,}\d(?!\w)")
_CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")


@cache
def _keys(configured):
    if not configured:
        raise ImproperlyConfigured("PIMPASA_SEARCH_INDEX_KEYS is empty: tips cannot be searched.")
    keys = tuple(key.encode() for key in configured)
    if any(len(key) < 32 for key in keys):
        raise ImproperlyConfigured("Each PIMPASA_SEARCH_INDEX_KEYS entry must be at least 32 characters.")
    return keys


def keys():
    return _keys(tuple(settings.PIMPASA_SEARCH_INDEX_KEYS))


@receiver(setting_changed)
def _forget_keys(setting, **kwargs):
    if setting == "PIMPASA_SEARCH_INDEX_KEYS":
        _keys.cache_clear()


def key_id(key=None):
    """A short public name of a key (the newest by default): which key an index row was made with."""
    key = key or keys()[0]
    return hmac.new(key, b"pimpasa.blind-index.key-id", hashlib.sha256).hexdigest()[:KEY_ID_HEX]


def digest(word, key):
    return hmac.new(key, word.encode(), hashlib.sha256).hexdigest()[:DIGEST_HEX]


def fold(text):
    """Lower case, accents removed ("Désa" -> "desa"), apostrophes dropped ("Jum'at" -> "jumat")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"['’`]", "", bare.casefold())


def _phone_digits(match):
    digits = re.sub(r"\D", "", match)
    if match.lstrip().startswith("+62") or (digits.startswith("62") and len(digits) >= 10):
        digits = "0" + digits[2:]
    return digits if 8 <= len(digits) <= 15 else ""


def _words(text, *, phones_apart):
    """The words (normalised) and the phone numbers in `text`, in order. With `phones_apart` (a
    query), a phone number is one search word, not also its groups of digits."""
    text = fold(text)
    phones = [digits for digits in map(_phone_digits, _PHONE.findall(text)) if digits]
    if phones_apart and phones:
        text = _PHONE.sub(lambda match: " " if _phone_digits(match.group()) else match.group(), text)
    words = [word[:MAX_WORD] for word in _WORD.findall(text)]
    return words, phones


def _variants(word):
    yield word
    parts = word.split("-")
    if len(parts) > 1:
        yield from (part for part in parts if part)  # "anak-anak" -> "anak"; "e-ktp" -> "ktp"
    for suffix in _CLITICS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            yield word[: -len(suffix)]
            break


def document_words(*texts):
    """Every word under which a text is found: its words, their base forms and its phone numbers."""
    found = set()
    for text in texts:
        if not text:
            continue
        words, phones = _words(text, phones_apart=False)
        found.update(phones)
        for word in words:
            found.update(_variants(word))
    return found


def query_words(query):
    """The words a search asks for (each must be in the tip), at most MAX_QUERY_WORDS."""
    words, phones = _words(query, phones_apart=True)
    ordered = list(dict.fromkeys(phones + words))
    return ordered[:MAX_QUERY_WORDS]


def document_tokens(*texts):
    """{token} of a text under the newest key, for storing."""
    key = keys()[0]
    return {digest(word, key) for word in document_words(*texts)}


def query_tokens(word):
    """The tokens `word` may be stored under: one per configured key (old and new during a rebuild)."""
    return [digest(word, key) for key in keys()]
