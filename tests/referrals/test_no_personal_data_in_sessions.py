"""No personal data in sessions or caches in the clear: a revealed identity is rendered into the
reveal's own response and kept nowhere; an unsaved triage draft is sealed with the Fernet keys,
expires, and goes with the tip's purge; expired sessions are deleted by a schedule; the dashboard's
cached figures hold no tip text or reporter."""

import io
import pickle
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule
from wagtail.models import ModelLogEntry

from pimpasa import sessions
from reporting.tips import drafts
from reporting.tips.forms import RevealIdentityForm
from reporting.tips.models import Tip, TriageDraft
from reporting.tips.services import retention
from tests.factories import TipFactory
from tests.referrals.conftest import refer
from tests.referrals.test_admin import client_for
from tests.referrals.test_triage_never_undoes import form_of, tip_page, triage_url

pytestmark = pytest.mark.django_db

NAME, PHONE = "Siti Contoh", "0000-1111"  # the phone's last digits, however it is written
NOTE = "Pak Darto dari Kampung Rawa, nomor 0813-5555-7777"


def raw_sessions():
    """Every session row as stored, decoded (what a copy of the database reads)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        rows = [row[0] for row in cursor.fetchall()]
    return [str(Session(session_data=row).get_decoded()) + row for row in rows]


def raw_drafts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM reporting_triagedraft")
        return [row[0] for row in cursor.fetchall()]


def once(tip):
    return RevealIdentityForm(prefix="reveal", tip=tip).fields["once"].initial


def reveal(client, tip, once_value, **extra):
    return client.post(
        f"/admin/laporan/{tip.pk}/identity/",
        {"reveal-reason": "contact", "reveal-confirm": "on", "reveal-once": once_value, **extra},
    )


def test_a_revealed_identity_is_shown_in_the_answer_and_stored_nowhere(tip_to_refer, assert_page):
    tip = tip_to_refer.tip
    client = client_for(tip_to_refer.supervisor)
    value = once(tip)
    response = reveal(client, tip, value)
    assert response.status_code == 200
    assert NAME in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    rows = raw_sessions()
    assert rows and not any(NAME in row or PHONE in row or "Siti" in row for row in rows)
    # The supervisor is called away: nothing waits anywhere for a later page view.
    assert NAME not in assert_page(client.get(tip_page(tip)), tip.short_id, 'name="triage-note"')
    # A reload posts the same form again: nothing shown, nothing recorded again.
    again = reveal(client, tip, value)
    assert NAME not in assert_page(again, "tidak ditampilkan lagi")
    assert ModelLogEntry.objects.filter(action="reporting.tip.identity_viewed").count() == 1


def test_a_reveal_form_of_another_tip_or_forged_is_refused(tip_to_refer, assert_page):
    tip = tip_to_refer.tip
    client = client_for(tip_to_refer.supervisor)
    other = TipFactory(area=tip_to_refer.area)
    for value in (once(other), "forged", ""):
        page = assert_page(reveal(client, tip, value), tip.short_id, status=400)
        assert NAME not in page
    assert not ModelLogEntry.objects.filter(action="reporting.tip.identity_viewed").exists()


def test_a_reveal_keeps_the_typed_triage_in_the_same_answer_without_storing_it(tip_to_refer, assert_page):
    tip, supervisor = tip_to_refer.tip, tip_to_refer.supervisor
    client = client_for(supervisor)
    values = form_of(client.get(tip_page(tip)).content.decode())
    response = reveal(client, tip, once(tip), **{**values, "triage-note": NOTE, "do": "reveal"})
    assert_page(response, NAME, f"{NOTE}</textarea>", "Belum tersimpan.")
    assert not any("Darto" in row for row in raw_sessions())
    assert not TriageDraft.objects.exists()


def test_a_draft_is_sealed_kept_out_of_the_session_and_read_once(tip_to_refer):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    client.post(triage_url(tip), {**values, "triage-note": NOTE, "do": "refer"})
    assert not any("Darto" in row or "0813" in row for row in raw_sessions())
    sealed = raw_drafts()
    assert len(sealed) == 1 and "Darto" not in sealed[0] and "0813" not in sealed[0]
    draft = TriageDraft.objects.get()
    assert timedelta(hours=3) < draft.expires_at - timezone.now() <= timedelta(hours=drafts.DRAFT_HOURS)
    assert f"{NOTE}</textarea>" in client.get(tip_page(tip)).content.decode()
    assert not TriageDraft.objects.exists()  # read once


def test_an_expired_draft_is_not_given_back_and_the_hourly_task_deletes_it(tip_to_refer, assert_page):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    client.post(triage_url(tip), {**values, "triage-note": NOTE, "do": "refer"})
    TriageDraft.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert drafts.delete_expired() == 1
    client.post(triage_url(tip), {**values, "triage-note": NOTE, "do": "refer"})
    TriageDraft.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    page = assert_page(client.get(tip_page(tip)), tip.short_id, 'name="triage-note"')
    assert NOTE not in page


def test_logging_out_forgets_the_officers_drafts(tip_to_refer):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    client.post(triage_url(tip), {**values, "triage-note": NOTE, "do": "refer"})
    assert TriageDraft.objects.count() == 1
    assert client.post("/admin/logout/").status_code == 302
    assert not TriageDraft.objects.exists()


def test_the_purge_reaches_the_drafts_of_a_tip(tip_to_refer):
    tip, officer = tip_to_refer.tip, tip_to_refer.officer
    client = client_for(officer)
    values = form_of(client.get(tip_page(tip)).content.decode())
    client.post(triage_url(tip), {**values, "triage-note": NOTE, "do": "refer"})
    Tip.objects.filter(pk=tip.pk).update(status="closed", closed_at=timezone.now() - timedelta(days=400))
    assert retention.purge_expired() == 1
    assert not TriageDraft.objects.exists()


def test_the_dashboard_caches_no_tip_text_or_reporter(tip_to_refer):
    cache.clear()
    refer(tip_to_refer)
    client = client_for(tip_to_refer.supervisor)
    assert client.get("/admin/").status_code == 200
    stored = b"".join(pickle.dumps(value) for value in cache._cache.values())
    assert stored  # the panels did fill the cache
    for secret in ("Calo di pangkalan", "Bang Jek", "Siti", "1111"):
        assert secret.encode() not in stored, secret


def test_setup_schedules_the_clean_ups_once_and_expired_sessions_go(tip_to_refer):
    call_command("setup", stdout=io.StringIO())
    call_command("setup", stdout=io.StringIO())
    schedule = Schedule.objects.get(name=sessions.CLEAR_SCHEDULE)
    assert Schedule.objects.filter(name=sessions.CLEAR_SCHEDULE).count() == 1
    assert schedule.schedule_type == Schedule.CRON and schedule.repeats == -1
    assert Schedule.objects.filter(func="reporting.tips.drafts.delete_expired").count() == 1
    live = client_for(tip_to_refer.officer)
    client_for(tip_to_refer.supervisor)
    assert Session.objects.count() == 2
    key = live.session.session_key
    Session.objects.exclude(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    import_string(schedule.func)()
    assert list(Session.objects.values_list("session_key", flat=True)) == [key]


def test_a_staff_session_lasts_a_working_day(tip_to_refer):
    client = client_for(tip_to_refer.officer)
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    assert timedelta(hours=11) < expires - timezone.now() <= timedelta(hours=12)
