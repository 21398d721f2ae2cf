"""A search that forgives: everyday words and near misses find material.

Each word of the query stands for itself, for the other words of its synonym groups (editors keep
them under Snippets → Search synonyms: TKI finds PMI, calo finds perekrut) and for the words of the
site's own material it nearly spells ("pasport" finds paspor). The material must match every word of
the query, in any of its forms.
"""

import difflib
import re

from wagtail.search.query import And, Or, PlainText

from .models import MaterialPage, SearchSynonyms

MAX_TERMS = 8
# How alike a typed word and a word of the material must be to count as a near miss (difflib ratio):
# "pasport"/"paspor" is 0.92, "visa"/"vise" 0.75; unrelated short words stay apart.
NEAR_MISS = 0.8
MIN_WORD = 4


def search_terms(query):
    """The words of a visitor's query. Quotes and operators mean something to SQLite's and
    PostgreSQL's full-text syntax; a visitor only ever means words."""
    return [word.lower() for word in re.findall(r"\w+", query)[:MAX_TERMS]]


def _vocabulary(locale, groups):
    """The words of the live material in `locale` (titles and intros) and of the synonym groups."""
    words = set()
    for title, intro in MaterialPage.objects.live().filter(locale=locale).values_list("title", "intro"):
        words.update(word.lower() for word in re.findall(r"\w+", f"{title} {intro}") if len(word) >= MIN_WORD)
    for group in groups:
        words.update(word for word in group if " " not in word)
    return sorted(words)


def alternatives(term, groups, vocabulary):
    """Everything `term` may stand for: itself, its synonyms, and the material's words it nearly spells."""
    forms = {term}
    if len(term) >= MIN_WORD:
        forms.update(difflib.get_close_matches(term, vocabulary, n=3, cutoff=NEAR_MISS))
    for group in groups:
        if forms & set(group):
            forms.update(group)
    return sorted(forms)


def forgiving_query(query, locale):
    """A Wagtail search query for `query`, or None when it has no words."""
    terms = search_terms(query)
    if not terms:
        return None
    groups = [entry.word_list for entry in SearchSynonyms.objects.all()]
    vocabulary = _vocabulary(locale, groups)
    return And([Or([PlainText(form) for form in alternatives(term, groups, vocabulary)]) for term in terms])
