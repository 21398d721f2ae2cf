"""Tips at rest: a copy of the database or of the private storage folder reads as noise, while the
site still shows, searches, exports and hands over the tip; every key can be rotated."""

import hashlib
import io
import os
import sqlite3
import subprocess
import uuid
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pimpasa import blind_index
from pimpasa.encryption import (
    CHUNK,
    UndecryptableError,
    convert_column,
    decrypt_text,
    encrypt_if_plain,
    is_encrypted_file,
    open_encrypted,
    rewrap_folder,
    rotate_token,
)
from reporting.exports.jobs import export_path, request_export
from reporting.models import Evidence, Referral, Tip, TipHistory, TipSearchToken
from reporting.referrals.services import referrals as referral_service
from reporting.tips.conversation import services as conversation
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services import identity
from reporting.tips.services import tips as tip_service
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import AgencyFactory, AreaFactory, TipFactory, UserFactory, image_bytes

DESCRIPTION = "Pak Sukardi Wibowo merekrut gadis desa untuk bekerja di Kuching tanpa paspor."
PEOPLE = "Sukardi Wibowo, sopir travel bernama Joko Prasetyo"
ADDRESS = "Gang Kenanga 12, dekat warung Bu Lastri"
WHEN = "Sejak Lebaran kemarin"
REPORTER = "Ratna Kusumawardani"
PHONE = "0813-9876-5432"
PHOTO_NAME = "Foto_Calo_Sukardi_Wibowo.jpg"
INTERNAL_NOTE = "Saksi Darmawan siap dihubungi lewat kepala desa."
PUBLIC_NOTE = "Petugas sudah mendatangi lokasi penampungan."
SUMMARY = "Penampungan calon pekerja di rumah Sukardi Wibowo, Gang Kenanga."
RECEIVED_BY = "Bripka Hendrawan Saputra"
OUTCOME = "Rumah penampungan digerebek, tujuh calon pekerja diselamatkan."
QUESTION = "Apakah mobil Avanza hitam itu masih parkir di depan rumah?"
ANSWER = "Masih, pelat nomornya B 1234 KZX dan sopirnya bernama Slamet Riyadi."
LATE_PHOTO_NAME = "Mobil_Slamet_Riyadi.jpg"
SECRETS = (
    "Sukardi",
    "Kuching tanpa paspor",
    "Joko Prasetyo",
    "Kenanga",
    "Bu Lastri",
    "Sejak Lebaran",
    REPORTER,
    "Kusumawardani",
    PHONE,
    "081398765432",
    PHOTO_NAME,
    "Foto_Calo",
    "Darmawan",
    "mendatangi lokasi penampungan",
    "Hendrawan",
    "digerebek",
    "Avanza hitam",
    "B 1234 KZX",
    "Slamet Riyadi",
    "Mobil_Slamet",
)


def tip_with_everything(area=None):
    """A tip as it lives: evidence with a telling file name, a named reporter, notes, a referral the
    agency acknowledged and answered, and a tips export with identities."""
    area = area or AreaFactory(name="Kalibaru")
    photo = evidence_service.prepare(SimpleUploadedFile(PHOTO_NAME, image_bytes("JPEG")))
    tip, _code = submit_tip(
        Submission(
            category=Tip.Category.TPPO,
            description=DESCRIPTION,
            area=area,
            address=ADDRESS,
            occurred_when=WHEN,
            people_involved=PEOPLE,
            reporter_name=REPORTER,
            reporter_contact=PHONE,
            consent=True,
        ),
        [photo],
    )
    supervisor = UserFactory(role="Supervisor")
    tip_service.triage(
        tip,
        supervisor,
        status=Tip.Status.VERIFYING,
        assigned_to=None,
        note=INTERNAL_NOTE,
        public_note=PUBLIC_NOTE,
    )
    agency = AgencyFactory(name="Polres Uji")
    referral, _link = referral_service.refer(
        tip,
        supervisor,
        agency,
        referral_service.Sharing(summary=SUMMARY, evidence=list(tip.evidence.all())),
    )
    referral_service.acknowledge(referral, RECEIVED_BY)
    referral_service.report_outcome(referral, Referral.Outcome.ACTED_ON, OUTCOME)
    job = request_export(supervisor, "tips", {"date_from": "2000-01-01", "date_to": "2100-01-01"})
    assert job.status == "done", job.error
    return tip, supervisor, job


