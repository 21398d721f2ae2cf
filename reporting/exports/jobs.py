"""Export jobs: ask for an export, run it (now or in django-q), retry it, clean up after it.

A job's state lives in the database (ExportJob), so any web process can show the progress of a task
running on any worker. The workbook is renamed into place only when complete; a worker killed halfway
leaves a job "running" with an old `started_at`, which the clean-up schedule hands out again (or
fails, after MAX_ATTEMPTS) and whose partial file it deletes.
"""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_q.tasks import async_task
from wagtail.log_actions import log

from pimpasa import scoping
from reporting.exports.models import ExportJob

from .base import ExportError
from .registry import get_exporter
from .writer import part_path, write_workbook

logger = logging.getLogger(__name__)

# Automatic attempts (a killed worker's job is handed out again) before a job is marked failed.
MAX_ATTEMPTS = 3
PROGRESS_EVERY = 2000

REQUESTED = "reporting.export_requested"
FINISHED = "reporting.export_finished"
FAILED = "reporting.export_failed"
RETRIED = "reporting.export_retried"
DOWNLOADED = "reporting.export_downloaded"
EXPIRED = "reporting.export_expired"


def exports_dir():
    return Path(settings.PRIVATE_STORAGE_ROOT) / "exports"


def export_path(job):
    return exports_dir() / f"{job.pk}.xlsx"


def stale_after():
    """A task still "running" after django-q's timeout has been killed: its worker is gone."""
    return datetime.timedelta(seconds=settings.Q_CLUSTER["timeout"])


# --- asking --------------------------------------------------------------------------------------


def request_export(user, identifier, filters, *, language=None):
    """Record what `user` asked for and run it: at once if small, else in the task queue.

    Workbooks are in the requester's language but always in the office's time zone (WIB), whatever
    time zone the requester chose for their own admin pages: a file is shared and printed.

    `filters` are the exporter's serialised filter values. Raises PermissionDenied if the user may
    not run this export and ExportError if the filters are not valid for them.
    """
    exporter_class = get_exporter(identifier)
    if not exporter_class.allowed(user):
        raise PermissionDenied
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    time_zone = settings.TIME_ZONE
    with translation.override(language), timezone.override(time_zone):
        exporter = exporter_class(user, filters, time_zone=timezone.get_current_timezone())
        rows = exporter.count()
    job = ExportJob.objects.create(
        exporter=identifier,
        filters=filters,
        requested_by=user,
        language=language,
        time_zone=time_zone,
        rows_total=rows,
    )
    log(job, REQUESTED, user=user, data={"exporter": identifier, "filters": filters, "rows": rows})
    if rows <= settings.PIMPASA_EXPORT_SYNC_MAX_ROWS:
        run_export(job.pk)
        job.refresh_from_db()
    else:
        queue_export(job)
    return job


def queue_export(job):
    """Hand the job to django-q once the transaction that made it has committed."""
    job_id = str(job.pk)
    transaction.on_commit(
        lambda: async_task(run_export, job_id, task_name=f"export-{job_id}", group="exports")
    )


def retry_export(job, user):
    """Queue a failed job again (the requester or a supervisor asked)."""
    if not scoping.can_see_export_job(user, job):
        raise PermissionDenied
    updated = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.FAILED).update(
        status=ExportJob.Status.QUEUED, error="", rows_done=0, attempts=0, started_at=None, finished_at=None
    )
    if not updated:
        raise ExportError(_("Only a failed export can be tried again."))
    log(job, RETRIED, user=user)
    job.refresh_from_db()
    queue_export(job)
    return job


# --- files ---------------------------------------------------------------------------------------


def downloadable(job, now=None):
    """Why the file can't be had, or None if it can."""
    now = now or timezone.now()
    if job.status == ExportJob.Status.EXPIRED or (job.expires_at and job.expires_at <= now):
        return _("This export has expired and its file was deleted. Ask for it again.")
    if job.status != ExportJob.Status.DONE or not job.file_name:
        return _("This export is not finished.")
    if not (exports_dir() / job.file_name).is_file():
        return _("The file of this export is missing. Ask for it again.")
    return None


def record_download(job, user):
    log(job, DOWNLOADED, user=user)


def download_name(job):
    """The file name the requester gets, in the workbook's language and naming the period it covers:
    pimpasa-kehadiran-2026-11-01_2026-11-30.xlsx, pimpasa-laporan-bulanan-2026-11.xlsx."""
    with translation.override(job.language), timezone.override(job.time_zone):
        try:
            exporter = get_exporter(job.exporter)(job.requested_by, job.filters)
            stem = exporter.file_stem()
        except (LookupError, ExportError):  # the export or its filters are gone: the file still has a name
            created = timezone.localtime(job.created_at)
            stem = f"{job.exporter}-{created:%Y-%m-%d}"
    return f"pimpasa-{stem}.xlsx"


# --- running -------------------------------------------------------------------------------------


