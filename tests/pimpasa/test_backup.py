"""Backups that restore: `manage.py backup` of a database with tips, evidence and attendances, restored by
`manage.py restore` in another process into an empty database (SQLite: a new file; PostgreSQL: a fresh
database made and dropped here) and empty folders; every count, one decrypted identity and one evidence
file's bytes compared. A foreign, corrupt or altered archive is refused with the reason, nothing changed.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from pimpasa.backups import MANIFEST, table_counts
from reporting.tips.services import evidence as evidence_service
from tests.factories import HeldAttendanceFactory, HeldSessionFactory, TipFactory, image_bytes

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)

READ_BACK = """
import hashlib, json, sys
import django
django.setup()
from django.db import connection
from pimpasa.backups import table_counts
from reporting.tips.models import Evidence, Tip
from reporting.tips.services.identity import decrypt_identity
tip = Tip.objects.get(pk=sys.argv[1])
evidence = Evidence.objects.get(pk=sys.argv[2])
with evidence.file.open("rb") as file:
    stored = file.read()
print(json.dumps({
    "counts": table_counts(connection),
    "identity": decrypt_identity(tip.reporter_identity),
    "evidence": hashlib.sha256(stored).hexdigest(),
}))
"""


@dataclass(frozen=True)
class SiteToBackUp:
    """A held session with five attendances, three tips (one with an identified reporter and a photo),
    a public document and a private workbook on disk."""

    tip: object
    evidence: object
    evidence_bytes: bytes  # the photo as stored, to compare after a restore


@pytest.fixture
def site_to_back_up(site_setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    session = HeldSessionFactory()
    HeldAttendanceFactory.create_batch(5, session=session)
    tip = TipFactory(identity=("Siti Aminah", "+6281234567890"))
    TipFactory.create_batch(2)
    upload = SimpleUploadedFile("foto.jpg", image_bytes("JPEG"))
    evidence = evidence_service.store(tip, evidence_service.prepare(upload))
    leaflet = Path(settings.MEDIA_ROOT) / "documents" / "leaflet.pdf"
    leaflet.parent.mkdir(parents=True)
    leaflet.write_bytes(b"%PDF-1.4 leaflet")
    workbook = Path(settings.PRIVATE_STORAGE_ROOT) / "exports" / "7.xlsx"
    workbook.parent.mkdir(parents=True, exist_ok=True)
    workbook.write_bytes(b"PK names and phones")
    with evidence.file.open("rb") as file:
        stored = file.read()
    return SiteToBackUp(tip=tip, evidence=evidence, evidence_bytes=stored)


def make_backup(tmp_path):
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out)
    return Path(out.getvalue().strip())


def members(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers() if member.isfile()}


def restore_in_a_new_process(archive, env):
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def empty_site(tmp_path):
    """An empty database and empty folders, as on a new machine, and the environment pointing at them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pimpasa.settings.test",
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "restored" / "private"),
        "MEDIA_ROOT": str(tmp_path / "restored" / "media"),
        # The keys come from the environment, never from the backup: the same ones, as an operator sets.
        "PIMPASA_FERNET_KEYS": ",".join(django_settings.PIMPASA_FERNET_KEYS),
    }
    if connection.vendor == "postgresql":
        name = f"test_restore_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        params = connection.settings_dict
        auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
        )
        yield env
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env


def test_a_backup_restores_into_an_empty_database_with_every_count_identity_and_file(
    site_to_back_up, tmp_path, empty_site
):
    archive = make_backup(tmp_path)
    before = table_counts(connection)
    assert before["events_attendance"] == 5 and before["reporting_tip"] == 3
    assert before["reporting_evidence"] == 1

    restored = restore_in_a_new_process(archive, empty_site)
    assert restored.returncode == 0, restored.stderr
    assert "every count matches the manifest" in restored.stdout

    read = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(site_to_back_up.tip.pk), str(site_to_back_up.evidence.pk)],
        cwd=ROOT,
        env=empty_site,
        capture_output=True,
        text=True,
    )
    assert read.returncode == 0, read.stderr
    after = json.loads(read.stdout)
    assert after["counts"] == before
    assert after["identity"] == {"name": "Siti Aminah", "contact": "+6281234567890"}
    assert after["evidence"] == hashlib.sha256(site_to_back_up.evidence_bytes).hexdigest()
    restored_root = Path(empty_site["PRIVATE_STORAGE_ROOT"])
    assert (Path(empty_site["MEDIA_ROOT"]) / "documents" / "leaflet.pdf").read_bytes() == b"%PDF-1.4 leaflet"
    assert not (restored_root / "exports").exists()  # workbooks expire: never in a backup
    assert oct(restored_root.stat().st_mode & 0o777) == "0o700"

    # Restoring again over what is now a full database is refused, and says how to force it.
    again = restore_in_a_new_process(archive, empty_site)
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr and "--force" in again.stderr


