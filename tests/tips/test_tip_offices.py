"""Issue 25 point 4: a resident's tip goes to the office of the area they choose (or of the session
they attended, else the default office), never to one named in the POST; the receipt and the status
page name the office handling it and its hotline, never an officer."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from offices.models import Office
from reporting.tips.models import Tip
from tests.factories import AreaFactory, OfficeFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

DESCRIPTION = "Ada calo yang menawarkan kerja ke Malaysia tanpa visa kerja."


def send(client, **fields):
    return client.post("/lapor/", {"category": "tppo", "description": DESCRIPTION, **fields})


def code_from(receipt):
    return re.search(r"<code>([0-9A-Z-]{19})</code>", receipt.content.decode()).group(1)


def handling_office(response):
    return BeautifulSoup(response.content, "html.parser").find("main").find(class_="tip-office")


def test_a_tip_goes_to_the_office_of_the_area_chosen_on_the_form(client, two_offices):
    response = send(client, area=two_offices.area_b.pk)
    tip = Tip.objects.get()
    assert response.status_code == 200
    assert tip.area == two_offices.area_b and tip.office == two_offices.b


def test_an_office_in_the_post_is_never_trusted(client, two_offices):
    """The form has no office field: whatever office a forged POST names, the area's office gets it."""
    send(client, area=two_offices.area_b.pk, office=two_offices.a.pk, office_id=two_offices.a.pk)
    assert Tip.objects.get().office == two_offices.b


def test_a_tip_from_a_sessions_page_goes_to_the_sessions_office(client, two_offices):
    response = send(client, session=two_offices.session_b.pk)
    tip = Tip.objects.get()
    assert response.status_code == 200
    assert tip.session == two_offices.session_b and tip.office == two_offices.b


def test_an_area_chosen_on_a_sessions_form_decides_the_office(client, two_offices):
    """The resident says where it happened: that area's office, even on another office's session form."""
    send(client, session=two_offices.session_b.pk, area=two_offices.area_a.pk)
    tip = Tip.objects.get()
    assert tip.session == two_offices.session_b and tip.office == two_offices.a


def test_a_tip_with_neither_area_nor_session_goes_to_the_default_office(client, two_offices):
    send(client)
    tip = Tip.objects.get()
    assert tip.area is None and tip.session is None
    assert tip.office == Office.default()
    assert tip.office not in (two_offices.a, two_offices.b)


@pytest.mark.parametrize("raw", ["999999", "abc", "<script>", "-1", "1.5", "99999999999999999999999999"])
def test_a_forged_area_id_is_refused_with_a_message_and_nothing_is_lost(client, two_offices, raw):
    response = send(client, area=raw, rw="17")
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200  # the form again, never a 500
    assert "Kelurahan atau desa ini tidak ada dalam daftar kami" in page.find("main").text
    assert page.find("textarea", attrs={"name": "description"}).text.strip() == DESCRIPTION
    assert page.find("input", attrs={"name": "rw"})["value"] == "17"
    assert not Tip.objects.exists()


def test_the_form_groups_the_villages_by_office(client, two_offices):
    page = BeautifulSoup(client.get("/lapor/").content, "html.parser")
    select = page.find("select", attrs={"name": "area"})
    groups = {
        group["label"]: [o.text for o in group.find_all("option")] for group in select.find_all("optgroup")
    }
    assert groups[two_offices.b.name] == ["Desa Sukamaju, Sewon"]
    assert groups[two_offices.a.name] == ["Kelurahan Kalibaru, Cengkareng"]


def test_the_receipt_names_the_office_and_its_hotline(client, two_offices):
    receipt = send(client, area=two_offices.area_b.pk)
    block = handling_office(receipt)
    assert block.find(class_="tip-office__name").text == two_offices.b.name
    assert block.find("a", class_="tip-office__hotline")["href"] == "tel:+622745552222"
    assert "Ditangani oleh" in block.text
    footer = BeautifulSoup(receipt.content, "html.parser").find("footer")
    assert two_offices.b.name in footer.text and two_offices.a.name not in footer.text


def test_a_double_taps_second_answer_names_the_office_too(client, two_offices):
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get("/lapor/").content.decode()).group(1)
    first = send(client, area=two_offices.area_b.pk, nonce=nonce)
    second = send(client, area=two_offices.area_b.pk, nonce=nonce)  # the first answer never displayed
    assert code_from(second) == code_from(first) and Tip.objects.count() == 1
    assert handling_office(second).find(class_="tip-office__name").text == two_offices.b.name


def test_the_status_page_names_the_office_handling_the_tip_never_an_officer(client, two_offices):
    code = code_from(send(client, area=two_offices.area_b.pk))
    officer = UserFactory(
        role="Petugas PIMPASA", first_name="Budi", last_name="Santosa", office=two_offices.b
    )
    Tip.objects.update(assigned_to=officer)
    status = client.post("/lapor/status/", {"code": code})
    block = handling_office(status)
    assert block.find(class_="tip-office__name").text == two_offices.b.name
    assert block.find("a", class_="tip-office__hotline").text == "0274-555-2222"
    assert "Budi" not in status.content.decode() and "Santosa" not in status.content.decode()
    # Handed to office A (reporting.tips.services.handoffs): the status page names A from then on.
    Tip.objects.update(office=two_offices.a)
    status = Client().post("/lapor/status/", {"code": code})
    assert handling_office(status).find(class_="tip-office__name").text == two_offices.a.name


def test_the_form_of_a_session_shows_the_sessions_office_in_its_footer(client, two_offices):
    page = BeautifulSoup(client.get(f"/lapor/?session={two_offices.session_b.pk}").content, "html.parser")
    footer = page.find("footer")
    assert footer.find(id="footer-office").text == two_offices.b.name
    assert footer.find("a", href="tel:+622745552222") is not None
    assert footer.find("a", href="https://wa.me/6281322220000") is not None
    assert footer.find("select", attrs={"name": "kantor"}) is None


def _offices_with_villages(count):
    for number in range(count):
        office = OfficeFactory(name=f"Kantor Imigrasi Beban {count}-{number}")
        area = AreaFactory(name=f"Desa Beban {count}-{number}", office=office)
    return SessionFactory(area=area)


@pytest.mark.parametrize("path", ["/lapor/", "/lapor/?session={session}"])
def test_the_forms_queries_do_not_grow_with_offices_and_villages(client, site_setup, path):
    def queries(count):
        session = _offices_with_villages(count)
        url = path.format(session=session.pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries(1)  # rows made on a site's first visit (its settings), cached look-ups
    # Each call adds offices, which empties the page cache: the footer's chooser is rendered anew.
    assert queries(3) == queries(30)


def test_sending_a_tip_to_an_area_costs_the_same_whatever_the_number_of_offices(client, site_setup):
    def queries(count):
        _offices_with_villages(count)
        area = AreaFactory(office=OfficeFactory())
        with CaptureQueriesContext(connection) as captured:
            assert send(Client(), area=area.pk).status_code == 200
        return len(captured)

    queries(1)  # rows made on a site's first tip (its settings, the privacy notice), cached look-ups
    assert queries(3) == queries(30)
