"""The real reverse proxy in front of the real application server, as docs/deployment.md deploys them.

Debian's nginx runs deploy/nginx/pimpasa.conf (tests/pimpasa/real_nginx.py: only its port, paths and
certificate replaced) over TLS on a port other than 443, in front of gunicorn started with the
project's gunicorn.conf.py under the production settings, one sync worker (the kind a slow body holds
longest), on this test run's database, after the release steps (`createcachetable`, `collectstatic`).

What is checked: a form posted on that port passes Django's CSRF check and is recorded (and would
answer 403 with `Host $host`, which drops the port); static files go out gzipped from collectstatic's
.gz copies and pages gzipped once by the app; twenty uploads trickling their bodies do not hold
/healthz (nginx reads bodies whole before gunicorn sees them); the client's address reaches the app
as PIMPASA_PROXY_COUNT=1 expects, so a client writing its own X-Forwarded-For escapes no limit.
"""

import gzip
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading

import pytest
import requests
from axes.models import AccessFailureLog
from django.conf import settings
from django.db import connection

from events.models import Attendance
from events.services.tokens import poster_token
from tests.factories import SessionFactory, UserFactory
from tests.pimpasa.real_nginx import (
    ROOT,
    documented_config,
    require_nginx,
    running_nginx,
    self_signed_certificate,
    wait_for_port,
)
from tests.pimpasa.system_programs import free_port

SLOW_UPLOADS = 20
UPLOAD_BYTES = 200 * 1024

ANSWERS = {
    "name": "Siti Aminah",
    "phone": "0812 3456 7890",
    "gender": "f",
    "age_group": "26-35",
    "rw": "17",
    "consent": "on",
}


