"""The attendee's pages over HTTP: form, statuses, nonce, rate limit, weight, queries; .ics and list."""

import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone

from cms.privacy import current_notice
from events.models import Attendance, CheckinRefusal, Session
from events.services import sessions, tokens
from tests.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

ANSWERS = {
    "name": "Siti Aminah",
    "phone": "0812 3456 7890",
    "gender": "f",
    "age_group": "26-35",
    "rw": "17",
    "consent": "on",
}


def local_path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def open_form(client, session, token=None):
    token = token or tokens.poster_token(session)
    response = client.get(f"/sesi/{session.pk}/hadir/?t={token}")
    assert response.status_code == 200, response.content
    return re.search(r'name="pass" value="([^"]+)"', response.content.decode()).group(1)


def submit(client, session, form_pass, **changes):
    return client.post(f"/sesi/{session.pk}/hadir/", {**ANSWERS, "pass": form_pass, **changes})


def test_check_in_from_the_poster_qr_in_indonesian(client):
    session = SessionFactory()
    form_pass = open_form(client, session)
    response = submit(client, session, form_pass)
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    attendance = Attendance.objects.get()
    assert attendance.phone == "+6281234567890" and attendance.consent_at


def test_the_form_links_to_the_configured_privacy_notice(client, settings):
    settings.PIMPASA_PRIVACY_URL = "/privasi-data/"
    session = SessionFactory()
    response = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    assert 'href="/privasi-data/"' in response.content.decode()


def test_page_is_light_without_javascript(client, assert_page):
    session = SessionFactory()
    response = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    assert_page(response, session.title, 'name="consent"')
    html = response.content
    css = (Path(settings.BASE_DIR) / "static/css/pimpasa.css").read_bytes()
    assert b"<script" not in html
    assert len(html) + len(css) < 30 * 1024


def test_double_tap_gets_the_first_answer_again(client):
    session = SessionFactory()
    form_pass = open_form(client, session)
    first = submit(client, session, form_pass)
    second = submit(client, session, form_pass)
    assert first.status_code == second.status_code == 200
    assert "Terima kasih" in second.content.decode()
    assert Attendance.objects.count() == 1


def test_same_person_from_a_new_form_is_told_already_checked_in(client):
    session = SessionFactory()
    submit(client, session, open_form(client, session))
    response = submit(client, session, open_form(client, session), name="Siti  Aminah.")
    assert response.status_code == 409
    assert "sudah" in response.content.decode().lower()
    assert Attendance.objects.count() == 1


def test_invalid_answers_come_back_with_messages_and_nothing_lost(client):
    session = SessionFactory()
    form_pass = open_form(client, session)
    response = submit(client, session, form_pass, phone="12", consent="", rw="")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Siti Aminah"' in body and 'value="12"' in body
    assert "0812 3456 7890" in body  # the phone example in the message
    assert not Attendance.objects.exists()
    # The same pass still works once corrected.
    assert submit(client, session, form_pass).status_code == 200


@pytest.mark.parametrize(
    "make_session, token, status, reason",
    [
        (lambda: SessionFactory(), "forged:token", 403, "bad_token"),
        (
            lambda: SessionFactory(starts_at=timezone.now() + timedelta(days=1)),
            None,
            403,
            "not_open_yet",
        ),
        (
            lambda: SessionFactory(
                starts_at=timezone.now() - timedelta(hours=5), ends_at=timezone.now() - timedelta(hours=3)
            ),
            None,
            410,
            "window_closed",
        ),
        (lambda: SessionFactory(status=Session.Status.CANCELLED), None, 410, "cancelled"),
    ],
)
def test_refusal_pages_have_the_right_status_and_are_counted(client, make_session, token, status, reason):
    session = make_session()
    token = token or tokens.poster_token(session)
    response = client.get(f"/sesi/{session.pk}/hadir/?t={token}")
    assert response.status_code == status
    assert response.context["error"].code == reason
    assert str(response.context["error"].message) in response.content.decode()
    assert CheckinRefusal.objects.get(session=session).reason == reason


