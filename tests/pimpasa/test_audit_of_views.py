"""Opening personal data is audited: a tip's page, its evidence, a session's attendee lists (who,
when, what); refused looks write nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from reporting.tips.models import Tip
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import AreaFactory, AttendanceFactory, SessionFactory, UserFactory, image_bytes

pytestmark = pytest.mark.django_db


def entries(action):
    return ModelLogEntry.objects.filter(action=action)


@pytest.fixture
def tip_with_photo(site_setup):
    tip, _code = submit_tip(
        Submission(category=Tip.Category.TPPO, description="Calo di terminal."),
        [evidence_service.prepare(SimpleUploadedFile("foto.jpg", image_bytes("JPEG")))],
    )
    return tip


def test_opening_a_tip_is_audited_with_who_and_when(client, tip_with_photo, supervisor):
    client.force_login(supervisor)
    assert client.get(f"/admin/laporan/{tip_with_photo.pk}/").status_code == 200
    entry = entries("reporting.tip.viewed").get()
    assert entry.user_id == supervisor.pk
    assert entry.object_id == str(tip_with_photo.pk)
    assert entry.timestamp is not None
    assert str(entry.message) == "Laporan dilihat"


def test_opening_evidence_is_audited(client, tip_with_photo, supervisor):
    client.force_login(supervisor)
    item = tip_with_photo.evidence.get()
    response = client.get(f"/admin/laporan/evidence/{item.pk}/")
    assert response.status_code == 200
    entry = entries("reporting.tip.evidence_viewed").get()
    assert entry.user_id == supervisor.pk and entry.data == {"evidence": str(item.pk)}


def test_a_refused_look_at_a_tip_writes_nothing(client, tip_with_photo, site_setup):
    client.force_login(UserFactory(role="Petugas PIMPASA"))  # not the tip's area
    assert client.get(f"/admin/laporan/{tip_with_photo.pk}/").status_code == 404
    assert not entries("reporting.tip.viewed").exists()


@pytest.mark.parametrize("page", ["run", "guests"])
def test_opening_a_sessions_attendee_lists_is_audited(client, officer, page):
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    AttendanceFactory(session=session)
    client.force_login(officer)
    assert client.get(f"/admin/events/sessions/{session.pk}/{page}/").status_code == 200
    entry = entries("events.attendees_viewed").get()
    assert entry.user_id == officer.pk and entry.object_id == str(session.pk)
    assert entry.data == {"page": page}


def test_an_officer_of_another_area_is_refused_and_nothing_is_written(client, site_setup):
    session = SessionFactory()
    client.force_login(UserFactory(role="Petugas PIMPASA"))
    response = client.get(f"/admin/events/sessions/{session.pk}/run/")
    assert response.status_code == 404  # another officer's session: as if it did not exist
    assert not entries("events.attendees_viewed").exists()


def test_opening_the_list_is_not_shown_as_the_sessions_last_update(client, officer):
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    client.force_login(officer)
    client.get(f"/admin/events/sessions/{session.pk}/run/")
    edit = client.get(f"/admin/events/sessions/edit/{session.pk}/")
    assert edit.status_code == 200
    assert edit.context["last_updated_info"] is None
