"""Export jobs: at once or queued, progress, failure and retry, a killed worker, expiry, the audit log."""

import datetime
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.exports import Column, ExportError, TableExporter, register
from reporting.exports import registry as export_registry
from reporting.exports.jobs import (
    HEARTBEAT_STALE_SECONDS,
    MAX_ATTEMPTS,
    clean_up_exports,
    downloadable,
    export_path,
    exports_dir,
    recover_interrupted,
    request_export,
    retry_export,
    run_export,
    stale_after,
)
from reporting.exports.models import ExportJob
from reporting.exports.writer import part_path, work_dir
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import HeldAttendanceFactory, HeldSessionFactory


class ProbeExporter(TableExporter):
    """Yields `rows` numbered rows and, on the way, notes what the database says about its job."""

    identifier = "probe"
    verbose_name = "Probe"
    permission = "reporting.export_attendance"
    seen = []
    fail_at = None
    on_row_3000 = None

    @property
    def columns(self):
        return [Column("Nomor")]

    def count(self):
        return 5000

    def rows(self):
        for number in range(1, 5001):
            if number in (2001, 4001):
                running = ExportJob.objects.filter(status=ExportJob.Status.RUNNING)
                type(self).seen.append(running.values_list("status", "rows_done", "rows_total").get())
            if number == 3000 and type(self).on_row_3000:
                type(self).on_row_3000()
            if number == type(self).fail_at:
                raise RuntimeError("disk full")
            yield (number,)


@pytest.fixture
def probe():
    ProbeExporter.seen = []
    ProbeExporter.fail_at = None
    ProbeExporter.on_row_3000 = None
    register(ProbeExporter)
    yield ProbeExporter
    export_registry._exporters.pop("probe")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `call` and then what it queued for after the commit (django-q runs tasks inline in tests)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = call(*args, **kwargs)
        if isinstance(result, ExportJob):
            result.refresh_from_db()
        return result

    return run


def actions(job):
    return list(ModelLogEntry.objects.for_instance(job).order_by("pk").values_list("action", "user_id"))


@pytest.mark.django_db
def test_a_small_export_is_written_at_once(supervisor, settings):
    session = HeldSessionFactory()
    HeldAttendanceFactory.create_batch(3, session=session)
    job = request_export(supervisor, "attendance", {"session": session.pk})
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_done, job.rows_total) == (3, 3)
    assert export_path(job).is_file()
    assert job.expires_at - job.finished_at == datetime.timedelta(days=settings.PIMPASA_EXPORT_RETENTION_DAYS)
    assert actions(job) == [
        ("reporting.export_requested", supervisor.pk),
        ("reporting.export_finished", None),
    ]


@pytest.mark.django_db
def test_a_large_export_is_queued_after_commit_and_run_by_the_task(
    supervisor, settings, django_capture_on_commit_callbacks
):
    settings.PIMPASA_EXPORT_SYNC_MAX_ROWS = 2
    session = HeldSessionFactory()
    HeldAttendanceFactory.create_batch(3, session=session)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request_export(supervisor, "attendance", {"session": session.pk})
    # Nothing runs before the transaction that made the job commits.
    assert job.status == ExportJob.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: django-q (sync in tests) runs the task
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert len(sheet_values(workbook_of(job).worksheets[0])) == 4


@pytest.mark.django_db
def test_progress_is_stored_in_the_database_while_the_task_runs(supervisor, probe, committed):
    job = committed(request_export, supervisor, "probe", {})
    assert probe.seen == [("running", 2000, 5000), ("running", 4000, 5000)]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 5000, 5000)


@pytest.mark.django_db
def test_a_failure_shows_a_clear_error_and_can_be_retried(supervisor, probe, committed):
    probe.fail_at = 3000
    job = committed(request_export, supervisor, "probe", {})
    assert job.status == ExportJob.Status.FAILED
    assert "kesalahan yang tidak terduga" in job.error and str(job.pk) in job.error
    assert not job.file_name
    assert list(exports_dir().iterdir()) == []  # neither a file nor a partial one

    probe.fail_at = None
    committed(retry_export, job, supervisor)
    job.refresh_from_db()
    assert (job.status, job.error, job.rows_done) == ("done", "", 5000)
    assert ("reporting.export_retried", supervisor.pk) in actions(job)
    assert ("reporting.export_failed", None) in actions(job)