def test_the_archive_is_dated_private_has_a_manifest_and_no_keys(site_to_back_up, tmp_path, settings):
    archive = make_backup(tmp_path)
    assert archive.name.startswith("pimpasa-backup-") and archive.name.endswith(".tar.gz")
    assert len(archive.name) == len("pimpasa-backup-YYYYMMDD-HHMMSS.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    contents = members(archive)
    manifest = json.loads(contents[MANIFEST])
    assert manifest["format"] == "pimpasa-backup" and manifest["keys_included"] is False
    assert manifest["engine"] == connection.vendor
    assert {"python", "django", "wagtail"} <= set(manifest["versions"])
    assert manifest["counts"]["events_attendance"] == 5
    assert manifest["migrations"]["reporting"]
    assert set(manifest["files"]) == set(contents) - {MANIFEST}
    assert any(name.startswith("private/evidence") or name.startswith("private/") for name in contents)
    assert not any(name.startswith("private/exports") for name in contents)
    everything = b"".join(contents.values())
    for key in [settings.SECRET_KEY, *settings.PIMPASA_FERNET_KEYS]:
        assert key.encode() not in everything


# --- bad archives -------------------------------------------------------------------------------


def rebuilt(archive, tmp_path, change):
    """The archive's members passed through `change` (a function of the name -> bytes dict), re-packed."""
    contents = change(members(archive))
    bad = tmp_path / f"bad-{uuid.uuid4().hex[:6]}.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return bad


def with_manifest(contents, **changes):
    manifest = json.loads(contents[MANIFEST])
    manifest.update(changes)
    return {**contents, MANIFEST: json.dumps(manifest).encode()}


def refusal(archive):
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), force=True)
    return str(refused.value)


def add_listed(contents, name, data):
    manifest = json.loads(contents[MANIFEST])
    manifest["files"][name] = hashlib.sha256(data).hexdigest()
    return {**contents, name: data, MANIFEST: json.dumps(manifest).encode()}


def test_corrupt_foreign_and_altered_archives_are_refused_with_the_reason_and_nothing_changes(
    site_to_back_up, tmp_path, settings
):
    good = make_backup(tmp_path)
    before = table_counts(connection)
    private = sorted(
        p.relative_to(settings.PRIVATE_STORAGE_ROOT) for p in Path(settings.PRIVATE_STORAGE_ROOT).rglob("*")
    )

    foreign = tmp_path / "holiday-photos.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("beach.jpg"), io.BytesIO(b""))
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    not_gzip = tmp_path / "not-an-archive.tar.gz"
    not_gzip.write_bytes(b"this is a text file, not a backup")

    def altered(contents):
        name = next(name for name in contents if name.startswith("private/"))
        return {**contents, name: contents[name][:-1] + b"!"}

    cases = {
        foreign: "it has no manifest.json",
        truncated: "cannot be read (truncated or corrupt)",
        not_gzip: "cannot be read (truncated or corrupt)",
        rebuilt(
            good, tmp_path, lambda c: with_manifest(c, format="someone-else")
        ): "manifest names another format",
        rebuilt(good, tmp_path, lambda c: with_manifest(c, format_version=99)): "format version 99",
        rebuilt(good, tmp_path, lambda c: {**c, MANIFEST: b"{not json"}): "manifest.json is not JSON",
        rebuilt(good, tmp_path, altered): "Checksum mismatch for private/",
        rebuilt(good, tmp_path, lambda c: add_listed(c, "../../etc/cron.d/evil", b"* * * * * root sh")): (
            "would be written outside"
        ),
        rebuilt(
            good, tmp_path, lambda c: add_listed(c, "private/../../evil", b"x")
        ): "would be written outside",
        rebuilt(good, tmp_path, lambda c: {**c, "media/unlisted.txt": b"x"}): "is not listed in the manifest",
        rebuilt(
            good, tmp_path, lambda c: {k: v for k, v in c.items() if not k.startswith("media/")}
        ): "The archive is incomplete",
        rebuilt(
            good, tmp_path, lambda c: with_manifest(c, migrations={"reporting": "9999_from_the_future"})
        ): "comes from a newer Pimpasa",
    }
    for archive, reason in cases.items():
        message = refusal(archive)
        assert message.startswith("Not restored:"), message
        assert reason in message, (archive.name, message)

    link = tmp_path / "with-a-link.tar.gz"
    with tarfile.open(link, "w:gz") as tar:
        for name, data in members(good).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("private/evidence/link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    assert "is not a regular file" in refusal(link)

    # Nothing was touched: the same rows, the same files, no workspace left behind.
    assert table_counts(connection) == before
    assert (
        sorted(
            p.relative_to(settings.PRIVATE_STORAGE_ROOT)
            for p in Path(settings.PRIVATE_STORAGE_ROOT).rglob("*")
        )
        == private
    )
    assert not list(Path(settings.PRIVATE_STORAGE_ROOT).parent.glob(".pimpasa-restore-*"))


def test_a_tampered_archive_into_an_empty_database_leaves_it_empty(site_to_back_up, tmp_path, empty_site):
    good = make_backup(tmp_path)

    def altered(contents):
        name = next(name for name in contents if name.startswith("database."))
        return {**contents, name: contents[name][:-1] + bytes([contents[name][-1] ^ 1])}

    refused = restore_in_a_new_process(rebuilt(good, tmp_path, altered), empty_site)
    assert refused.returncode != 0
    assert "Not restored: Checksum mismatch for database." in refused.stderr
    assert not Path(empty_site["PRIVATE_STORAGE_ROOT"]).exists()
    assert not Path(empty_site["MEDIA_ROOT"]).exists()
    tables = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.db import connection; "
         "print(len(connection.introspection.table_names()))"],
        cwd=ROOT, env=empty_site, capture_output=True, text=True,
    )  # fmt: skip
    assert tables.stdout.strip() == "0", tables.stderr
