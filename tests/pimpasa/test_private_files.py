"""Private files (tip evidence, Excel exports) are the application user's alone: 0600 files in 0700
folders, whatever the umask, and a folder made too open earlier is closed again."""

import os
import stat
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.exports.base import Column, Sheet
from reporting.exports.writer import write_workbook
from reporting.tips.models import Tip
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o000)  # the worst case: everything would be world-writable
    yield
    os.umask(previous)


def test_evidence_is_0600_in_0700_folders_up_to_the_root(_private_storage, open_umask):
    _private_storage.mkdir(mode=0o755)
    os.chmod(_private_storage, 0o755)  # made too open by hand, before this version
    tip, _code = submit_tip(
        Submission(category=Tip.Category.TPPO, description="Calo di terminal."),
        [evidence_service.prepare(SimpleUploadedFile("foto.jpg", image_bytes("JPEG")))],
    )
    stored = Path(tip.evidence.get().file.path)
    assert mode(stored) == 0o600
    folder = stored.parent
    while True:
        assert mode(folder) == 0o700, folder
        if folder == _private_storage:
            break
        folder = folder.parent


def test_export_workbooks_are_0600_in_a_0700_folder(_private_storage, open_umask):
    path = _private_storage / "exports" / "1.xlsx"
    sheet = Sheet(title="Data", columns=[Column("Nama", 20)], rows=lambda: iter([["Siti"]]), count=1)
    write_workbook([sheet], path, title="Uji", creator="Sari", time_zone=None)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(_private_storage) == 0o700


def test_rewriting_an_existing_workbook_closes_its_mode(_private_storage, open_umask):
    path = _private_storage / "exports" / "2.xlsx"
    path.parent.mkdir(parents=True)
    path.with_name("2.xlsx.part").write_bytes(b"old")
    os.chmod(path.with_name("2.xlsx.part"), 0o666)
    sheet = Sheet(title="Data", columns=[Column("Nama", 20)], rows=lambda: iter([["Siti"]]), count=1)
    write_workbook([sheet], path, title="Uji", creator="Sari", time_zone=None)
    assert mode(path) == 0o600
