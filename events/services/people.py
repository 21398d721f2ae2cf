"""Who is the same person: a family sharing one phone number are several people.

A person at a session is recognised by their phone number and their name. Names are compared by a
key that ignores case, spaces, punctuation and accents ("Siti Aminah", "siti  aminah.", "SITI-AMINAH"
are one key), and a name one letter away from another of the same phone (a typo: a letter missing,
added, changed or two neighbours swapped) counts as the same person when both names are long enough
for one letter to be a typo rather than another name ("Budi" and "Rudi" are brothers; "Siti Aminah"
and "Siti Aminha" are one woman typing fast).
"""

import unicodedata

# Keys shorter than this must match exactly: in a short name one letter is another name.
TYPO_MIN_LENGTH = 5
# The key is stored (Attendance.name_key) and unique per session and phone.
KEY_MAX_LENGTH = 150


def person_key(name):
    """The name as compared: lower case, no accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    kept = (char for char in decomposed if not unicodedata.combining(char))
    return "".join(char for char in "".join(kept).casefold() if char.isalnum())[:KEY_MAX_LENGTH]


def same_person(key, other):
    """Do two name keys name the same person (equal, or a one-letter typo of a long enough name)?"""
    if key == other:
        return True
    if min(len(key), len(other)) < TYPO_MIN_LENGTH or abs(len(key) - len(other)) > 1:
        return False
    return _within_one_edit(key, other)


def _within_one_edit(a, b):
    """One insertion, deletion, substitution or swap of two neighbouring letters (a != b)."""
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1 :] == b[start + 1 :]:
            return True  # one letter changed
        # two neighbours swapped
        return (
            start + 1 < len(a)
            and a[start] == b[start + 1]
            and a[start + 1] == b[start]
            and a[start + 2 :] == b[start + 2 :]
        )
    return a[start:] == b[start + 1 :]  # one letter added in the longer name


def matching(key, candidates):
    """The first of `candidates` (objects with a `name_key`) naming the same person as `key`."""
    exact = next((candidate for candidate in candidates if candidate.name_key == key), None)
    if exact is not None:
        return exact
    return next((candidate for candidate in candidates if same_person(key, candidate.name_key)), None)
