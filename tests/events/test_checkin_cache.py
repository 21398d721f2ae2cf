"""The check-in's caches: the session in two tiers, and one thank-you page per session and language."""

import re

import pytest
from django.core.cache import cache, caches

from events.services import checkin_cache, tokens
from tests.events.test_checkin_views import ANSWERS, open_form, submit
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def without_visitor_slots(response):
    return re.sub(r'(name="(?:pass|csrfmiddlewaretoken)" value=)"[^"]+"', r"\1", response.content.decode())


def test_the_thank_you_page_is_rendered_once_and_names_no_one(client):
    session = SessionFactory()
    first = submit(client, session, open_form(client, session))
    second = submit(client, session, open_form(client, session), name="Budi Santoso", phone="0813 1111 2222")
    assert first.status_code == second.status_code == 200
    assert first.templates[0].name == "events/checkin_done.html"
    assert second.templates == []  # served as rendered for the first attendee
    # The same page, but for the next-person button's pass and CSRF token, each visitor's own.
    assert without_visitor_slots(first) == without_visitor_slots(second)
    assert re.findall(r'name="pass" value="([^"]+)"', first.content.decode()) != re.findall(
        r'name="pass" value="([^"]+)"', second.content.decode()
    )
    body = second.content.decode()
    assert "Terima kasih, kehadiran Anda sudah tercatat" in body
    assert ANSWERS["name"] not in body and "Budi" not in body


def test_each_language_has_its_own_thank_you_page(client):
    session = SessionFactory()
    indonesian = submit(client, session, open_form(client, session))
    token = tokens.poster_token(session)
    english_form = client.get(f"/en/sesi/{session.pk}/hadir/?t={token}").content.decode()
    form_pass = re.search(r'name="pass" value="([^"]+)"', english_form).group(1)
    english = client.post(
        f"/en/sesi/{session.pk}/hadir/", {**ANSWERS, "phone": "0813 1111 2222", "pass": form_pass}
    )
    assert "Terima kasih" in indonesian.content.decode()
    assert "Thank you, you are checked in" in english.content.decode()
    assert 'lang="en"' in english.content.decode()


def test_an_edited_session_gets_a_new_thank_you_page_at_once(client):
    session = SessionFactory(title="Ngopi Pimpasa RW 17")
    assert "Ngopi Pimpasa RW 17" in submit(client, session, open_form(client, session)).content.decode()
    session.title = "Ngopi Pimpasa RW 19"
    session.save()
    response = submit(client, session, open_form(client, session), phone="0813 1111 2222")
    assert "Ngopi Pimpasa RW 19" in response.content.decode()


def test_the_process_copy_saves_the_shared_cache_round_trip(monkeypatch):
    session = SessionFactory()
    assert checkin_cache.session_for_checkin(session.pk).pk == session.pk
    shared_reads = []
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: shared_reads.append(args))
    assert checkin_cache.session_for_checkin(session.pk).pk == session.pk
    assert shared_reads == []


def test_a_change_drops_both_tiers_in_this_process():
    session = SessionFactory()
    checkin_cache.session_for_checkin(session.pk)
    session.venue = "Balai RW 19"
    session.save()
    key = checkin_cache.cache_key(session.pk)
    assert cache.get(key) is None and caches["local"].get(key) is None
    assert checkin_cache.session_for_checkin(session.pk).venue == "Balai RW 19"


def test_an_unknown_session_is_not_cached():
    assert checkin_cache.session_for_checkin(987654) is None
    assert caches["local"].get(checkin_cache.cache_key(987654)) is None
