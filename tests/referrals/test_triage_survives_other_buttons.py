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


def test_every_post_button_of_the_tip_page_belongs_to_the_one_triage_form(tip_to_refer):
    refer(tip_to_refer, share_identity=True)
    page = client_for(tip_to_refer.supervisor).get(tip_page(tip_to_refer.tip)).content.decode()
    # One <form> posts; every other submit button names it (HTML form attribute, no script).
    assert len(re.findall(r'<form [^>]*method="post"', page)) == 1
    main = page[page.index('<div class="tip-detail">') :]
    buttons = re.findall(r"<button [^>]*>", main)
    outside = main[: main.index('id="triage-form"')]
    # default, reveal, approve, renew, revoke, refer, a ready question for the reporter, search, save
    assert len(buttons) == 9
    for button in re.findall(r"<button [^>]*>", outside):
        assert 'form="triage-form"' in button, button
    # The first (Enter's) button searches: it never saves, reveals or revokes.
    assert 'value="find"' in buttons[0]


@pytest.mark.parametrize("button", ["revoke", "renew", "approve"])
def test_a_referral_button_brings_the_typed_triage_back_unsaved(tip_to_refer, button, assert_page):
    referral, _link, _token = refer(tip_to_refer, share_identity=True)
    tip_to_refer.tip.refresh_from_db()
    supervisor = tip_to_refer.supervisor
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
        assert (response.status_code, response["Location"]) == (302, tip_page(tip_to_refer.tip))
    referral.refresh_from_db()
    if button == "revoke":
        assert referral.revoked_at is not None
    if button == "approve":
        assert referral.identity_approved_by == supervisor
    assert_kept_unsaved(client.get(tip_page(tip_to_refer.tip)).content.decode(), supervisor, tip_to_refer.tip)
    # Shown once: the next view is the tip as saved.
    as_saved = assert_page(
        client.get(tip_page(tip_to_refer.tip)), tip_to_refer.tip.short_id, 'name="triage-note"'
    )
    assert TYPED_NOTE not in as_saved


def test_refer_keeps_the_typed_triage_for_the_officers_return(tip_to_refer):
    officer = tip_to_refer.officer
    client = client_for(officer)
    response = client.post(f"/admin/laporan/{tip_to_refer.tip.pk}/triage/", {**typed(officer), "do": "refer"})
    assert response.status_code == 302 and response.url == f"/admin/rujukan/laporan/{tip_to_refer.tip.pk}/"
    assert Referral.objects.count() == 0
    assert_kept_unsaved(client.get(tip_page(tip_to_refer.tip)).content.decode(), officer, tip_to_refer.tip)


def test_revealing_the_reporter_keeps_the_typed_triage_unsaved(tip_to_refer):
    supervisor = tip_to_refer.supervisor
    client = client_for(supervisor)
    url = f"/admin/laporan/{tip_to_refer.tip.pk}/identity/"
    refused = client.post(url, {**typed(supervisor), "reveal-reason": "other", "do": "reveal"})
    assert refused.status_code == 400
    assert_kept_unsaved(refused.content.decode(), supervisor, tip_to_refer.tip)
    once = RevealIdentityForm(prefix="reveal", tip=tip_to_refer.tip).fields["once"].initial
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
    assert_kept_unsaved(page, supervisor, tip_to_refer.tip)


def test_a_button_pressed_with_nothing_typed_brings_nothing_back(tip_to_refer, assert_page):
    referral, _link, _token = refer(tip_to_refer)
    tip_to_refer.tip.refresh_from_db()
    officer = tip_to_refer.officer
    client = client_for(officer)
    untouched = {
        **typed(officer),
        "triage-status": tip_to_refer.tip.status,
        "triage-assigned_to": "",
        "triage-note": "",
    }
    assert client.post(f"/admin/rujukan/{referral.pk}/cabut/", untouched).status_code == 302
    page = assert_page(
        client.get(tip_page(tip_to_refer.tip)), tip_to_refer.tip.short_id, 'name="triage-note"'
    )
    assert "Belum tersimpan." not in page
