"""The quarterly workbook: asked for from the monitoring page, run as an export job, in the
requester's scope, figures only, small counts of tips hidden, native charts, formula-safe, and opened
by LibreOffice."""

import os
import shutil
import subprocess
import zipfile

import pytest

from pimpasa.encryption import open_encrypted
from reporting.exports.jobs import exports_dir
from reporting.exports.models import ExportJob
from tests.exports.helpers import sheet_values, workbook_of
from tests.monitoring.conftest import REFERRAL_SUMMARY, SECRET_NAME, SECRET_TEXT

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def ask(client, user, quarter="2026-Q3"):
    client.force_login(user)
    response = client.post("/admin/monitoring/workbook/", {"quarter": quarter})
    job = ExportJob.objects.filter(requested_by=user).latest("created_at")
    assert response.status_code == 302 and response["Location"] == f"/admin/exports/{job.pk}/"
    return job


def workbook_bytes(job):
    with open_encrypted(exports_dir() / job.file_name) as handle:
        return handle.read()


def all_text(job):
    """Every string of every sheet, and the raw XML (shared strings, charts) of the file."""
    raw = []
    with zipfile.ZipFile(open_encrypted(exports_dir() / job.file_name)) as archive:
        for name in archive.namelist():
            raw.append(archive.read(name).decode("utf-8", "replace"))
    return "\n".join(raw)


def test_the_national_role_gets_every_offices_quarter_figures_only(client, offices, national):
    job = ask(client, national)
    workbook = workbook_of(job)
    assert workbook.sheetnames == ["Per kantor", "Per bulan", "Kantor per bulan", "Per DBI", "Per RW"]
    summary = sheet_values(workbook["Per kantor"])
    header = summary[0]
    assert header[:5] == ("Kantor", "Kantor Wilayah", "Sesi terlaksana", "Target sesi", "% dari target")
    rows = {row[0]: row for row in summary[1:] if row[0]}
    soetta = rows["Kanim Soekarno-Hatta"]
    assert soetta[1:5] == ("Kanwil Banten", 5, 10, 50)
    tips = header.index("Laporan")
    assert soetta[tips : tips + 5] == (9, "*", "< 5", 0, 0)
    assert rows["Kanim Tangerang"][tips + 1] == "< 5"
    assert "Semua kantor" in rows  # the totals line
    # Native charts: sessions against target per office; sessions, then residents, per month.
    names = zipfile.ZipFile(open_encrypted(exports_dir() / job.file_name)).namelist()
    assert len([name for name in names if name.startswith("xl/charts/chart")]) == 3
    text = all_text(job)
    for secret in (SECRET_TEXT, "RAHASIA-7731", *SECRET_NAME, REFERRAL_SUMMARY):
        assert secret not in text
    villages = {row[1] for row in sheet_values(workbook["Per DBI"])[1:]}
    assert {"Desa Kohod", "Desa Lemo", "Desa Pecatu", "Wilayah lain (bukan DBI)"} <= villages


def test_a_regional_office_and_a_supervisor_get_their_own_offices(
    client, offices, regional, soetta_supervisor
):
    for user, expected in [
        (regional, {"Kanim Soekarno-Hatta", "Kanim Tangerang"}),
        (soetta_supervisor, {"Kanim Soekarno-Hatta"}),
    ]:
        rows = sheet_values(workbook_of(ask(client, user))["Per kantor"])[1:]
        offices_listed = {row[0] for row in rows if row[0] and row[1]}
        assert offices_listed == expected


def test_an_office_name_is_written_as_text_never_as_a_formula(client, offices, national):
    offices["denpasar"].name = '=HYPERLINK("http://evil.invalid","klik")'
    offices["denpasar"].save()
    sheet = workbook_of(ask(client, national))["Per kantor"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_an_officer_may_not_ask_for_it(client, offices):
    from pimpasa.roles import OFFICER
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=OFFICER, office=offices["soetta"]))
    response = client.post("/admin/monitoring/workbook/", {"quarter": "2026-Q3"})
    assert response.status_code in (302, 403)
    assert not ExportJob.objects.exists()


def test_libreoffice_opens_the_workbook(client, offices, national, tmp_path):
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice not found: scripts/bootstrap installs it (libreoffice-calc-nogui).")
        pytest.skip("LibreOffice not found; apt-get install libreoffice-calc-nogui")
    job = ask(client, national)
    source = tmp_path / "triwulan.xlsx"
    source.write_bytes(workbook_bytes(job))
    profile = tmp_path / "profile"
    for target in ("csv", "pdf"):
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    csv = (tmp_path / "triwulan.csv").read_text(encoding="utf-8", errors="replace")
    assert "Kanim Soekarno-Hatta" in csv and "< 5" in csv and "Kanwil Banten" in csv
    assert SECRET_TEXT not in csv
    pdf = (tmp_path / "triwulan.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_the_workbooks_queries_are_the_same_for_3_and_30_offices(offices, national):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reporting.monitoring.exporter import QuarterlyReportExporter
    from tests.monitoring.test_pages import more_offices

    def count():
        exporter = QuarterlyReportExporter(
            national, {"quarter": "2026-Q3"}, time_zone=timezone.get_current_timezone()
        )
        with CaptureQueriesContext(connection) as queries:
            exporter.count()
            for sheet in exporter.sheets():
                list(sheet.rows())
        return len(queries)

    national.has_perm("offices.monitor_all_offices")  # the permission cache, loaded once per user
    few = count()
    more_offices(27)
    assert count() == few
