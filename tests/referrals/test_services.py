"""The referral rules without HTTP: who may refer, what is shared, the link's life (expiry,
revocation, tampering, guessing), the agency's steps, several agencies and handing back."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.models import Tip, TipHistory
from reporting.referrals.models import Referral, RefusedReferralLink
from reporting.referrals.services import referrals as services
from reporting.tips.services import tips as tip_service
from tests.factories import AgencyFactory
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db
Reason = RefusedReferralLink.Reason


def actions(tip):
    return list(ModelLogEntry.objects.filter(object_id=str(tip.pk)).values_list("action", flat=True))


def test_an_officer_refers_a_tip_of_their_area_and_the_agency_gets_one_message(tip_to_refer):
    referral, link, _token = refer(tip_to_refer)
    tip = Tip.objects.get(pk=tip_to_refer.tip.pk)
    assert tip.status == Tip.Status.FORWARDED
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["kepala@bp3mi.test", "pengaduan@bp3mi.test"]
    assert link in mail.outbox[0].body
    # Nothing of the tip travels by e-mail: only the link.
    assert "Malaysia" not in mail.outbox[0].body
    entry = tip.history.get(kind=TipHistory.Kind.REFERRED)
    assert (entry.referral, entry.actor, entry.is_public) == (referral, tip_to_refer.officer, False)
    assert {"reporting.referral.sent", "reporting.referral.mailed"} <= set(actions(tip))


def test_an_officer_of_another_area_cannot_refer_it(tip_to_refer):
    with pytest.raises(PermissionDenied):
        refer(tip_to_refer, user=tip_to_refer.elsewhere)
    assert Referral.objects.count() == 0
    assert mail.outbox == []


def test_an_editor_cannot_refer(tip_to_refer, editor):
    with pytest.raises(PermissionDenied):
        refer(tip_to_refer, user=editor)


def test_the_token_is_stored_only_as_a_hash(tip_to_refer):
    referral, _link, token = refer(tip_to_refer)
    raw = token.split(":")[0]
    assert raw not in referral.token_hash and token not in referral.token_hash
    assert referral.token_hash == services.hash_token(raw)
    assert not Referral.objects.filter(token_hash__contains=raw).exists()


def test_the_link_expires_after_30_days_by_default(tip_to_refer):
    referral, _link, token = refer(tip_to_refer)
    assert services.open_link(token) == referral
    later = timezone.now() + datetime.timedelta(days=30, minutes=1)
    with time_machine.travel(later), pytest.raises(services.LinkRefused) as refused:
        services.open_link(token)
    assert refused.value.reason == Reason.EXPIRED


def test_a_revoked_link_opens_nothing_and_the_history_says_so(tip_to_refer):
    referral, _link, token = refer(tip_to_refer)
    services.revoke(referral, tip_to_refer.officer)
    with pytest.raises(services.LinkRefused) as refused:
        services.open_link(token)
    assert refused.value.reason == Reason.REVOKED
    assert (
        tip_to_refer.tip.history.filter(kind=TipHistory.Kind.REFERRAL_REVOKED, referral=referral).count() == 1
    )


def test_a_tampered_or_guessed_link_is_refused(tip_to_refer):
    _referral, _link, token = refer(tip_to_refer)
    raw, signature = token.split(":")
    with pytest.raises(services.LinkRefused) as tampered:
        services.open_link(f"{raw[:-1]}{'A' if raw[-1] != 'A' else 'B'}:{signature}")
    assert tampered.value.reason == Reason.TAMPERED
    # A correctly signed token that was never issued (someone who knows the key but not a token).
    with pytest.raises(services.LinkRefused) as guessed:
        services.open_link(services._signer().sign("never-issued"))
    assert guessed.value.reason == Reason.UNKNOWN


def test_a_renewed_link_replaces_the_old_one(tip_to_refer):
    referral, _link, old_token = refer(tip_to_refer)
    _referral, new_link = services.renew_link(referral, tip_to_refer.officer)
    new_token = new_link.rstrip("/").rsplit("/", 1)[1]
    assert services.open_link(new_token) == referral
    with pytest.raises(services.LinkRefused):
        services.open_link(old_token)
    assert len(mail.outbox) == 2


def test_the_agency_sees_only_what_was_ticked(tip_to_refer):
    photo = tip_to_refer.tip.evidence.get(content_type="image/jpeg")
    referral, _link, _token = refer(tip_to_refer, share_category=False, share_area=False, evidence=[photo])
    shared = services.shared_content(referral)
    assert shared["category"] is None and shared["area"] is None and shared["rw"] == ""
    assert shared["evidence"] == [photo]
    assert shared["identity"] is None


def test_evidence_of_another_tip_cannot_be_shared(tip_to_refer):
    from tests.factories import TipFactory

    other = TipFactory(area=tip_to_refer.area)
    foreign = tip_to_refer.tip.evidence.first()
    foreign.pk = None
    foreign.tip = other
    foreign.save()
    with pytest.raises(services.ReferralError):
        refer(tip_to_refer, evidence=[foreign])
    assert Referral.objects.count() == 0


def test_identity_needs_a_supervisors_approval(tip_to_refer):
    referral, _link, _token = refer(tip_to_refer, share_identity=True)
    assert referral.identity_requested and referral.identity_approved_by is None
    assert services.shared_content(referral)["identity"] is None
    with pytest.raises(PermissionDenied):
        services.approve_identity(referral, tip_to_refer.officer)
    services.approve_identity(referral, tip_to_refer.supervisor)
    referral.refresh_from_db()
    assert services.shared_content(referral)["identity"] == {
        "name": "Siti Contoh",
        "contact": "0812-0000-1111",
    }
    assert tip_to_refer.tip.history.filter(kind=TipHistory.Kind.REFERRAL_IDENTITY).count() == 1


def test_identity_of_a_reporter_who_did_not_consent_is_never_shared(tip_to_refer):
    Tip.objects.filter(pk=tip_to_refer.tip.pk).update(identity_consent_at=None)
    tip_to_refer.tip.refresh_from_db()
    with pytest.raises(services.ReferralError):
        refer(tip_to_refer, user=tip_to_refer.supervisor, share_identity=True)
    assert Referral.objects.count() == 0


def test_a_supervisors_own_referral_approves_the_identity_at_once(tip_to_refer):
    referral, _link, _token = refer(tip_to_refer, user=tip_to_refer.supervisor, share_identity=True)
    assert referral.identity_approved_by == tip_to_refer.supervisor
    assert services.shared_content(referral)["identity"]["name"] == "Siti Contoh"


def test_acknowledge_then_outcome_each_land_in_the_history(tip_to_refer):
    referral, _link, _token = refer(tip_to_refer)
    with pytest.raises(services.ReferralError):
        services.report_outcome(referral, Referral.Outcome.ACTED_ON, "Sudah ditindak.")
    services.acknowledge(referral, "Rahmat, petugas pengaduan")
    services.acknowledge(referral, "Someone else")  # a second press changes nothing
    services.report_outcome(referral, Referral.Outcome.IN_PROGRESS, "Sedang kami cek ke lokasi.")
    services.report_outcome(referral, Referral.Outcome.ACTED_ON, "LPK sudah ditutup.")
    with pytest.raises(services.ReferralError):
        services.report_outcome(referral, Referral.Outcome.CLOSED, "Lagi.")
    referral.refresh_from_db()
    assert referral.acknowledged_by_name == "Rahmat, petugas pengaduan"
    assert referral.outcome == Referral.Outcome.ACTED_ON
    kinds = list(tip_to_refer.tip.history.filter(referral=referral).values_list("kind", flat=True))
    assert kinds == ["referred", "referral_ack", "referral_outcome", "referral_outcome"]
    assert {"reporting.referral.acknowledged", "reporting.referral.outcome"} <= set(actions(tip_to_refer.tip))


def test_an_outcome_needs_words(tip_to_refer):
    referral, _link, _token = refer(tip_to_refer)
    services.acknowledge(referral, "Rahmat")
    with pytest.raises(services.ReferralError):
        services.report_outcome(referral, Referral.Outcome.CLOSED, "   ")


def test_several_agencies_and_a_hand_back_then_referred_elsewhere(tip_to_refer):
    police = AgencyFactory(name="Polres Uji", kind="polri")
    first, _link, _token = refer(tip_to_refer)
    with pytest.raises(services.ReferralError):
        refer(tip_to_refer)  # the same agency while it is still on it
    second, _link, _token = refer(tip_to_refer, agency=police)
    services.acknowledge(first, "Rahmat")
    services.report_outcome(first, Referral.Outcome.NOT_OUR_MATTER, "Bukan kewenangan BP3MI: pelaku WNA.")
    first.refresh_from_db()
    assert first.is_handed_back and not first.is_open
    disnaker = AgencyFactory(name="Disnaker Uji", kind="disnaker")
    third, _link, _token = refer(tip_to_refer, agency=disnaker)
    assert list(tip_to_refer.tip.referrals.order_by("sent_at", "id")) == [first, second, third]
    # Handed back, the same agency may be asked again later (new facts).
    again, _link, _token = refer(tip_to_refer)
    assert again.agency == tip_to_refer.bp3mi


def test_a_closed_tip_is_reopened_before_it_is_referred(tip_to_refer):
    tip_service.change_status(tip_to_refer.tip, tip_to_refer.officer, Tip.Status.CLOSED)
    tip_to_refer.tip.refresh_from_db()
    with pytest.raises(services.ReferralError):
        refer(tip_to_refer)


def test_public_referrals_leave_out_revoked_ones(tip_to_refer):
    kept, _link, _token = refer(tip_to_refer)
    gone, _link, _token = refer(tip_to_refer, agency=AgencyFactory(name="Polres Uji"))
    services.revoke(gone, tip_to_refer.officer)
    assert list(services.public_referrals(tip_to_refer.tip)) == [kept]


def test_refusals_are_counted_per_day_and_reason(tip_to_refer):
    services.count_refusal(Reason.UNKNOWN)
    services.count_refusal(Reason.UNKNOWN)
    services.count_refusal(Reason.EXPIRED)
    counts = dict(RefusedReferralLink.objects.values_list("reason", "count"))
    assert counts == {"unknown": 2, "expired": 1}
    assert services.refused_links_since(30) == 3