def test_expired_rotating_token_is_410(client):
    session = SessionFactory()
    old = tokens.rotating_token(session, now=timezone.now() - timedelta(minutes=2))
    response = client.get(f"/sesi/{session.pk}/hadir/?t={old}")
    assert response.status_code == 410
    assert response.context["error"].code == "expired_token"
    assert str(response.context["error"].message) in response.content.decode()
    assert CheckinRefusal.objects.get(session=session).reason == "expired_token"


def test_forged_form_pass_is_403(client, assert_page):
    session = SessionFactory()
    response = submit(client, session, "made-up")
    assert_page(response, 'role="alert"', status=403)
    assert not Attendance.objects.exists()


def test_capacity_full_is_409_with_a_pointer_to_the_officer(client):
    session = SessionFactory(capacity=1)
    submit(client, session, open_form(client, session))
    response = submit(client, session, open_form(client, session), phone="0813 0000 0000")
    assert response.status_code == 409
    assert response.context["error"].code == "capacity_full"


def test_an_unknown_session_answers_as_a_forged_qr_does(client):
    session = SessionFactory()
    unknown = client.get("/sesi/999999/hadir/?t=x")
    forged = client.get(f"/sesi/{session.pk}/hadir/?t=x")
    assert unknown.status_code == forged.status_code == 403
    # The same page, but for the language switch's link back to the address visited.
    assert unknown.content.decode().replace("/999999/", "/N/") == forged.content.decode().replace(
        f"/{session.pk}/", "/N/"
    )


def test_two_neighbours_on_one_phone_are_two_rows_from_one_opened_form(client):
    session = SessionFactory()
    form_pass = open_form(client, session)
    first = submit(client, session, form_pass)
    # Back, the same form with another person's details: a second person, not a double tap.
    second = submit(client, session, form_pass, name="Budi Santoso", phone="0813 1111 2222", gender="m")
    assert first.status_code == second.status_code == 200
    assert "Terima kasih" in second.content.decode()
    assert sorted(Attendance.objects.values_list("name", flat=True)) == ["Budi Santoso", "Siti Aminah"]


def test_the_same_form_with_the_same_phone_records_another_family_member_but_not_the_same_person(client):
    session = SessionFactory()
    form_pass = open_form(client, session)
    submit(client, session, form_pass)
    assert submit(client, session, form_pass, name="Dewi Lestari").status_code == 200
    response = submit(client, session, form_pass, name="SITI AMINAH")
    assert response.status_code == 409
    assert response.context["error"].code == "already_checked_in"
    assert sorted(Attendance.objects.values_list("name", flat=True)) == ["Dewi Lestari", "Siti Aminah"]


def test_300_phones_behind_one_address_check_in_within_two_minutes(client):
    session = SessionFactory()
    statuses = set()
    for number in range(300):
        form_pass = open_form(client, session)
        response = submit(client, session, form_pass, name=f"Warga {number}", phone=f"0812 7000 {number:04d}")
        statuses.add(response.status_code)
    assert statuses == {200}
    assert Attendance.objects.filter(session=session).count() == 300


