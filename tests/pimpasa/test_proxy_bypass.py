"""Requests that come past the reverse proxy while PIMPASA_PROXY_COUNT ≥ 1 (pimpasa.client): counted
by their own address, never by a header the client wrote, and reported by `check --deploy` and
/healthz."""

import io

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import Client, RequestFactory

from pimpasa.client import client_address, proxy_bypass_report
from pimpasa.ratelimit import Limit, is_limited
from tests.factories import DEFAULT_PASSWORD, UserFactory

LIMIT = Limit(scope="test-bypass", count=3, seconds=60)


def request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def deploy_warnings():
    return [message for message in run_checks(include_deployment_checks=True) if message.id == "pimpasa.W001"]


def test_a_direct_client_with_a_rotated_header_is_counted_by_its_own_address(settings):
    settings.PIMPASA_PROXY_COUNT = 1
    # gunicorn reached directly from the internet: the peer is the client, whatever it writes.
    answers = [is_limited(request("198.51.100.7", f"203.0.113.{n}"), LIMIT) for n in range(5)]
    assert answers == [False, False, False, True, True]
    assert client_address(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"
    # Through the proxy (a peer in PIMPASA_TRUSTED_PROXIES) the header is believed as before.
    assert client_address(request("127.0.0.1", "203.0.113.1")) == "203.0.113.1"
    settings.PIMPASA_TRUSTED_PROXIES = ["192.0.2.10/32"]
    assert client_address(request("127.0.0.1", "203.0.113.1")) == "127.0.0.1"
    assert client_address(request("192.0.2.10", "203.0.113.1")) == "203.0.113.1"


@pytest.mark.django_db
def test_rotated_headers_from_a_direct_client_do_not_escape_the_sign_in_lockout(site_setup, settings):
    settings.PIMPASA_PROXY_COUNT = 1
    UserFactory(username="petugas", role="Petugas PIMPASA")
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        client.post(
            "/admin/login/",
            {"username": "petugas", "password": "tebak"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(6)
    ]
    assert codes == [200, 200, 200, 200, 429, 429]
    # The officer behind the real proxy still signs in.
    office = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.30.40")
    assert (
        office.post("/admin/login/", {"username": "petugas", "password": DEFAULT_PASSWORD}).status_code == 302
    )


@pytest.mark.django_db
def test_requests_past_the_proxy_are_reported_by_the_deploy_check_and_healthz(settings):
    settings.PIMPASA_PROXY_COUNT = 1
    assert proxy_bypass_report() == {} and deploy_warnings() == []
    healthy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").get("/healthz")
    assert healthy.json()["proxy"] == {"status": "ok", "count": 1, "bypass": {}}

    Client(REMOTE_ADDR="127.0.0.1").get("/lapor/status/")  # the proxy forgot its header
    Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4").get("/")  # gunicorn reached directly
    report = proxy_bypass_report()
    assert set(report) == {"missing_header", "untrusted_peer"}
    assert all(entry["count"] == 1 and entry["last_seen"] for entry in report.values())

    body = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").get("/healthz")
    assert body.status_code == 200  # a deployment to fix, not a reason to stop serving
    assert body.json()["proxy"]["status"] == "bypassed"
    assert set(body.json()["proxy"]["bypass"]) == {"missing_header", "untrusted_peer"}
    assert "198.51.100.7" not in body.content.decode()

    [warning] = deploy_warnings()
    assert "without the proxy's X-Forwarded-For header" in warning.msg
    assert "outside PIMPASA_TRUSTED_PROXIES" in warning.msg
    # Not a deploy run, no warning; once fixed, the report can be cleared.
    assert not [m for m in run_checks() if m.id == "pimpasa.W001"]
    call_command("clear_proxy_bypass", stdout=io.StringIO())
    assert proxy_bypass_report() == {} and deploy_warnings() == []


@pytest.mark.django_db
def test_a_flood_past_the_proxy_costs_the_shared_cache_one_write_a_minute(settings):
    settings.PIMPASA_PROXY_COUNT = 1
    for n in range(20):
        client_address(request("198.51.100.7", f"203.0.113.{n}"))
    assert proxy_bypass_report()["untrusted_peer"]["count"] == 1


@pytest.mark.django_db
def test_without_a_proxy_nothing_is_reported(settings):
    settings.PIMPASA_PROXY_COUNT = 0
    Client(REMOTE_ADDR="198.51.100.7").get("/healthz")
    response = Client().get("/healthz")
    assert response.json()["proxy"] == {"status": "not used", "count": 0}
    assert deploy_warnings() == []
