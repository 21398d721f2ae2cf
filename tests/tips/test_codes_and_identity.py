"""Tracking codes are random, readable and stored only as a keyed hash; identities only as ciphertext."""

import math
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from wagtail.models import ModelLogEntry

from reporting.tips.models import Tip
from reporting.tips.services import codes, identity
from reporting.tips.services.tips import Submission, find_by_code, submit_tip


def submit(**fields):
    data = {"category": Tip.Category.TPPO, "description": "Calo menawarkan kerja ke luar negeri.", **fields}
    return submit_tip(Submission(**data))


def test_a_code_carries_at_least_80_bits_in_four_readable_groups():
    code = codes.new_code()
    groups = code.split("-")
    assert [len(group) for group in groups] == [4, 4, 4, 4]
    assert set("".join(groups)) <= set(codes.ALPHABET)
    assert codes.SYMBOLS * math.log2(len(codes.ALPHABET)) >= 80
    assert len({codes.new_code() for _ in range(1000)}) == 1000


@pytest.mark.parametrize("typed", ["k7qm-4xpd-9rtv-wb2h", " K7QM 4XPD 9RTV WB2H ", "K7QM4XPD9RTVWB2H"])
def test_typing_variations_of_a_code_are_forgiven(typed):
    assert codes.normalise(typed) == "K7QM4XPD9RTVWB2H"


def test_look_alike_letters_are_read_as_digits():
    assert codes.normalise("O0IL-0000-0000-0000") == "0011000000000000"


@pytest.mark.parametrize(
    "typed", ["", "K7QM-4XPD", "K7QM-4XPD-9RTV-WB2H-AAAA", "K7QM-4XPD-9RTV-WB2U", "<script>"]
)
def test_anything_that_cannot_be_a_code_normalises_to_nothing(typed):
    assert codes.normalise(typed) == ""
    assert codes.candidate_hashes(typed) == []


@pytest.mark.django_db
def test_only_a_keyed_hash_of_the_code_is_stored():
    tip, code = submit()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM reporting_tip WHERE id = %s",
            [tip.pk.hex if connection.vendor == "sqlite" else tip.pk],
        )
        row = " ".join(str(value) for value in cursor.fetchone())
    assert code not in row and codes.normalise(code) not in row
    assert tip.tracking_code_hash == codes.hash_code(code) and len(tip.tracking_code_hash) == 64
    assert find_by_code(code.lower()) == tip


@pytest.mark.django_db
def test_the_hash_depends_on_the_secret_key_and_old_keys_still_find_tips(settings):
    tip, code = submit()
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    assert find_by_code(code) is None
    settings.SECRET_KEY_FALLBACKS = ["test-only-secret-key"]
    assert find_by_code(code) == tip


@pytest.mark.django_db
def test_identity_is_encrypted_at_rest_and_only_with_consent():
    tip, _code = submit(reporter_name="Siti Contoh", reporter_contact="+62 812-3456-7890", consent=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_identity FROM reporting_tip")
        (raw,) = cursor.fetchone()
    assert raw and "Siti" not in raw and "812" not in raw
    assert identity.decrypt_identity(raw) == {"name": "Siti Contoh", "contact": "+62 812-3456-7890"}
    assert tip.identity_consent_at is not None and not tip.is_anonymous

    without_consent, _code = submit(reporter_name="Siti Contoh", reporter_contact="0812", consent=False)
    assert without_consent.is_anonymous and without_consent.reporter_identity == ""


@pytest.mark.django_db
def test_only_supervisors_reveal_an_identity_and_each_view_is_audited(officer, supervisor):
    tip, _code = submit(reporter_name="Siti Contoh", reporter_contact="0812-0000-0000", consent=True)
    with pytest.raises(identity.PermissionDenied):
        identity.reveal_identity(tip, officer, "Untuk menghubungi pelapor")
    with pytest.raises(ValueError):
        identity.reveal_identity(tip, supervisor, "  ")  # never without a reason
    assert identity.reveal_identity(tip, supervisor, "Untuk menghubungi pelapor")["name"] == "Siti Contoh"
    entry = ModelLogEntry.objects.get(action="reporting.tip.identity_viewed")
    assert entry.user_id == supervisor.pk and entry.object_id == str(tip.pk)
    assert entry.data["reason"] == "Untuk menghubungi pelapor"


@pytest.mark.django_db
def test_keys_rotate_new_key_in_front_old_identities_still_readable_then_rewritten(settings):
    old_key = settings.PIMPASA_FERNET_KEYS[0]
    tip, _code = submit(reporter_name="Budi Contoh", reporter_contact="0812", consent=True)
    new_key = Fernet.generate_key().decode()
    settings.PIMPASA_FERNET_KEYS = [new_key, old_key]
    assert identity.decrypt_identity(tip.reporter_identity)["name"] == "Budi Contoh"
    call_command("rotate_reporter_keys", stdout=StringIO())
    settings.PIMPASA_FERNET_KEYS = [new_key]
    tip.refresh_from_db()
    assert identity.decrypt_identity(tip.reporter_identity)["name"] == "Budi Contoh"
