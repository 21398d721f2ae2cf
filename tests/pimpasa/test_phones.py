"""The one phone module: every usual spelling of a mobile is one E.164 number; landlines and nonsense
are refused with an example; digits of any script are read as ASCII or the number is refused."""

import pytest
from django.core.exceptions import ValidationError

from pimpasa import phones


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "812 3456 7890",
        "(0812) 3456.7890",
        "+62 812–3456–7890",  # en dashes pasted from a chat
        "٠٨١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic digits
        "۰۸۱۲۳۴۵۶۷۸۹۰",  # Eastern Arabic (Persian) digits
        "०८१२ ३४५६ ७८९०",  # Devanagari digits
        "０８１２３４５６７８９０",  # full-width digits
    ],
)
def test_an_indonesian_mobile_in_every_usual_spelling_is_one_e164_number(raw):
    assert phones.normalise_mobile(raw) == "+6281234567890"


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("+60 12-345 6789", "+60123456789"),  # Malaysia
        ("60123456789", "+60123456789"),  # Malaysia, written with its country code but no +
        ("+966 50 123 4567", "+966501234567"),  # Saudi Arabia
        ("+886 912 345 678", "+886912345678"),  # Taiwan
        ("+852 5123 4567", "+85251234567"),  # Hong Kong
        ("+65 8123 4567", "+6581234567"),  # Singapore
    ],
)
def test_foreign_mobiles_of_returning_migrant_workers_are_accepted_in_e164(raw, stored):
    assert phones.normalise_mobile(raw) == stored


@pytest.mark.parametrize("raw", ["021 2924 4800", "(021) 2924 4800", "+62 21 2924 4800"])
def test_a_landline_is_refused_as_a_whatsapp_number_with_an_example(raw):
    with pytest.raises(ValidationError) as refused:
        phones.normalise_mobile(raw)
    assert refused.value.code == "landline"
    assert "0812 3456 7890" in str(refused.value.messages[0])


@pytest.mark.parametrize(
    "raw", ["", "12345", "0812abc4567", "0812 3456 789O", "0000000000", "+62 812", "x" * 40, "1" * 40]
)
def test_nonsense_is_refused_with_an_example_never_read_as_keypad_letters(raw):
    with pytest.raises(ValidationError) as refused:
        phones.normalise_mobile(raw)
    assert refused.value.code == "phone"
    assert "0812 3456 7890" in str(refused.value.messages[0])


def test_digits_of_other_scripts_never_reach_storage():
    stored = phones.normalise_mobile("٠٨١٢-٣٤٥٦-٧٨٩٠")
    assert stored.isascii()
    assert stored == "+6281234567890"


def test_a_contact_number_may_be_a_landline_but_not_nonsense():
    assert phones.normalise_any("(021) 2924 4800") == "+622129244800"
    with pytest.raises(ValidationError):
        phones.normalise_any("call me")


@pytest.mark.parametrize(
    "written, link",
    [
        ("0-800-1000", "tel:08001000"),  # a toll-free service number is dialled as written
        ("110", "tel:110"),
        ("(021) 2924 4800", "tel:+622129244800"),
        ("+62 21 2924 4800", "tel:+622129244800"),
        ("0811-8080-141", "tel:+628118080141"),
    ],
)
def test_every_written_number_becomes_a_dialable_link(written, link):
    assert phones.tel_href(written) == link


@pytest.mark.parametrize(
    "written, link",
    [
        ("0811-8080-141", "https://wa.me/628118080141"),
        ("+60 12-345 6789", "https://wa.me/60123456789"),
        ("not a number", ""),
    ],
)
def test_whatsapp_links_carry_the_international_digits(written, link):
    assert phones.wa_me_link(written) == link


def test_a_stored_number_is_shown_grouped():
    assert phones.display("+6281234567890") == "+62 812-3456-7890"
