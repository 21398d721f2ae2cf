"""The national monitoring team at 360 px and 1366 px: opens the monitoring page, chooses a quarter,
drills into an office's villages and downloads the quarterly workbook (no JavaScript needed on the
way). Screenshots of each step go to var/screenshots (monitoring-*-phone.png, -desk.png)."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.test_back_office_journey import log_in, look
from tests.browser.test_back_office_journey import screen as screen
from tests.monitoring.conftest import national, offices  # noqa: F401  (three offices, the national role)


@pytest.fixture
def world(transactional_db, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return live_server


@pytest.mark.usefixtures("screen")  # one run per width (360 px, 1366 px)
def test_the_national_role_follows_a_quarter_down_to_an_offices_villages_and_its_workbook(
    world, request, tmp_path
):
    from tests.monitoring.conftest import SECRET_TEXT

    made = request.getfixturevalue("offices")
    request.getfixturevalue("national")
    page = request.getfixturevalue("screen")
    log_in(page, world, "pemantau")
    assert "/admin/monitoring/" in page.content()  # the menu offers it
    page.goto(world.url + "/admin/monitoring/")
    look(page, "monitoring-index")

    page.select_option("#id_quarter", "2026-Q3")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**/admin/monitoring/?quarter=2026-Q3")
    page.get_by_role("heading", name="Triwulan 3 2026").wait_for()
    table = page.locator("table.pimpasa-monitoring__table")
    assert table.get_by_text("Kanim Soekarno-Hatta").is_visible()
    assert table.get_by_text("< 5").first.is_visible()
    assert SECRET_TEXT not in page.content()
    # The figures the worker keeps say when they were worked out.
    expect(
        page.get_by_text(re.compile(r"Angka per pukul \d\d:\d\d, diperbarui setiap 5 menit\."))
    ).to_be_visible()
    look(page, "monitoring-quarter")

    page.get_by_role("link", name="Kanim Soekarno-Hatta").click()
    page.wait_for_url(f"**/admin/monitoring/office/{made['soetta'].pk}/?quarter=2026-Q3")
    page.get_by_text("Desa Kohod").first.wait_for()
    assert page.get_by_text("Target: 10 sesi (50% terlaksana).").is_visible()
    look(page, "monitoring-office")

    page.get_by_role("button", name="Buku kerja Excel Triwulan 3 2026").click()
    page.wait_for_url("**/admin/exports/*/")
    look(page, "monitoring-workbook-ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh berkas Excel").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name == "pimpasa-laporan-pemantauan-triwulanan-2026-Q3.xlsx"
    workbook = openpyxl.load_workbook(saved)
    assert workbook.sheetnames[0] == "Per kantor"
    names = [row[0] for row in workbook["Per kantor"].iter_rows(min_row=2, values_only=True)]
    assert "Kanim Soekarno-Hatta" in names and "Kanim Denpasar" in names
