"""A part down is not the site down: a real Redis, started here on its own port, is stopped and restarted.

With Redis gone, material pages are served uncached, check-ins are recorded (the rate limit lets them
in and says so in the log), the admin works and /healthz says 503; when Redis is back, the page cache
fills again without restarting anything.
"""

import logging
import shutil
import socket
import subprocess
import time

import pytest
from django.test import Client

from cms import page_cache
from events.models import Attendance
from tests.cms.conftest import _media_in_tmp, material_index, public_site  # noqa: F401 (fixtures)
from tests.events.test_checkin_views import open_form, submit
from tests.factories import DEFAULT_PASSWORD, MaterialPageFactory, SessionFactory
from tests.pimpasa.system_programs import free_port

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs redis-server (scripts/bootstrap test)"
    ),
]

MATERIAL_URL = "/materi/tanda-bahaya/"


class RedisServer:
    """A throwaway redis-server of this test's own: the machine's shared one is never touched."""

    def __init__(self, port, folder):
        self.port, self.folder, self.process = port, folder, None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisServer(free_port(), tmp_path)
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": "pimpasa-test",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def material(material_index):  # noqa: F811 (the fixture imported above)
    return MaterialPageFactory(parent=material_index, title="Tanda bahaya", intro="Kenali tanda bahaya.")


def test_redis_down_pages_checkin_and_admin_answer_and_it_resumes_when_back(
    redis_server, material, supervisor, caplog
):
    visitor, attendee = Client(), Client()
    admin = Client()
    assert admin.login(username=supervisor.username, password=DEFAULT_PASSWORD)

    # Redis up: the second visit is a cache hit; health is ok.
    assert visitor.get(MATERIAL_URL)[page_cache.CACHE_HEADER] == "miss"
    assert visitor.get(MATERIAL_URL)[page_cache.CACHE_HEADER] == "hit"
    health = Client().get("/healthz")
    assert health.status_code == 200 and health.json()["redis"] == "ok"

    session = SessionFactory()
    redis_server.stop()
    caplog.set_level(logging.WARNING)

    # Redis down: the page is rendered afresh, every time, and still right.
    for _ in range(2):
        response = visitor.get(MATERIAL_URL)
        assert response.status_code == 200
        assert response[page_cache.CACHE_HEADER] == "miss"
        assert "Kenali tanda bahaya." in response.content.decode()

    # A resident checks in: recorded; the rate limit let them in. The log says Redis is unreachable
    # once (pimpasa.outages), not once per skipped call, and without a traceback.
    response = submit(attendee, session, open_form(attendee, session), name="Siti Aminah")
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    assert Attendance.objects.filter(session=session, name="Siti Aminah").count() == 1
    outage_lines = [record for record in caplog.records if record.name == "pimpasa.redis"]
    assert len(outage_lines) == 1 and outage_lines[0].getMessage().startswith("Redis unreachable (")
    assert not outage_lines[0].exc_info and "Traceback" not in caplog.text

    # The back office works.
    assert admin.get("/admin/").status_code == 200
    assert admin.get(f"/admin/events/sessions/{session.pk}/run/").status_code == 200

    # The load balancer hears about it.
    health = Client().get("/healthz")
    assert health.status_code == 503
    assert health.json()["redis"] == "unreachable" and health.json()["database"] == "ok"

    # Redis back on the same port: no restart, the cache fills again.
    redis_server.start()
    assert Client().get("/healthz").status_code == 200
    assert visitor.get(MATERIAL_URL)[page_cache.CACHE_HEADER] == "miss"
    assert visitor.get(MATERIAL_URL)[page_cache.CACHE_HEADER] == "hit"
    response = submit(attendee, session, open_form(attendee, session), name="Budi", phone="0813 1111 2222")
    assert response.status_code == 200
    assert Attendance.objects.filter(session=session).count() == 2
