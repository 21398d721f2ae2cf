"""Every other button of a tip's page (reveal the reporter, refer, send a new link, revoke, approve
sharing the identity) submits the one triage form: what the officer typed there comes back on the tip
page, marked "not saved yet", never lost and never saved unasked."""

import re

import pytest

from reporting.referrals.models import Referral
from reporting.tips.forms import RevealIdentityForm
from reporting.tips.models import TipHistory
from tests.referrals.conftest import refer
from tests.referrals.test_admin import client_for

pytestmark = pytest.mark.django_db

TYPED_NOTE = "Sudah saya telepon, tunggu kabar RT."


def tip_page(tip):
    return f"/admin/laporan/{tip.pk}/"


def typed(user):
    return {
        "triage-status": "verifying",
        "triage-assigned_to": user.pk,
        "triage-note": TYPED_NOTE,
        "triage-public_note": "",
        "triage-forward_to": "",
        "triage-original_q": "",
        "triage-duplicate_of": "",
    }


def assert_kept_unsaved(page, user, tip):
    status_before = tip.status
    assert f"{TYPED_NOTE}</textarea>" in page
    assert '<option value="verifying" selected>' in page
    assert f'<option value="{user.pk}" selected>' in page
    assert "Belum tersimpan." in page
    assert not TipHistory.objects.filter(tip=tip, kind__in=["status", "assignment", "internal_note"]).exists()
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to) == (status_before, None)


def test_every_post_button_of_the_tip_page_belongs_to_the_one_triage_form(world):
    refer(world, share_identity=True)
    page = client_for(world["supervisor"]).get(tip_page(world["tip"])).content.decode()
    # One <form> posts; every other submit button names it (HTML form attribute, no script).
    assert len(re.findall(r'<form [^>]*method="post"', page)) == 1
    main = page[page.index('<div class="tip-detail">') :]
    buttons = re.findall(r"<button [^>]*>", main)
    outside = main[: main.index('id="triage-form"')]
    assert len(buttons) == 8  # default, reveal, approve, renew, revoke, refer, search, save
    for button in re.findall(r"<button [^>]*>", outside):
        assert 'form="triage-form"' in button, button
    # The first (Enter's) button searches: it never saves, reveals or revokes.
    assert 'value="find"' in buttons[0]


@pytest.mark.parametrize("button", ["revoke", "renew", "approve"])
def test_a_referral_button_brings_the_typed_triage_back_unsaved(world, button):
    referral, _link, _token = refer(world, share_identity=True)
    world["tip"].refresh_from_db()
    supervisor = world["supervisor"]
    client = client_for(supervisor)
    url = {
        "revoke": f"/admin/rujukan/{referral.pk}/cabut/",
        "renew": f"/admin/rujukan/{referral.pk}/tautan-baru/",
        "approve": f"/admin/rujukan/{referral.pk}/identitas/",
    }[button]
    response = client.post(url, typed(supervisor))
    if button == "renew":
        # The new link is shown once, on the page that answers the POST.
        assert response.status_code == 200
        link = response.context["link"]
        assert link.startswith("http") and link in response.content.decode()
    else:
        assert (response.status_code, response["Location"]) == (302, tip_page(world["tip"]))
    referral.refresh_from_db()
    if button == "revoke":
        assert referral.revoked_at is not None
    if button == "approve":
        assert referral.identity_approved_by == supervisor
    assert_kept_unsaved(client.get(tip_page(world["tip"])).content.decode(), supervisor, world["tip"])
    # Shown once: the next view is the tip as saved.
    assert TYPED_NOTE not in client.get(tip_page(world["tip"])).content.decode()


def test_refer_keeps_the_typed_triage_for_the_officers_return(world):
    officer = world["officer"]
    client = client_for(officer)
    response = client.post(f"/admin/laporan/{world['tip'].pk}/triage/", {**typed(officer), "do": "refer"})
    assert response.status_code == 302 and response.url == f"/admin/rujukan/laporan/{world['tip'].pk}/"
    assert Referral.objects.count() == 0
    assert_kept_unsaved(client.get(tip_page(world["tip"])).content.decode(), officer, world["tip"])


def test_revealing_the_reporter_keeps_the_typed_triage_unsaved(world):
    supervisor = world["supervisor"]
    client = client_for(supervisor)
    url = f"/admin/laporan/{world['tip'].pk}/identity/"
    refused = client.post(url, {**typed(supervisor), "reveal-reason": "other", "do": "reveal"})
    assert refused.status_code == 400
    assert_kept_unsaved(refused.content.decode(), supervisor, world["tip"])
    once = RevealIdentityForm(prefix="reveal", tip=world["tip"]).fields["once"].initial
    response = client.post(
        url,
        {
            **typed(supervisor),
            "reveal-reason": "contact",
            "reveal-confirm": "on",
            "reveal-once": once,
            "do": "reveal",
        },
    )
    # The identity and the typed triage come back in the answer to the POST itself.
    assert response.status_code == 200
    page = response.content.decode()
    assert "0812-0000-1111" in page
    assert_kept_unsaved(page, supervisor, world["tip"])


def test_a_button_pressed_with_nothing_typed_brings_nothing_back(world):
    referral, _link, _token = refer(world)
    world["tip"].refresh_from_db()
    officer = world["officer"]
    client = client_for(officer)
    untouched = {
        **typed(officer),
        "triage-status": world["tip"].status,
        "triage-assigned_to": "",
        "triage-note": "",
    }
    client.post(f"/admin/rujukan/{referral.pk}/cabut/", untouched)
    assert "Belum tersimpan." not in client.get(tip_page(world["tip"])).content.decode()
