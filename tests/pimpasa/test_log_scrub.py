"""No secret in any log line (issue 21, point 5): agency links, password-reset links, check-in passes
and tracking codes are provoked into 4xx and 5xx answers, and the logs are read: Django's (through the
handler settings.LOGGING configures) and gunicorn's (a real gunicorn with gunicorn.conf.py)."""

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import signing
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from pimpasa.log_scrub import ScrubSecrets, scrub
from tests.pimpasa.system_programs import free_port

ROOT = Path(__file__).resolve().parents[2]

AGENCY_TOKEN = "q4Zt9mXv2bLkP7wRr1sNcYd8eHf0gJu3aTiOo5pQx6E"
RESET_UID, RESET_TOKEN = "MTI3", "cz1k3a-9f0e8d7c6b5a4f3e2d1c0b9a8f7e6d5c"
# Shaped as the real ones are: a check-in pass is signed by Django with a time (events.services.tokens).
CHECKIN_PASS = signing.TimestampSigner(key="not-the-site-key", salt="test").sign("17.Qm9ZkR2vT8xLp3Nw")
CODE = "K7QM-4XPD-9RTV-WB2H"
RECEIPT_ENTRY = "3f9a1c0b7e6d5a4f3e2d1c0b9a8f7e6d5c4b3a29"
PHONE = "+6285724681357"
SECRETS = [
    AGENCY_TOKEN,
    RESET_UID + "/",
    RESET_TOKEN,
    CHECKIN_PASS,
    CODE,
    CODE.replace("-", ""),
    RECEIPT_ENTRY,
    PHONE,
]

SECRET_URLS = {
    "agency link": f"/rujukan/{AGENCY_TOKEN}/",
    "agency link, acknowledgement": f"/rujukan/{AGENCY_TOKEN}/diterima/",
    "agency link, English": f"/en/rujukan/{AGENCY_TOKEN}/hasil/",
    "reset link": f"/admin/password_reset/confirm/{RESET_UID}/{RESET_TOKEN}/",
    "check-in pass": f"/sesi/1/hadir/?t={CHECKIN_PASS}",
    "status look-up by code": f"/lapor/status/?code={CODE}",
    "receipt stylesheet": f"/lapor/tanda-terima/{RECEIPT_ENTRY}.css",
    "back-office search by code": f"/admin/laporan/?q={CODE.lower()}",
    "login with a next address": f"/admin/login/?next=/rujukan/{AGENCY_TOKEN}/%3Ft%3D{CHECKIN_PASS}",
}


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text, secret
    assert "[redacted]" in text


@pytest.mark.parametrize("name", list(SECRET_URLS))
def test_each_kind_of_secret_url_is_scrubbed(name):
    line = f'127.0.0.1 - - "GET {SECRET_URLS[name]} HTTP/1.1" 404 "https://pimpasa.example.go.id{SECRET_URLS[name]}"'
    cleaned = scrub(line)
    assert_no_secret(cleaned)
    assert cleaned.startswith('127.0.0.1 - - "GET /') and '" 404 "https://pimpasa.example.go.id/' in cleaned


def test_what_is_no_secret_stays_readable():
    line = "GET /admin/laporan/8c6f2a4e-3b1d-4c5e-9f7a-0b1c2d3e4f5a/ 200 /sesi/12/hadir/ /lapor/status/"
    assert scrub(line) == line
    assert scrub("Not Found: /materi/paspor/?page=2") == "Not Found: /materi/paspor/?page=2"
    assert scrub("Field entry for session 12 not recorded: Key (phone)=(+6285724681357)") == (
        "Field entry for session 12 not recorded: Key (phone)=([redacted])"
    )


