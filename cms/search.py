"""A search that reads a query as people type it: everyday words, small words, near misses.

Residents type what they would say ("kerja di malaysia", "work in malaysia"), not keywords. So:

- small words that carry no meaning ("di", "ke", "yang", "in", "to", "the": STOP_WORDS) are dropped,
  unless the query has nothing else;
- each remaining word stands for itself, for the other words of its synonym groups (editors keep them
  under Snippets → Search synonyms: TKI finds PMI, calo finds perekrut, malaysia finds luar negeri,
  broker finds agent) and for the words of the site's own material it nearly spells ("pasport" finds
  paspor);
- every word is optional: a material matching any of them is found, and the material matching the
  most words of the query comes first (then the one matching most of them in its title, then the
  newest).

The counting is done by the database in one query, with the search backend's own full-text match per
word (PostgreSQL full-text search on PostgreSQL, SQLite FTS5 otherwise), so both rank alike.
"""

import difflib
import re

from django.db.models import Case, Value, When
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or, PlainText

from .models import MaterialPage, SearchSynonyms

MAX_TERMS = 8
# How alike a typed word and a word of the material must be to count as a near miss (difflib ratio):
# "pasport"/"paspor" is 0.92, "visa"/"vise" 0.75; unrelated short words stay apart.
NEAR_MISS = 0.8
MIN_WORD = 4

# Words too common to tell material apart, in both languages (a visitor may type either on either
# side of the site). Kept short on purpose: only words that never name a subject.
# fmt: off
STOP_WORDS = frozenset([
    # Indonesian
    "di", "ke", "dari", "dan", "yang", "untuk", "atau", "dengan", "ini", "itu", "pada", "dalam",
    "adalah", "akan", "juga", "bagi", "oleh", "agar", "supaya", "tentang", "sebagai", "saat", "secara",
    "ya", "apa", "apakah", "bagaimana", "gimana", "mau", "ingin", "bisa", "saya", "aku", "kami",
    "kita", "anda", "nya", "si", "sang", "para",
    # English
    "a", "an", "the", "in", "to", "of", "for", "and", "or", "on", "at", "by", "with", "from", "into",
    "about", "as", "is", "are", "be", "was", "i", "my", "me", "we", "our", "you", "your", "do",
    "does", "can", "how", "what", "where", "which", "who",
])
# fmt: on


def search_terms(query):
    """The meaningful words of a visitor's query. Quotes and operators mean something to SQLite's
    and PostgreSQL's full-text syntax; a visitor only ever means words."""
    words = [word.lower() for word in re.findall(r"\w+", query)]
    meaningful = [word for word in words if word not in STOP_WORDS]
    # A query of small words only ("apa itu") is searched as typed rather than not at all.
    return list(dict.fromkeys(meaningful or words))[:MAX_TERMS]


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
    # Groups chain: an editor's "fixer, broker" reaches "broker, brokers, agent, ..." too.
    pending = [set(group) for group in groups]
    while joined := [group for group in pending if forms & group]:
        for group in joined:
            forms.update(group)
            pending.remove(group)
    return sorted(forms)


def term_queries(query, locale):
    """One Wagtail search query per meaningful word of `query` (an Or of its forms); [] if none."""
    terms = search_terms(query)
    if not terms:
        return []
    groups = [entry.word_list for entry in SearchSynonyms.objects.all()]
    vocabulary = _vocabulary(locale, groups)
    return [Or([PlainText(form) for form in alternatives(term, groups, vocabulary)]) for term in terms]


def _matching_ids(queryset, search_query, fields=None):
    """A subquery of the primary keys in `queryset` that `search_query` matches (not run on its own)."""
    results = get_search_backend().search(search_query, queryset, fields=fields, order_by_relevance=False)
    return results.get_queryset().order_by().values("pk")


def _count_of_matches(queryset, queries, fields=None):
    return sum(
        (
            Case(When(pk__in=_matching_ids(queryset, query, fields), then=Value(1)), default=Value(0))
            for query in queries
        ),
        Value(0),
    )


def ranked_search(queryset, query, locale):
    """`queryset` narrowed to what matches at least one word of `query`, annotated with `matched_words`
    and ordered by it (then by words matched in the title, then newest first). One query when run."""
    queries = term_queries(query, locale)
    if not queries:
        return queryset.none()
    return (
        queryset.annotate(
            matched_words=_count_of_matches(queryset, queries),
            matched_in_title=_count_of_matches(queryset, queries, fields=["title"]),
        )
        .filter(matched_words__gt=0)
        .order_by("-matched_words", "-matched_in_title", "-first_published_at", "-pk")
    )
