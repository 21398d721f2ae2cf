"""A family checks in on one phone: nothing of one person reaches the next (issue 21, point 1).

The browser side (Back, a new tab, autofill) is in tests/browser/test_shared_phone_journey.py; here the
server's part of it over HTTP.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from events.models import Attendance
from events.services import sessions, tokens
from tests.events.test_checkin_views import open_form, submit
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def another_button(response):
    """The thank-you page's "Presensi untuk orang lain" form, as the browser would send it."""
    form = BeautifulSoup(response.content, "html.parser").find("form", class_="checkin__another")
    button = form.find("button")
    assert button.get_text(strip=True) == "Presensi untuk orang lain"
    fields = {field["name"]: field["value"] for field in form.find_all("input")}
    return form["action"], {**fields, button["name"]: button["value"]}


def test_the_check_in_form_asks_the_browser_neither_to_restore_nor_to_offer_what_was_typed(
    client, assert_page
):
    session = SessionFactory()
    page = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    form = BeautifulSoup(assert_page(page, session.title), "html.parser").find("form", method="post")
    assert form["autocomplete"] == "off"
    for field in form.find_all(["input", "select", "textarea"]):
        if field.get("type") not in ("hidden", "submit"):
            assert field.get("autocomplete") == "off", field.get("name")
    assert "no-store" in page["Cache-Control"]


def test_the_thank_you_page_offers_an_empty_form_for_the_next_person(client):
    session = SessionFactory()
    thanks = submit(
        client, session, open_form(client, session), phone="0857 2468 1357", address="Gg. Mawar 3"
    )
    assert "no-store" in thanks["Cache-Control"]
    assert thanks.cookies["pimpasa_turn"]["httponly"]  # Back will not restore the form A filled in
    action, fields = another_button(thanks)
    assert action == f"/sesi/{session.pk}/hadir/"
    opened = client.post(action, fields)
    page = opened.content.decode()
    assert opened.status_code == 200 and "no-store" in opened["Cache-Control"]
    assert "<h1>Presensi</h1>" in page
    for typed in ("Siti Aminah", "0857", "2468", "Gg. Mawar", 'value="17"'):
        assert typed not in page
    assert "checked" not in BeautifulSoup(page, "html.parser").find("form", method="post").decode()
    # The next person checks in through it: a second row, from the same opened form.
    next_pass = re.search(r'name="pass" value="([^"]+)"', page).group(1)
    response = submit(client, session, next_pass, name="Rina Wati", phone="0813 1111 2222")
    assert "Terima kasih" in response.content.decode()
    rows = Attendance.objects.order_by("checked_in_at")
    assert [row.name for row in rows] == ["Siti Aminah", "Rina Wati"]
    first_nonce = tokens.verify_form_pass(session, fields["pass"])
    assert tokens.verify_form_pass(session, next_pass) == first_nonce  # its limits go on counting
    assert rows[0].nonce[:16] == rows[1].nonce[:16] == first_nonce[:16]


def test_each_attendee_gets_their_own_pass_and_csrf_token_in_the_shared_thank_you_page():
    """The page is rendered once per session and reused: only the button's two values are each one's."""
    session = SessionFactory()
    answers = []
    for phone_number, client in (("0812 3456 7890", Client()), ("0813 1111 2222", Client())):
        form_pass = open_form(client, session)
        thanks = submit(client, session, form_pass, phone=phone_number)
        _action, fields = another_button(thanks)
        assert fields["pass"] == form_pass
        assert client.post(f"/sesi/{session.pk}/hadir/", fields).status_code == 200  # its CSRF token works
        answers.append(fields)
    assert answers[0]["pass"] != answers[1]["pass"]
    assert answers[0]["csrfmiddlewaretoken"] != answers[1]["csrfmiddlewaretoken"]


def test_another_person_on_a_closed_session_or_a_forged_pass_is_refused(client):
    session = SessionFactory()
    thanks = submit(client, session, open_form(client, session))
    action, fields = another_button(thanks)
    assert client.post(action, {**fields, "pass": "made-up"}).status_code == 403
    sessions.cancel_session(session, user=None)
    refused = client.post(action, fields)
    assert refused.status_code == 410 and "Sesi ini dibatalkan." in refused.content.decode()
    assert 'name="name"' not in refused.content.decode()  # no form to fill in
    assert Attendance.objects.count() == 1


def test_the_same_check_in_sent_again_answers_thanks_and_names_nobody(client):
    """Back then Forward (or reload) on a shared phone sends A's check-in again: the thank-you page
    again, never A's details, and never a second row."""
    session = SessionFactory()
    form_pass = open_form(client, session)
    submit(client, session, form_pass, phone="0857 2468 1357")
    again = submit(client, session, form_pass, phone="0857 2468 1357")
    page = again.content.decode()
    assert again.status_code == 200 and "Terima kasih" in page
    assert "Siti Aminah" not in page and "0857" not in page and "2468" not in page
    assert Attendance.objects.count() == 1


def test_the_button_carries_no_answer_of_the_last_person(client):
    session = SessionFactory()
    _action, fields = another_button(submit(client, session, open_form(client, session)))
    assert set(fields) == {"csrfmiddlewaretoken", "pass", "another"}