def test_a_flood_from_one_opened_form_is_stopped(client, settings):
    settings.PIMPASA_CHECKIN_LIMIT_PER_FORM = (3, 1200)
    session = SessionFactory()
    form_pass = open_form(client, session)
    statuses = [
        submit(client, session, form_pass, phone=f"0812 7000 {number:04d}").status_code for number in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert Attendance.objects.count() == 3
    # Another phone's freshly opened form behind the same address is not held back.
    assert submit(client, session, open_form(client, session), phone="0813 5555 0000").status_code == 200


def test_one_phone_number_tried_again_and_again_is_stopped(client, settings):
    settings.PIMPASA_CHECKIN_LIMIT_PER_PHONE = (3, 600)
    session = SessionFactory()
    statuses = [submit(client, session, open_form(client, session)).status_code for _ in range(5)]
    assert statuses == [200, 409, 409, 429, 429]


def test_the_address_ceiling_still_stops_a_flood_of_fresh_forms(client, settings):
    settings.PIMPASA_CHECKIN_LIMIT_PER_ADDRESS = (4, 600)
    session = SessionFactory()
    statuses = [
        submit(client, session, open_form(client, session), phone=f"0812 7000 {number:04d}").status_code
        for number in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    response = submit(client, session, open_form(client, session), phone="0812 7000 9999")
    assert response["Retry-After"] == "600"
    assert "Terlalu banyak permintaan" in response.content.decode()


def test_the_default_address_ceiling_is_sized_for_a_village():
    count, seconds = settings.PIMPASA_CHECKIN_LIMIT_PER_ADDRESS
    assert count >= 300 and seconds <= 600


def test_english_version_of_the_form(client):
    session = SessionFactory()
    response = client.get(f"/en/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    assert response.status_code == 200
    assert "Check in" in response.content.decode()


def test_query_counts_of_the_check_in_pages(client, django_assert_max_num_queries, django_assert_num_queries):
    session = SessionFactory()
    token = tokens.poster_token(session)
    # The site's menu and footer (cms) are cached fragments shared by every page: on a running site
    # another page has warmed them already, and the privacy notice's version (cached until a publish).
    client.get("/cari/")
    current_notice()
    # The first attendee loads the session and its topics; the cache then serves everyone else.
    with django_assert_max_num_queries(2):
        client.get(f"/sesi/{session.pk}/hadir/?t={token}")
    with django_assert_num_queries(0):
        response = client.get(f"/sesi/{session.pk}/hadir/?t={token}")
    form_pass = re.search(r'name="pass" value="([^"]+)"', response.content.decode()).group(1)
    # The submission: the phone's earlier rows (is this the same person?) and the INSERT, in a
    # savepoint under the test's transaction; on PostgreSQL the per-phone lock is one query more.
    with django_assert_max_num_queries(5):
        assert submit(client, session, form_pass).status_code == 200


def test_a_cancelled_session_is_refused_at_once_despite_the_cache(client):
    session = SessionFactory()
    token = tokens.poster_token(session)
    assert client.get(f"/sesi/{session.pk}/hadir/?t={token}").status_code == 200
    sessions.cancel_session(session, user=None)
    response = client.get(f"/sesi/{session.pk}/hadir/?t={token}")
    assert response.status_code == 410
    assert "Sesi ini dibatalkan." in response.content.decode()
    assert 'name="pass"' not in response.content.decode()  # no form to fill in


def test_new_topics_show_on_the_thank_you_page_at_once(client):
    from wagtail.models import Locale

    from cms.models import Topic

    session = SessionFactory()
    open_form(client, session)  # caches the session without topics
    session.topics.add(
        Topic.objects.create(name="Visa kunjungan bukan visa kerja", slug="visa", locale=Locale.get_default())
    )
    assert (
        "Visa kunjungan bukan visa kerja"
        in submit(client, session, open_form(client, session)).content.decode()
    )


def test_thank_you_page_lists_topics_and_links_to_tips_only_when_that_form_exists(client, assert_page):
    from wagtail.models import Locale

    from cms.models import Topic

    session = SessionFactory()
    topic = Topic.objects.create(name="Modus TPPO", slug="tppo", locale=Locale.get_default())
    session.topics.add(topic)
    body = assert_page(submit(client, session, open_form(client, session)), "Modus TPPO")
    try:
        from django.urls import reverse

        report_url = reverse("tips:report")
    except Exception:
        report_url = None
    if report_url:
        assert f"{report_url}?session={session.pk}" in body
    else:
        assert "?session=" not in body


def test_upcoming_list_and_ics(client, assert_page):
    # 09:00 WIB is 02:00 UTC: stored and exported in UTC.
    starts = datetime(2030, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    session = SessionFactory(title="Ngopi di Balai RW 17", starts_at=starts)
    hidden = SessionFactory(title="Rapat TIMPORA", is_public=False)
    body = assert_page(client.get("/sesi/"), "Ngopi di Balai RW 17")
    assert "Rapat TIMPORA" not in body
    response = client.get(f"/sesi/{session.pk}/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and "SUMMARY:Ngopi di Balai RW 17" in text
    assert "DTSTART:20300105T020000Z" in text and "DTEND:20300105T040000Z" in text
    assert "\r\n" in text
    assert client.get(f"/sesi/{hidden.pk}/kalender.ics").status_code == 404


# What the form and its refusals say (point 5 of issue 13) --------------------------------------------


def test_the_where_group_carries_its_message_and_the_first_field_to_fix_is_focused(client, assert_page):
    session = SessionFactory()
    response = submit(client, session, open_form(client, session), rw="")
    soup = BeautifulSoup(assert_page(response, status=400), "html.parser")
    group = soup.find("fieldset", class_="checkin__where")
    assert "field-error" in group["class"]
    assert group.find(id="where-error").text.strip()
    # The three fields of the group are not marked optional on their own: the group says "one of these".
    assert "(opsional)" not in group.text
    rw = soup.find("input", attrs={"name": "rw"})
    assert (
        rw.has_attr("autofocus") and rw["aria-invalid"] == "true" and rw["aria-describedby"] == "where-error"
    )
    assert len(soup.select("[autofocus]")) == 1


def test_a_wrong_phone_is_highlighted_and_focused_with_its_message(client):
    session = SessionFactory()
    response = submit(client, session, open_form(client, session), phone="021 2924 4800")
    soup = BeautifulSoup(response.content, "html.parser")
    phone = soup.find("input", attrs={"name": "phone"})
    assert phone.has_attr("autofocus") and phone["aria-invalid"] == "true"
    assert "id_phone_error" in phone["aria-describedby"]
    assert "telepon rumah/kantor" in soup.find(id="id_phone_error").text
    assert phone.find_parent(class_="form-field")["class"] == ["form-field", "field-error"]


@pytest.mark.parametrize(
    "make_session, next_step",
    [
        (lambda: SessionFactory(starts_at=timezone.now() + timedelta(days=1)), "Presensi dibuka pukul"),
        (
            lambda: SessionFactory(
                starts_at=timezone.now() - timedelta(hours=5), ends_at=timezone.now() - timedelta(hours=3)
            ),
            "minta bantuan petugas",
        ),
        (lambda: SessionFactory(status=Session.Status.CANCELLED), "Lihat sesi yang akan datang"),
    ],
)
def test_every_refusal_page_gives_the_next_step_and_the_tip_form(client, make_session, next_step):
    session = make_session()
    response = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    soup = BeautifulSoup(response.content, "html.parser")
    steps = soup.find("ul", class_="next-steps")
    assert next_step in steps.text
    assert steps.find("a", href="/lapor/") is not None


def test_a_full_session_sends_the_resident_to_the_officer(client):
    session = SessionFactory(capacity=1)
    submit(client, session, open_form(client, session))
    response = submit(client, session, open_form(client, session), phone="0813 0000 0000")
    assert response.status_code == 409
    assert (
        "minta bantuan petugas"
        in BeautifulSoup(response.content, "html.parser").find(class_="next-steps").text
    )


def test_the_thank_you_page_links_each_topic_to_its_material(client, site_setup):
    from wagtail.models import Locale

    from cms.models import Topic
    from tests.factories import MaterialIndexPageFactory

    MaterialIndexPageFactory(parent=site_setup["home"], slug="materi")
    session = SessionFactory()
    session.topics.add(Topic.objects.create(name="Modus TPPO", slug="tppo", locale=Locale.get_default()))
    soup = BeautifulSoup(submit(client, session, open_form(client, session)).content, "html.parser")
    link = soup.find("a", string="Modus TPPO") or soup.find("strong", string="Modus TPPO").parent
    assert link["href"] == "/materi/?topic=tppo"
