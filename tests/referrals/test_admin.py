"""The back office: the refer page (scoped, shows the link once), referral actions on the tip page,
the deadline column of the tips list (flat queries), the dashboard panel, agencies and service levels
edited by supervisors only."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting.models import Tip
from reporting.referrals.models import Agency, Referral, ServiceLevel
from reporting.referrals.services import referrals as services
from tests.factories import TipFactory
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def refer_url(tip):
    return f"/admin/rujukan/laporan/{tip.pk}/"


def test_the_officer_of_the_area_refers_and_sees_the_link_once(world):
    client = client_for(world["officer"])
    page = client.get(refer_url(world["tip"]))
    assert page.status_code == 200
    assert "BP3MI Jakarta" in page.content.decode()
    photo = world["tip"].evidence.get(content_type="image/jpeg")
    response = client.post(
        refer_url(world["tip"]),
        {
            "agency": world["bp3mi"].pk,
            "summary": "Ringkasan.",
            "share_category": "on",
            "evidence": [photo.pk],
        },
    )
    assert response.status_code == 200
    referral = Referral.objects.get()
    link = mail.outbox[0].body.split("\n")[3].strip()
    assert link in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert list(referral.shared_evidence.all()) == [photo]
    assert (referral.shares_category, referral.shares_area) == (True, False)
    # The tip page lists the referral, but the link is never shown again.
    tip_page = client.get(f"/admin/laporan/{world['tip'].pk}/").content.decode()
    assert "BP3MI Jakarta" in tip_page and link not in tip_page


def test_an_officer_of_another_area_cannot_open_the_refer_page(world):
    client = client_for(world["elsewhere"])
    assert client.get(refer_url(world["tip"])).status_code == 404
    assert (
        client.post(refer_url(world["tip"]), {"agency": world["bp3mi"].pk, "summary": "x"}).status_code == 404
    )
    assert not Referral.objects.exists()


def test_an_editor_cannot_refer(world, editor):
    client = client_for(editor)
    # Editors see no tip, so the tip is not found (its existence is not confirmed).
    assert client.get(refer_url(world["tip"])).status_code == 404
    assert (
        client.post(refer_url(world["tip"]), {"agency": world["bp3mi"].pk, "summary": "x"}).status_code == 404
    )
    assert not Referral.objects.exists()


def test_a_bad_refer_form_keeps_what_was_typed(world):
    response = client_for(world["officer"]).post(
        refer_url(world["tip"]), {"agency": "", "summary": "Ringkasan saya"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ringkasan saya" in html and "diisi" in html
    assert not Referral.objects.exists() and mail.outbox == []


def test_a_second_referral_to_the_same_agency_is_refused_with_a_message(world):
    refer(world)
    response = client_for(world["officer"]).post(
        refer_url(world["tip"]), {"agency": world["bp3mi"].pk, "summary": "Lagi"}
    )
    assert response.status_code == 400
    assert "BP3MI Jakarta" in response.content.decode()
    assert Referral.objects.count() == 1


def test_the_identity_choice_is_offered_only_when_the_reporter_consented(world):
    client = client_for(world["officer"])
    assert 'name="share_identity"' in client.get(refer_url(world["tip"])).content.decode()
    anonymous = TipFactory(area=world["area"])
    assert 'name="share_identity"' not in client.get(refer_url(anonymous)).content.decode()


def test_revoke_and_approve_from_the_tip_page(world):
    referral, _link, token = refer(world, share_identity=True)
    officer = client_for(world["officer"])
    # An officer cannot approve sharing the identity; a supervisor can.
    officer.post(f"/admin/rujukan/{referral.pk}/identitas/")
    referral.refresh_from_db()
    assert referral.identity_approved_by is None
    assert 'identitas/"' not in officer.get(f"/admin/laporan/{world['tip'].pk}/").content.decode()
    supervisor = client_for(world["supervisor"])
    assert (
        f"/admin/rujukan/{referral.pk}/identitas/"
        in supervisor.get(f"/admin/laporan/{world['tip'].pk}/").content.decode()
    )
    assert supervisor.post(f"/admin/rujukan/{referral.pk}/identitas/").status_code == 302
    referral.refresh_from_db()
    assert referral.identity_approved_by == world["supervisor"]
    # The officer of another area cannot revoke; the tip's officer can.
    client_for(world["elsewhere"]).post(f"/admin/rujukan/{referral.pk}/cabut/")
    assert services.open_link(token) == referral
    assert officer.post(f"/admin/rujukan/{referral.pk}/cabut/").status_code == 302
    with pytest.raises(services.LinkRefused):
        services.open_link(token)


def test_a_new_link_is_shown_once_and_mailed(world):
    referral, _link, _token = refer(world)
    response = client_for(world["officer"]).post(f"/admin/rujukan/{referral.pk}/tautan-baru/")
    assert response.status_code == 200
    new_link = mail.outbox[-1].body.split("\n")[3].strip()
    assert new_link in response.content.decode()


def test_the_tips_list_shows_each_tips_most_urgent_clock_with_flat_queries(
    world, django_assert_max_num_queries
):
    old = timezone.now() - datetime.timedelta(days=20)
    for index in range(30):
        tip = TipFactory(area=world["area"])
        Tip.objects.filter(pk=tip.pk).update(created_at=old)
    refer(world)
    client = client_for(world["supervisor"])
    client.get("/admin/laporan/")
    with django_assert_max_num_queries(27):
        response = client.get("/admin/laporan/")
    html = response.content.decode()
    assert html.count("clock--overdue") == 30  # the old tips: first triage overdue
    assert "clock--on_time" in html or "clock--due_soon" in html  # the referred tip


def test_the_dashboard_counts_overdue_items_of_the_users_tips_only(world):
    tip = TipFactory(area=world["area"])
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    officer_home = client_for(world["officer"]).get("/admin/").content.decode()
    assert tip.short_id in officer_home
    elsewhere_home = client_for(world["elsewhere"]).get("/admin/").content.decode()
    assert tip.short_id not in elsewhere_home


def test_supervisors_edit_agencies_and_service_levels_officers_do_not(world):
    supervisor = client_for(world["supervisor"])
    response = supervisor.post(
        "/admin/instansi/new/",
        {
            "name": "Disnaker Kota Uji",
            "kind": "disnaker",
            "whatsapp": "0811 1234 5678",
            "is_active": "on",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "1",
            "contacts-MAX_NUM_FORMS": "1000",
            "contacts-0-email": "pengaduan@disnaker.test",
            "contacts-0-name": "Meja pengaduan",
            "contacts-0-ORDER": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agency = Agency.objects.get(name="Disnaker Kota Uji")
    assert agency.whatsapp == "+6281112345678"
    assert list(agency.contacts.values_list("email", flat=True)) == ["pengaduan@disnaker.test"]
    level = ServiceLevel.objects.create(category="tppo")
    response = supervisor.post(
        f"/admin/tenggat/edit/{level.pk}/",
        {
            "category": "tppo",
            "triage_days": 2,
            "acknowledge_days": 3,
            "outcome_days": 20,
            "feedback_days": 10,
        },
    )
    assert response.status_code == 302
    level.refresh_from_db()
    assert (level.triage_days, level.outcome_days) == (2, 20)
    officer = client_for(world["officer"])
    assert officer.get("/admin/instansi/").status_code == 200  # may look
    # Wagtail's refusal: back to the dashboard, and nothing changed by a refused post.
    for url in ("/admin/instansi/new/", f"/admin/tenggat/edit/{level.pk}/"):
        response = officer.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    agencies = Agency.objects.count()
    for url, data in (
        ("/admin/instansi/new/", {"name": "Dinas Palsu", "kind": "disnaker", "is_active": "on"}),
        (f"/admin/tenggat/edit/{level.pk}/", {"category": "tppo", "triage_days": 9}),
    ):
        response = officer.post(url, data)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    level.refresh_from_db()
    assert (level.triage_days, Agency.objects.count()) == (2, agencies)


def test_the_deadlines_panel_costs_the_same_queries_however_many_tips_then_none_for_a_minute(
    world, django_assert_num_queries
):
    from reporting.referrals.admin_views import deadline_summary

    long_ago = timezone.now() - datetime.timedelta(days=30)

    def old_tips(count):
        for _ in range(count):
            tip = TipFactory(area=world["area"])
            Tip.objects.filter(pk=tip.pk).update(created_at=long_ago)

    supervisor = world["supervisor"]
    supervisor.has_perm("reporting.view_tip")  # the permission cache, loaded outside the count
    old_tips(2)
    with CaptureQueriesContext(connection) as few:
        summary = deadline_summary(supervisor)
    assert summary["overdue_count"] == 4  # two clocks overdue on each: first triage, word to the reporter
    cache.clear()
    old_tips(20)
    with CaptureQueriesContext(connection) as many:
        summary = deadline_summary(supervisor)
    assert summary["overdue_count"] == 44
    assert len(summary["overdue"]) == 10  # the panel lists the most overdue few
    assert len(many.captured_queries) == len(few.captured_queries)
    old_tips(1)
    with django_assert_num_queries(0):
        assert deadline_summary(supervisor)["overdue_count"] == 44  # a minute old at most, as the dashboard
    # Each officer's own copy: the officer elsewhere sees none of these tips.
    assert deadline_summary(world["elsewhere"])["overdue_count"] == 0


def test_the_deadlines_panel_keeps_no_tip_text_or_reporter_in_the_shared_cache(world):
    import pickle

    from reporting.referrals.admin_views import deadline_summary

    tip = TipFactory(area=world["area"], description="Calo bernama Pak Rahasia di pangkalan ojek.")
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    deadline_summary(world["supervisor"])

    # What the cache stores (locmem keeps pickles, as Redis would): the summary, without the tip row.
    (kept,) = [value for key, value in cache._cache.items() if ":deadlines:" in key]
    assert pickle.loads(kept)["overdue_count"] == 2
    assert b"Rahasia" not in kept and b"reporter_identity" not in kept
    home = client_for(world["supervisor"]).get("/admin/").content.decode()
    assert f'href="/admin/laporan/{tip.pk}/"' in home and tip.short_id in home
