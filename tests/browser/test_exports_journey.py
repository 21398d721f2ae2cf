"""A supervisor asks for last month's report, watches its progress, downloads it and opens it.

In the test settings django-q runs tasks inline (sync). Here the queue is switched to the real,
asynchronous path (the ORM broker) so the job truly waits in the queue; the test thread then plays
the worker: it moves the job to half-way (as `run_export` does through `record_progress`), and then
runs the real `run_export`. The page must follow on its own (JavaScript polling, no reload by hand).
"""

import datetime

import openpyxl
import pytest
from django.utils import timezone

from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory


def restore_what_migrations_made():
    """An earlier transactional test empties every table when it ends, the rows Wagtail's migrations
    made included (the default locale, the page tree's root); put them back."""
    from wagtail.models import Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code="id")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@pytest.mark.django_db(transaction=True)
def test_supervisor_asks_for_last_months_report_watches_it_and_opens_the_download(
    live_server, desktop, settings, tmp_path, monkeypatch
):
    from django_q.conf import Conf

    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import SUPERVISOR, ensure_roles
    from reporting.exports.jobs import record_progress, run_export
    from reporting.exports.models import ExportJob
    from reporting.exports.monthly import previous_month
    from tests.factories import AreaFactory, HeldAttendanceFactory, HeldSessionFactory

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.PIMPASA_EXPORT_SYNC_MAX_ROWS = 0  # every export goes through the queue
    monkeypatch.setattr(Conf, "SYNC", False)  # ...and waits there for a worker
    restore_what_migrations_made()
    ensure_roles()
    ensure_home_page()
    UserFactory(username="sari", first_name="Sari", role=SUPERVISOR)
    year, month = (int(part) for part in previous_month().split("-"))
    area = AreaFactory(name="Sukamaju")
    session = HeldSessionFactory(
        area=area, starts_at=timezone.make_aware(datetime.datetime(year, month, 12, 19, 30))
    )
    HeldAttendanceFactory.create_batch(6, session=session)

    page = desktop
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "sari")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("button[type=submit]").click()
    pass_second_factor(page, "sari")
    page.wait_for_url(live_server.url + "/admin/")

    page.get_by_role("link", name="Ekspor").first.click()
    page.wait_for_url(live_server.url + "/admin/exports/")
    page.get_by_role("link", name="Laporan bulanan").click()
    # The previous month is chosen already; the supervisor only confirms.
    assert page.locator("#id_month").input_value() == previous_month()
    page.get_by_role("button", name="Ekspor ke Excel").click()

    job = ExportJob.objects.get()
    page.wait_for_url(f"{live_server.url}/admin/exports/{job.pk}/")
    assert "Ekspor Anda sudah masuk antrean" in page.content()
    assert page.locator("[data-export-status]").inner_text() == "Dalam antrean"
    assert page.locator("[data-export-progress]").get_attribute("value") == "0"

    # The worker picks the job up and is half-way through.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=timezone.now())
    record_progress(job.pk, 3)
    page.wait_for_function("document.querySelector('[data-export-progress]').value === 50")
    assert page.locator("[data-export-status]").inner_text() == "Sedang berjalan"
    assert "3 dari 6 baris" in page.locator("[data-export-progress-text]").inner_text()

    # The worker (the real task code) writes the workbook; the page notices and offers it.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.QUEUED)
    run_export(job.pk)
    download_link = page.get_by_role("link", name="Unduh berkas Excel")
    download_link.wait_for()
    with page.expect_download() as download_info:
        download_link.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)

    workbook = openpyxl.load_workbook(saved)
    assert workbook.sheetnames == [
        "Ringkasan",
        "Per sesi",
        "Per RW",
        "Kasus",
        "Kehadiran",
        "Laporan",
        "Rujukan",
    ]
    summary = workbook["Ringkasan"]
    assert summary["A2"].value == "Sukamaju" and summary["E2"].value == 6
    assert len(summary._charts) == 1
    assert workbook["Kehadiran"].max_row == 7


@pytest.mark.django_db(transaction=True)
def test_with_no_task_worker_the_export_page_says_so_and_stops_saying_it_when_one_starts(
    live_server, phone, settings, tmp_path
):
    """A supervisor on a phone (360 px) opens an export no worker is there to run: the page says so
    instead of promising a requeue; when a worker starts (its heartbeat appears), the page notices on
    its own and the warning goes."""
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage
    from django_q.status import Stat, Status

    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import SUPERVISOR, ensure_roles
    from reporting.exports.models import ExportJob

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    restore_what_migrations_made()
    ensure_roles()
    ensure_home_page()
    sari = UserFactory(username="sari", first_name="Sari", role=SUPERVISOR)
    job = ExportJob.objects.create(exporter="attendance", filters={}, requested_by=sari, rows_total=40_000)

    page = phone
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "sari")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("button[type=submit]").click()
    pass_second_factor(page, "sari")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(f"{live_server.url}/admin/exports/{job.pk}/")
    warning = page.locator("[data-worker-down]")
    assert "Tidak ada pekerja tugas yang berjalan" in warning.inner_text()
    page.screenshot(path=str(tmp_path / "export-no-worker-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # A worker starts: its cluster writes a heartbeat, as django-q's guard does every half second.
    status = Status(pid=4242, cluster_id="worker-a")
    status.timestamp = timezone.now() + datetime.timedelta(seconds=30)  # fresh for the whole wait
    get_broker().set_stat(Stat.get_key("worker-a"), SignedPackage.dumps(status, True), 60)
    warning.wait_for(state="detached", timeout=15_000)
    assert page.locator("[data-export-status]").inner_text() == "Dalam antrean"
