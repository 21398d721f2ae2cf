"""Triage never undoes what happened meanwhile: a draft carries only what the officer changed (never
the page's old status), and a save from a page that no longer shows the tip as it is (another
officer's save, a referral, an agency's step, a change made elsewhere) is refused with what changed,
keeping what was typed."""

import html
import re

import pytest

from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import tips as tip_service
from tests.referrals.conftest import refer
from tests.referrals.test_admin import client_for

pytestmark = pytest.mark.django_db

NOTE = "Sudah saya telepon Pak RT, tunggu kabar."


def tip_page(tip):
    return f"/admin/laporan/{tip.pk}/"


def triage_url(tip):
    return f"/admin/laporan/{tip.pk}/triage/"


def form_of(page):
    """The triage form's values as the browser would post them (selected options, hidden fields)."""
    form = page[page.index('id="triage-form"') :]
    form = form[: form.index("</form>")]
    values = {}
    for name, value in re.findall(r'<input type="hidden" name="(triage-[^"]+)"(?: value="([^"]*)")?', form):
        values[name] = html.unescape(value)
    for name, body in re.findall(r'<select name="(triage-[^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = selected.group(1) if selected else ""
    for name, text in re.findall(r'<textarea name="(triage-[^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        values[name] = html.unescape(text)
    return values


def test_the_page_carries_what_it_showed(tip_to_refer):
    tip = tip_to_refer.tip
    values = form_of(client_for(tip_to_refer.officer).get(tip_page(tip)).content.decode())
    last = tip.history.order_by("-pk").first().pk
    assert values["triage-seen_history"] == str(last)
    assert values["triage-seen_status"] == "received"
    assert values["triage-seen_assigned_to"] == ""


def test_refer_then_save_keeps_forwarded_and_saves_the_note(tip_to_refer, assert_page):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    # The officer types a note, leaves the status as shown ("Diterima") and presses "Rujuk ke instansi".
    response = client.post(triage_url(tip), {**values, "triage-note": NOTE, "do": "refer"})
    assert response.status_code == 302
    refer(tip_to_refer)  # the referral is sent: the tip becomes "Diteruskan"
    back = client.get(tip_page(tip)).content.decode()
    assert "Belum tersimpan." in back and f"{NOTE}</textarea>" in back
    assert re.search(r'<option value="forwarded" selected>Diteruskan \(tetap\)</option>', back)
    again = form_of(back)
    assert again["triage-status"] == "forwarded" and again["triage-note"] == NOTE
    saved = client.post(triage_url(tip), {**again, "do": "save"})
    assert saved.status_code == 302
    tip.refresh_from_db()
    assert tip.status == Tip.Status.FORWARDED
    assert NOTE in list(tip.history.filter(kind="internal_note").values_list("note", flat=True))
    assert not tip.history.filter(kind="status").exists()  # nothing moved the status back
    # Saved: the draft is gone.
    saved_page = assert_page(client.get(tip_page(tip)), 'id="triage-form"', NOTE)  # in the history
    assert NOTE not in saved_page.split('id="triage-form"')[1]


def test_a_status_chosen_before_a_referral_is_not_given_back_over_it(tip_to_refer):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    client.post(
        triage_url(tip),
        {**values, "triage-status": "verifying", "triage-note": NOTE, "do": "refer"},
    )
    refer(tip_to_refer)
    back = client.get(tip_page(tip)).content.decode()
    assert f"{NOTE}</textarea>" in back
    assert re.search(r'<option value="forwarded" selected>', back)
    assert "Status yang Anda pilih tidak dipertahankan" in back


def test_a_save_after_another_officers_save_is_refused_with_what_changed_and_keeps_the_typing(tip_to_refer):
    tip, officer, supervisor = tip_to_refer.tip, tip_to_refer.officer, tip_to_refer.supervisor
    mine, theirs = client_for(officer), client_for(supervisor)
    my_values = form_of(mine.get(tip_page(tip)).content.decode())
    their_values = form_of(theirs.get(tip_page(tip)).content.decode())
    theirs.post(triage_url(tip), {**their_values, "triage-status": "verifying", "triage-note": "Saya cek."})
    response = mine.post(
        triage_url(tip),
        {**my_values, "triage-note": NOTE, "triage-public_note": "Terima kasih.", "do": "save"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Laporan ini diubah setelah Anda membukanya, jadi tidak ada yang disimpan." in page
    changed = page[page.index('id="changed-meanwhile"') :]
    changed = changed[: changed.index("</div>\n")]
    assert "Sedang diverifikasi" in changed and "Saya cek." in changed
    assert f"{NOTE}</textarea>" in page and "Terima kasih.</textarea>" in page
    assert NOTE not in list(tip.history.values_list("note", flat=True))
    tip.refresh_from_db()
    assert tip.status == "verifying"
    # The refused page shows the tip as it is now: saving again keeps "verifying" and adds the notes.
    again = form_of(page)
    assert again["triage-status"] == "verifying"
    assert mine.post(triage_url(tip), {**again, "do": "save"}).status_code == 302
    tip.refresh_from_db()
    assert tip.status == "verifying"
    assert list(tip.history.filter(actor=officer).values_list("kind", "note")) == [
        ("internal_note", NOTE),
        ("public_note", "Terima kasih."),
    ]


def test_a_save_after_a_referral_or_an_agency_step_is_refused(tip_to_refer):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    refer(tip_to_refer, user=tip_to_refer.supervisor)
    response = client.post(triage_url(tip), {**values, "triage-status": "verifying", "do": "save"})
    assert response.status_code == 409
    assert "Dirujuk ke instansi" in response.content.decode()
    tip.refresh_from_db()
    assert tip.status == Tip.Status.FORWARDED


def test_a_status_changed_without_a_history_entry_is_caught_too(tip_to_refer):
    tip = tip_to_refer.tip
    client = client_for(tip_to_refer.officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    Tip.objects.filter(pk=tip.pk).update(status=Tip.Status.NOT_ACTIONABLE)  # e.g. a bulk action
    response = client.post(triage_url(tip), {**values, "triage-note": NOTE, "do": "save"})
    assert response.status_code == 409 and tip.short_id in response.content.decode()
    assert NOTE not in list(TipHistory.objects.values_list("note", flat=True))


def test_the_service_refuses_a_stale_save_and_names_the_changes(tip_to_refer):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    seen = tip_service.seen_state(tip)
    refer(tip_to_refer)
    with pytest.raises(tip_service.StaleTriage) as refused:
        tip_service.triage(tip, officer, status="received", assigned_to=None, note="x", seen=seen)
    assert [entry.kind for entry in refused.value.changes] == ["referred"]
    tip.refresh_from_db()
    # Seen as it is now, the same save goes through.
    tip_service.triage(
        tip, officer, status=tip.status, assigned_to=None, note="x", seen=tip_service.seen_state(tip)
    )
    assert "x" in list(tip.history.filter(kind="internal_note").values_list("note", flat=True))


def test_a_status_the_tip_can_no_longer_take_is_dropped_and_said(tip_to_refer):
    tip, officer, supervisor = tip_to_refer.tip, tip_to_refer.officer, tip_to_refer.supervisor
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    tip_service.change_status(tip, supervisor, Tip.Status.NOT_ACTIONABLE, note="Bukan kewenangan kami.")
    response = client.post(
        triage_url(tip), {**values, "triage-status": "closed", "triage-note": NOTE, "do": "save"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert re.search(r'<option value="not_actionable" selected>', page)
    assert "Status yang Anda pilih tidak dipertahankan" in page and f"{NOTE}</textarea>" in page
