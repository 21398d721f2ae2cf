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


def test_the_officer_of_the_area_refers_and_sees_the_link_once(tip_to_refer, assert_page):
    client = client_for(tip_to_refer.officer)
    page = client.get(refer_url(tip_to_refer.tip))
    assert page.status_code == 200
    assert "BP3MI Jakarta" in page.content.decode()
    photo = tip_to_refer.tip.evidence.get(content_type="image/jpeg")
    response = client.post(
        refer_url(tip_to_refer.tip),
        {
            "agency": tip_to_refer.bp3mi.pk,
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
    tip_page = assert_page(client.get(f"/admin/laporan/{tip_to_refer.tip.pk}/"), "BP3MI Jakarta")
    assert link not in tip_page


def assert_refer_page_not_found(client, tip_to_refer):
    """Neither the page nor its POST exists for this user, and nothing is referred."""
    assert client.get(refer_url(tip_to_refer.tip)).status_code == 404
    assert (
        client.post(
            refer_url(tip_to_refer.tip), {"agency": tip_to_refer.bp3mi.pk, "summary": "x"}
        ).status_code
        == 404
    )
    assert not Referral.objects.exists()


def test_an_officer_of_another_area_cannot_open_the_refer_page(tip_to_refer):
    assert_refer_page_not_found(client_for(tip_to_refer.elsewhere), tip_to_refer)


def test_an_editor_cannot_refer(tip_to_refer, editor):
    # Editors see no tip, so the tip is not found (its existence is not confirmed).
    assert_refer_page_not_found(client_for(editor), tip_to_refer)


def test_a_bad_refer_form_keeps_what_was_typed(tip_to_refer):
    response = client_for(tip_to_refer.officer).post(
        refer_url(tip_to_refer.tip), {"agency": "", "summary": "Ringkasan saya"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ringkasan saya" in html and "diisi" in html
    assert not Referral.objects.exists() and mail.outbox == []


def test_a_second_referral_to_the_same_agency_is_refused_with_a_message(tip_to_refer):
    refer(tip_to_refer)
    response = client_for(tip_to_refer.officer).post(
        refer_url(tip_to_refer.tip), {"agency": tip_to_refer.bp3mi.pk, "summary": "Lagi"}
    )
    assert response.status_code == 400
    assert "BP3MI Jakarta" in response.content.decode()
    assert Referral.objects.count() == 1


def test_the_identity_choice_is_offered_only_when_the_reporter_consented(tip_to_refer, assert_page):
    client = client_for(tip_to_refer.officer)
    assert_page(client.get(refer_url(tip_to_refer.tip)), 'name="share_identity"')
    anonymous = TipFactory(area=tip_to_refer.area)
    page = assert_page(client.get(refer_url(anonymous)), 'name="summary"', anonymous.short_id)
    assert 'name="share_identity"' not in page


def test_revoke_and_approve_from_the_tip_page(tip_to_refer, assert_page):
    referral, _link, token = refer(tip_to_refer, share_identity=True)
    officer = client_for(tip_to_refer.officer)
    # An officer cannot approve sharing the identity; a supervisor can.
    officer.post(f"/admin/rujukan/{referral.pk}/identitas/")
    referral.refresh_from_db()
    assert referral.identity_approved_by is None
    officers_view = assert_page(officer.get(f"/admin/laporan/{tip_to_refer.tip.pk}/"), "BP3MI Jakarta")
    assert 'identitas/"' not in officers_view
    supervisor = client_for(tip_to_refer.supervisor)
    assert (
        f"/admin/rujukan/{referral.pk}/identitas/"
        in supervisor.get(f"/admin/laporan/{tip_to_refer.tip.pk}/").content.decode()
    )
    assert supervisor.post(f"/admin/rujukan/{referral.pk}/identitas/").status_code == 302
    referral.refresh_from_db()
    assert referral.identity_approved_by == tip_to_refer.supervisor
    # The officer of another area cannot revoke; the tip's officer can.
    client_for(tip_to_refer.elsewhere).post(f"/admin/rujukan/{referral.pk}/cabut/")
    assert services.open_link(token) == referral
    assert officer.post(f"/admin/rujukan/{referral.pk}/cabut/").status_code == 302
    with pytest.raises(services.LinkRefused):
        services.open_link(token)


def test_a_new_link_is_shown_once_and_mailed(tip_to_refer):
    referral, _link, _token = refer(tip_to_refer)
    response = client_for(tip_to_refer.officer).post(f"/admin/rujukan/{referral.pk}/tautan-baru/")
    assert response.status_code == 200
    new_link = mail.outbox[-1].body.split("\n")[3].strip()
    assert new_link in response.content.decode()


def test_the_tips_list_shows_each_tips_most_urgent_clock_with_flat_queries(
    tip_to_refer, django_assert_max_num_queries
):
    old = timezone.now() - datetime.timedelta(days=20)
    for index in range(30):
        tip = TipFactory(area=tip_to_refer.area)
        Tip.objects.filter(pk=tip.pk).update(created_at=old)
    refer(tip_to_refer)
    client = client_for(tip_to_refer.supervisor)
    client.get("/admin/laporan/")
    with django_assert_max_num_queries(27):
        response = client.get("/admin/laporan/")
    html = response.content.decode()
    assert html.count("clock--overdue") == 30  # the old tips: first triage overdue
    assert "clock--on_time" in html or "clock--due_soon" in html  # the referred tip


def test_the_dashboard_counts_overdue_items_of_the_users_tips_only(tip_to_refer, assert_page):
    tip = TipFactory(area=tip_to_refer.area)
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    assert_page(client_for(tip_to_refer.officer).get("/admin/"), tip.short_id)
    elsewhere_home = assert_page(client_for(tip_to_refer.elsewhere).get("/admin/"), "Laporan terbuka")
    assert tip.short_id not in elsewhere_home


def test_supervisors_edit_agencies_and_service_levels_officers_do_not(tip_to_refer):
    supervisor = client_for(tip_to_refer.supervisor)
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
    officer = client_for(tip_to_refer.officer)
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
    tip_to_refer, django_assert_num_queries
):
    from reporting.referrals.admin_views import deadline_summary

    long_ago = timezone.now() - datetime.timedelta(days=30)

    def old_tips(count):
        for _ in range(count):
            tip = TipFactory(area=tip_to_refer.area)
            Tip.objects.filter(pk=tip.pk).update(created_at=long_ago)

    supervisor = tip_to_refer.supervisor
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
    assert deadline_summary(tip_to_refer.elsewhere)["overdue_count"] == 0


def test_the_deadlines_panel_keeps_no_tip_text_or_reporter_in_the_shared_cache(tip_to_refer):
    import pickle

    from reporting.referrals.admin_views import deadline_summary

    tip = TipFactory(area=tip_to_refer.area, description="Calo bernama Pak Rahasia di pangkalan ojek.")
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    deadline_summary(tip_to_refer.supervisor)

    # What the cache stores (locmem keeps pickles, as Redis would): the summary, without the tip row.
    (kept,) = [value for key, value in cache._cache.items() if ":deadlines:" in key]
    assert pickle.loads(kept)["overdue_count"] == 2
    assert b"Rahasia" not in kept and b"reporter_identity" not in kept
    home = client_for(tip_to_refer.supervisor).get("/admin/").content.decode()
    assert f'href="/admin/laporan/{tip.pk}/"' in home and tip.short_id in home
