"""Handing a tip to another office: recorded in the tip's history and the audit log, the identity
travelling only with the reporter's consent and the receiving office's rule, the clocks running on,
and the tip moving from one office's scope to the other's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.referrals.services import clocks
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Tip, TipHandoff, TipHistory
from reporting.tips.services import handoffs, identity
from tests.factories import AreaFactory, OfficeFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(site_setup):
    """Office a (its officer covers the tip's area, its supervisor) and offices b (takes reporters'
    identities) and c (does not), each with a supervisor."""
    a, b, c = (
        OfficeFactory(name="Kanim A"),
        OfficeFactory(name="Kanim B", receives_reporter_identity=True),
        OfficeFactory(name="Kanim C", receives_reporter_identity=False),
    )
    people = {
        "officer_a": UserFactory(role="Petugas PIMPASA", office=a),
        "supervisor_a": UserFactory(role="Supervisor", office=a),
        "supervisor_b": UserFactory(role="Supervisor", office=b),
        "supervisor_c": UserFactory(role="Supervisor", office=c),
    }
    area = AreaFactory(office=a, officers=[people["officer_a"]])
    return {"a": a, "b": b, "c": c, "area": area, **people}


def _tip(offices, **fields):
    received = timezone.now() - datetime.timedelta(days=6)
    return TipFactory(area=offices["area"], received_at=received, **fields)


def test_the_tip_moves_to_the_receiving_offices_scope_and_leaves_the_old_ones(offices):
    tip = _tip(offices, assigned_to=offices["officer_a"])
    assert tip.office == offices["a"]
    handoffs.hand_over(tip, offices["officer_a"], offices["b"], "Perekrutnya berkantor di wilayah B.")
    tip.refresh_from_db()
    assert tip.office == offices["b"] and tip.assigned_to is None
    for user in ("officer_a", "supervisor_a", "supervisor_c"):
        assert not tip_scoping.tips_for(offices[user]).filter(pk=tip.pk).exists(), user
    assert tip_scoping.tips_for(offices["supervisor_b"]).filter(pk=tip.pk).exists()


def test_the_hand_off_is_in_the_history_and_the_audit_log(offices):
    tip = _tip(offices)
    handoffs.hand_over(tip, offices["supervisor_a"], offices["b"], "Wilayah B.")
    handoff = TipHandoff.objects.get(tip=tip)
    assert (handoff.from_office, handoff.to_office, handoff.handed_by) == (
        offices["a"],
        offices["b"],
        offices["supervisor_a"],
    )
    entry = TipHistory.objects.get(tip=tip, kind=TipHistory.Kind.HANDED_OVER)
    assert "Kanim B" in entry.note and not entry.is_public
    logged = ModelLogEntry.objects.get(action=handoffs.HANDED_OVER, object_id=str(tip.pk))
    assert logged.data == {
        "from_office": offices["a"].pk,
        "to_office": offices["b"].pk,
        "identity_travelled": False,  # an anonymous tip: no identity to travel
    }
    # The new office reads the entry in the tip's audit trail; the old one no longer sees it.
    tip.refresh_from_db()
    assert tip_scoping.can_see_tip(offices["supervisor_b"], tip)
    assert not tip_scoping.can_see_tip(offices["supervisor_a"], tip)


def test_the_clocks_run_on_from_the_tips_arrival(offices):
    tip = _tip(offices)
    levels = clocks.service_levels()
    before = [(clock.kind, clock.due_on) for clock in clocks.tip_clocks(tip, levels)]
    handoffs.hand_over(tip, offices["officer_a"], offices["b"])
    tip = Tip.objects.get(pk=tip.pk)
    after = [(clock.kind, clock.due_on) for clock in clocks.tip_clocks(tip, levels)]
    assert before and after == before


@pytest.mark.parametrize(
    ("to", "consented", "travels"),
    [("b", True, True), ("c", True, False), ("b", False, False)],
)
def test_the_identity_travels_only_with_consent_and_the_receiving_offices_rule(
    offices, to, consented, travels
):
    tip = _tip(offices, identity=("Siti Aminah", "0812-3456-7890"))
    if not consented:
        Tip.objects.filter(pk=tip.pk).update(identity_consent_at=None)
        tip.refresh_from_db()
    handoffs.hand_over(tip, offices["supervisor_a"], offices[to])
    tip.refresh_from_db()
    assert TipHandoff.objects.get(tip=tip).identity_travelled is travels
    receiver = offices[f"supervisor_{to}"]
    assert tip_scoping.may_reveal_identity(receiver, tip) is travels
    if travels:
        assert identity.reveal_identity(tip, receiver, "Perlu menghubungi pelapor.")["name"] == "Siti Aminah"
    else:
        with pytest.raises(PermissionDenied):
            identity.reveal_identity(tip, receiver, "Perlu menghubungi pelapor.")
        # Nothing is lost: the identity stays, kept by the office that received it.
        assert tip.has_identity and tip.identity_kept_by == offices["a"]


def test_only_those_who_may_change_the_tip_hand_it_over_and_not_to_its_own_office(offices):
    tip = _tip(offices)
    with pytest.raises(PermissionDenied):
        handoffs.hand_over(tip, offices["supervisor_b"], offices["c"])
    with pytest.raises(ValidationError):
        handoffs.hand_over(tip, offices["officer_a"], offices["a"])
    assert offices["a"] not in handoffs.receiving_offices(tip)


def test_the_hand_off_page(client, offices):
    tip = _tip(offices)
    client.force_login(offices["officer_a"])
    page = client.get(f"/admin/laporan/{tip.pk}/serahkan/")
    assert page.status_code == 200
    assert "Kanim B" in page.content.decode() and "Kanim A</option>" not in page.content.decode()
    refused = client.post(f"/admin/laporan/{tip.pk}/serahkan/", {"to_office": "", "reason": ""})
    assert refused.status_code == 400
    Tip.objects.get(pk=tip.pk, office=offices["a"])  # nothing changed
    done = client.post(
        f"/admin/laporan/{tip.pk}/serahkan/", {"to_office": offices["b"].pk, "reason": "Wilayah B."}
    )
    assert done.status_code == 302
    assert Tip.objects.get(pk=tip.pk).office == offices["b"]
    # From now on the tip is not found for its old office.
    assert client.get(f"/admin/laporan/{tip.pk}/").status_code == 404
