import pytest
from django.test import RequestFactory

from pimpasa.ratelimit import Limit, client_key, is_limited, too_many_requests

LIMIT = Limit(scope="test", count=3, seconds=60)


def request_from(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_allows_up_to_the_count_then_refuses():
    request = request_from("10.0.0.1")
    assert [is_limited(request, LIMIT) for _ in range(5)] == [False, False, False, True, True]


def test_clients_are_counted_apart():
    for _ in range(3):
        is_limited(request_from("10.0.0.1"), LIMIT)
    assert is_limited(request_from("10.0.0.1"), LIMIT)
    assert not is_limited(request_from("10.0.0.2"), LIMIT)


def test_client_key_is_a_hash_not_the_address():
    key = client_key(request_from("192.168.1.20"))
    assert "192.168" not in key and len(key) == 32


def test_forwarded_address_only_when_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9")
    settings.PIMPASA_TRUST_X_FORWARDED_FOR = False
    untrusted = client_key(request)
    settings.PIMPASA_TRUST_X_FORWARDED_FOR = True
    assert client_key(request) != untrusted
    assert client_key(request) == client_key(request_from("1.2.3.4"))


@pytest.mark.parametrize(
    "language, phrase", [("id", "Terlalu banyak permintaan"), ("en", "Too many requests")]
)
def test_429_page_in_the_users_language(db, language, phrase):
    from django.utils import translation

    with translation.override(language):
        request = request_from("10.0.0.1")
        request.LANGUAGE_CODE = language
        response = too_many_requests(request, LIMIT)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert phrase in response.content.decode()
