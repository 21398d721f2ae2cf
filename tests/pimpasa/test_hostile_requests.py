"""Slow, large and odd requests: capped bodies (413, both languages), 405s, odd digits, honest errors."""

import pytest
from django.db import OperationalError
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from events.models import Attendance
from events.views import CHECKIN_BODY_LIMIT
from reporting.tips.models import Tip
from reporting.tips.views import TIP_BODY_LIMIT
from tests.events.test_checkin_views import ANSWERS, open_form
from tests.factories import SessionFactory
from tests.tips.test_public_pages import DESCRIPTION

pytestmark = pytest.mark.django_db


def assert_bilingual_413(response):
    assert response.status_code == 413
    html = response.content.decode()
    assert "Kiriman Anda terlalu besar" in html and "What you sent is too large" in html
    assert "Tidak ada yang tercatat." in html and "Nothing was recorded." in html


def test_a_check_in_body_over_its_cap_is_refused_unread_with_a_413_in_both_languages(site_setup):
    session = SessionFactory()
    client = Client()
    form_pass = open_form(client, session)
    padding = "x" * (CHECKIN_BODY_LIMIT + 1)
    response = client.post(f"/sesi/{session.pk}/hadir/", {**ANSWERS, "pass": form_pass, "address": padding})
    assert_bilingual_413(response)
    assert Attendance.objects.count() == 0


def test_a_tip_body_over_its_cap_is_refused_before_it_is_read(site_setup):
    # The declared length alone decides: nothing of the body is read or stored.
    response = Client().post(
        "/lapor/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(TIP_BODY_LIMIT + 1),
    )
    assert_bilingual_413(response)
    assert Tip.objects.count() == 0


def test_a_body_over_djangos_own_limit_anywhere_is_a_413_not_a_400(site_setup, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = Client().post("/lapor/status/", {"code": "x" * 4000})
    assert_bilingual_413(response)


@pytest.mark.parametrize(
    "method, path",
    [
        ("put", "/sesi/{pk}/hadir/"),
        ("delete", "/sesi/{pk}/hadir/"),
        ("post", "/sesi/"),
        ("post", "/sesi/{pk}/kalender.ics"),
        ("put", "/lapor/"),
        ("put", "/lapor/tanda-terima/"),
        ("delete", "/lapor/status/"),
    ],
)
def test_unexpected_methods_get_405(site_setup, method, path):
    session = SessionFactory()
    response = getattr(Client(), method)(path.format(pk=session.pk))
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("raw", ["²", "١٢", "3²", "-1", "0", "99999999999999999999999", "1e3", " ", "%00"])
def test_odd_session_numbers_in_the_tip_link_never_fail(site_setup, raw):
    response = Client().get("/lapor/", {"session": raw})
    assert response.status_code == 200
    assert "<form" in response.content.decode()


# --- the error page tells the truth ---------------------------------------------------------------


@pytest.fixture
def failing_checkin(monkeypatch):
    """perform_checkin raising what a failing part raises; the view and the error page are real."""

    def install(error):
        def fail(*args, **kwargs):
            raise error

        monkeypatch.setattr("events.services.checkin.perform_checkin", fail)

    return install


def test_a_check_in_that_fails_says_it_was_not_recorded(site_setup, failing_checkin):
    failing_checkin(RuntimeError("bug"))
    session = SessionFactory()
    client = Client(raise_request_exception=False)
    response = client.post(f"/sesi/{session.pk}/hadir/", {**ANSWERS, "pass": open_form(client, session)})
    assert response.status_code == 500
    html = response.content.decode()
    assert "Kehadiran Anda tidak tercatat." in html
    assert "Nothing you already sent has been lost" not in html


@pytest.mark.parametrize("error", [OperationalError("connection refused"), RedisConnectionError("refused")])
def test_a_check_in_while_the_database_or_redis_is_down_is_a_503_with_retry_after(
    site_setup, failing_checkin, error
):
    failing_checkin(error)
    session = SessionFactory()
    client = Client(raise_request_exception=False)
    response = client.post(f"/sesi/{session.pk}/hadir/", {**ANSWERS, "pass": open_form(client, session)})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sementara tidak tersedia" in html
    assert "Kehadiran Anda tidak tercatat." in html


def test_a_tip_that_fails_says_it_was_not_recorded_in_english_too(site_setup, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("reporting.tips.services.tips.submit_tip", fail)
    client = Client(raise_request_exception=False)
    response = client.post("/en/lapor/", {"category": "tppo", "description": DESCRIPTION})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Your report was not recorded." in html and '<html lang="en">' in html
    assert Tip.objects.count() == 0


# --- characters nothing can store are taken out as the forms read them ---------------------------


def test_a_check_in_with_characters_xml_forbids_is_recorded_clean(site_setup):
    session = SessionFactory()
    client = Client()
    answers = {**ANSWERS, "name": "Siti\ufffe Aminah\x07", "address": "Gang\uffff Mawar\x0b"}
    response = client.post(f"/sesi/{session.pk}/hadir/", {**answers, "pass": open_form(client, session)})
    assert response.status_code == 200
    attendance = Attendance.objects.get()
    assert (attendance.name, attendance.address) == ("Siti Aminah", "Gang Mawar")


def test_a_tip_with_characters_xml_forbids_is_recorded_clean(site_setup):
    response = Client().post("/lapor/", {"category": "tppo", "description": DESCRIPTION + "\ufffe\x01"})
    assert response.status_code == 200 and b"<code>" in response.content  # the receipt
    assert Tip.objects.get().description == DESCRIPTION
