"""The run page on the day: live like the projector, walk-ins above the list, finishing asked first,
closing check-in at once, undoable, and offering the session's export."""

import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from events.models import Attendance, Session
from events.services import checkin, errors, tokens
from tests.factories import AreaFactory, AttendanceFactory, SessionFactory

pytestmark = pytest.mark.django_db

WALK_IN = {
    "walkin-name": "Nenek Sumi",
    "walkin-gender": "f",
    "walkin-age_group": "gt60",
    "walkin-rw": "17",
    "walkin-consent": "on",
}


@pytest.fixture
def session(officer):
    return SessionFactory(area=AreaFactory(officers=[officer]), status=Session.Status.ONGOING)


def run_url(session):
    return reverse("events_session:run", args=[session.pk])


def status_url(session, step):
    return reverse("events_session:status", args=[session.pk, step])


def checkin_page(client, session, token):
    return client.get(f"/sesi/{session.pk}/hadir/?t={token}")


def test_finishing_asks_first_then_closes_check_in_at_once(client, officer, session, assert_page):
    token = tokens.poster_token(session)
    client.force_login(officer)
    assert checkin_page(client, session, token).status_code == 200

    run = client.get(run_url(session)).content.decode()
    assert f'href="{status_url(session, "finish")}"' in run  # a link to the question, not a POST
    question = client.get(status_url(session, "finish"))
    assert question.status_code == 200
    assert "Selesaikan sesi ini?" in question.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.ONGOING  # asking changed nothing

    response = client.post(status_url(session, "finish"))
    assert response.status_code == 302 and response.url == run_url(session)
    session.refresh_from_db()
    assert session.status == Session.Status.FINISHED
    # The poster's QR, valid for the whole window, is refused now (the cached session was dropped).
    assert checkin_page(client, session, token).status_code == 410
    page = assert_page(client.get(run_url(session)), "Sesi sudah selesai: presensi ditutup.")
    assert "Presensi dibuka" not in page


def test_the_one_window_rule_closes_check_in_for_finished_and_cancelled_sessions(session):
    assert checkin.window_state(session) == "open"
    for status, reason in (
        (Session.Status.FINISHED, "window_closed"),
        (Session.Status.CANCELLED, "cancelled"),
    ):
        session.status = status
        assert checkin.window_state(session) == "window_closed"
        with pytest.raises(errors.CheckinError) as refusal:
            checkin.check_session_accepts(session)
        assert refusal.value.code == reason
    # Officers still add walk-ins to a finished session (a late sign-in sheet).
    session.status = Session.Status.FINISHED
    checkin.check_session_accepts(session, source=Attendance.Source.OFFICER)


def test_an_officer_undoes_finishing_and_check_in_reopens(client, officer, session):
    token = tokens.poster_token(session)
    client.force_login(officer)
    client.post(status_url(session, "finish"))
    assert "Buka kembali sesi" in client.get(run_url(session)).content.decode()

    response = client.post(status_url(session, "reopen"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.ONGOING
    assert checkin_page(client, session, token).status_code == 200
    assert ModelLogEntry.objects.filter(action="events.session_reopen", user_id=officer.pk).count() == 1
    assert "Presensi dibuka sampai" in client.get(run_url(session)).content.decode()


def test_reopening_a_session_that_is_not_finished_is_refused_with_a_message(client, officer, session):
    client.force_login(officer)
    response = client.post(status_url(session, "reopen"), follow=True)
    assert (
        "Sesi berstatus “Berlangsung” tidak dapat diubah menjadi “Berlangsung”." in response.content.decode()
    )
    session.refresh_from_db()
    assert session.status == Session.Status.ONGOING


def test_cancelling_asks_first(client, officer):
    session = SessionFactory(area=AreaFactory(officers=[officer]), status=Session.Status.SCHEDULED)
    client.force_login(officer)
    question = client.get(status_url(session, "cancel")).content.decode()
    assert "Batalkan sesi ini?" in question
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    client.post(status_url(session, "cancel"))
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_a_finished_session_offers_its_export_with_the_session_chosen(client, officer, session, assert_page):
    AttendanceFactory(session=session)
    client.force_login(officer)
    assert "Ekspor sesi ini" not in assert_page(client.get(run_url(session)), session.title)
    client.post(status_url(session, "finish"))
    page = assert_page(client.get(run_url(session)), "Ekspor sesi ini")
    export_url = f"{reverse('reporting_exports:new')}?export=attendance&amp;session={session.pk}"
    assert f'href="{export_url}"' in page
    form = client.get(export_url.replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{session.pk}" selected>', form)


def test_the_walk_in_form_is_above_the_list_and_adding_comes_back_to_it(client, officer, session):
    AttendanceFactory(session=session, name="Pak Darto")
    client.force_login(officer)
    page = client.get(run_url(session)).content.decode()
    assert page.index('id="walk-in"') < page.index('id="newest-attendees"') < page.index("Pak Darto")

    response = client.post(reverse("events_session:walk_in", args=[session.pk]), WALK_IN)
    assert response.status_code == 302
    assert response.url == run_url(session) + "#walk-in"
    newest = client.get(run_url(session)).content.decode()
    assert newest.index("Nenek Sumi") < newest.index("Pak Darto")  # the newest first


def test_the_live_part_updates_itself_with_a_script_and_refreshes_without_one(client, officer, session):
    client.force_login(officer)
    page = client.get(run_url(session)).content.decode()
    live_url = reverse("events_session:run_live", args=[session.pk])
    assert f'data-live-url="{live_url}"' in page
    assert '<script src="/static/js/run-live.js" defer></script>' in page
    assert f'<a href="{run_url(session)}">Muat ulang</a>' in page  # the refresh without JavaScript
    assert "<script>" not in page.split("run-live.js")[0].split("<main")[-1]  # no inline script of ours

    AttendanceFactory(session=session, name="Bu Ratna")
    live = client.get(live_url)
    assert live.status_code == 200
    assert "no-cache" in live["Cache-Control"]
    body = live.content.decode()
    assert '<span class="run-summary__number" aria-live="polite">1</span>' in body
    assert "Bu Ratna" in body
    assert 'data-live-part="summary"' in body and 'data-live-part="newest"' in body


def test_the_live_part_costs_the_same_queries_for_5_or_50_attendees(
    client, officer, session, django_assert_max_num_queries
):
    live_url = reverse("events_session:run_live", args=[session.pk])
    client.force_login(officer)
    AttendanceFactory.create_batch(5, session=session)
    client.get(live_url)
    with django_assert_max_num_queries(10) as few:
        client.get(live_url)
    AttendanceFactory.create_batch(45, session=session)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(live_url).content.decode()
    assert body.count('class="run-person"') == 10  # the newest ten; the full list is on the page


def test_officers_of_other_areas_get_no_live_part(client, session, site_setup):
    from tests.factories import UserFactory

    stranger = UserFactory(role="Petugas PIMPASA")
    AreaFactory(officers=[stranger])
    client.force_login(stranger)
    response = client.get(reverse("events_session:run_live", args=[session.pk]))
    # Another officer's session answers as if it did not exist.
    assert response.status_code == 404
