"""The agency's page behind the link: only what was shared, downloads audited, the two actions, and
one generic answer for every bad link, counted and throttled."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.models import TipHistory
from reporting.referrals.models import Referral, RefusedReferralLink
from reporting.referrals.services import referrals as services
from tests.factories import AgencyFactory, OfficeFactory
from tests.referrals.conftest import refer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]


def page_url(token, step=""):
    return f"/rujukan/{token}/{step}"


def test_the_page_shows_what_was_shared_in_indonesian_and_nothing_else(client, tip_to_refer):
    photo = tip_to_refer.tip.evidence.get(content_type="image/jpeg")
    _referral, _link, token = refer(
        tip_to_refer, share_area=False, evidence=[photo], summary="Ringkasan untuk BP3MI."
    )
    response = client.get(page_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="id"' in html and "Ringkasan untuk BP3MI." in html
    assert "Tindak pidana perdagangan orang" in html  # the category was shared
    # Neither the area, nor the resident's own words, nor who is involved, nor the reporter.
    for secret in ("Kalibaru", "pangkalan ojek", "Bang Jek", "Siti Contoh", "0812-0000-1111"):
        assert secret not in html
    assert html.count("/bukti/") == 1
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert (
        ModelLogEntry.objects.filter(
            action="reporting.referral.viewed", object_id=str(tip_to_refer.tip.pk)
        ).count()
        == 1
    )


def test_an_approved_identity_is_shown(client, tip_to_refer):
    _referral, _link, token = refer(tip_to_refer, user=tip_to_refer.supervisor, share_identity=True)
    html = client.get(page_url(token)).content.decode()
    assert "Siti Contoh" in html and "0812-0000-1111" in html


def test_a_shared_file_downloads_as_an_attachment_and_is_audited(client, tip_to_refer):
    photo = tip_to_refer.tip.evidence.get(content_type="image/jpeg")
    pdf = tip_to_refer.tip.evidence.get(content_type="application/pdf")
    _referral, _link, token = refer(tip_to_refer, evidence=[photo])
    response = client.get(page_url(token, f"bukti/{photo.pk}/"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    logged = ModelLogEntry.objects.filter(
        action="reporting.referral.evidence_opened", object_id=str(tip_to_refer.tip.pk)
    )
    assert [entry.data["evidence"] for entry in logged] == [str(photo.pk)]
    # A file of the tip that was not shared is not there, whatever its id.
    assert client.get(page_url(token, f"bukti/{pdf.pk}/")).status_code == 404


def test_received_then_outcome_from_the_page(client, tip_to_refer):
    referral, _link, token = refer(tip_to_refer)
    response = client.post(page_url(token, "diterima/"), {"received_by": "Rahmat, petugas pengaduan"})
    assert response.status_code == 302
    page = client.get(page_url(token)).content.decode()
    assert "Rahmat, petugas pengaduan" in page
    response = client.post(page_url(token, "hasil/"), {"outcome": "acted_on", "text": "LPK sudah ditutup."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_text) == ("acted_on", "LPK sudah ditutup.")
    kinds = list(tip_to_refer.tip.history.filter(referral=referral).values_list("kind", flat=True))
    assert kinds == ["referred", "referral_ack", "referral_outcome"]


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(client, tip_to_refer):
    referral, _link, token = refer(tip_to_refer)
    response = client.post(page_url(token, "diterima/"), {"received_by": "  "})
    assert response.status_code == 400
    assert "diisi" in response.content.decode()
    services.acknowledge(referral, "Rahmat")
    response = client.post(page_url(token, "hasil/"), {"outcome": "closed", "text": ""})
    assert response.status_code == 400
    assert 'value="closed" id="id_outcome_3" required checked' in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == ""


def _refused_page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode().replace(url, "")


def test_expired_revoked_tampered_and_guessed_links_get_the_same_page(client, tip_to_refer):
    expired, _link, expired_token = refer(tip_to_refer)
    Referral.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    revoked, _link, revoked_token = refer(tip_to_refer, agency=AgencyFactory(name="Polres Uji"))
    services.revoke(revoked, tip_to_refer.officer)
    raw, signature = revoked_token.split(":")
    answers = {
        "expired": _refused_page(client, page_url(expired_token)),
        "revoked": _refused_page(client, page_url(revoked_token)),
        "tampered": _refused_page(client, page_url(f"{raw}x:{signature}")),
        "guessed": _refused_page(client, page_url(services._signer().sign("tebakan"))),
        "garbage": _refused_page(client, page_url("abc")),
    }
    assert {status for status, _html in answers.values()} == {404}
    assert len({html for _status, html in answers.values()}) == 1
    counts = dict(RefusedReferralLink.objects.values_list("reason", "count"))
    assert counts == {"expired": 1, "revoked": 1, "tampered": 2, "unknown": 1}
    # Nor can a bad link act.
    assert client.post(page_url(revoked_token, "diterima/"), {"received_by": "X"}).status_code == 404
    assert not tip_to_refer.tip.history.filter(kind=TipHistory.Kind.REFERRAL_RECEIVED).exists()


def test_guessing_is_throttled(client, tip_to_refer):
    statuses = [client.get(page_url(services._signer().sign(f"tebakan-{n}"))).status_code for n in range(12)]
    assert statuses == [404] * 10 + [429, 429]
    assert RefusedReferralLink.objects.get(reason="throttled").count == 2


def test_an_expired_link_is_refused_by_the_clock_too(client, tip_to_refer):
    _referral, _link, token = refer(tip_to_refer)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert client.get(page_url(token)).status_code == 404


def test_the_page_keeps_to_a_few_queries(client, tip_to_refer, django_assert_max_num_queries):
    _referral, _link, token = refer(tip_to_refer, evidence=list(tip_to_refer.tip.evidence.all()))
    # The referral, its audit entry (and the entry's link to the tip, one statement), the shared files
    # and the reporter's shared messages (one query each for any number), the site footer.
    with django_assert_max_num_queries(12):
        assert client.get(page_url(token)).status_code == 200


def test_the_status_page_shows_a_plain_line_without_the_agencys_words(client, tip_to_refer, assert_page):
    sent = timezone.make_aware(datetime.datetime(2026, 12, 3, 10))
    with time_machine.travel(sent, tick=False):
        referral, _link, _token = refer(tip_to_refer)
    with time_machine.travel(sent + datetime.timedelta(days=1), tick=False):
        services.acknowledge(referral, "Rahmat, petugas pengaduan")
        services.report_outcome(referral, Referral.Outcome.ACTED_ON, "Pelaku sudah kami amankan di Batam.")
    revoked, _link, _token = refer(tip_to_refer, agency=AgencyFactory(name="Polres Uji"))
    services.revoke(revoked, tip_to_refer.officer)
    page = assert_page(
        client.post("/lapor/status/", {"code": tip_to_refer.code}),
        "Diteruskan ke BP3MI Jakarta pada 3 Des — diterima 4 Des",
    )
    # Neither the agency's outcome text, nor who received it, nor a revoked referral.
    for hidden in ("Batam", "Rahmat", "Polres Uji"):
        assert hidden not in page


def test_the_footer_gives_the_referring_offices_contact(client, tip_to_refer):
    """Issue 25: the agency reads whose tip it is; the footer shows that office's hotline, no chooser."""
    # A second office exists (so the footer could offer a chooser); the tip is the referring officer's
    # office's, which only its own staff may refer.
    OfficeFactory(name="Kantor Imigrasi Lain", hotline="021-5550-1111")
    office = tip_to_refer.tip.office
    office.name, office.hotline = "Kantor Imigrasi Kelas I Uji Rujukan", "021-5550-7777"
    office.save()
    _referral, _link, token = refer(tip_to_refer)
    footer = BeautifulSoup(client.get(page_url(token)).content, "html.parser").find("footer")
    assert footer.find(id="footer-office").text == office.name
    assert footer.find("a", class_="office-contact__hotline")["href"] == "tel:+622155507777"
    assert footer.find("form", class_="office-chooser") is None
