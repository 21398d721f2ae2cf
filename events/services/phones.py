"""Indonesian phone numbers, normalised to +62… so that 0812…, 62812… and +62 812-… are one person."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-.()/]")
# After the country code: an area or mobile prefix (never 0) and 7 to 12 further digits.
_NATIONAL = re.compile(r"[1-9]\d{7,12}")


def normalise_phone(raw):
    """Return the number as +62…, or raise ValidationError with a message the attendee understands."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("+62"):
        national = number[3:]
    elif number.startswith("62"):
        national = number[2:]
    elif number.startswith("0"):
        national = number[1:]
    elif number.startswith("8"):
        national = number
    else:
        raise ValidationError(
            _("Enter an Indonesian phone number, for example 0812 3456 7890."), code="phone"
        )
    if not _NATIONAL.fullmatch(national):
        raise ValidationError(
            _("Enter an Indonesian phone number, for example 0812 3456 7890."), code="phone"
        )
    return f"+62{national}"
