"""/healthz/worker: django-q's cluster heartbeat, fresh (200) or stale/absent (503, restart the worker).

A running cluster is shown answering 200 in tests/pimpasa/test_procfile.py; here the heartbeat is the Status
record the cluster's guard writes each cycle, put in place as the guard does.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.signing import SignedPackage
from django_q.status import Stat, Status

from pimpasa import health

pytestmark = pytest.mark.django_db


def beat(age_seconds=0, cluster_id="worker-a"):
    status = Status(pid=4242, cluster_id=cluster_id)
    status.timestamp = timezone.now() - datetime.timedelta(seconds=age_seconds)
    get_broker().set_stat(Stat.get_key(cluster_id), SignedPackage.dumps(status, True), 3)
    return status.timestamp


def test_no_cluster_has_reported_so_the_worker_check_is_503():
    response = Client().get("/healthz/worker")
    assert response.status_code == 503
    assert response.json()["status"] == "stale"
    assert response.json()["last_heartbeat"] is None


def test_a_fresh_heartbeat_is_200_and_reported_by_healthz_too():
    stamp = beat(age_seconds=2)
    response = Client().get("/healthz/worker")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["last_heartbeat"] == stamp.isoformat()
    overall = Client().get("/healthz")
    assert overall.status_code == 200
    assert overall.json()["worker_last_heartbeat"].startswith(stamp.isoformat()[:19])


def test_a_heartbeat_older_than_the_limit_is_stale_and_503():
    beat(age_seconds=health.WORKER_STALE_SECONDS + 5)
    response = Client().get("/healthz/worker")
    assert response.status_code == 503
    assert response.json()["status"] == "stale"
    assert response.json()["age_seconds"] > health.WORKER_STALE_SECONDS


def test_the_newest_of_several_clusters_counts():
    beat(age_seconds=health.WORKER_STALE_SECONDS + 30, cluster_id="hung")
    fresh = beat(age_seconds=1, cluster_id="alive")
    assert health.last_worker_heartbeat() == fresh
    assert Client().get("/healthz/worker").status_code == 200
