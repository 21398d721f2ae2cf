"""Which strings a page looked up that the active language has no translation for.

Django falls back to the English msgid without a word when a catalogue lacks a string, so a missing
Indonesian translation of one of Wagtail's own strings shows up only as English on the page. This probe
records every lookup the Indonesian catalogue cannot answer while pages render.
"""

from contextlib import contextmanager

from django.utils.translation import trans_real
from django.utils.translation.trans_real import CONTEXT_SEPARATOR

# Strings that are the same in both languages, or not words at all.
SAME_IN_BOTH = frozenset({"", "Pimpasa", "Wagtail", "Ngopi Pimpasa", "RW", "TIMPORA", "BP3MI", "Email"})


@contextmanager
def missing_translations(language="id"):
    missing = set()
    translation_class = trans_real.DjangoTranslation
    original_gettext = translation_class.gettext
    original_ngettext = translation_class.ngettext

    def gettext(self, message):
        if self.language() == language and message not in self._catalog:
            plain = message.split(CONTEXT_SEPARATOR)[-1]  # pgettext falls back to the plain msgid
            if plain not in self._catalog and plain not in SAME_IN_BOTH:
                missing.add(plain)
        return original_gettext(self, message)

    def ngettext(self, singular, plural, number):
        plain = singular.split(CONTEXT_SEPARATOR)[-1]
        if (
            self.language() == language
            and (singular, 0) not in self._catalog
            and (plain, 0) not in self._catalog
        ):
            missing.add(plain)
        return original_ngettext(self, singular, plural, number)

    translation_class.gettext = gettext
    translation_class.ngettext = ngettext
    try:
        yield missing
    finally:
        translation_class.gettext = original_gettext
        translation_class.ngettext = original_ngettext
