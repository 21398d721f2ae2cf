"""RWs as people write them: "3", "03", "RW 3", "rw.03" are one RW; a session targets "17, 19".

Used by the "Where" page to count per RW and by the tips and sessions lists to filter by one.
"""

import re

NO_RW = "—"


def rw_key(value):
    """One RW as one key ("03"); letters-only text upper-cased; empty is NO_RW."""
    value = (value or "").strip()
    digits = re.search(r"\d+", value)
    if digits:
        return f"{int(digits.group()):02d}"
    return value.upper() or NO_RW


def rw_keys(text):
    """The RWs a text names, written freely ("17, 19" or "RW 17 dan 19"), as keys; [NO_RW] for none."""
    return sorted({f"{int(number):02d}" for number in re.findall(r"\d+", text or "")}) or [NO_RW]


def rw_regex(key):
    """A database regular expression finding `key`'s number in a written RW or list of RWs ("3"
    finds "03", "RW 3", "17, 3" but not "13" or "30"); None when `key` names no number."""
    digits = re.search(r"\d+", key or "")
    if digits is None:
        return None
    return rf"(^|[^0-9])0*{int(digits.group())}([^0-9]|$)"
