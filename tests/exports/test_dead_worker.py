"""Exports never wait on a dead worker without saying so, and a job a killed worker left running is
queued again by whichever process notices first (its page, its status poll, the watchdog, the hourly
clean-up, a worker starting), once.

The worker's heartbeat is django-q's Stat record, put in place as the cluster's guard writes it
(tests/pimpasa/test_health.py does the same).
"""

import datetime
import threading

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.signals import post_spawn
from django_q.signing import SignedPackage
from django_q.status import Stat, Status
from wagtail.models import ModelLogEntry

from reporting.exports import jobs
from reporting.exports.jobs import HEARTBEAT_STALE_SECONDS, requeue_if_interrupted
from reporting.exports.models import ExportJob
from tests.factories import AreaFactory, HeldAttendanceFactory, HeldSessionFactory

NO_WORKER = (
    "Tidak ada pekerja tugas yang berjalan; ekspor ini akan berlanjut begitu pekerja tugas dijalankan."
)


def url(name, job):
    return reverse(f"reporting_exports:{name}", args=[job.pk])


def beat(age_seconds=0):
    """A task worker's heartbeat, `age_seconds` old."""
    status = Status(pid=4242, cluster_id="worker-a")
    status.timestamp = timezone.now() - datetime.timedelta(seconds=age_seconds)
    get_broker().set_stat(Stat.get_key("worker-a"), SignedPackage.dumps(status, True), 3)


@pytest.fixture
def officers_session(officer):
    session = HeldSessionFactory(area=AreaFactory(officers=[officer]))
    HeldAttendanceFactory.create_batch(3, session=session)
    return session


def left_running(requester, session, *, silent_seconds=HEARTBEAT_STALE_SECONDS + 30, attempts=1):
    """A job a killed worker left "running": its heartbeat stopped `silent_seconds` ago."""
    now = timezone.now()
    return ExportJob.objects.create(
        exporter="attendance",
        filters={"session": session.pk},
        requested_by=requester,
        status=ExportJob.Status.RUNNING,
        started_at=now - datetime.timedelta(minutes=5),
        heartbeat_at=now - datetime.timedelta(seconds=silent_seconds),
        attempts=attempts,
        rows_done=2,
        rows_total=3,
    )


def requeues(job):
    return ModelLogEntry.objects.filter(object_id=str(job.pk), action=jobs.REQUEUED).count()


@pytest.mark.django_db
def test_with_a_stale_worker_heartbeat_the_job_page_says_no_worker_is_running(
    client, supervisor, officers_session
):
    client.force_login(supervisor)
    job = ExportJob.objects.create(
        exporter="attendance", filters={"session": officers_session.pk}, requested_by=supervisor
    )
    beat(age_seconds=HEARTBEAT_STALE_SECONDS + 60)  # the cluster stopped a while ago
    page = client.get(url("detail", job)).content.decode()
    assert NO_WORKER in page  # Indonesian, the admin's default
    assert "data-worker-down-shown" in page  # the poll reloads the page when this changes
    status = client.get(url("status", job)).json()
    assert (status["active"], status["worker_down"]) == (True, True)


@pytest.mark.django_db
def test_with_a_live_worker_the_job_page_does_not_say_it_is_down(
    client, supervisor, officers_session, assert_page
):
    client.force_login(supervisor)
    job = ExportJob.objects.create(
        exporter="attendance", filters={"session": officers_session.pk}, requested_by=supervisor
    )
    beat(age_seconds=1)
    page = assert_page(client.get(url("detail", job)), "<strong data-export-status>")
    assert NO_WORKER not in page and "data-worker-down-shown" not in page
    assert client.get(url("status", job)).json()["worker_down"] is False


@pytest.mark.django_db
def test_a_finished_job_never_mentions_the_worker(
    client, supervisor, officers_session, committed_export, assert_page
):
    client.force_login(supervisor)
    job = committed_export(supervisor, officers_session)
    assert job.status == ExportJob.Status.DONE
    assert NO_WORKER not in assert_page(client.get(url("detail", job)), "<strong data-export-status>")


@pytest.fixture
def committed_export(django_capture_on_commit_callbacks):
    def run(user, session):
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.request_export(user, "attendance", {"session": session.pk}, language="id")
        job.refresh_from_db()
        return job

    return run


@pytest.mark.django_db
def test_a_job_left_running_by_a_dead_worker_is_requeued_once_when_its_page_is_opened(
    client, supervisor, officers_session, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    job = left_running(supervisor, officers_session)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = client.get(url("detail", job)).content.decode()
        client.get(url("detail", job))  # opened again (or polled): nothing more happens
        client.get(url("status", job))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED and job.heartbeat_at is None
    assert requeues(job) == 1
    assert len(queued) == 1  # one task handed to django-q
    assert "ekspor otomatis diantrekan lagi (percobaan 2 dari 3)" in page
    assert NO_WORKER in page  # and no worker is there to take it: said, not hidden


@pytest.mark.django_db
def test_the_status_poll_requeues_too_but_a_job_still_beating_is_left_alone(
    client, supervisor, officers_session, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    alive = left_running(supervisor, officers_session, silent_seconds=HEARTBEAT_STALE_SECONDS - 20)
    dead = left_running(supervisor, officers_session)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.get(url("status", alive)).json()["status"] == "running"
        assert client.get(url("status", dead)).json()["status"] == "queued"
    assert len(queued) == 1
    assert (requeues(alive), requeues(dead)) == (0, 1)


@pytest.mark.django_db
def test_a_worker_starting_takes_back_what_a_killed_one_left(
    supervisor, officers_session, django_capture_on_commit_callbacks
):
    job = left_running(supervisor, officers_session)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        post_spawn.send(sender="django_q", proc_name="Process-1:1")  # as django_q.worker sends it
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED and requeues(job) == 1 and len(queued) == 1


@pytest.mark.django_db(transaction=True)
def test_two_processes_requeueing_at_once_requeue_once(supervisor, officers_session):
    job = left_running(supervisor, officers_session)
    barrier = threading.Barrier(2)
    outcomes = []

    def notice():
        try:
            barrier.wait(timeout=10)
            outcomes.append(requeue_if_interrupted(job.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=notice) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == [None, "requeued"]
    assert requeues(job) == 1
    job.refresh_from_db()
    # Queued once; django-q runs tasks inline in the tests, so that one task wrote the workbook.
    assert (job.status, job.attempts) == ("done", 2)
