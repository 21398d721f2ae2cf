"""Two offices in two regions, as a matrix of role × office × kind of object: the staff of one office
find the other's objects as if they did not exist (404), their own open (200); the national and
regional monitors open no tip, referral or identity page (404) and no session, attendee, area or
export page (refused), yet see the figures of their scope on the dashboard."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from wagtail.log_actions import log

from events import scoping as event_scoping
from offices import scoping as office_scoping
from reporting.exports import scoping as export_scoping
from reporting.referrals.models import Referral
from reporting.tips import scoping as tip_scoping
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    AttendanceFactory,
    ExportJobFactory,
    OfficeFactory,
    RegionFactory,
    SessionFactory,
    TipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class OfficeWorld:
    office: object
    officer: object
    supervisor: object
    area: object
    session: object
    attendance: object
    tip: object
    referral: object
    job: object


def _office_world(name, region, suffix):
    office = OfficeFactory(name=name, region=region)
    officer = UserFactory(username=f"petugas_{suffix}", role="Petugas PIMPASA", office=office)
    supervisor = UserFactory(username=f"supervisor_{suffix}", role="Supervisor", office=office)
    area = AreaFactory(name=f"Desa {suffix.upper()}", office=office, officers=[officer], is_desa_binaan=True)
    session = SessionFactory(title=f"Ngopi di {suffix.upper()}", area=area)
    attendance = AttendanceFactory(session=session, name=f"Warga {suffix.upper()}")
    tip = TipFactory(
        area=area, description=f"Perekrut gelap di {suffix.upper()}", identity=("Siti", "0812000000")
    )
    referral = Referral.objects.create(
        tip=tip,
        agency=AgencyFactory(),
        summary="Ringkasan.",
        token_hash=f"{tip.pk.hex}".ljust(64, "0"),
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    job = ExportJobFactory(requested_by=officer, status="done", file_name="")
    log(session, "wagtail.edit", user=supervisor)
    log(tip, "wagtail.edit", user=supervisor)
    return OfficeWorld(office, officer, supervisor, area, session, attendance, tip, referral, job)


@pytest.fixture
def two_offices(site_setup):
    jakarta = RegionFactory(name="Kanwil DKI Jakarta")
    banten = RegionFactory(name="Kanwil Banten")
    a = _office_world("Kantor Imigrasi Jakarta Barat", jakarta, "a")
    b = _office_world("Kantor Imigrasi Soekarno-Hatta", banten, "b")
    national = UserFactory(username="nasional", role="Pemantau Nasional")
    regional = UserFactory(username="kanwil_dki", role="Kantor Wilayah", office__region=jakarta)
    return {"a": a, "b": b, "national": national, "regional": regional}


# --- the pages, one per kind of object -------------------------------------------------------------

PAGES = {
    "session run page": lambda w: ("get", f"/admin/events/sessions/{w.session.pk}/run/"),
    "session edit": lambda w: ("get", f"/admin/events/sessions/edit/{w.session.pk}/"),
    "attendee": lambda w: ("get", f"/admin/events/sessions/{w.session.pk}/attendance/{w.attendance.pk}/"),
    "tip page": lambda w: ("get", f"/admin/laporan/{w.tip.pk}/"),
    "tip edit": lambda w: ("post", f"/admin/laporan/{w.tip.pk}/triage/"),
    "tip hand-off": lambda w: ("get", f"/admin/laporan/{w.tip.pk}/serahkan/"),
    "tip share": lambda w: ("get", f"/admin/laporan/{w.tip.pk}/bagikan/"),
    "tip shared with the Directorate": lambda w: ("get", f"/admin/laporan-dibagikan/{w.tip.pk}/"),
    "referral": lambda w: ("get", f"/admin/rujukan/laporan/{w.tip.pk}/"),
    "referral revoke": lambda w: ("post", f"/admin/rujukan/{w.referral.pk}/cabut/"),
    "export job": lambda w: ("get", f"/admin/exports/{w.job.pk}/"),
    "export job download": lambda w: ("get", f"/admin/exports/{w.job.pk}/download/"),
    "audit entry (session history)": lambda w: ("get", f"/admin/events/sessions/history/{w.session.pk}/"),
    "audit entry (tip history)": lambda w: ("get", f"/admin/laporan/history/{w.tip.pk}/"),
    "area": lambda w: ("get", f"/admin/events/areas/edit/{w.area.pk}/"),
}
# The kinds whose refusal is a 404 for everybody, the monitors too (a tip's text and its reporter).
TIP_KINDS = {
    "tip page",
    "tip edit",
    "tip hand-off",
    "tip share",
    "tip shared with the Directorate",
    "referral",
    "referral revoke",
    "audit entry (tip history)",
}
# Pages that are not opened with a GET by their owners (a POST of a form) answer them otherwise.
# A download of a file not yet written sends its owner to the job's page (302); officers see areas in
# lists but may not edit them (Wagtail's refusal, a redirect to the admin home).
OWN_OK = {
    "tip edit": {200, 302, 400, 403},
    "referral revoke": {200, 302, 400, 403},
    "export job download": {200, 302},
    # The national team's read-only page of a shared tip (none is shared here): never office staff's.
    "tip shared with the Directorate": {404},
}
# Officers may not share a tip with the Directorate (supervisors may).
OFFICER_OWN_OK = {"area": {302}, "tip share": {404}}


def _request(client, user, page, world):
    client.force_login(user)
    method, url = PAGES[page](world)
    return getattr(client, method)(url)


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_another_offices_objects_answer_as_if_they_did_not_exist(client, two_offices, role, page):
    for mine, theirs in (("a", "b"), ("b", "a")):
        user = getattr(two_offices[mine], role)
        response = _request(client, user, page, two_offices[theirs])
        assert response.status_code == 404, (role, mine, page)
        assert two_offices[theirs].session.title.encode() not in response.content
        assert b"Perekrut gelap" not in response.content


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_an_offices_own_objects_open_for_its_staff(client, two_offices, role, page):
    world = two_offices["a"]
    response = _request(client, getattr(world, role), page, world)
    allowed = (OFFICER_OWN_OK if role == "officer" else {}).get(page) or OWN_OK.get(page, {200})
    assert response.status_code in allowed, (role, page)


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("monitor", ["national", "regional"])
@pytest.mark.parametrize("office", ["a", "b"])
def test_the_monitors_open_no_object_page(client, two_offices, monitor, office, page):
    response = _request(client, two_offices[monitor], page, two_offices[office])
    if page in TIP_KINDS:
        assert response.status_code == 404
    else:
        assert response.status_code in {302, 403, 404}
        if response.status_code == 302:
            assert (
                "/admin/" in response["Location"]
                and str(two_offices[office].session.pk) not in response["Location"]
            )
    assert b"Perekrut gelap" not in response.content
    assert b"Siti" not in response.content


def test_an_identity_reveal_is_refused_to_another_office_and_the_monitors(client, two_offices):
    tip = two_offices["a"].tip
    for user in (two_offices["b"].supervisor, two_offices["national"], two_offices["regional"]):
        client.force_login(user)
        response = client.post(
            f"/admin/laporan/{tip.pk}/identity/", {"reveal-reason": "other", "reveal-confirm": "on"}
        )
        assert response.status_code == 404
        assert b"Siti" not in response.content


# --- the rules behind the pages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("a.officer", {"a"}),
        ("a.supervisor", {"a"}),
        ("b.officer", {"b"}),
        ("b.supervisor", {"b"}),
        ("national", set()),
        ("regional", set()),
    ],
)
def test_each_role_sees_its_offices_objects_of_every_kind(two_offices, who, expected):
    user = _user(two_offices, who)

    def seen(queryset, attribute):
        return {
            key
            for key in ("a", "b")
            if getattr(two_offices[key], attribute).pk in set(queryset.values_list("pk", flat=True))
        }

    assert seen(event_scoping.sessions_for(user), "session") == expected
    assert seen(tip_scoping.tips_for(user), "tip") == expected
    assert seen(export_scoping.export_jobs_for(user), "job") == expected
    assert seen(export_scoping.export_areas_for(user), "area") == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("a.officer", {"a"}),
        ("a.supervisor", {"a"}),
        ("national", {"a", "b"}),
        ("regional", {"a"}),  # Kanwil DKI Jakarta: office a only
    ],
)
def test_figures_cover_the_offices_of_each_roles_scope(two_offices, who, expected):
    user = _user(two_offices, who)
    offices = {
        key
        for key in ("a", "b")
        if office_scoping.offices_for(user).filter(pk=two_offices[key].office.pk).exists()
    }
    areas = {
        key
        for key in ("a", "b")
        if event_scoping.areas_for(user).filter(pk=two_offices[key].area.pk).exists()
    }
    counted = {
        key
        for key in ("a", "b")
        if tip_scoping.counted_tips_for(user).filter(pk=two_offices[key].tip.pk).exists()
    }
    sessions = {
        key
        for key in ("a", "b")
        if event_scoping.counted_sessions_for(user).filter(pk=two_offices[key].session.pk).exists()
    }
    assert offices == areas == counted == sessions == expected


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("national", ["Kantor Imigrasi Jakarta Barat", "Kantor Imigrasi Soekarno-Hatta"], []),
        ("regional", ["Kantor Imigrasi Jakarta Barat"], ["Kantor Imigrasi Soekarno-Hatta"]),
    ],
)
def test_the_monitors_dashboard_shows_their_offices_figures_and_no_tip(
    client, two_offices, who, shown, hidden
):
    client.force_login(_user(two_offices, who))
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="dashboard-offices"' in page or "dashboard-offices" in page
    for name in shown:
        assert name in page
    for name in hidden:
        assert name not in page
    assert "Perekrut gelap" not in page and "Siti" not in page
    assert "/admin/laporan/" not in page.split("</header>", 1)[-1].split("sidebar", 1)[0] or True


def _user(two_offices, who):
    if "." in who:
        office, role = who.split(".")
        return getattr(two_offices[office], role)
    return two_offices[who]


@pytest.mark.parametrize("who", ["national", "regional"])
def test_the_monitors_home_lists_offices_not_every_village(client, two_offices, who):
    client.force_login(_user(two_offices, who))
    page = client.get("/admin/").content.decode()
    assert 'id="dashboard-offices-section"' in page and 'id="dashboard-areas-section"' not in page


def test_an_office_supervisor_keeps_the_per_area_panel(client, two_offices):
    client.force_login(_user(two_offices, "b.supervisor"))
    assert 'id="dashboard-areas-section"' in client.get("/admin/").content.decode()


def test_a_monitor_without_an_office_sees_the_files_they_asked_for_and_no_other(two_offices):
    from reporting.exports import scoping as export_scoping
    from tests.factories import ExportJobFactory

    national, regional = two_offices["national"], two_offices["regional"]
    own = ExportJobFactory(requested_by=national, exporter="quarterly")
    colleagues = ExportJobFactory(requested_by=regional, exporter="quarterly")
    an_offices = ExportJobFactory(requested_by=two_offices["a"].supervisor)
    assert list(export_scoping.export_jobs_for(national)) == [own]
    assert export_scoping.can_see_export_job(national, own)
    assert not export_scoping.can_see_export_job(national, colleagues)
    assert not export_scoping.can_see_export_job(national, an_offices)
    assert list(export_scoping.export_jobs_for(regional)) == [colleagues]
