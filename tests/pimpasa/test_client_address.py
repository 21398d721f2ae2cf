"""The client's address behind trusted proxies (PIMPASA_PROXY_COUNT): forged X-Forwarded-For entries
never pick the client, so no rate limit can be dodged by writing a new header each time."""

import pytest
from django.test import RequestFactory

from pimpasa.client import client_address
from pimpasa.ratelimit import Limit, client_key, is_limited
from tests.pimpasa.test_settings_selection import run_python

# Counts up to a limit stay in one window (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("fresh_limit_windows")

LIMIT = Limit(scope="test-proxy", count=3, seconds=60)


def request(remote="10.0.0.9", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_proxies_the_header_is_ignored(settings):
    settings.PIMPASA_PROXY_COUNT = 0
    assert client_address(request(forwarded="1.2.3.4")) == "10.0.0.9"
    assert client_key(request(forwarded="1.2.3.4")) == client_key(request(forwarded="5.6.7.8"))


@pytest.mark.parametrize(
    "count, forwarded, expected",
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The client wrote the leftmost entries; our one proxy appended the real address.
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4,9.9.9.9 ,  203.0.113.7", "203.0.113.7"),
        # Two proxies: the outer one appended the client, the inner one the outer proxy.
        (2, "1.2.3.4, 203.0.113.7, 192.0.2.10", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_n_entries_from_the_right(settings, count, forwarded, expected):
    settings.PIMPASA_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    "count, forwarded",
    [
        (1, None),  # the proxy sent no header: REMOTE_ADDR is the best we know
        (1, ""),
        (2, "203.0.113.7"),  # fewer entries than proxies: one of them did not append
        (1, "1.2.3.4, not-an-address"),
        (1, "1.2.3.4, 203.0.113.7:443"),
        (1, ", ,"),
    ],
)
def test_a_short_or_garbled_header_falls_back_to_the_nearest_proxy(settings, count, forwarded):
    settings.PIMPASA_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == "10.0.0.9"


def test_forged_leftmost_entries_do_not_dodge_a_rate_limit(settings):
    settings.PIMPASA_PROXY_COUNT = 1
    answers = [is_limited(request(forwarded=f"198.51.100.{n}, 203.0.113.7"), LIMIT) for n in range(1, 6)]
    assert answers == [False, False, False, True, True]
    # Another real client behind the same proxy has its own count.
    assert not is_limited(request(forwarded="198.51.100.1, 203.0.113.8"), LIMIT)


def test_forged_headers_do_not_dodge_the_code_lookup_limit_over_http(client, site_setup, settings):
    # A fresh browser each time (its own server-issued device id, pimpasa.devices): only the
    # per-address ceiling stands, and a forged leftmost entry must not reset it.
    from reporting.tips.views import LOOKUP_LIMIT_PER_ADDRESS

    settings.PIMPASA_PROXY_COUNT = 1
    for n in range(LOOKUP_LIMIT_PER_ADDRESS.count):
        client.cookies.clear()
        client.get("/lapor/status/", HTTP_X_FORWARDED_FOR=f"10.1.{n // 250}.{n % 250}, 203.0.113.7")
        response = client.post(
            "/lapor/status/",
            {"code": "AAAA-BBBB-CCCC-DDDD"},
            HTTP_X_FORWARDED_FOR=f"10.1.{n // 250}.{n % 250}, 203.0.113.7",
        )
        assert response.status_code == 200
    client.cookies.clear()
    client.get("/lapor/status/", HTTP_X_FORWARDED_FOR="10.1.1.99, 203.0.113.7")
    response = client.post(
        "/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"}, HTTP_X_FORWARDED_FOR="10.1.1.99, 203.0.113.7"
    )
    assert response.status_code == 429
    assert "Anda sudah mencoba banyak kode" in response.content.decode()
    assert response["Retry-After"] == str(LOOKUP_LIMIT_PER_ADDRESS.seconds)


SHOW_COUNT = (
    "import django; django.setup(); from django.conf import settings as s; print(s.PIMPASA_PROXY_COUNT)"
)


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "0"),
        ({"PIMPASA_PROXY_COUNT": "2"}, "2"),
        ({"PIMPASA_TRUST_X_FORWARDED_FOR": "1"}, "1"),  # the old boolean means one proxy
        ({"PIMPASA_TRUST_X_FORWARDED_FOR": "1", "PIMPASA_PROXY_COUNT": "2"}, "2"),
    ],
)
def test_the_setting_from_the_environment(env, expected):
    result = run_python(SHOW_COUNT, DJANGO_SETTINGS_MODULE="pimpasa.settings.dev", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_negative_proxy_count_is_refused_at_start():
    result = run_python(SHOW_COUNT, DJANGO_SETTINGS_MODULE="pimpasa.settings.dev", PIMPASA_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "PIMPASA_PROXY_COUNT must be 0 or more" in result.stderr
