"""Consent as proof (UU PDP Pasal 24): each row names the privacy notice's version, how consent was
given, and to which officer; nothing is recorded with consent assumed."""

import io
import re

import pytest
from wagtail.models import Page, Revision

from cms import bootstrap
from cms.privacy import current_notice
from events.models import Attendance, ConsentMethod, Guest
from events.services import checkin, errors, tokens
from tests.factories import AreaFactory, GuestFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(site_setup):
    """The privacy notice `manage.py setup` publishes at /privasi/ and /en/privasi/."""
    bootstrap.ensure(io.StringIO())
    return {page.locale.language_code: page for page in Page.objects.filter(slug="privasi").specific()}


@pytest.fixture
def own_officer(site_setup):
    return UserFactory(role="Petugas PIMPASA")


def self_checkin(client, session, prefix=""):
    token = tokens.poster_token(session)
    page = client.get(f"{prefix}/sesi/{session.pk}/hadir/?t={token}").content.decode()
    form_pass = re.search(r'name="pass" value="([^"]+)"', page).group(1)
    answers = {"name": "Siti", "phone": "0812 3456 7890", "gender": "f", "age_group": "26-35", "rw": "17"}
    return client.post(
        f"{prefix}/sesi/{session.pk}/hadir/", {**answers, "consent": "on", "pass": form_pass}
    ), page


def test_a_residents_checkin_stores_the_notice_revision_they_agreed_to(client, notice):
    session = SessionFactory()
    response, form_page = self_checkin(client, session)
    assert response.status_code == 200
    attendance = Attendance.objects.get()
    assert attendance.consent_method == ConsentMethod.FORM
    assert attendance.consent_given_to is None
    assert attendance.consent_notice_revision == notice["id"].live_revision_id
    # The revision shows the exact text agreed to, and the form linked to that very page.
    agreed = Revision.objects.get(pk=attendance.consent_notice_revision).as_object()
    assert agreed.title == "Pemberitahuan Privasi"
    assert 'href="/privasi/"' in form_page


def test_an_english_checkin_records_the_english_notice_and_links_to_it(client, notice):
    session = SessionFactory()
    response, form_page = self_checkin(client, session, prefix="/en")
    assert response.status_code == 200
    assert Attendance.objects.get().consent_notice_revision == notice["en"].live_revision_id
    assert 'href="/en/privasi/"' in form_page


def test_republishing_the_notice_moves_new_consents_to_the_new_version_only(client, notice):
    session = SessionFactory()
    self_checkin(client, session)
    first = notice["id"].live_revision_id
    page = notice["id"]
    page.intro = "Versi kedua pemberitahuan privasi."
    page.save_revision().publish()
    page.refresh_from_db()
    assert current_notice("id").revision_id == page.live_revision_id != first
    Attendance.objects.update(phone="+6280000000000")  # the same phone may check in again
    self_checkin(client, session)
    assert sorted(Attendance.objects.values_list("consent_notice_revision", flat=True)) == sorted(
        [first, page.live_revision_id]
    )


def test_without_a_notice_page_consent_is_still_recorded_with_no_version(client, site_setup, settings):
    settings.PIMPASA_PRIVACY_URL = "https://example.go.id/privasi"
    session = SessionFactory()
    response, form_page = self_checkin(client, session)
    assert response.status_code == 200
    attendance = Attendance.objects.get()
    assert attendance.consent_method == ConsentMethod.FORM and attendance.consent_notice_revision is None
    assert 'href="https://example.go.id/privasi"' in form_page


def test_the_service_refuses_a_bare_true_as_consent():
    session = SessionFactory()
    with pytest.raises(TypeError):
        siti = checkin.AttendeeDetails(name="Siti", gender="f", age_group="26-35", rw="17")
        checkin.perform_checkin(session, siti, consent=True)
    assert not Attendance.objects.exists()


def test_a_walk_in_records_consent_given_to_the_officer(client, notice, own_officer):
    session = SessionFactory(area=AreaFactory(officers=[own_officer]))
    client.force_login(own_officer)
    response = client.post(
        f"/admin/events/sessions/{session.pk}/walk-in/",
        {
            "walkin-name": "Nenek Ijah",
            "walkin-gender": "f",
            "walkin-age_group": "gt60",
            "walkin-rw": "19",
            "walkin-consent": "on",
        },
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.consent_method == ConsentMethod.OFFICER
    assert attendance.consent_given_to == own_officer
    assert attendance.consent_at == attendance.checked_in_at
    assert attendance.consent_notice_revision == notice["id"].live_revision_id


def test_a_walk_in_without_consent_is_refused_in_indonesian_and_keeps_the_typing(client, notice, own_officer):
    session = SessionFactory(area=AreaFactory(officers=[own_officer]))
    client.force_login(own_officer)
    response = client.post(
        f"/admin/events/sessions/{session.pk}/walk-in/",
        {"walkin-name": "Nenek Ijah", "walkin-gender": "f", "walkin-age_group": "gt60", "walkin-rw": "19"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Catat orang ini hanya setelah ia setuju." in body
    assert 'value="Nenek Ijah"' in body
    assert not Attendance.objects.exists()


def test_the_walk_in_service_itself_refuses_without_consent(own_officer):
    session = SessionFactory()
    with pytest.raises(errors.CheckinError) as refused:
        nenek = checkin.AttendeeDetails(name="Nenek", gender="f", age_group="gt60")
        checkin.add_walk_in(session, own_officer, nenek, consent=False)
    assert refused.value.code == "no_consent" and refused.value.status == 400
    assert not Attendance.objects.exists()


def test_a_guests_consent_is_taken_at_registration_and_carried_to_the_ticket_scan(
    client, notice, own_officer
):
    session = SessionFactory(area=AreaFactory(officers=[own_officer]), kind="timpora", is_public=False)
    client.force_login(own_officer)
    refused = client.post(
        f"/admin/events/sessions/{session.pk}/guests/",
        {"name": "Pak Budi", "institution": "Disnaker", "gender": "m", "age_group": "36-45"},
    )
    assert refused.status_code == 400 and 'name="consent"' in refused.content.decode()
    assert not Guest.objects.exists()
    client.post(
        f"/admin/events/sessions/{session.pk}/guests/",
        {"name": "Pak Budi", "institution": "Disnaker", "gender": "m", "age_group": "36-45", "consent": "on"},
    )
    guest = Guest.objects.get()
    assert guest.consent_given_to == own_officer and guest.consent_method == ConsentMethod.OFFICER
    response = client.post(
        f"/admin/events/sessions/{session.pk}/scan/", {"ticket": tokens.ticket_token(guest)}
    )
    assert response.status_code == 200
    attendance = Attendance.objects.get()
    assert attendance.consent_given_to == own_officer
    assert attendance.consent_at == guest.consent_at
    assert attendance.consent_notice_revision == notice["id"].live_revision_id


def test_a_guest_registered_without_consent_is_not_checked_in_silently(own_officer):
    guest = GuestFactory(consent_at=None, consent_method="")
    with pytest.raises(errors.CheckinError) as refused:
        checkin.checkin_ticket(guest.session, own_officer, tokens.ticket_token(guest))
    assert refused.value.code == "no_consent"
    assert not Attendance.objects.exists()