@pytest.fixture
def server_log():
    """What the server's log handler (settings.LOGGING's console) writes, captured."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(log_filter, ScrubSecrets) for log_filter in handler.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def boom(request, **kwargs):
    raise RuntimeError(f"failed on {request.get_full_path()} with {kwargs}")


# A urlconf with the same addresses, each answering 500: how Django logs a crash on them.
urlpatterns = [
    path("rujukan/<str:token>/", boom),
    path("rujukan/<str:token>/diterima/", boom),
    path("admin/password_reset/confirm/<uidb64>/<token>/", boom),
    path("sesi/<int:pk>/hadir/", boom),
    path("lapor/status/", boom),
    path("lapor/tanda-terima/<str:entry>.css", boom),
    path("ok/", lambda request: HttpResponse("ok")),
]


@pytest.mark.django_db
def test_django_logs_4xx_on_secret_urls_without_the_secrets(server_log, site_setup):
    """django.request (404, 403, 405) and django.security.csrf (403) lines."""
    strict = Client(enforce_csrf_checks=True)
    answers = {
        "agency link, unknown (404)": Client().get(SECRET_URLS["agency link"]).status_code,
        "agency link, no CSRF (403)": strict.post(SECRET_URLS["agency link, acknowledgement"]).status_code,
        "agency link, wrong host (400)": Client()
        .get(SECRET_URLS["agency link"], HTTP_HOST="evil.example")
        .status_code,
        "reset link, no CSRF (403)": strict.post(SECRET_URLS["reset link"]).status_code,
        "check-in pass, unknown session (403)": Client().get(SECRET_URLS["check-in pass"]).status_code,
        "look-up, wrong method (405)": Client().put(SECRET_URLS["status look-up by code"]).status_code,
        "receipt stylesheet, malformed (404)": Client()
        .get(f"/lapor/tanda-terima/{RECEIPT_ENTRY[:-1]}.css")
        .status_code,
    }
    assert all(400 <= status < 500 for status in answers.values()), answers
    written = server_log.getvalue()
    for expected in (
        "Not Found: /rujukan/[redacted]/",
        "Forbidden (CSRF cookie not set.): /rujukan/[redacted]/diterima/",
    ):
        assert expected in written
    assert "/admin/password_reset/confirm/[redacted]/[redacted]/" in written
    assert_no_secret(written)


@pytest.mark.django_db
def test_django_logs_5xx_on_secret_urls_without_the_secrets(server_log, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    for url in (
        SECRET_URLS["agency link"],
        SECRET_URLS["agency link, acknowledgement"],
        SECRET_URLS["reset link"],
        SECRET_URLS["check-in pass"],
        SECRET_URLS["status look-up by code"],
        SECRET_URLS["receipt stylesheet"],
    ):
        assert client.get(url).status_code == 500
    written = server_log.getvalue()
    assert written.count("Internal Server Error: /") == 6
    assert "Traceback" in written and "RuntimeError: failed on /rujukan/[redacted]/" in written
    assert_no_secret(written)


def test_the_code_logs_no_secret_through_its_own_loggers(server_log):
    logging.getLogger("reporting.tips").warning(
        "Referral %s refused for code %s", SECRET_URLS["agency link"], CODE
    )
    try:
        raise ValueError(f"bad pass {CHECKIN_PASS} for {SECRET_URLS['check-in pass']}")
    except ValueError:
        logging.getLogger("events").exception("Check-in failed")
    assert_no_secret(server_log.getvalue())


APP = """
def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path.startswith("/crash"):
        raise RuntimeError("crash on " + environ["PATH_INFO"] + "?" + environ["QUERY_STRING"])
    status = "500 Internal Server Error" if environ["QUERY_STRING"].endswith("fail=1") else "404 Not Found"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"no"]
"""


def test_gunicorn_with_the_projects_config_logs_no_secret(tmp_path):
    """A real gunicorn, started as the Procfile starts it (--config gunicorn.conf.py), with its access
    log on; a WSGI app answers 404, 500, or crashes on each secret address."""
    (tmp_path / "secret_app.py").write_text(APP)
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "secret_app:app",
            "--config",
            "gunicorn.conf.py",
            "--pythonpath",
            f"{tmp_path},{ROOT}",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access),
            "--error-logfile",
            str(errors),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, errors.read_text()
                time.sleep(0.2)
        statuses = []
        for url in SECRET_URLS.values():
            for suffix in ("", ("&" if "?" in url else "?") + "fail=1"):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}{url}{suffix}",
                    headers={"Referer": f"https://pimpasa.example.go.id{SECRET_URLS['agency link']}"},
                )
                try:
                    urllib.request.urlopen(request, timeout=10)
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)
        for url in (f"/crash/rujukan/{AGENCY_TOKEN}/", f"/crash?t={CHECKIN_PASS}"):
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=10)
        assert set(statuses) == {404, 500} and len(statuses) == 2 * len(SECRET_URLS)
        time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=20)
    access_log, error_log = access.read_text(), errors.read_text()
    assert access_log.count("\n") >= 2 * len(SECRET_URLS)
    assert '"GET /rujukan/[redacted]/ HTTP/1.1" 404' in access_log
    assert "/rujukan/[redacted]/" in error_log and "Error handling request" in error_log
    assert_no_secret(access_log)
    assert_no_secret(error_log)
