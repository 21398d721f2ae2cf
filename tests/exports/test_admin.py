"""The Ekspor pages in the Wagtail admin: the role matrix, progress, download, retry, expiry."""

import datetime
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import ModelLogEntry

from offices.models import Office
from reporting.exports.jobs import export_path
from reporting.exports.models import ExportJob
from tests.factories import AreaFactory, HeldAttendanceFactory, HeldSessionFactory, UserFactory

INDEX = "/admin/exports/"
NEW = "/admin/exports/new/"


def url(name, job):
    return reverse(f"reporting_exports:{name}", args=[job.pk])


@pytest.fixture
def users(site_setup, editor, officer, supervisor):
    return {"editor": editor, "officer": officer, "supervisor": supervisor}


@pytest.fixture
def officers_session(officer):
    session = HeldSessionFactory(area=AreaFactory(officers=[officer]))
    HeldAttendanceFactory.create_batch(3, session=session)
    return session


# Who may do what. The officer may export attendance (of their own areas), nothing else: tips and
# the monthly report carry every area's data; the supervisor everything; the editor nothing. Tested through the pages, role by role.
MATRIX = [
    # (action, editor, officer, supervisor)
    ("see the Ekspor menu and list", False, True, True),
    ("export attendance", False, True, True),
    ("export tips", False, False, True),
    ("export the monthly report", False, False, True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "editor_may", "officer_may", "supervisor_may"), MATRIX)
def test_role_matrix(client, users, action, editor_may, officer_may, supervisor_may):
    expected = {"editor": editor_may, "officer": officer_may, "supervisor": supervisor_may}
    path = {
        "see the Ekspor menu and list": INDEX,
        "export attendance": NEW + "?export=attendance",
        "export tips": NEW + "?export=tips",
        "export the monthly report": NEW + "?export=monthly",
    }[action]
    for role, allowed in expected.items():
        client.force_login(users[role])
        response = client.get(path)
        # Refused: back to the admin home with Wagtail's "no permission" message, never a 500.
        assert response.status_code == (200 if allowed else 302), (role, action, response.status_code)
        if not allowed:
            assert response.url == "/admin/"
        home = client.get("/admin/")
        assert (b'"url": "/admin/exports/"' in home.content) is (role != "editor"), role


@pytest.mark.django_db
def test_the_export_choice_lists_only_what_the_role_may_run(client, officer, supervisor, assert_page):
    client.force_login(officer)
    page = assert_page(client.get(INDEX), "?export=attendance")
    assert "?export=monthly" not in page
    client.force_login(supervisor)
    assert_page(client.get(INDEX), "?export=attendance", "?export=monthly")


