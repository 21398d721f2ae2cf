"""An officer shares a reporter's later message or file with an agency, item by item, through an open
referral; the agency reads only what was shared and has no way to write to the reporter."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from reporting.referrals.services import conversation as sharing
from reporting.referrals.services import referrals as referral_service
from reporting.tips.conversation import services as conversation
from reporting.tips.services import evidence as evidence_service
from tests.factories import image_bytes
from tests.referrals import conftest as referrals
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

tip_to_refer = referrals.tip_to_refer  # the referral tests' tip, officers and agency (a fixture)


@dataclass(frozen=True)
class AnsweredAfterReferral:
    """The referral scenario's tip referred to BP3MI, then a question and two answers: `shared`
    (with a photo) to be passed on, `private` (naming the reporter) never."""

    tip: object
    officer: object
    elsewhere: object
    referral: object
    token: str
    shared: object
    private: object


@pytest.fixture
def talked(tip_to_refer):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    referral, _link, token = refer(tip_to_refer, summary="Ringkasan untuk BP3MI.")
    conversation.ask(tip, officer, "Kapan calo itu datang lagi?")
    photo = evidence_service.prepare(SimpleUploadedFile("mobil_calo.jpg", image_bytes("JPEG")))
    shared = conversation.reply(tip, "Datang lagi Selasa malam dengan mobil putih.", [photo])
    private = conversation.reply(tip, "Nama saya Siti, tetangga calo itu.")
    return AnsweredAfterReferral(
        tip=tip,
        officer=officer,
        elsewhere=tip_to_refer.elsewhere,
        referral=referral,
        token=token,
        shared=shared,
        private=private,
    )


def test_a_chosen_message_and_file_reach_the_agency_recorded_and_nothing_else(client, talked):
    tip, referral, officer = talked.tip, talked.referral, talked.officer
    sharing.share(tip, officer, referral, message=talked.shared)
    sharing.share(tip, officer, referral, evidence=talked.shared.evidence.get())
    page = client.get(f"/rujukan/{talked.token}/").content.decode()
    assert "Datang lagi Selasa malam dengan mobil putih." in page
    assert "Nama saya Siti" not in page and "Kapan calo itu datang lagi?" not in page
    assert page.count("/bukti/") == 1  # the shared file, not the first submission's
    entries = tip.history.filter(kind="message_shared")
    assert entries.count() == 2 and {entry.referral_id for entry in entries} == {referral.pk}
    logged = ModelLogEntry.objects.filter(action="reporting.tip.message_shared", object_id=str(tip.pk))
    assert logged.count() == 2 and logged.first().user_id == officer.pk
    # The agency's page offers no way to write to the reporter.
    assert "/lapor/status/jawab/" not in page and 'name="body"' not in page


def test_sharing_is_refused_for_office_messages_strangers_and_closed_referrals(talked):
    tip, referral, officer = talked.tip, talked.referral, talked.officer
    question = tip.messages.get(author="office")
    with pytest.raises(conversation.ConversationError):
        sharing.share(tip, officer, referral, message=question)
    with pytest.raises(PermissionDenied):
        sharing.share(tip, talked.elsewhere, referral, message=talked.shared)
    first_file = tip.evidence.filter(messages__isnull=True).first()
    with pytest.raises(conversation.ConversationError):
        sharing.share(tip, officer, referral, evidence=first_file)  # shared at referral time, not here
    referral_service.revoke(referral, officer)
    with pytest.raises(conversation.ConversationError):
        sharing.share(tip, officer, referral, message=talked.shared)
    assert not referral.shared_messages.exists()


def test_the_tip_page_shares_item_by_item_and_keeps_what_was_typed(client, talked):
    tip, referral, officer = talked.tip, talked.referral, talked.officer
    client.force_login(officer)
    page = client.get(f"/admin/laporan/{tip.pk}/").content.decode()
    assert page.count("Bagikan pesan ini ke BP3MI Jakarta") == 2  # each of the reporter's answers
    assert "Bagikan berkas ini ke BP3MI Jakarta" in page
    response = client.post(
        f"/admin/rujukan/laporan/{tip.pk}/bagikan/",
        {
            "item": f"message:{talked.shared.pk}:{referral.pk}",
            "triage-status": tip.status,
            "triage-note": "Catatan yang belum disimpan",
        },
    )
    assert response.status_code == 302
    assert list(talked.shared.shared_with.all()) == [referral]
    page = client.get(f"/admin/laporan/{tip.pk}/").content.decode()
    assert "Dibagikan ke BP3MI Jakarta" in page and "Catatan yang belum disimpan</textarea>" in page
    assert page.count("Bagikan pesan ini ke BP3MI Jakarta") == 1
    bogus = client.post(
        f"/admin/rujukan/laporan/{tip.pk}/bagikan/", {"item": f"message:{talked.shared.pk}:nonsense"}
    )
    assert bogus.status_code == 404
