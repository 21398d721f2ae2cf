"""Sharing a tip with the Directorate (issue 25, point 2): a supervisor of the tip's office shares it
with a note and may withdraw it; the national team then reads that tip, read-only and without its
reporter, in the "Shared with the Directorate" list; every other tip, and a withdrawn one, stays a 404."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from reporting.tips import scoping as tip_scoping
from reporting.tips.models import TipHistory, TipShare
from reporting.tips.services import shares
from tests.factories import AreaFactory, OfficeFactory, RegionFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Perekrut gelap di Kalibaru"
NAME, PHONE = "Siti Rahayu", "081299887766"


@pytest.fixture
def world(site_setup):
    region = RegionFactory(name="Kanwil DKI Jakarta")
    office_a = OfficeFactory(name="Kantor Imigrasi Jakarta Barat", region=region)
    office_b = OfficeFactory(name="Kantor Imigrasi Soekarno-Hatta", region=region)
    officer_a = UserFactory(username="petugas_a", role="Petugas PIMPASA", office=office_a)
    area_a = AreaFactory(name="Kelurahan Kalibaru", office=office_a, officers=[officer_a])
    tip = TipFactory(area=area_a, description=SECRET, identity=(NAME, PHONE))
    other = TipFactory(area=area_a, description="Tidak dibagikan sama sekali")
    TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.INTERNAL_NOTE, note="Catatan internal rahasia")
    return {
        "tip": tip,
        "other": other,
        "area": area_a,
        "officer_a": officer_a,
        "supervisor_a": UserFactory(username="supervisor_a", role="Supervisor", office=office_a),
        "supervisor_b": UserFactory(username="supervisor_b", role="Supervisor", office=office_b),
        "national": UserFactory(username="nasional", role="Pemantau Nasional"),
        "regional": UserFactory(username="kanwil", role="Kantor Wilayah", office__region=region),
    }


def _share(client, user, tip, note="Pola perekrutan lintas kantor."):
    client.force_login(user)
    return client.post(f"/admin/laporan/{tip.pk}/bagikan/", {"do": "share", "note": note})


# --- who may share -----------------------------------------------------------------------------------


def test_a_supervisor_of_the_tips_office_shares_it_with_a_note(client, world, assert_page):
    client.force_login(world["supervisor_a"])
    assert_page(client.get(f"/admin/laporan/{world['tip'].pk}/"), "/bagikan/", "Bagikan kepada Direktorat")
    assert_page(
        client.get(f"/admin/laporan/{world['tip'].pk}/bagikan/"),
        "Bagikan kepada Direktorat",
        "Mengapa Direktorat",
    )
    response = _share(client, world["supervisor_a"], world["tip"])
    assert response.status_code == 302
    share = TipShare.objects.get(tip=world["tip"])
    assert share.shared_by == world["supervisor_a"] and share.withdrawn_at is None
    assert share.note == "Pola perekrutan lintas kantor."


def test_the_note_is_required(client, world, assert_page):
    response = _share(client, world["supervisor_a"], world["tip"], note="   ")
    assert_page(response, "Jelaskan mengapa Direktorat perlu melihat laporan ini.", status=400)
    assert not TipShare.objects.exists()


def test_sharing_needs_the_permission_and_the_tips_office(client, world):
    # The officer sees the tip but holds no share permission; the other office's supervisor holds it
    # but the tip is not theirs; the monitors see no tip at all: all get a 404 and nothing is shared.
    for who in ("officer_a", "supervisor_b", "national", "regional"):
        client.force_login(world[who])
        assert client.get(f"/admin/laporan/{world['tip'].pk}/bagikan/").status_code == 404, who
        assert _share(client, world[who], world["tip"]).status_code == 404, who
        with pytest.raises(PermissionDenied):
            shares.share(world["tip"], world[who], "Alasan.")
    assert not TipShare.objects.exists()
    client.force_login(world["officer_a"])
    assert b"/bagikan/" not in client.get(f"/admin/laporan/{world['tip'].pk}/").content


def test_a_tip_is_shared_once_at_a_time(world):
    shares.share(world["tip"], world["supervisor_a"], "Alasan.")
    with pytest.raises(ValidationError):
        shares.share(world["tip"], world["supervisor_a"], "Lagi.")
    assert TipShare.objects.count() == 1


def test_sharing_and_withdrawing_are_in_the_history_and_the_audit_log(world):
    tip, supervisor = world["tip"], world["supervisor_a"]
    shares.share(tip, supervisor, "Alasan berbagi.")
    shares.withdraw(tip, supervisor)
    entries = list(tip.history.filter(kind__in=["shared_national", "share_withdrawn"]).order_by("id"))
    assert [(e.kind, e.actor, e.is_public) for e in entries] == [
        ("shared_national", supervisor, False),
        ("share_withdrawn", supervisor, False),
    ]
    assert entries[0].note == "Alasan berbagi."
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(tip.pk), action__startswith="reporting.tip.share")
        .order_by("id")
        .values_list("action", "user_id")
    )
    assert actions == [
        ("reporting.tip.shared_national", supervisor.pk),
        ("reporting.tip.share_withdrawn", supervisor.pk),
    ]


def test_the_reporter_never_sees_the_sharing(client, world):
    shares.share(world["tip"], world["supervisor_a"], "Alasan berbagi.")
    assert not world["tip"].history.filter(kind="shared_national", is_public=True).exists()


# --- what the national team reads -----------------------------------------------------------------


def test_the_national_team_reads_the_shared_tip_never_its_reporter(client, world, assert_page):
    tip = world["tip"]
    shares.share(tip, world["supervisor_a"], "Pola perekrutan lintas kantor.")
    client.force_login(world["national"])
    listing = assert_page(
        client.get("/admin/laporan-dibagikan/"), tip.short_id, "Kantor Imigrasi Jakarta Barat"
    )
    assert "Tidak dibagikan" not in listing
    page = assert_page(
        client.get(f"/admin/laporan-dibagikan/{tip.pk}/"),
        SECRET,
        "Kelurahan Kalibaru",
        "Kantor Imigrasi Jakarta Barat",
        "Pola perekrutan lintas kantor.",
    )
    for absent in (NAME, PHONE, "Siti", "Catatan internal rahasia", "/identity/", "/triage/", "/serahkan/"):
        assert absent not in page, absent
    # The office's own pages stay closed: the triage page, the reveal, the hand-off, the audit log.
    assert client.get(f"/admin/laporan/{tip.pk}/").status_code == 404
    reveal = client.post(
        f"/admin/laporan/{tip.pk}/identity/", {"reveal-reason": "other", "reveal-confirm": "on"}
    )
    assert reveal.status_code == 404 and b"Siti" not in reveal.content
    assert client.get(f"/admin/laporan/{tip.pk}/serahkan/").status_code == 404
    assert client.get(f"/admin/laporan/history/{tip.pk}/").status_code == 404
    assert client.get(f"/admin/laporan-dibagikan/{world['other'].pk}/").status_code == 404
    assert ModelLogEntry.objects.filter(
        object_id=str(tip.pk), action="reporting.tip.viewed", user=world["national"]
    ).exists()


def test_a_withdrawn_share_closes_the_tip_again(client, world):
    tip = world["tip"]
    shares.share(tip, world["supervisor_a"], "Alasan.")
    client.force_login(world["supervisor_a"])
    assert client.post(f"/admin/laporan/{tip.pk}/bagikan/", {"do": "withdraw"}).status_code == 302
    assert TipShare.objects.get(tip=tip).withdrawn_by == world["supervisor_a"]
    client.force_login(world["national"])
    assert client.get(f"/admin/laporan-dibagikan/{tip.pk}/").status_code == 404
    assert tip.short_id.encode() not in client.get("/admin/laporan-dibagikan/").content
    # and it may be shared again
    shares.share(tip, world["supervisor_a"], "Lagi.")
    assert client.get(f"/admin/laporan-dibagikan/{tip.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "supervisor_a", "supervisor_b", "regional"])
def test_only_the_national_team_has_the_shared_list(client, world, who):
    shares.share(world["tip"], world["supervisor_a"], "Alasan.")
    client.force_login(world[who])
    assert client.get("/admin/laporan-dibagikan/").status_code == 404
    response = client.get(f"/admin/laporan-dibagikan/{world['tip'].pk}/")
    assert response.status_code == 404 and SECRET.encode() not in response.content


def test_sharing_opens_no_other_tip_rule_to_the_national_team(world):
    # The triage, the lists, the exports and the dashboard read tips_for / can_see_tip: unchanged.
    national = world["national"]
    shares.share(world["tip"], world["supervisor_a"], "Alasan.")
    assert not tip_scoping.tips_for(national).exists()
    assert not tip_scoping.can_see_tip(national, world["tip"])
    assert not tip_scoping.may_reveal_identity(national, world["tip"])
    assert set(tip_scoping.shared_tips_for(national)) == {world["tip"]}
    assert not tip_scoping.shared_tips_for(world["regional"]).exists()
    assert not tip_scoping.shared_tips_for(world["supervisor_a"]).exists()
    # figures stay figures: both tips counted, shared or not
    assert set(tip_scoping.counted_tips_for(national)) == {world["tip"], world["other"]}


# Session, user, menu and page chrome, then the count and the page of shares (one query with its tips).
QUERIES_OF_THE_LIST = 11


@pytest.mark.parametrize("count", [3, 30])
def test_the_shared_list_costs_the_same_for_3_and_30_tips(client, world, django_assert_num_queries, count):
    for index in range(count):
        tip = TipFactory(area=world["area"], description=f"Laporan {index}")
        shares.share(tip, world["supervisor_a"], f"Alasan {index}.")
    client.force_login(world["national"])
    client.get("/admin/laporan-dibagikan/")  # warm the per-process caches
    with django_assert_num_queries(QUERIES_OF_THE_LIST):
        response = client.get("/admin/laporan-dibagikan/")
    assert response.status_code == 200
    assert response.content.count(b"/admin/laporan-dibagikan/") >= count


def test_the_menu_offers_the_shared_list_to_the_national_team_only(client, world):
    client.force_login(world["national"])
    assert b"/admin/laporan-dibagikan/" in client.get("/admin/").content
    client.force_login(world["supervisor_a"])
    assert b"/admin/laporan-dibagikan/" not in client.get("/admin/").content
