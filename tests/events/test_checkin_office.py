"""Issue 25 point 4: a session's pages (the check-in form its QR opens, the thank-you page) show the
session's office in their footer: its name, address, hotline and WhatsApp, with no extra query."""

import re

import pytest
from bs4 import BeautifulSoup

from events.services import tokens
from tests.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

ANSWERS = {"name": "Siti Aminah", "phone": "0812 3456 7890", "gender": "f", "age_group": "26-35", "rw": "17"}


def office_footer(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("footer")


def check_office_b(footer, two_offices):
    assert footer.find(id="footer-office").text == two_offices.b.name
    assert footer.find("a", class_="office-contact__hotline")["href"] == "tel:+622745552222"
    assert footer.find("a", href="https://wa.me/6281322220000") is not None
    assert footer.find("address").get_text("|") == "Jalan Selatan 2|Kabupaten Uji Selatan"
    assert two_offices.a.name not in footer.text


def test_the_check_in_form_and_the_thank_you_page_show_the_sessions_office(client, two_offices):
    session = two_offices.session_b
    form = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    check_office_b(office_footer(form), two_offices)
    form_pass = re.search(r'name="pass" value="([^"]+)"', form.content.decode()).group(1)
    done = client.post(f"/sesi/{session.pk}/hadir/", {**ANSWERS, "consent": "on", "pass": form_pass})
    check_office_b(office_footer(done), two_offices)
    # Its "report a tip" link carries the session: the tip goes to the session's office.
    assert f"/lapor/?session={session.pk}" in done.content.decode()


def test_a_session_of_the_other_office_shows_that_office(client, two_offices):
    session = SessionFactory(area=two_offices.area_a)
    footer = office_footer(client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}"))
    assert footer.find(id="footer-office").text == two_offices.a.name
    assert footer.find("a", class_="office-contact__hotline")["href"] == "tel:+622155501111"


def test_the_office_costs_the_check_in_form_no_query(client, two_offices, django_assert_num_queries):
    session = two_offices.session_b
    url = f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}"
    client.get(url)  # the session is now in the check-in cache, with its area's office
    with django_assert_num_queries(0):
        check_office_b(office_footer(client.get(url)), two_offices)