@pytest.mark.django_db
def test_only_failed_jobs_can_be_retried_and_only_by_their_requester_or_a_supervisor(
    supervisor, officer, probe, committed
):
    job = committed(request_export, supervisor, "probe", {})
    with pytest.raises(ExportError):
        retry_export(job, supervisor)
    job.status = ExportJob.Status.FAILED
    job.save()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        retry_export(job, officer)


@pytest.mark.django_db
def test_a_requester_whose_account_was_deactivated_gets_a_clear_error(officer):
    session = HeldSessionFactory()
    session.area.officers.add(officer)
    job = ExportJob.objects.create(
        exporter="attendance", filters={"session": session.pk}, requested_by=officer
    )
    officer.is_active = False
    officer.save()
    run_export(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "Akun orang yang meminta ekspor ini sudah tidak aktif."


def stale_job(requester, attempts):
    job = ExportJob.objects.create(
        exporter="probe",
        requested_by=requester,
        status=ExportJob.Status.RUNNING,
        started_at=timezone.now() - stale_after() - datetime.timedelta(minutes=1),
        attempts=attempts,
        rows_done=1200,
        rows_total=5000,
    )
    partial = part_path(export_path(job))
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"PK\x03\x04 half a workbook")
    return job, partial


@pytest.mark.django_db
def test_a_job_whose_worker_was_killed_is_handed_out_again_and_its_partial_file_removed(
    supervisor, probe, committed
):
    job, partial = stale_job(supervisor, attempts=1)
    assert downloadable(job) is not None  # nothing is offered meanwhile
    counts = committed(clean_up_exports)
    assert counts["requeued"] == 1
    assert not partial.exists()
    job.refresh_from_db()
    # Queued again, and (django-q runs synchronously in tests) written completely this time.
    assert (job.status, job.attempts, job.rows_done) == ("done", 2, 5000)
    assert downloadable(job) is None


@pytest.mark.django_db
def test_a_job_killed_too_often_is_failed_with_a_clear_error_and_no_file(supervisor, probe, committed):
    job, partial = stale_job(supervisor, attempts=MAX_ATTEMPTS)
    assert clean_up_exports()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert "terhenti 3 kali" in job.error
    assert not partial.exists() and not job.file_name
    assert downloadable(job) is not None


@pytest.mark.django_db
def test_a_redelivered_task_takes_over_a_dead_workers_job_but_not_a_live_one(supervisor, probe, committed):
    job, _partial = stale_job(supervisor, attempts=1)
    run_export(job.pk)  # django-q hands a killed task out again after Q_RETRY
    job.refresh_from_db()
    assert job.status == "done"

    live = ExportJob.objects.create(
        exporter="probe", requested_by=supervisor, status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    assert run_export(live.pk) is None  # another worker is on it
    live.refresh_from_db()
    assert live.status == "running" and live.attempts == 0


@pytest.mark.django_db
def test_expired_exports_lose_their_file_and_say_so(supervisor, probe, committed):
    job = committed(request_export, supervisor, "probe", {})
    path = export_path(job)
    assert path.is_file()
    later = job.expires_at + datetime.timedelta(minutes=1)
    assert downloadable(job, now=later).startswith("Masa berlaku ekspor ini sudah habis")
    assert clean_up_exports(now=later)["expired"] == 1
    job.refresh_from_db()
    assert (job.status, job.file_name) == ("expired", "")
    assert not path.exists()
    assert (
        downloadable(job)
        == "Masa berlaku ekspor ini sudah habis dan berkasnya telah dihapus. Silakan minta ekspor baru."
    )
    assert ("reporting.export_expired", None) in actions(job)
    # A second run finds nothing more to do.
    assert clean_up_exports(now=later) == {"requeued": 0, "failed": 0, "expired": 0, "stray_files": 0}


@pytest.mark.django_db
def test_clean_up_keeps_live_files_and_removes_old_strays(supervisor, probe, committed):
    import os

    job = committed(request_export, supervisor, "probe", {})
    stray = exports_dir() / "deleted-job.xlsx"
    stray.write_bytes(b"old")
    old = (timezone.now() - stale_after() - datetime.timedelta(minutes=5)).timestamp()
    os.utime(stray, (old, old))
    fresh = exports_dir() / "someone-else-writing.xlsx.part"
    fresh.write_bytes(b"new")
    assert clean_up_exports()["stray_files"] == 1
    assert not stray.exists() and fresh.exists() and export_path(job).exists()


@pytest.mark.django_db
def test_a_job_whose_task_was_lost_is_queued_again(supervisor, probe, committed):
    job = ExportJob.objects.create(exporter="probe", requested_by=supervisor)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - 3 * stale_after())
    young = ExportJob.objects.create(exporter="probe", requested_by=supervisor)
    assert committed(clean_up_exports)["requeued"] == 1
    job.refresh_from_db()
    young.refresh_from_db()
    assert (job.status, young.status) == ("done", "queued")