def database_url():
    """This test run's database (SQLite file or PostgreSQL test database) as a DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class Stack:
    def __init__(self, folder, checkout, certificate, certificate_key, upstream_port):
        self.folder, self.checkout = folder, checkout
        self.certificate, self.certificate_key = certificate, certificate_key
        self.upstream_port = upstream_port

    def proxy(self, name, changes=()):
        """nginx with the documented file (and `changes`), in its own folder; a context manager
        yielding the https base URL."""
        folder = self.folder / name
        folder.mkdir()
        port = free_port()
        config = documented_config(
            folder,
            port=port,
            upstream_port=self.upstream_port,
            checkout=self.checkout,
            certificate=self.certificate,
            certificate_key=self.certificate_key,
            changes=changes,
        )
        return _Proxy(folder, config, port)


class _Proxy:
    def __init__(self, folder, config, port):
        self.folder, self.config, self.port = folder, config, port
        self.url = f"https://127.0.0.1:{port}"

    def __enter__(self):
        self._running = running_nginx(self.folder, self.config, self.port)
        self._running.__enter__()
        return self

    def __exit__(self, *exc):
        return self._running.__exit__(*exc)


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    require_nginx()
    folder = tmp_path_factory.mktemp("proxy")
    checkout = folder / "srv"  # stands for /srv/pimpasa: var/static, var/media below it
    (checkout / "var").mkdir(parents=True)
    certificate, certificate_key = self_signed_certificate(folder)
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        },
        "DJANGO_SETTINGS_MODULE": "pimpasa.settings.production",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",  # nothing held open when the test database is dropped
        "SECRET_KEY": settings.SECRET_KEY,  # the test signs the session's poster pass with it
        "ALLOWED_HOSTS": "127.0.0.1",
        "PIMPASA_FERNET_KEYS": ",".join(settings.PIMPASA_FERNET_KEYS),
        "PIMPASA_SEARCH_INDEX_KEYS": ",".join(settings.PIMPASA_SEARCH_INDEX_KEYS),
        "PIMPASA_VAR_DIR": str(checkout / "var"),
        "PRIVATE_STORAGE_ROOT": str(folder / "private"),
        "PIMPASA_PROXY_COUNT": "1",
        "PIMPASA_PUBLIC_URL": "https://127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    # The release steps of docs/deployment.md that these requests need.
    for command in (["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    upstream_port = free_port()
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 (closed at teardown)
    gunicorn = subprocess.Popen(
        [
            *(str(part) for part in (sys.executable, "-m", "gunicorn", "pimpasa.wsgi")),
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{upstream_port}",
            "--worker-class",
            "sync",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(upstream_port, gunicorn, seconds=120)
        yield Stack(folder, checkout, certificate, certificate_key, upstream_port)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        log.close()


def open_checkin(client, base, session):
    response = client.get(f"{base}/sesi/{session.pk}/hadir/?t={poster_token(session)}", timeout=30)
    assert response.status_code == 200, response.text[:500]
    return response, re.search(r'name="pass" value="([^"]+)"', response.text).group(1)


def post_checkin(client, base, session, form_pass, **answers):
    # A browser sends the form's Origin with every POST; Django compares it with the Host it is given.
    return client.post(
        f"{base}/sesi/{session.pk}/hadir/",
        data={**ANSWERS, **answers, "pass": form_pass, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Origin": base, "Referer": f"{base}/sesi/{session.pk}/hadir/"},
        timeout=30,
        allow_redirects=False,
    )


def client_for(stack):
    session = requests.Session()
    session.trust_env = False  # the machine's CA bundle and proxies would override `verify`
    session.verify = str(stack.certificate)
    return session


@pytest.mark.django_db(transaction=True)
def test_a_form_posted_on_a_port_other_than_443_passes_csrf_and_is_recorded(stack):
    session = SessionFactory()
    with stack.proxy("documented") as proxy:
        client = client_for(stack)
        _page, form_pass = open_checkin(client, proxy.url, session)
        response = post_checkin(client, proxy.url, session, form_pass)
        assert response.status_code == 200, response.text[:500]
        assert "Terima kasih" in response.text
    assert Attendance.objects.filter(session=session, name="Siti Aminah").count() == 1

    # What the documentation said before: $host is the name without its port, so the Origin of
    # every form (https://127.0.0.1:<port>) no longer matches and Django refuses the post.
    with stack.proxy("host-without-port", changes=[("Host $http_host;", "Host $host;")]) as proxy:
        client = client_for(stack)
        _page, form_pass = open_checkin(client, proxy.url, session)
        refused = post_checkin(client, proxy.url, session, form_pass, name="Budi Santoso")
        assert refused.status_code == 403
    assert not Attendance.objects.filter(name="Budi Santoso").exists()


def raw_get(client, url, **headers):
    """The bytes as they came over the wire (not decoded) and the response."""
    response = client.get(url, headers=headers, stream=True, timeout=30)
    return response.raw.read(decode_content=False), response


@pytest.mark.django_db(transaction=True)
def test_static_files_go_out_gzipped_from_collectstatic_and_pages_gzipped_once(stack):
    session = SessionFactory()
    with stack.proxy("compression") as proxy:
        client = client_for(stack)
        page_url = f"{proxy.url}/sesi/{session.pk}/hadir/?t={poster_token(session)}"
        body, page = raw_get(client, page_url, **{"Accept-Encoding": "gzip"})
        assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
        html = gzip.decompress(body).decode()  # compressed once: one decompression gives the HTML
        assert "<form" in html
        stylesheets = re.findall(r'<link rel="stylesheet" href="(/static/[^"]+\.css)"', html)
        assert stylesheets, "the check-in form links no stylesheet"
        for path in stylesheets:
            assert re.search(r"\.[0-9a-f]{12}\.css$", path), path  # collectstatic's hashed name
            plain, identity = raw_get(client, f"{proxy.url}{path}", **{"Accept-Encoding": "identity"})
            compressed, zipped = raw_get(client, f"{proxy.url}{path}", **{"Accept-Encoding": "gzip"})
            assert identity.status_code == zipped.status_code == 200
            assert "Content-Encoding" not in identity.headers
            assert zipped.headers["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in zipped.headers["Vary"]
            assert "max-age=31536000" in zipped.headers["Cache-Control"]
            assert gzip.decompress(compressed) == plain
            assert len(compressed) < len(plain) / 2, (path, len(compressed), len(plain))


class SlowUpload(threading.Thread):
    """A phone sending a 200 KB tip with a photo over TLS at 10 KB/s, with the form's CSRF cookie and
    token (without them Django would refuse it before reading the body, and nothing slow would reach
    gunicorn even unbuffered); it hangs up when told to."""

    def __init__(self, proxy, certificate, form, stop):
        super().__init__(daemon=True)
        self.port, self.origin, self.stop = proxy.port, proxy.url, stop
        self.cookie, self.token = form
        self.context = ssl.create_default_context(cafile=str(certificate))
        self.sent = 0
        self.started_body = threading.Event()
        self.answered = False
        self.error = None

    def run(self):
        head = (
            '--slow\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.token}\r\n"
            '--slow\r\nContent-Disposition: form-data; name="evidence"; filename="foto.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        try:
            with (
                socket.create_connection(("127.0.0.1", self.port), timeout=30) as raw,
                self.context.wrap_socket(raw, server_hostname="127.0.0.1") as sock,
            ):
                sock.sendall(
                    (
                        f"POST /lapor/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                        f"Origin: {self.origin}\r\nCookie: csrftoken={self.cookie}\r\n"
                        "Content-Type: multipart/form-data; boundary=slow\r\n"
                        f"Content-Length: {UPLOAD_BYTES}\r\nConnection: close\r\n\r\n"
                    ).encode()
                    + head
                )
                sock.settimeout(0.1)
                self.sent = len(head)
                while not self.stop.is_set() and self.sent < UPLOAD_BYTES - 1024:
                    sock.sendall(b"\xff" * 1024)
                    self.sent += 1024
                    self.started_body.set()
                    try:
                        if sock.recv(1):  # an answer before the body is whole
                            self.answered = True
                            return
                    except (TimeoutError, ssl.SSLWantReadError):
                        pass
        except OSError as error:
            self.error = error


def test_twenty_slow_uploads_do_not_hold_healthz(stack):
    """gunicorn has one sync worker: were it to read a trickling body itself, /healthz would wait
    behind the first upload until it ended. nginx reads the bodies; gunicorn never sees them."""
    stop = threading.Event()
    with stack.proxy("buffering") as proxy:
        client = client_for(stack)
        tip_form = client.get(f"{proxy.url}/lapor/", timeout=30)
        assert tip_form.status_code == 200
        form = (
            client.cookies["csrftoken"],
            re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', tip_form.text).group(1),
        )
        uploads = [SlowUpload(proxy, stack.certificate, form, stop) for _ in range(SLOW_UPLOADS)]
        try:
            for upload in uploads:
                upload.start()
            for upload in uploads:
                assert upload.started_body.wait(30), upload.error
            for _ in range(3):
                health = client.get(f"{proxy.url}/healthz", timeout=15)
                assert health.status_code == 200
                assert health.json()["database"] == "ok"
            # Every upload was still sending while /healthz answered, and none got an answer.
            assert all(upload.is_alive() and not upload.answered for upload in uploads), [
                (upload.sent, upload.answered, upload.error) for upload in uploads
            ]
            assert all(upload.sent < UPLOAD_BYTES - 1024 for upload in uploads)
        finally:
            stop.set()
            for upload in uploads:
                upload.join(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_the_app_counts_the_address_nginx_saw_not_the_one_a_client_writes(stack):
    UserFactory(username="petugas")
    with stack.proxy("client-address") as proxy:
        client = client_for(stack)
        login = client.get(f"{proxy.url}/admin/login/", timeout=30)
        assert login.status_code == 200
        codes = []
        for n in range(6):
            answer = client.post(
                f"{proxy.url}/admin/login/",
                data={
                    "username": "petugas",
                    "password": "tebak",
                    "csrfmiddlewaretoken": client.cookies["csrftoken"],
                },
                # A new address written by the client each time: nginx appends the real one after it.
                headers={"Origin": proxy.url, "X-Forwarded-For": f"203.0.113.{n}"},
                timeout=30,
            )
            codes.append(answer.status_code)
        # Five failures from one address and one name lock the pair out, whatever the header said.
        assert codes == [200, 200, 200, 200, 429, 429]
        health = client.get(f"{proxy.url}/healthz", timeout=30).json()
        # The header arrived from a trusted peer with the client appended: nothing came past the proxy.
        assert health["proxy"] == {"status": "ok", "count": 1, "bypass": {}}
    # The audit of failed sign-ins has the address nginx saw, never one the client wrote.
    addresses = set(AccessFailureLog.objects.values_list("ip_address", flat=True))
    assert addresses == {"127.0.0.1"}
