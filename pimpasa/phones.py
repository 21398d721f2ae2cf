"""Phone numbers, the one module for the whole project (attendees, guests, tip reporters, hotlines).

Numbers are parsed with Google's libphonenumber (the `phonenumbers` package) and stored in E.164
(+6281234567890, +60123456789), so that 0812…, 62812…, +62 812-… and the same number typed in
Arabic-Indic or Devanagari digits are one person. A resident's number must be a mobile: Indonesian
in every usual spelling, or foreign (a returning migrant worker's Malaysian, Saudi, Taiwanese,
Hong Kong or Singapore number). Landlines and nonsense are refused with an example.
"""

import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneNumberFormat, PhoneNumberType

# Numbers written without a country code are Indonesian.
DEFAULT_REGION = "ID"
# What people put between digits; anything else (letters above all, which libphonenumber would
# read as a keypad's 2-9) makes the number nonsense rather than something to guess at.
_PUNCTUATION = frozenset(" \u00a0-.()/+\u2010\u2011\u2012\u2013\u2014")
# Where a number cannot tell a mobile from a landline (the USA, Canada), it is given the benefit.
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_MAX_LENGTH = 30

EXAMPLE_HELP = _("For example 0812 3456 7890, or +60 12-345 6789 for a number abroad.")
_NOT_A_NUMBER = _("Enter a mobile phone number, for example 0812 3456 7890 or, abroad, +60 12-345 6789.")
_LANDLINE = _("This looks like a landline. Enter a mobile (WhatsApp) number, for example 0812 3456 7890.")


def ascii_digits(raw):
    """`raw` with every decimal digit of any script as its ASCII digit; None if it holds anything
    but digits and the usual separators (letters, symbols)."""
    out = []
    for char in str(raw or "").strip():
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            out.append(str(digit))
        elif char in _PUNCTUATION:
            out.append(char)
        else:
            return None
    return "".join(out)


def parse(raw):
    """The valid phone number `raw` names (a phonenumbers.PhoneNumber), or None.

    Without a +, a number is read as Indonesian first; one that is not, but is a valid number once
    a + is put before it (60123456789, 966501234567), was written with its country code.
    """
    text = ascii_digits(raw)
    if not text or len(text) > _MAX_LENGTH:
        return None
    candidates = [text]
    bare = text.lstrip()
    if not bare.startswith("+") and not bare.startswith("0"):
        candidates.append("+" + bare)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


def is_mobile(number):
    return phonenumbers.number_type(number) in _MOBILE_TYPES


def e164(number):
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise_mobile(raw):
    """A resident's mobile as E.164, or ValidationError with a message and an example they understand."""
    number = parse(raw)
    if number is None:
        raise ValidationError(_NOT_A_NUMBER, code="phone")
    if not is_mobile(number):
        raise ValidationError(_LANDLINE, code="landline")
    return e164(number)


def normalise_any(raw):
    """Any valid phone number (mobile or landline) as E.164, or ValidationError: a contact number."""
    number = parse(raw)
    if number is None:
        raise ValidationError(_NOT_A_NUMBER, code="phone")
    return e164(number)


def display(stored):
    """A stored E.164 number as people read it: +62 812-3456-7890."""
    number = parse(stored)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL) if number else stored


def tel_href(written):
    """A tel: link for a number as an editor wrote it. Short service numbers (0-800-1000, 110) are no
    valid subscriber numbers, so they are dialled as written: their digits, and a leading + if any."""
    number = parse(written)
    if number is not None:
        return f"tel:{e164(number)}"
    text = ascii_digits(written) or ""
    digits = "".join(char for char in text if char.isdigit())
    return f"tel:{'+' if text.startswith('+') else ''}{digits}"


def wa_me_link(written):
    """The wa.me chat address of a number written in any usual way, or "" for one that is no number."""
    number = parse(written)
    return f"https://wa.me/{e164(number)[1:]}" if number is not None else ""
