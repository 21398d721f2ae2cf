"""The monthly report schedule and the clean-up schedule: created once, mailing supervisors."""

import datetime
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule

from reporting.exports.models import ExportJob
from reporting.exports.schedules import CLEAN_UP, MONTHLY_REPORT, _next_first_of_month, send_monthly_report
from tests.exports.factories import AttendanceFactory, SessionFactory
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import UserFactory

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.mark.django_db
def test_setup_creates_the_schedules_once(site_setup):
    call_command("setup", stdout=io.StringIO())
    monthly = Schedule.objects.get(name=MONTHLY_REPORT)
    monthly.next_run = monthly.next_run + datetime.timedelta(days=3)  # an operator moved it
    monthly.save()
    call_command("setup", stdout=io.StringIO())
    assert Schedule.objects.filter(name=MONTHLY_REPORT).count() == 1
    assert Schedule.objects.filter(name=CLEAN_UP).count() == 1
    again = Schedule.objects.get(name=MONTHLY_REPORT)
    assert again.func == "reporting.exports.schedules.send_monthly_report"
    assert again.schedule_type == Schedule.MONTHLY
    assert again.next_run == monthly.next_run  # kept, not reset
    assert Schedule.objects.get(name=CLEAN_UP).func == "reporting.exports.jobs.clean_up_exports"


def test_the_monthly_report_runs_on_the_first_of_next_month_at_six_wib():
    now = datetime.datetime(2026, 12, 15, 10, 0, tzinfo=datetime.UTC)
    assert _next_first_of_month(now) == datetime.datetime(2027, 1, 1, 6, 0, tzinfo=WIB)


@pytest.mark.django_db
def test_supervisors_get_the_previous_months_report_by_mail_in_indonesian(supervisor, officer, settings):
    other_supervisor = UserFactory(role="Supervisor")
    UserFactory(role="Supervisor", is_active=False)
    session = SessionFactory(starts_at=datetime.datetime(2026, 10, 10, 9, tzinfo=WIB))
    AttendanceFactory.create_batch(4, session=session)

    send_monthly_report("2026-10")

    job = ExportJob.objects.get()
    assert (job.exporter, job.filters, job.is_scheduled, job.requested_by) == (
        "monthly",
        {"month": "2026-10"},
        True,
        None,
    )
    workbook = workbook_of(job)
    assert sheet_values(workbook["Ringkasan"])[-1][4] == 4
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([supervisor.email, other_supervisor.email])
    assert message.subject == "Laporan bulanan Pimpasa: Oktober 2026"
    link = f"{settings.PIMPASA_PUBLIC_URL}/admin/exports/{job.pk}/"
    assert link in message.body
    assert "Laporan Ngopi Pimpasa untuk Oktober 2026 sudah siap" in message.body
    assert "disimpan selama 7 hari" in message.body


@pytest.mark.django_db
def test_supervisors_can_download_the_scheduled_report_and_officers_cannot_see_it(
    client, supervisor, officer
):
    send_monthly_report("2026-10")
    job = ExportJob.objects.get()
    client.force_login(supervisor)
    assert client.get(f"/admin/exports/{job.pk}/download/").status_code == 200
    client.force_login(officer)
    assert client.get(f"/admin/exports/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_failed_monthly_report_mails_the_error_and_the_retry_link(supervisor, settings, tmp_path):
    # Private storage misconfigured: its path runs through a file, so no folder can be made there.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.PRIVATE_STORAGE_ROOT = blocker / "private"
    send_monthly_report("2026-10")
    job = ExportJob.objects.get()
    assert job.status == "failed"
    message = mail.outbox[0]
    assert message.subject == "Laporan bulanan Pimpasa untuk Oktober 2026 tidak dapat dibuat"
    assert job.error in message.body
    assert f"/admin/exports/{job.pk}/" in message.body
