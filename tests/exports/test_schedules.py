"""The monthly report schedule and the clean-up schedule: created once, mailing supervisors."""

import datetime
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule
from django_q.scheduler import scheduler

from pimpasa.schedules import next_cron_run
from reporting.exports.models import ExportJob
from reporting.exports.schedules import (
    CLEAN_UP,
    MONTHLY_REPORT,
    MONTHLY_REPORT_CRON,
    WATCHDOG,
    send_monthly_report,
)
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import HeldAttendanceFactory, HeldSessionFactory, UserFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
    assert (again.schedule_type, again.cron) == (Schedule.CRON, "0 6 1 * *")
    assert again.next_run == monthly.next_run  # kept, not reset
    assert Schedule.objects.get(name=CLEAN_UP).func == "reporting.exports.jobs.clean_up_exports"


def test_the_monthly_report_runs_on_the_first_of_next_month_at_six_wib():
    now = datetime.datetime(2026, 12, 15, 10, 0, tzinfo=datetime.UTC)
    assert next_cron_run(MONTHLY_REPORT_CRON, now) == datetime.datetime(2027, 1, 1, 6, 0, tzinfo=WIB)


@pytest.mark.django_db
def test_a_year_of_django_q_scheduling_runs_the_report_twelve_times_each_on_the_first(
    site_setup, time_machine
):
    # django-q's own scheduler, stepped through a year: each step lands just after the schedule's
    # next run, as a running cluster would. The old MONTHLY type drifted to the 29th after February.
    time_machine.move_to(datetime.datetime(2026, 12, 15, 10, 0, tzinfo=WIB), tick=False)
    call_command("setup", stdout=io.StringIO())
    Schedule.objects.exclude(name=MONTHLY_REPORT).delete()
    runs = []
    end = datetime.datetime(2027, 12, 15, 10, 0, tzinfo=WIB)
    while True:
        due = Schedule.objects.get(name=MONTHLY_REPORT).next_run
        if due > end:
            break
        time_machine.move_to(due + datetime.timedelta(seconds=30), tick=False)
        scheduler()
        runs.append(due.astimezone(WIB))
    assert len(runs) == 12
    assert [(run.year, run.month, run.day, run.hour, run.minute) for run in runs] == [
        (2027, month, 1, 6, 0) for month in range(1, 13)
    ]
    # Each run built the previous month's report (sync tasks in tests).
    months = sorted(job.filters["month"] for job in ExportJob.objects.filter(is_scheduled=True))
    assert months == ["2026-12"] + [f"2027-{month:02d}" for month in range(1, 12)]


@pytest.mark.django_db
def test_daily_schedules_run_once_a_day_at_their_hour_in_wib(site_setup, time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 30, 12, 0, tzinfo=WIB), tick=False)
    call_command("setup", stdout=io.StringIO())
    daily = Schedule.objects.filter(cron__in=["0 2 * * *", "30 2 * * *"])
    assert daily.count() == 2
    for schedule in daily:
        run = schedule.next_run
        hours = []
        for _ in range(3):
            hours.append(run.astimezone(WIB))
            run = next_cron_run(schedule.cron, run)
        assert [moment.date() for moment in hours] == [
            datetime.date(2027, 3, 31),
            datetime.date(2027, 4, 1),
            datetime.date(2027, 4, 2),
        ]
        assert {(moment.hour, moment.minute) for moment in hours} in ({(2, 0)}, {(2, 30)})


@pytest.mark.django_db
def test_the_export_watchdog_runs_every_minute(site_setup):
    call_command("setup", stdout=io.StringIO())
    watchdog = Schedule.objects.get(name=WATCHDOG)
    assert (watchdog.func, watchdog.cron) == ("reporting.exports.jobs.recover_interrupted", "* * * * *")


@pytest.mark.django_db
def test_supervisors_get_the_previous_months_report_by_mail_in_indonesian(supervisor, officer, settings):
    other_supervisor = UserFactory(role="Supervisor")
    UserFactory(role="Supervisor", is_active=False)
    session = HeldSessionFactory(starts_at=datetime.datetime(2026, 10, 10, 9, tzinfo=WIB))
    HeldAttendanceFactory.create_batch(4, session=session)

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
    download = client.get(f"/admin/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an xlsx is a zip archive
    client.force_login(officer)
    assert client.get(f"/admin/exports/{job.pk}/").status_code == 404
    assert client.get(f"/admin/exports/{job.pk}/download/").status_code == 404


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