def converse(tip, officer):
    """The officer asks, the reporter answers with a photo named after the driver (late evidence)."""
    conversation.ask(tip, officer, QUESTION)
    late = evidence_service.prepare(SimpleUploadedFile(LATE_PHOTO_NAME, image_bytes("JPEG")))
    return conversation.reply(tip, ANSWER, [late])


def database_dump():
    """Everything the database holds, as an attacker with a copy of it would read it."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        raw = b"".join(
            path.read_bytes() for path in (name, Path(f"{name}-wal")) if path.exists()
        )  # free pages and the write-ahead log included
        dump = "\n".join(connection.connection.iterdump())
        return raw + dump.encode()
    database = connection.settings_dict
    result = subprocess.run(
        [
            "pg_dump",
            "--no-owner",
            "-h",
            database["HOST"] or "127.0.0.1",
            "-p",
            str(database["PORT"] or 5432),
            "-U",
            database["USER"],
            database["NAME"],
        ],
        capture_output=True,
        env={**os.environ, "PGPASSWORD": database["PASSWORD"] or ""},
        check=True,
    )
    return result.stdout


def storage_folder(root):
    files = [path for path in Path(root).rglob("*") if path.is_file()]
    return files, b"".join(path.read_bytes() for path in files)


def leaked(blob, secrets=SECRETS):
    lowered = blob.lower()
    return [secret for secret in secrets if secret.lower().encode() in lowered]


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_database_or_of_the_storage_folder_reveals_no_tip(site_setup, _private_storage):
    tip, supervisor, job = tip_with_everything()
    # What the site shows is all there, decrypted as it is read.
    tip = Tip.objects.get(pk=tip.pk)
    assert (tip.description, tip.people_involved, tip.address, tip.occurred_when) == (
        DESCRIPTION,
        PEOPLE,
        ADDRESS,
        WHEN,
    )
    assert tip.evidence.get().original_name == PHOTO_NAME
    answer = converse(tip, supervisor)
    assert (answer.body, answer.evidence.get().original_name) == (ANSWER, LATE_PHOTO_NAME)

    dump = database_dump()
    assert Tip.objects.count() == 1 and str(tip.pk).replace("-", "").encode() in dump.replace(b"-", b"")
    assert leaked(dump) == []

    files, content = storage_folder(_private_storage)
    names = {path.parent.name for path in files}
    assert {"evidence", "exports"} <= names  # the photo and the workbook are there ...
    assert all(is_encrypted_file(path) for path in files)
    assert leaked(content) == []  # ... and say nothing
    assert leaked("\n".join(str(path) for path in files).encode()) == []
    # Not even the JPEG or the workbook's zip signature: the whole file is ciphertext.
    assert b"\xff\xd8\xff" not in content and b"PK\x03\x04" not in content
    with open_encrypted(export_path(job)) as workbook:
        assert leaked(workbook.read(), ("docProps",)) == ["docProps"]  # a real xlsx inside


@pytest.mark.django_db
def test_columns_hold_tokens_while_the_models_read_text(site_setup):
    tip, _supervisor, _job = tip_with_everything()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, people_involved, address, occurred_when FROM reporting_tip WHERE id = %s",
            [Tip._meta.pk.get_db_prep_value(tip.pk, connection)],
        )
        stored = cursor.fetchone()
    assert all(value.startswith("gAAAAA") for value in stored)
    assert [decrypt_text(value) for value in stored] == [DESCRIPTION, PEOPLE, ADDRESS, WHEN]
    notes = set(TipHistory.objects.filter(tip=tip).exclude(note="").values_list("note", flat=True))
    assert {INTERNAL_NOTE, PUBLIC_NOTE} <= notes
    referral = Referral.objects.get()
    assert (referral.summary, referral.acknowledged_by_name, referral.outcome_text) == (
        SUMMARY,
        RECEIVED_BY,
        OUTCOME,
    )
    # An empty value stays empty (the retention purge and "has a name" filters rely on it) ...
    assert Evidence.objects.exclude(original_name="").count() == 1
    assert Tip.objects.filter(people_involved="").count() == 0
    # ... and a question that could only ever answer "nothing" is refused, not answered wrongly.
    for question in ({"description": DESCRIPTION}, {"people_involved__icontains": "Joko"}):
        with pytest.raises(FieldError, match="encrypted"):
            Tip.objects.filter(**question).exists()


@pytest.mark.django_db
def test_the_export_and_the_agency_page_decrypt_on_the_fly(client, site_setup):
    _tip, supervisor, job = tip_with_everything()
    client.force_login(supervisor)
    download = client.get(reverse("reporting_exports:download", args=[job.pk]))
    assert download.status_code == 200, download
    body = b"".join(download.streaming_content)
    assert int(download["Content-Length"]) == len(body)
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Laporan"]
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {DESCRIPTION, PEOPLE, ADDRESS, WHEN, REPORTER, PHONE} <= cells
    _referral, link = referral_service.renew_link(Referral.objects.get(), supervisor)
    token = link.rstrip("/").rsplit("/", 1)[1]
    page = client.get(f"/rujukan/{token}/").content.decode()
    assert SUMMARY in page and OUTCOME in page
    photo = Evidence.objects.get()
    served = client.get(f"/rujukan/{token}/bukti/{photo.pk}/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"


@pytest.mark.django_db
def test_staff_get_the_evidence_decrypted_with_its_length(client, site_setup):
    tip, supervisor, _job = tip_with_everything()
    photo = tip.evidence.get()
    client.force_login(supervisor)
    response = client.get(f"/admin/laporan/evidence/{photo.pk}/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and int(response["Content-Length"]) == len(body) == photo.size
    assert hashlib.sha256(body).hexdigest() == photo.sha256


# --- search through the keyed index --------------------------------------------------------------


@pytest.fixture
def searchable(site_setup):
    supervisor = UserFactory(role="Supervisor")
    tips = {
        "calo": TipFactory(
            description="Anak-anak dibawa calo ke Malaysia; rumahnya di Désa Sukamaju.",
            people_involved="Pak Dedi (0812-3456-7890)",
        ),
        "kapal": TipFactory(description="Kapal berangkat malam dari pelabuhan.", address="Jl. Mawar 3"),
        "paspor": TipFactory(description="Paspor ditahan agen.", occurred_when="Jum'at lalu"),
    }
    return supervisor, tips


def found(user, query):
    return set(tip_service.search_tips(user, query).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("calo", {"calo"}),
        ("CALO", {"calo"}),
        ("desa", {"calo"}),  # accents folded
        ("désa", {"calo"}),
        ("anak", {"calo"}),  # "anak-anak"
        ("anak-anak", {"calo"}),
        ("rumah", {"calo"}),  # "rumahnya"
        ("rumahnya", {"calo"}),
        ("081234567890", {"calo"}),  # a phone number however it is written
        ("+62 812-3456-7890", {"calo"}),
        ("calo malaysia", {"calo"}),  # every word must be there
        ("calo kapal", set()),
        ("mawar", {"kapal"}),  # the address
        ("jumat", {"paspor"}),  # when, apostrophe dropped
        ("pas", set()),  # whole words only
        ("malam pelabuhan", {"kapal"}),
        ("...", set()),
    ],
)
def test_officers_find_tips_by_whole_words(searchable, query, expected):
    supervisor, tips = searchable
    assert found(supervisor, query) == {tips[name].pk for name in expected}


@pytest.mark.django_db
def test_short_id_and_tracking_code_still_find_a_tip(searchable):
    supervisor, tips = searchable
    tip, code = submit_tip(Submission(category=Tip.Category.OTHER, description="Lain-lain."))
    assert found(supervisor, code) == {tip.pk}
    assert found(supervisor, tips["kapal"].short_id) == {tips["kapal"].pk}


def search_queries(user, query):
    with CaptureQueriesContext(connection) as queries:
        matched = len(list(tip_service.search_tips(user, query)))
    return matched, len(queries)


@pytest.mark.django_db
def test_search_costs_the_same_queries_whatever_the_words_and_tips(searchable):
    supervisor, _tips = searchable
    search_queries(supervisor, "calo")  # the user's permissions, cached from here on
    one_word = search_queries(supervisor, "pasar")
    for _ in range(20):
        TipFactory(description="Calo lain di pasar.")
    assert search_queries(supervisor, "calo pasar lain") == (20, one_word[1])
    assert one_word[1] == 1  # the words are conditions of the one query, never a query each


@pytest.mark.django_db
def test_the_index_holds_keyed_hashes_only_and_follows_edits(searchable):
    supervisor, tips = searchable
    tip = tips["kapal"]
    tokens = set(TipSearchToken.objects.filter(tip=tip).values_list("token", flat=True))
    assert blind_index.digest("kapal", blind_index.keys()[0]) in tokens
    assert not {"kapal", "pelabuhan", "mawar"} & tokens
    tip.description = "Perahu berangkat pagi."
    tip.save(update_fields=["description"])
    assert found(supervisor, "perahu") == {tip.pk} and found(supervisor, "kapal") == set()


@pytest.mark.django_db
def test_the_admin_list_and_the_duplicate_search_find_words(client, searchable, assert_page):
    supervisor, tips = searchable
    client.force_login(supervisor)
    listing = assert_page(client.get("/admin/laporan/", {"q": "pelabuhan"}), tips["kapal"].short_id)
    assert tips["paspor"].short_id not in listing


# --- rotation --------------------------------------------------------------------------------------


def rotate():
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_rotation_reencrypts_every_value_and_file_then_the_old_key_can_go(settings, site_setup):
    tip, _supervisor, job = tip_with_everything()
    old_key = settings.PIMPASA_FERNET_KEYS[0]
    settings.PIMPASA_FERNET_KEYS = [Fernet.generate_key().decode(), old_key]
    first = rotate()
    assert "Re-encrypted" in first and "Nothing left" not in first
    assert "2 files" in first  # the photo and the workbook
    second = rotate()  # idempotent: nothing left to do
    assert "Re-encrypted 0 values and 0 files" in second and "Nothing left under an older key" in second

    settings.PIMPASA_FERNET_KEYS = settings.PIMPASA_FERNET_KEYS[:1]  # the old key is gone
    tip = Tip.objects.get(pk=tip.pk)
    assert (tip.description, tip.people_involved, tip.address, tip.occurred_when) == (
        DESCRIPTION,
        PEOPLE,
        ADDRESS,
        WHEN,
    )
    assert identity.decrypt_identity(tip.reporter_identity) == {"name": REPORTER, "contact": PHONE}
    assert Referral.objects.get().outcome_text == OUTCOME
    photo = tip.evidence.get()
    assert photo.original_name == PHOTO_NAME
    with photo.file.open("rb") as handle:
        assert handle.read()[:3] == b"\xff\xd8\xff"
    with open_encrypted(export_path(job)) as workbook:
        assert openpyxl.load_workbook(workbook)["Laporan"].max_row == 2


@pytest.mark.django_db
def test_an_interrupted_rotation_is_finished_by_the_next_run(settings, site_setup):
    tip, _supervisor, _job = tip_with_everything()
    old_key = settings.PIMPASA_FERNET_KEYS[0]
    settings.PIMPASA_FERNET_KEYS = [Fernet.generate_key().decode(), old_key]
    # A first run stopped after the tips' descriptions and the files: the rest under the old key.
    convert_column(Tip, "description", rotate_token)
    rewrap_folder(settings.PRIVATE_STORAGE_ROOT)
    out = rotate()
    assert "reporting.Tip.description" not in out and "reporting.Tip.people_involved: 1" in out
    assert "0 files" in out  # already rewrapped
    settings.PIMPASA_FERNET_KEYS = settings.PIMPASA_FERNET_KEYS[:1]
    tip = Tip.objects.get(pk=tip.pk)
    assert (tip.description, tip.people_involved) == (DESCRIPTION, PEOPLE)
    assert INTERNAL_NOTE in set(TipHistory.objects.values_list("note", flat=True))
    with tip.evidence.get().file.open("rb") as handle:
        assert handle.read()[:3] == b"\xff\xd8\xff"


@pytest.mark.django_db
def test_a_removed_key_is_reported_not_hidden(settings, site_setup):
    tip = TipFactory(description="Calo di terminal.")
    settings.PIMPASA_FERNET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(UndecryptableError):
        Tip.objects.get(pk=tip.pk)


@pytest.mark.django_db
def test_a_new_search_key_keeps_tips_findable_during_the_rebuild_and_after(settings, searchable):
    supervisor, tips = searchable
    old = settings.PIMPASA_SEARCH_INDEX_KEYS[0]
    settings.PIMPASA_SEARCH_INDEX_KEYS = ["a-new-search-index-key-of-forty-characters", old]
    assert found(supervisor, "pelabuhan") == {tips["kapal"].pk}  # old rows, found with the old key
    out = rotate()
    assert "indexed 3 tips" in out
    assert set(TipSearchToken.objects.values_list("key_id", flat=True)) == {blind_index.key_id()}
    settings.PIMPASA_SEARCH_INDEX_KEYS = settings.PIMPASA_SEARCH_INDEX_KEYS[:1]
    assert found(supervisor, "pelabuhan") == {tips["kapal"].pk}
    assert "indexed 0 tips" in rotate()


@pytest.mark.django_db
def test_the_old_command_name_still_rotates(settings, site_setup):
    tip = TipFactory(identity=("Budi", "0812"))
    old_key = settings.PIMPASA_FERNET_KEYS[0]
    settings.PIMPASA_FERNET_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_reporter_keys", stdout=StringIO())
    settings.PIMPASA_FERNET_KEYS = settings.PIMPASA_FERNET_KEYS[:1]
    tip = Tip.objects.get(pk=tip.pk)
    assert tip.description and identity.decrypt_identity(tip.reporter_identity)["name"] == "Budi"


# --- the first encryption of rows and files from before ------------------------------------------


@pytest.mark.django_db
def test_rows_and_files_from_before_are_encrypted_once(site_setup, _private_storage):
    tip = TipFactory(description="Calo di terminal.")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # as the earlier version stored it
        cursor.execute(f"UPDATE {quote('reporting_tip')} SET {quote('description')} = %s", ["Teks lama"])
    assert convert_column(Tip, "description", encrypt_if_plain) == 1
    assert convert_column(Tip, "description", encrypt_if_plain) == 0  # already done
    assert Tip.objects.get(pk=tip.pk).description == "Teks lama"

    from pimpasa.encryption import encrypt_file_in_place

    plain = Path(_private_storage) / "exports" / "old.xlsx"
    plain.parent.mkdir(parents=True)
    plain.write_bytes(b"PK\x03\x04 a workbook from before")
    assert encrypt_file_in_place(plain) and not encrypt_file_in_place(plain)
    with open_encrypted(plain) as handle:
        assert handle.read() == b"PK\x03\x04 a workbook from before"


# --- the file format -------------------------------------------------------------------------------


def write_encrypted(path, content):
    from pimpasa.encryption import EncryptingWriter

    with EncryptingWriter(open(path, "wb")) as writer:
        writer.write(content)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])
def test_files_read_back_whole_and_from_anywhere(tmp_path, size, settings):
    content = os.urandom(size)
    path = tmp_path / "file"
    write_encrypted(path, content)
    assert size < 16 or content[:64] not in path.read_bytes()
    with open_encrypted(path) as handle:
        assert handle.read() == content
        handle.seek(max(0, size - CHUNK - 5))
        assert handle.read(10) == content[max(0, size - CHUNK - 5) :][:10]
        assert handle.seek(0, io.SEEK_END) == size


def test_a_cut_or_altered_file_fails_loudly(tmp_path):
    path = tmp_path / "file"
    write_encrypted(path, os.urandom(2 * CHUNK + 100))
    data = path.read_bytes()
    cut = tmp_path / "cut"
    cut.write_bytes(data[: len(data) - (CHUNK + 16 + 100 + 16) + (CHUNK + 16)])  # the last chunk gone
    with pytest.raises(UndecryptableError), open_encrypted(cut) as handle:
        handle.read()
    altered = tmp_path / "altered"
    altered.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(UndecryptableError), open_encrypted(altered) as handle:
        handle.read()


def test_a_database_file_in_the_clear_is_not_what_we_ship(tmp_path):
    """The dump helper reads what an attacker would: SQLite's own bytes find plain text."""
    path = tmp_path / "plain.sqlite3"
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TABLE t (x TEXT)")
        plain.execute("INSERT INTO t VALUES (?)", [DESCRIPTION])
    assert leaked(path.read_bytes()) == ["Sukardi", "Kuching tanpa paspor"]


