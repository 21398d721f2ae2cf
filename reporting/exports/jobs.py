"""Export jobs: ask for an export, run it (now or in django-q), retry it, clean up after it.

A job's state lives in the database (ExportJob), so any web process can show the progress of a task
running on any worker. The workbook is renamed into place only when complete. The worker beats a
heartbeat on the job with every progress step; a worker killed or hung halfway leaves a "running" job
whose heartbeat stops. Whichever process notices first once HEARTBEAT_STALE_SECONDS have passed (the
job's page or its status poll, the watchdog every minute, the hourly clean-up, a worker starting) hands
it out again (or fails it, after MAX_ATTEMPTS, saying why), deleting its partial files. With no worker
running at all the job's page says so (worker_is_running): the job waits in the queue until one starts.
"""

import datetime
import logging
import shutil
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_q.tasks import async_task
from wagtail.log_actions import log

from offices import scoping as office_scoping
from pimpasa import health
from reporting.exports import scoping as export_scoping
from reporting.exports.models import ExportJob

from .base import ExportError
from .registry import get_exporter
from .writer import part_path, work_dir, write_workbook

logger = logging.getLogger(__name__)

# Automatic attempts (a killed worker's job is handed out again) before a job is marked failed.
MAX_ATTEMPTS = 3
PROGRESS_EVERY = 2000
# The worker writes progress (and so its heartbeat) every PROGRESS_EVERY rows and at least this often.
HEARTBEAT_SECONDS = 10
# A running job whose heartbeat is older than this has lost its worker.
HEARTBEAT_STALE_SECONDS = 60

REQUESTED = "reporting.export_requested"
FINISHED = "reporting.export_finished"
FAILED = "reporting.export_failed"
RETRIED = "reporting.export_retried"
REQUEUED = "reporting.export_requeued"
DOWNLOADED = "reporting.export_downloaded"
EXPIRED = "reporting.export_expired"


def exports_dir():
    return Path(settings.PRIVATE_STORAGE_ROOT) / "exports"


def export_path(job):
    return exports_dir() / f"{job.pk}.xlsx"


def stale_after():
    """Files of a job older than django-q's timeout belong to no task still running."""
    return datetime.timedelta(seconds=settings.Q_CLUSTER["timeout"])


def heartbeat_stale_after():
    return datetime.timedelta(seconds=HEARTBEAT_STALE_SECONDS)


def silent_since(moment):
    """Running jobs with no heartbeat since `moment` (or none at all, and started before it)."""
    return Q(status=ExportJob.Status.RUNNING) & (
        Q(heartbeat_at__lt=moment) | Q(heartbeat_at__isnull=True, started_at__lt=moment)
    )


def heartbeat_is_stale(job, now=None):
    """Whether a running job's worker has stopped giving signs of life."""
    last = job.heartbeat_at or job.started_at
    return last is not None and last < (now or timezone.now()) - heartbeat_stale_after()