def run_export(job_id):
    """The task: write the job's workbook in its requester's language and time zone."""
    job = _claim(job_id)
    if job is None:
        return None
    with translation.override(job.language), timezone.override(job.time_zone):
        try:
            rows, path, exporter = _write(job)
        except ExportError as error:
            return _fail(job, str(error))
        except Exception:
            logger.exception("Export %s failed", job.pk)
            return _fail(
                job,
                _(
                    "The export stopped because of an unexpected error. Try again; if it fails "
                    "again, tell the administrator (export %(id)s)."
                )
                % {"id": job.pk},
            )
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        rows_done=rows,
        rows_total=rows,
        file_name=path.name,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=settings.PIMPASA_EXPORT_RETENTION_DAYS),
    )
    # Whether the file names reporters is worth knowing when reading the audit log later.
    identities = bool(getattr(exporter, "with_identity", False))
    log(job, FINISHED, user=None, data={"rows": rows, "reporter_identities": identities})
    return rows


def _claim(job_id):
    """Take a queued job (or one whose worker died) for this worker; None if there is none."""
    now = timezone.now()
    claimable = Q(status=ExportJob.Status.QUEUED) | Q(
        status=ExportJob.Status.RUNNING, started_at__lt=now - stale_after()
    )
    claimed = (
        ExportJob.objects.filter(claimable, pk=job_id)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(
            status=ExportJob.Status.RUNNING,
            started_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            rows_done=0,
            error="",
        )
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("requested_by").get(pk=job_id)


def _write(job):
    user = job.requested_by
    if user is None and not job.is_scheduled:
        raise ExportError(_("The person who asked for this export no longer has an account."))
    if user is not None and not user.is_active:
        raise ExportError(_("The person who asked for this export no longer has an active account."))
    try:
        exporter_class = get_exporter(job.exporter)
    except LookupError:
        raise ExportError(_("This kind of export no longer exists.")) from None
    if not exporter_class.allowed(user):
        raise ExportError(_("The person who asked for this export may no longer run it."))
    exporter = exporter_class(user, job.filters, time_zone=timezone.get_current_timezone())
    sheets = exporter.sheets()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=sum(sheet.count for sheet in sheets))
    path = export_path(job)
    rows = write_workbook(
        sheets,
        path,
        title=exporter.title(),
        creator=(user.get_full_name() or user.get_username()) if user else "Pimpasa",
        time_zone=timezone.get_current_timezone(),
        progress=lambda done: record_progress(job.pk, done),
        progress_every=PROGRESS_EVERY,
    )
    return rows, path, exporter


def record_progress(job_id, rows_done):
    """Store how far a running job is, where every web process can read it."""
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(rows_done=rows_done)


def _fail(job, message):
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )
    log(job, FAILED, user=None, data={"error": message})
    return None


# --- cleaning up ---------------------------------------------------------------------------------


def clean_up_exports(now=None):
    """The scheduled clean-up: jobs whose worker died, expired files, stray files. Returns counts."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "expired": 0, "stray_files": 0}
    for job in ExportJob.objects.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - stale_after()):
        part_path(export_path(job)).unlink(missing_ok=True)
        if _requeue_or_fail_interrupted(job):
            counts["requeued"] += 1
        else:
            counts["failed"] += 1
    # Queued long ago and never started: its task was lost (a broker flushed, a process gone between
    # the commit and the enqueue). Queue it again; a duplicate task finds the job taken and stops.
    forgotten = ExportJob.objects.filter(
        status=ExportJob.Status.QUEUED, created_at__lt=now - 2 * stale_after(), started_at__isnull=True
    )
    for job in forgotten:
        queue_export(job)
        counts["requeued"] += 1
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        if job.file_name:
            (exports_dir() / job.file_name).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file_name="")
        log(job, EXPIRED, user=None)
        counts["expired"] += 1
    counts["stray_files"] = _remove_stray_files(now)
    return counts


def _requeue_or_fail_interrupted(job):
    with translation.override(job.language):
        if job.attempts < MAX_ATTEMPTS:
            updated = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
                status=ExportJob.Status.QUEUED, rows_done=0, started_at=None
            )
            if updated:
                queue_export(job)
            return True
        _fail(
            job,
            _(
                "The export was interrupted %(count)d times: the worker stopped or ran out of time. "
                "Narrow the filters (a shorter range, fewer areas) or try again later."
            )
            % {"count": job.attempts},
        )
        return False


def _remove_stray_files(now):
    """Files no finished job points to (a deleted job, a partial file) older than the timeout."""
    folder = exports_dir()
    if not folder.is_dir():
        return 0
    kept = set(ExportJob.objects.filter(status=ExportJob.Status.DONE).values_list("file_name", flat=True))
    running = {
        f"{pk}.xlsx.part"
        for pk in ExportJob.objects.filter(status=ExportJob.Status.RUNNING).values_list("pk", flat=True)
    }
    cutoff = (now - stale_after()).timestamp()
    removed = 0
    for path in folder.iterdir():
        if path.name in kept or path.name in running or not path.is_file():
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
