"""Triage that never loses work: one form for status, officer and notes (the current status selected,
a history row per change), a list built for triage, duplicates chosen from a search, and identity
reveals with a reason that a refresh does not repeat."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from reporting.tips.forms import RevealIdentityForm
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


def test_the_list_is_built_for_triage(client, officer, area, assert_page):
    session = SessionFactory(area=area, title="Ngopi RW 17")
    now = timezone.now()
    old = TipFactory(area=area, session=session, description="Perekrut datang ke rumah " * 10)
    Tip.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=9))
    newer_unassigned = TipFactory(area=area)
    assigned = TipFactory(area=area, assigned_to=UserFactory(first_name="Rina", last_name="Wulandari"))
    Tip.objects.filter(pk=assigned.pk).update(created_at=now - datetime.timedelta(days=20))
    closed = TipFactory(area=area, status=Tip.Status.CLOSED)
    client.force_login(officer)
    page = assert_page(client.get("/admin/laporan/"))
    # Unassigned first, the oldest of them first; then the assigned; closed ones not among them.
    positions = [page.index(tip.short_id) for tip in (old, newer_unassigned, assigned)]
    assert positions == sorted(positions)
    assert closed.short_id not in page
    assert "Rina Wulandari" in page and "Kalibaru" in page and "Ngopi RW 17" in page
    assert "Perekrut datang ke rumah Perekrut" in page  # an excerpt of what happened
    assert "1\xa0minggu, 2\xa0hari" in page  # how long it has waited
    assert '<table class="pimpasa-cards">' in page  # cards on a phone (admin.css)
    closed_page = assert_page(client.get("/admin/laporan/?state=closed"), closed.short_id)
    assert old.short_id not in closed_page


def test_search_by_the_id_shown_and_by_a_tracking_code(client, officer, area, assert_page):
    code = codes.new_code()
    wanted = TipFactory(area=area, tracking_code_hash=codes.hash_code(code))
    other = TipFactory(area=area)
    client.force_login(officer)
    for query in (wanted.short_id, wanted.short_id.lower(), code, code.lower()):
        page = assert_page(client.get("/admin/laporan/", {"q": query}), wanted.short_id)
        assert other.short_id not in page, query


def triage_url(tip):
    return f"/admin/laporan/{tip.pk}/triage/"


def typed(officer, **parts):
    """Everything an officer may type in the one triage form, with `parts` replacing some of it."""
    data = {
        "triage-status": "received",
        "triage-assigned_to": officer.pk,
        "triage-note": "Sudah telepon ketua RT.",
        "triage-public_note": "Laporan Anda sedang kami tangani.",
        "triage-forward_to": "",
        "triage-original_q": "",
        "triage-duplicate_of": "",
        "do": "save",
    }
    data.update({f"triage-{name}" if name != "do" else name: value for name, value in parts.items()})
    return data


def kinds_and_notes(tip):
    return list(tip.history.exclude(kind="received").values_list("kind", "note"))


def test_forwarding_saves_the_officer_and_notes_typed_beside_it_each_in_the_history(client, officer, area):
    tip = TipFactory(area=area)
    client.force_login(officer)
    response = client.post(triage_url(tip), typed(officer, forward_to="polri"), follow=True)
    assert response.redirect_chain == [(detail(tip), 302)]
    assert "Tersimpan." in response.content.decode()
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to) == (Tip.Status.FORWARDED, officer)
    assert kinds_and_notes(tip) == [
        ("forward", "Sudah telepon ketua RT."),
        ("assignment", ""),
        ("public_note", "Laporan Anda sedang kami tangani."),
    ]
    assert tip.history.get(kind="forward").forwarded_to == "polri"
    # The page now selects the new status as the current one.
    assert re.search(
        r'<option value="forwarded" selected>Diteruskan \(tetap\)</option>', response.content.decode()
    )


def test_searching_for_the_original_keeps_everything_typed_and_saves_nothing(client, officer, area):
    original = TipFactory(area=area, description="Calo di pangkalan ojek menawarkan kerja ke Malaysia")
    repeat = TipFactory(area=area, description="Ada calo lagi")
    hidden = TipFactory(area=AreaFactory(), description="Calo di pelabuhan")
    client.force_login(officer)
    response = client.post(
        triage_url(repeat),
        typed(officer, status="verifying", forward_to="bp3mi", original_q="calo", do="find"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    # The matches are offered (only tips this officer may see), chosen with a radio button, not pasted.
    assert f'value="{original.pk}"' in page and f'value="{hidden.pk}"' not in page
    assert 'type="radio" name="triage-duplicate_of"' in page
    # Everything typed is still there, as typed.
    assert '<option value="verifying" selected>' in page
    assert f'<option value="{officer.pk}" selected>' in page
    assert '<option value="bp3mi" selected>' in page
    assert "Sudah telepon ketua RT.</textarea>" in page
    assert "Laporan Anda sedang kami tangani.</textarea>" in page
    assert 'value="calo"' in page
    # Nothing was saved, and the page says so rather than "saved".
    assert "Belum tersimpan." in page and "Tersimpan." not in page
    assert TipHistory.objects.filter(tip=repeat).exclude(kind="received").count() == 0
    repeat.refresh_from_db()
    assert (repeat.status, repeat.assigned_to) == (Tip.Status.RECEIVED, None)


def test_marking_a_duplicate_saves_the_officer_and_notes_typed_beside_it(client, officer, area):
    original = TipFactory(area=area, description="Calo di pangkalan ojek")
    repeat = TipFactory(area=area, description="Ada calo lagi")
    client.force_login(officer)
    response = client.post(triage_url(repeat), typed(officer, original_q="calo", duplicate_of=original.pk))
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.duplicate_of == original and repeat.status == Tip.Status.CLOSED
    assert repeat.assigned_to == officer
    assert kinds_and_notes(repeat) == [
        ("duplicate", "Sudah telepon ketua RT."),
        ("assignment", ""),
        ("public_note", "Laporan Anda sedang kami tangani."),
    ]


@pytest.mark.parametrize(
    "parts, message",
    [
        ({"status": "closed", "forward_to": "polri"}, "Meneruskan membuat statusnya"),
        ({"status": "verifying", "duplicate_of": "original"}, "Duplikat ditutup"),
        ({"forward_to": "polri", "duplicate_of": "original"}, "tidak dapat diteruskan"),
        ({"duplicate_of": "hidden"}, "Masukkan pilihan yang valid"),
    ],
)
def test_contradictions_save_nothing_and_keep_every_part_typed(client, officer, area, parts, message):
    original = TipFactory(area=area, description="Calo di pangkalan ojek")
    hidden = TipFactory(area=AreaFactory(), description="Calo di pelabuhan")
    tip = TipFactory(area=area)
    chosen = {"original": original.pk, "hidden": hidden.pk}
    parts = {name: chosen.get(value, value) for name, value in parts.items()}
    client.force_login(officer)
    response = client.post(triage_url(tip), typed(officer, original_q="calo", **parts))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert (
        "Sudah telepon ketua RT.</textarea>" in page
        and "Laporan Anda sedang kami tangani.</textarea>" in page
    )
    assert f'<option value="{officer.pk}" selected>' in page
    assert f'<option value="{parts.get("status", "received")}" selected>' in page
    if parts.get("duplicate_of") == original.pk:
        assert re.search(rf'value="{original.pk}"[^>]*checked', page)
    assert "Belum tersimpan." in page and "Tersimpan." not in page
    assert "Tidak ada yang disimpan: periksa formulir triase di bawah." in page
    assert TipHistory.objects.filter(tip=tip).count() == 0
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to, tip.duplicate_of) == (Tip.Status.RECEIVED, None, None)


def test_saving_with_nothing_changed_does_not_say_saved(client, officer, area, assert_page):
    tip = TipFactory(area=area, assigned_to=officer)
    client.force_login(officer)
    response = client.post(triage_url(tip), typed(officer, note="", public_note=""), follow=True)
    page = assert_page(response, "Tidak ada yang berubah, jadi tidak ada yang disimpan.")
    assert "Tersimpan." not in page
    assert TipHistory.objects.filter(tip=tip).count() == 0


@pytest.mark.parametrize("old_action", ["forward", "duplicate", "assign", "note"])
def test_there_is_no_second_form_to_lose_work_to(client, officer, area, old_action):
    tip = TipFactory(area=area)
    client.force_login(officer)
    page = client.get(detail(tip)).content.decode()
    # One form posts triage; no other form on the page changes the tip's triage.
    assert len(re.findall(rf'<form [^>]*action="/admin/laporan/{tip.pk}/', page)) == 1
    assert client.post(f"/admin/laporan/{tip.pk}/{old_action}/", {}).status_code == 404


def test_revealing_an_identity_needs_a_reason_and_a_confirmation_and_a_refresh_reveals_nothing(
    client, supervisor, area, assert_page
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

    once = RevealIdentityForm(prefix="reveal", tip=tip).fields["once"].initial
    asked = {
        "reveal-reason": "other",
        "reveal-details": "Diminta Babinsa",
        "reveal-confirm": "on",
        "reveal-once": once,
    }
    # The identity is in the answer to the POST itself (kept nowhere for a later view).
    response = client.post(url, asked)
    assert response.status_code == 200 and "0812-0000-1111" in response.content.decode()
    entry = ModelLogEntry.objects.get(action="reporting.tip.identity_viewed")
    assert entry.data["reason"] == "Alasan lain (tulis di bawah): Diminta Babinsa"
    # Reloading (the browser posts the same form again) shows nothing and records nothing more.
    reloaded = assert_page(client.post(url, asked), "tidak ditampilkan lagi")
    assert "0812-0000-1111" not in reloaded
    # Opening the page again shows the form, not the identity.
    again = assert_page(client.get(detail(tip)), "Mengapa Anda perlu melihat siapa pelapornya?")
    assert "0812-0000-1111" not in again
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