def worker_is_running():
    """Whether a task worker (django-q cluster) has given a heartbeat lately (pimpasa.health)."""
    return health.worker_status()["status"] == "ok"


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
        # The file holds this office's records and is listed to its supervisors (exports.scoping).
        office_id=office_scoping.office_id_of(user),
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
    if not export_scoping.can_see_export_job(user, job):
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
    claimable = Q(status=ExportJob.Status.QUEUED) | silent_since(now - heartbeat_stale_after())
    claimed = (
        ExportJob.objects.filter(claimable, pk=job_id)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(
            status=ExportJob.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
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
    exporter = exporter_class(
        user, job.filters, time_zone=timezone.get_current_timezone(), office_id=job.office_id
    )
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
        progress_seconds=HEARTBEAT_SECONDS,
    )
    return rows, path, exporter


def record_progress(job_id, rows_done):
    """Store how far a running job is, and that its worker is alive, where every process can read it.

    The write is short and never made on the connection that is reading the rows: on SQLite that
    connection holds a read snapshot for as long as the chunked read lasts, and once anyone else has
    written (django-q's cluster does every half second) an UPDATE from inside it fails at once with
    "database is locked", busy timeout or not. So it goes through a connection of its own, committed
    at once. Inside a transaction (a test's) the job row is not visible to another connection yet,
    and the write stays on this one.
    """
    update = lambda: ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(  # noqa: E731
        rows_done=rows_done, heartbeat_at=timezone.now()
    )
    if connection.in_atomic_block:
        return update()
    return _on_own_connection(update)


def _on_own_connection(function):
    """Run `function` in a short-lived thread: Django gives it its own database connection."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        except BaseException as error:  # handed back to the caller below
            outcome["error"] = error
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name="export-progress")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _fail(job, message):
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )
    log(job, FAILED, user=None, data={"error": message})
    return None


# --- cleaning up ---------------------------------------------------------------------------------


def clean_up_exports(now=None):
    """The hourly clean-up: interrupted jobs, lost tasks, expired files, stray files. Returns counts."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "expired": 0, "stray_files": 0}
    recovered = recover_interrupted(now)
    counts["requeued"] += recovered["requeued"]
    counts["failed"] += recovered["failed"]
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


def recover_interrupted(now=None):
    """Running jobs whose heartbeat stopped lost their worker: delete what it left, then queue the job
    again, or fail it with the reason after MAX_ATTEMPTS.

    Run by the watchdog (every minute), the hourly clean-up and each worker process as it starts
    (django-q's post_spawn: the watchdog is itself a task, and a dead worker runs none); the job's page
    does the same for its own job (requeue_if_interrupted). Whichever comes first does it, once.
    """
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    silent = ExportJob.objects.filter(silent_since(now - heartbeat_stale_after()))
    for job_id in silent.values_list("pk", flat=True):
        outcome = requeue_if_interrupted(job_id, now)
        if outcome:
            counts[outcome] += 1
    return counts


def recover_on_worker_start(sender=None, **kwargs):
    """django-q's post_spawn receiver: a worker process that starts takes back what a killed one left."""
    try:
        counts = recover_interrupted()
    except DatabaseError:  # the worker must start even so; the watchdog tries again every minute
        logger.warning("Interrupted exports not checked at worker start: the database did not answer")
        return
    if any(counts.values()):
        logger.info(
            "Interrupted exports at worker start: %(requeued)d queued again, %(failed)d failed", counts
        )


def requeue_if_interrupted(job_id, now=None):
    """Queue one job again (or fail it) if its worker died; "requeued", "failed" or None if it was not
    (or no longer) a silent running job.

    The row lock (a write lock at BEGIN on SQLite) makes two processes noticing at once do it once:
    the second finds the job queued already.
    """
    now = now or timezone.now()
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .filter(silent_since(now - heartbeat_stale_after()), pk=job_id)
            .first()
        )
        if job is None:
            return None
        discard_partial_files(job)
        return "requeued" if _requeue_or_fail_interrupted(job) else "failed"


def discard_partial_files(job):
    """The half-written workbook and openpyxl's sheet streams (names and phone numbers) of a job."""
    path = export_path(job)
    part_path(path).unlink(missing_ok=True)
    shutil.rmtree(work_dir(path), ignore_errors=True)


def _requeue_or_fail_interrupted(job):
    with translation.override(job.language):
        progress = _("%(done)s of %(total)s rows") % {"done": job.rows_done, "total": job.rows_total or 0}
        if job.attempts < MAX_ATTEMPTS:
            notice = _(
                "The worker writing this export stopped (at %(progress)s); it was queued again "
                "automatically (attempt %(next)d of %(max)d)."
            ) % {"progress": progress, "next": job.attempts + 1, "max": MAX_ATTEMPTS}
            updated = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
                status=ExportJob.Status.QUEUED, rows_done=0, started_at=None, heartbeat_at=None, error=notice
            )
            if updated:
                log(
                    job, REQUEUED, user=None, data={"reason": "heartbeat stopped", "rows_done": job.rows_done}
                )
                queue_export(job)
            return True
        _fail(
            job,
            _(
                "The export was interrupted %(count)d times: the worker stopped or ran out of time "
                "(last at %(progress)s). Narrow the filters (a shorter range, fewer areas) or try again later."
            )
            % {"count": job.attempts, "progress": progress},
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
    running |= {name.replace(".part", ".tmp") for name in running}
    for path in folder.iterdir():
        if path.name in kept or path.name in running:
            continue
        if path.stat().st_mtime < cutoff:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed
