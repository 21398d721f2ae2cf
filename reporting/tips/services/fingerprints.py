"""The keyed fingerprint of a tip's text, by which a flood of same-text tips is found
(reporting.tips.services.floods): an HMAC, keyed from SECRET_KEY, of "what happened" normalised.

It compares tips without comparing (or reading) their text, so it keeps working once the text is
stored encrypted; without the key it tells nothing of the text, only that two tips say the same words.
"""

import re
import unicodedata

from django.utils.crypto import salted_hmac

_LETTERS = re.compile(r"[^\W\d_]+")


def normalise(text):
    """The words of `text`, case-folded, in compatibility form, without digits or punctuation: junk
    that varies a number, a full stop or its spacing still reads the same."""
    return " ".join(_LETTERS.findall(unicodedata.normalize("NFKC", text or "").casefold()))


def fingerprint(text):
    """The keyed fingerprint of `text` ("" for a text without a single word)."""
    words = normalise(text)
    if not words:
        return ""
    return salted_hmac("reporting.tips.text-fingerprint", words, algorithm="sha256").hexdigest()[:32]
