"""Text that every store can keep: what XML 1.0 forbids (control characters other than tab and line
breaks, U+FFFE, U+FFFF, lone surrogates) is taken out as forms read it and shown as U+FFFD where rows
already hold it (the Excel writer). One resident's stray character once broke every export with it.
"""

import re

from django import forms

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def storable(value):
    """`value` without the characters XML forbids."""
    if isinstance(value, str) and XML_FORBIDDEN.search(value):
        return XML_FORBIDDEN.sub("", value)
    return value


class StorableTextMixin:
    """Cleans every text field of the form as it is read, before its own validation. The characters
    are invisible on the phone that typed them, so refusing them would leave the person stuck."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.to_python = _cleaning(field.to_python)


def _cleaning(to_python):
    def to_storable_python(value):
        return to_python(storable(value))

    return to_storable_python