@pytest.mark.django_db
def test_rebuild_index_indexes_every_tip_again(searchable):
    supervisor, tips = searchable
    TipSearchToken.objects.filter(tip=tips["kapal"]).delete()  # lost, e.g. rows written around the model
    assert found(supervisor, "pelabuhan") == set()
    assert "indexed 0 tips" in rotate()  # nothing under an older key
    out = StringIO()
    call_command("rotate_encryption_keys", "--rebuild-index", stdout=out)
    assert "indexed 3 tips" in out.getvalue()
    assert found(supervisor, "pelabuhan") == {tips["kapal"].pk}


@pytest.mark.django_db
def test_rotation_keeps_an_officers_unsaved_triage_draft_readable_until_it_expires(settings, site_setup):
    from pimpasa.encryption import fernet
    from reporting.models import TriageDraft

    tip = TipFactory()
    sealed = fernet().encrypt(b'{"note": "Cek ke RT 03."}').decode("ascii")
    draft = TriageDraft.objects.create(
        tip=tip, user=UserFactory(role="Supervisor"), sealed=sealed, expires_at=tip.created_at
    )
    old_key = settings.PIMPASA_FERNET_KEYS[0]
    settings.PIMPASA_FERNET_KEYS = [Fernet.generate_key().decode(), old_key]
    assert "reporting.TriageDraft.sealed: 1" in rotate()
    settings.PIMPASA_FERNET_KEYS = settings.PIMPASA_FERNET_KEYS[:1]
    draft.refresh_from_db()
    assert fernet().decrypt(draft.sealed.encode(), ttl=3600) == b'{"note": "Cek ke RT 03."}'


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_what_was_stored_before_and_going_back_decrypts_it(
    site_setup, _private_storage
):
    from django.db.migrations.executor import MigrationExecutor

    tip = TipFactory(description="Teks baru", people_involved="")
    photo_path = Path(_private_storage) / "evidence" / "lama.jpg"
    quote = connection.ops.quote_name
    pk = Tip._meta.pk.get_db_prep_value(tip.pk, connection)

    def stored(column):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(column)} FROM {quote('reporting_tip')} WHERE {quote('id')} = %s", [pk]
            )
            return cursor.fetchone()[0]

    executor = MigrationExecutor(connection)
    executor.migrate([("reporting", "0009_tip_text_fingerprint")])
    assert stored("description") == "Teks baru"  # back to the clear, for the earlier code
    with connection.cursor() as cursor:  # what the earlier code stores
        cursor.execute(
            f"UPDATE {quote('reporting_tip')} SET {quote('description')} = %s", ["Calo lama di pasar"]
        )
        cursor.execute(
            f"INSERT INTO {quote('reporting_evidence')} (id, tip_id, file, content_type, size, sha256, "
            "original_name, created_at, state, refusal) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                Evidence._meta.pk.get_db_prep_value(uuid.uuid4(), connection),
                pk,
                "evidence/lama.jpg",
                "image/jpeg",
                3,
                "0" * 64,
                "KTP_Sukardi.jpg",
                tip.created_at,
                "ready",
                "",
            ],
        )
    photo_path.parent.mkdir(parents=True, exist_ok=True)
    photo_path.write_bytes(b"\xff\xd8\xff")

    executor = MigrationExecutor(connection)
    executor.migrate([("reporting", "0010_tip_text_encrypted")])
    assert stored("description").startswith("gAAAAA") and stored("people_involved") == ""
    # Back to the latest migrations (later ones add tip columns, e.g. its office) before using the ORM.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    tip = Tip.objects.get(pk=tip.pk)
    assert tip.description == "Calo lama di pasar" and tip.evidence.get().original_name == "KTP_Sukardi.jpg"
    assert is_encrypted_file(photo_path)
    with tip.evidence.get().file.open("rb") as handle:
        assert handle.read() == b"\xff\xd8\xff"
    supervisor = UserFactory(role="Supervisor")
    assert found(supervisor, "pasar") == {tip.pk}  # indexed by the migration
