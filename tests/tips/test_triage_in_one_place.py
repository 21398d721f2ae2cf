"""Triage that never loses work: one form for status, officer and notes (the current status selected,
a history row per change), a list built for triage, duplicates chosen from a search, and identity
reveals with a reason that a refresh does not repeat."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import codes
from reporting.tips.services import tips as tip_service
from tests.factories import AreaFactory, SessionFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(officer):
    return AreaFactory(name="Kalibaru", officers=[officer])


def detail(tip):
    return f"/admin/laporan/{tip.pk}/"


def test_one_save_records_status_officer_and_both_notes_each_in_the_history(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    response = client.post(
        f"/admin/laporan/{tip.pk}/triage/",
        {
            "triage-status": "verifying",
            "triage-assigned_to": officer.pk,
            "triage-note": "Cek ke RT besok.",
            "triage-public_note": "Laporan Anda sedang kami periksa.",
        },
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to) == ("verifying", officer)
    kinds = list(tip.history.exclude(kind="received").values_list("kind", "note"))
    assert kinds == [
        ("status", "Cek ke RT besok."),
        ("assignment", ""),
        ("public_note", "Laporan Anda sedang kami periksa."),
    ]


def test_the_current_status_is_selected_and_saving_it_changes_nothing(client, officer, area):
    tip = TipFactory(area=area, status=Tip.Status.VERIFYING)
    client.force_login(officer)
    page = client.get(detail(tip)).content.decode()
    assert re.search(r'<option value="verifying" selected>Sedang diverifikasi \(tetap\)</option>', page)
    client.post(
        f"/admin/laporan/{tip.pk}/triage/", {"triage-status": "verifying", "triage-note": "Masih dicek."}
    )
    assert list(tip.history.values_list("kind", flat=True)) == ["internal_note"]
    tip.refresh_from_db()
    assert tip.status == "verifying"


def test_a_refused_change_keeps_everything_typed_and_saves_nothing(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    response = client.post(
        f"/admin/laporan/{tip.pk}/triage/",
        {
            "triage-status": "followed_up",
            "triage-assigned_to": officer.pk,
            "triage-note": "Catatan panjang saya",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Catatan panjang saya</textarea>" in page
    assert TipHistory.objects.filter(tip=tip).count() == 0
    tip.refresh_from_db()
    assert tip.assigned_to is None


def test_the_list_is_built_for_triage(client, officer, area):
    session = SessionFactory(area=area, title="Ngopi RW 17")
    now = timezone.now()
    old = TipFactory(area=area, session=session, description="Perekrut datang ke rumah " * 10)
    Tip.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=9))
    newer_unassigned = TipFactory(area=area)
    assigned = TipFactory(area=area, assigned_to=UserFactory(first_name="Rina", last_name="Wulandari"))
    Tip.objects.filter(pk=assigned.pk).update(created_at=now - datetime.timedelta(days=20))
    closed = TipFactory(area=area, status=Tip.Status.CLOSED)
    client.force_login(officer)
    page = client.get("/admin/laporan/").content.decode()
    # Unassigned first, the oldest of them first; then the assigned; closed ones not among them.
    positions = [page.index(tip.short_id) for tip in (old, newer_unassigned, assigned)]
    assert positions == sorted(positions)
    assert closed.short_id not in page
    assert "Rina Wulandari" in page and "Kalibaru" in page and "Ngopi RW 17" in page
    assert "Perekrut datang ke rumah Perekrut" in page  # an excerpt of what happened
    assert "1\xa0minggu, 2\xa0hari" in page  # how long it has waited
    assert '<table class="pimpasa-cards">' in page  # cards on a phone (admin.css)
    closed_page = client.get("/admin/laporan/?state=closed").content.decode()
    assert closed.short_id in closed_page and old.short_id not in closed_page


def test_search_by_the_id_shown_and_by_a_tracking_code(client, officer, area):
    code = codes.new_code()
    wanted = TipFactory(area=area, tracking_code_hash=codes.hash_code(code))
    other = TipFactory(area=area)
    client.force_login(officer)
    for query in (wanted.short_id, wanted.short_id.lower(), code, code.lower()):
        page = client.get("/admin/laporan/", {"q": query}).content.decode()
        assert wanted.short_id in page and other.short_id not in page, query


def test_a_duplicate_is_chosen_from_a_search_not_pasted(client, officer, area):
    original = TipFactory(area=area, description="Calo di pangkalan ojek menawarkan kerja ke Malaysia")
    repeat = TipFactory(area=area, description="Ada calo lagi")
    hidden = TipFactory(area=AreaFactory(), description="Calo di pelabuhan")
    client.force_login(officer)
    page = client.get(detail(repeat), {"original_q": "calo"}).content.decode()
    assert f'value="{original.pk}"' in page and f'value="{hidden.pk}"' not in page
    assert 'type="radio" name="duplicate-original"' in page
    response = client.post(f"/admin/laporan/{repeat.pk}/duplicate/", {"duplicate-original": original.pk})
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.duplicate_of == original and repeat.status == Tip.Status.CLOSED


def test_revealing_an_identity_needs_a_reason_and_a_confirmation_and_a_refresh_reveals_nothing(
    client, supervisor, area
):
    tip, _code = tip_service.submit_tip(
        tip_service.Submission(
            category="tppo",
            description="Ada calo",
            area=area,
            reporter_name="Siti Contoh",
            reporter_contact="0812-0000-1111",
            consent=True,
        )
    )
    client.force_login(supervisor)
    url = f"/admin/laporan/{tip.pk}/identity/"
    refused = client.post(url, {"reveal-reason": "other", "reveal-details": ""})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Tuliskan alasannya." in page and "Pastikan Anda paham bahwa tampilan ini dicatat." in page
    assert "0812-0000-1111" not in page
    assert not ModelLogEntry.objects.filter(action="reporting.tip.identity_viewed").exists()

    response = client.post(
        url, {"reveal-reason": "other", "reveal-details": "Diminta Babinsa", "reveal-confirm": "on"}
    )
    assert response.status_code == 302 and response.url == detail(tip) + "#reporter"
    assert "0812-0000-1111" in client.get(detail(tip)).content.decode()
    entry = ModelLogEntry.objects.get(action="reporting.tip.identity_viewed")
    assert entry.data["reason"] == "Alasan lain (tulis di bawah): Diminta Babinsa"
    # Reloading the page shows the form again, not the identity, and records nothing more.
    again = client.get(detail(tip)).content.decode()
    assert "0812-0000-1111" not in again and "Mengapa Anda perlu melihat siapa pelapornya?" in again
    assert ModelLogEntry.objects.filter(action="reporting.tip.identity_viewed").count() == 1


def test_the_tip_list_costs_the_same_queries_for_5_or_25_tips(
    client, officer, area, django_assert_max_num_queries
):
    TipFactory.create_batch(5, area=area)
    client.force_login(officer)
    client.get("/admin/laporan/")
    with django_assert_max_num_queries(40) as few:
        client.get("/admin/laporan/")
    TipFactory.create_batch(20, area=area, assigned_to=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/laporan/")