@pytest.mark.django_db
def test_an_officer_cannot_post_another_areas_session(client, officer, officers_session, assert_page):
    other = HeldSessionFactory()
    client.force_login(officer)
    page = assert_page(client.get(NEW + "?export=attendance"), officers_session.title)
    assert other.title not in page
    response = client.post(NEW, {"export": "attendance", "session": other.pk})
    assert response.status_code == 400
    assert "Masukkan pilihan yang valid." in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_bad_filters_answer_in_indonesian_and_keep_what_was_typed(client, supervisor):
    client.force_login(supervisor)
    response = client.post(NEW, {"export": "attendance", "date_from": "2026-10-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pilih satu sesi, atau isi kedua tanggal rentangnya." in page
    assert 'value="2026-10-01"' in page


@pytest.mark.django_db
def test_ask_follow_and_download(client, officer, officers_session, assert_page):
    client.force_login(officer)
    response = client.post(NEW, {"export": "attendance", "session": officers_session.pk})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == url("detail", job)
    page = assert_page(client.get(response.url), "Ekspor Anda sudah siap.", url("download", job))
    assert 'http-equiv="refresh"' not in page  # finished: nothing to refresh for

    download = client.get(url("download", job))
    assert download.status_code == 200
    # In the workbook's language (Indonesian), naming the session's day and title.
    day = timezone.localtime(officers_session.starts_at).date().isoformat()
    expected = f"pimpasa-kehadiran-{day}-{slugify(officers_session.title)}.xlsx"
    assert download["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    path = export_path(job).parent / "downloaded.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.max_row == 4
    assert ModelLogEntry.objects.filter(action="reporting.export_downloaded", user_id=officer.pk).count() == 1


@pytest.mark.django_db
def test_only_the_requester_and_supervisors_see_or_download_a_job(
    client, officer, supervisor, officers_session, assert_page
):
    colleague = UserFactory(role="Petugas PIMPASA")
    client.force_login(officer)
    client.post(NEW, {"export": "attendance", "session": officers_session.pk})
    job = ExportJob.objects.get()

    client.force_login(colleague)
    for name in ("detail", "status", "download"):
        assert client.get(url(name, job)).status_code == 404, name
    assert client.post(url("retry", job)).status_code == 404
    assert str(job.pk) not in assert_page(client.get(INDEX), "?export=attendance")

    client.force_login(supervisor)
    assert client.get(url("download", job)).status_code == 200
    assert url("detail", job) in client.get(INDEX).content.decode()


@pytest.mark.django_db
def test_a_running_job_page_updates_itself_with_and_without_javascript(client, supervisor):
    job = ExportJob.objects.create(
        exporter="attendance",
        requested_by=supervisor,
        status=ExportJob.Status.RUNNING,
        started_at=timezone.now(),
        rows_total=8000,
        rows_done=2000,
    )
    client.force_login(supervisor)
    page = client.get(url("detail", job)).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "js/export-progress.js" in page
    assert 'value="25"' in page and "2.000 dari 8.000 baris" in page

    status = client.get(url("status", job)).json()
    assert status == {
        "status": "running",
        "status_label": "Sedang berjalan",
        "rows_done": 2000,
        "rows_total": 8000,
        "percent": 25,
        "progress_text": "2.000 dari 8.000 baris",
        "active": True,
        "error": "",
        "worker_down": True,  # no task cluster runs in the tests
    }


@pytest.mark.django_db
def test_a_failed_job_shows_its_error_and_a_retry_button(client, supervisor, officers_session):
    job = ExportJob.objects.create(
        exporter="attendance",
        filters={"session": officers_session.pk},
        requested_by=supervisor,
        status=ExportJob.Status.FAILED,
        error="Ekspor berhenti karena kesalahan yang tidak terduga.",
    )
    client.force_login(supervisor)
    page = client.get(url("detail", job)).content.decode()
    assert "Ekspor berhenti karena kesalahan yang tidak terduga." in page
    assert url("retry", job) in page
    assert client.get(url("download", job)).status_code == 302  # nothing to download

    response = client.post(url("retry", job), follow=True)
    job.refresh_from_db()
    assert job.status == "queued"
    assert "Ekspor sudah dimasukkan ke antrean lagi." in response.content.decode()


@pytest.mark.django_db
def test_an_expired_export_says_so_instead_of_downloading(client, supervisor, officers_session):
    client.force_login(supervisor)
    client.post(NEW, {"export": "attendance", "session": officers_session.pk})
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(url("download", job), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url("detail", job)
    assert "Masa berlaku ekspor ini sudah habis" in response.content.decode()


@pytest.mark.django_db
def test_the_job_list_is_paginated_and_costs_the_same_queries_at_any_length(
    client, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    office = Office.default()  # bulk_create does not call save(), which fills a job's office
    ExportJob.objects.bulk_create(
        ExportJob(exporter="attendance", requested_by=supervisor, office=office) for _ in range(3)
    )
    client.get(INDEX)
    with django_assert_max_num_queries(20) as few:
        client.get(INDEX)
    ExportJob.objects.bulk_create(
        ExportJob(exporter="monthly", requested_by=UserFactory(role="Supervisor"), office=office)
        for _ in range(40)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(INDEX).content.decode()
    assert "Halaman 1 dari 2" in page


@pytest.mark.django_db
def test_a_requester_who_reads_the_admin_in_english_gets_english_headers(
    client, supervisor, officers_session
):
    from wagtail.users.models import UserProfile

    from tests.exports.helpers import workbook_of

    profile = UserProfile.get_for_user(supervisor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(supervisor)
    client.post(NEW, {"export": "attendance", "session": officers_session.pk})
    job = ExportJob.objects.get()
    assert job.language == "en"
    sheet = workbook_of(job).worksheets[0]
    assert (sheet.title, sheet["A1"].value, sheet["I1"].value) == (
        "Attendance",
        "Session date (WIB)",
        "Gender",
    )
    assert sheet["I2"].value in {"Female", "Male"}


@pytest.mark.django_db
def test_the_job_page_says_the_filters_in_words(client, supervisor):
    area = AreaFactory(name="Sukamaju")
    month = ExportJob.objects.create(
        exporter="monthly", filters={"month": "2026-10"}, requested_by=supervisor
    )
    attendance = ExportJob.objects.create(
        exporter="attendance",
        filters={
            "date_from": "2026-10-01",
            "date_to": "2026-10-31",
            "areas": [area.pk],
            "kinds": ["timpora"],
        },
        requested_by=supervisor,
    )
    client.force_login(supervisor)
    assert "Bulan: Oktober 2026" in client.get(url("detail", month)).content.decode()
    page = client.get(url("detail", attendance)).content.decode()
    assert "Dari tanggal: 01-10-2026" in page
    assert f"Wilayah: {area}" in page
    assert "Jenis sesi: Rapat koordinasi TIMPORA" in page


@pytest.mark.django_db
def test_workbooks_are_in_wib_whatever_time_zone_the_requester_chose_for_the_admin(
    client, officer, officers_session
):
    from wagtail.users.models import UserProfile

    from tests.exports.helpers import workbook_of

    profile = UserProfile.get_for_user(officer)
    profile.current_time_zone = "Asia/Jayapura"
    profile.save()
    attendance = officers_session.attendances.order_by("checked_in_at").first()
    client.force_login(officer)
    client.post(NEW, {"export": "attendance", "session": officers_session.pk})
    job = ExportJob.objects.get()
    assert job.time_zone == "Asia/Jakarta"
    sheet = workbook_of(job).worksheets[0]
    assert sheet["O1"].value == "Waktu hadir (WIB)"
    wib = timezone.localtime(attendance.checked_in_at, zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert abs(sheet["O2"].value - wib.replace(tzinfo=None)) < datetime.timedelta(seconds=1)


@pytest.mark.django_db
def test_the_requesters_page_says_when_the_worker_went_quiet_and_when_it_was_queued_again(
    client, supervisor, officers_session
):
    client.force_login(supervisor)
    now = timezone.now()
    quiet = ExportJob.objects.create(
        exporter="attendance",
        filters={"session": officers_session.pk},
        requested_by=supervisor,
        status=ExportJob.Status.RUNNING,
        started_at=now - datetime.timedelta(minutes=5),
        heartbeat_at=now - datetime.timedelta(minutes=2),
        rows_done=24_000,
        rows_total=60_000,
    )
    # Opening the page of a job whose worker went quiet queues it again at once, saying so.
    page = client.get(url("detail", quiet)).content.decode()
    assert "berhenti (pada 24000 dari 60000 baris); ekspor otomatis diantrekan lagi" in page
    quiet.refresh_from_db()
    assert quiet.status == ExportJob.Status.QUEUED

    requeued = ExportJob.objects.create(
        exporter="attendance",
        filters={"session": officers_session.pk},
        requested_by=supervisor,
        status=ExportJob.Status.QUEUED,
        error="Proses yang menulis ekspor ini berhenti (pada 24000 dari 60000 baris); ekspor otomatis "
        "diantrekan lagi (percobaan 2 dari 3).",
    )
    page = client.get(url("detail", requeued)).content.decode()
    assert "ekspor otomatis diantrekan lagi (percobaan 2 dari 3)" in page


@pytest.mark.django_db
@pytest.mark.parametrize("export", ["attendance", "tips"])
def test_the_date_range_starts_as_this_month_so_the_first_submit_works(client, supervisor, export):
    from bs4 import BeautifulSoup

    client.force_login(supervisor)
    today = timezone.localdate()
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    page = BeautifulSoup(client.get(f"{NEW}?export={export}").content, "html.parser")
    form = page.select_one("input[name=date_from]").find_parent("form")
    assert page.select_one("input[name=date_from]")["value"] == first.isoformat()
    assert page.select_one("input[name=date_to]")["value"] == last.isoformat()
    # Sending the form as it came (no field touched) asks for the export at once.
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field.get("type") not in ("checkbox", "radio", "submit")
    }
    data["export"] = export
    response = client.post(NEW, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ExportJob.objects.get()
    assert (job.filters["date_from"], job.filters["date_to"]) == (first.isoformat(), last.isoformat())


@pytest.mark.django_db
def test_an_export_for_one_session_starts_without_a_date_range(
    client, supervisor, officers_session, assert_page
):
    client.force_login(supervisor)
    page = assert_page(
        client.get(f"{NEW}?export=attendance&session={officers_session.pk}"),
        f'<option value="{officers_session.pk}" selected>',
        'name="date_from"',
    )
    assert 'name="date_from" value=' not in page


@pytest.mark.django_db
def test_an_export_job_reads_in_indonesian_in_the_audit_trail(supervisor):
    job = ExportJob.objects.create(exporter="tips", requested_by=supervisor, status=ExportJob.Status.DONE)
    assert str(job) == "Laporan (Selesai)"  # the exporter's name, not its identifier "tips"