# --- the heartbeat: a dead worker is noticed within about two minutes, not the task timeout -------


def job_with_heartbeat(requester, seconds_ago, attempts=1):
    now = timezone.now()
    job = ExportJob.objects.create(
        exporter="probe",
        requested_by=requester,
        status=ExportJob.Status.RUNNING,
        started_at=now - datetime.timedelta(minutes=3),  # far inside django-q's 10-minute timeout
        heartbeat_at=now - datetime.timedelta(seconds=seconds_ago),
        attempts=attempts,
        rows_done=2000,
        rows_total=5000,
    )
    streams = work_dir(export_path(job))
    streams.mkdir(parents=True)
    (streams / "openpyxl.sheet.xml").write_text("<row>Siti Aminah +6281234567890</row>")
    return job, streams


@pytest.mark.django_db
def test_a_silent_worker_is_noticed_by_the_watchdog_and_the_job_requeued_with_a_reason(
    supervisor, probe, django_capture_on_commit_callbacks
):
    job, streams = job_with_heartbeat(supervisor, seconds_ago=HEARTBEAT_STALE_SECONDS + 30)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert recover_interrupted() == {"requeued": 1, "failed": 0}
    assert len(queued) == 1  # handed to django-q once the watchdog's transaction commits
    assert not streams.exists()  # openpyxl's streams with names and phones are gone
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.heartbeat_at) == ("queued", 0, None)
    assert job.error == (
        "Proses yang menulis ekspor ini berhenti (pada 2000 dari 5000 baris); ekspor otomatis "
        "diantrekan lagi (percobaan 2 dari 3)."
    )
    assert ("reporting.export_requeued", None) in actions(job)


@pytest.mark.django_db
def test_a_worker_that_beat_recently_is_left_alone(supervisor, probe):
    job, streams = job_with_heartbeat(supervisor, seconds_ago=HEARTBEAT_STALE_SECONDS - 20)
    assert recover_interrupted() == {"requeued": 0, "failed": 0}
    job.refresh_from_db()
    assert job.status == "running" and streams.exists()


@pytest.mark.django_db
def test_the_last_attempt_of_a_silent_job_fails_it_saying_why(supervisor, probe):
    job, streams = job_with_heartbeat(
        supervisor, seconds_ago=HEARTBEAT_STALE_SECONDS + 5, attempts=MAX_ATTEMPTS
    )
    assert recover_interrupted() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == "failed"
    assert "terhenti 3 kali" in job.error and "2000 dari 5000 baris" in job.error
    assert not streams.exists()


@pytest.mark.django_db
def test_progress_writes_beat_the_heartbeat(supervisor, probe, committed):
    job = committed(request_export, supervisor, "probe", {})
    assert job.status == "done" and job.heartbeat_at is not None
    assert job.started_at <= job.heartbeat_at <= job.finished_at


# --- openpyxl's temporary files stay in private storage and go away -------------------------------


@pytest.mark.django_db
def test_sheet_streams_live_in_private_storage_while_written_and_are_deleted_on_failure(
    supervisor, probe, committed, settings
):
    system_temp = set(Path(tempfile.gettempdir()).glob("openpyxl.*"))
    seen_streams = []

    def look_midway():
        job = ExportJob.objects.get()
        seen_streams.extend(work_dir(export_path(job)).glob("openpyxl.*.xml"))

    probe.on_row_3000 = look_midway
    probe.fail_at = 4000
    job = committed(request_export, supervisor, "probe", {})
    assert job.status == "failed"
    assert seen_streams and all(path.is_relative_to(settings.PRIVATE_STORAGE_ROOT) for path in seen_streams)
    assert not any(path.exists() for path in seen_streams)
    assert not work_dir(export_path(job)).exists()
    assert set(Path(tempfile.gettempdir()).glob("openpyxl.*")) == system_temp
    assert list(exports_dir().iterdir()) == []
