"""The officers' back office: who may do what (a matrix), the session tools, QR images, query counts."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from wagtail.models import ModelLogEntry

from events.models import Area, Attendance, Guest, Session
from tests.factories import AttendanceFactory, GuestFactory, SessionFactory

pytestmark = pytest.mark.django_db

ROLES = ["editor", "own_officer", "other_officer", "supervisor"]


def login(client, session_in_own_area, role):
    client.force_login(session_in_own_area.user(role))
    return client


# The matrix: each role against each read action on a session (GET) ------------------------------

SESSION_PAGES = [
    "/admin/events/sessions/{pk}/run/",
    "/admin/events/sessions/edit/{pk}/",
    "/admin/events/sessions/{pk}/poster/",
    "/admin/events/sessions/{pk}/projector/",
    "/admin/events/sessions/{pk}/projector/state/",
    "/admin/events/sessions/{pk}/qr.png",
    "/admin/events/sessions/{pk}/qr.svg",
    "/admin/events/sessions/{pk}/share.png",
    "/admin/events/sessions/{pk}/minutes/",
    "/admin/events/sessions/{pk}/guests/",
    "/admin/events/sessions/{pk}/scan/",
]
ALLOWED = {"editor": False, "own_officer": True, "other_officer": False, "supervisor": True}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", SESSION_PAGES)
def test_session_pages_role_matrix(client, session_in_own_area, role, page):
    login(client, session_in_own_area, role)
    response = client.get(page.format(pk=session_in_own_area.session.pk))
    if ALLOWED[role]:
        assert response.status_code == 200
    else:
        # A session outside the user's scope answers as if it did not exist (issue 25).
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_session_list_shows_only_the_sessions_in_scope(client, session_in_own_area, role, assert_page):
    elsewhere = SessionFactory(title="Sesi wilayah lain")
    login(client, session_in_own_area, role)
    response = client.get("/admin/events/sessions/")
    if role == "editor":
        assert response.status_code == 302
        return
    body = assert_page(response, 'href="/admin/events/sessions/new/"')  # the list, whatever it holds
    assert (session_in_own_area.session.title in body) is ALLOWED[role]
    assert ("Sesi wilayah lain" in body) is (role == "supervisor")
    assert elsewhere.pk


def test_officer_listed_on_a_session_elsewhere_sees_it(client, session_in_own_area):
    other = session_in_own_area.other_officer
    session = session_in_own_area.session
    client.force_login(other)
    refused = client.get(f"/admin/events/sessions/{session.pk}/run/")
    assert refused.status_code == 404
    session.officers.add(other)
    response = client.get(f"/admin/events/sessions/{session.pk}/run/")
    assert response.status_code == 200
    assert session.title in response.content.decode()


# The matrix for the changing actions (POST) -------------------------------------------------------


def walk_in(session):
    return (
        f"/admin/events/sessions/{session.pk}/walk-in/",
        {
            "walkin-name": "Nenek Ijah",
            "walkin-gender": "f",
            "walkin-age_group": "gt60",
            "walkin-rw": "19",
            "walkin-consent": "on",
        },
    )


def start(session):
    return f"/admin/events/sessions/{session.pk}/status/start/", {}


def minutes(session):
    return f"/admin/events/sessions/{session.pk}/minutes/", {"minutes": "Notulen rapat."}


def correct(session):
    attendance = AttendanceFactory(session=session, name="Sitti")
    return (
        f"/admin/events/sessions/{session.pk}/attendance/{attendance.pk}/",
        {"name": "Siti", "phone": "", "gender": "f", "age_group": "26-35", "rw": "17"},
    )


def remove(session):
    attendance = AttendanceFactory(session=session)
    return f"/admin/events/sessions/{session.pk}/attendance/{attendance.pk}/remove/", {}


def register_guest(session):
    return (
        f"/admin/events/sessions/{session.pk}/guests/",
        {"name": "Pak Budi", "institution": "Disnaker", "gender": "m", "age_group": "36-45", "consent": "on"},
    )


def invalidate_qr(session):
    return f"/admin/events/sessions/{session.pk}/invalidate-qr/", {}


def edit(session):
    return (
        f"/admin/events/sessions/edit/{session.pk}/",
        {
            "kind": "ngopi",
            "title": "Judul baru",
            "area": session.area_id,
            "venue": session.venue,
            "target_rws": "",
            "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
            "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%d %H:%M"),
            "checkin_opens_minutes_before": 30,
            "checkin_closes_minutes_after": 30,
            "organising_unit": "",
            "capacity": "",
            "status": "scheduled",
            "is_public": "on",
            "minutes": "",
        },
    )


ACTIONS = {
    "walk_in": (walk_in, lambda s: s.attendances.filter(name="Nenek Ijah").exists()),
    "start": (start, lambda s: Session.objects.get(pk=s.pk).status == "ongoing"),
    "minutes": (minutes, lambda s: Session.objects.get(pk=s.pk).minutes == "Notulen rapat."),
    "correct": (correct, lambda s: s.attendances.filter(name="Siti").exists()),
    "remove": (remove, lambda s: not s.attendances.exists()),
    "register_guest": (register_guest, lambda s: Guest.objects.filter(session=s).exists()),
    "edit": (edit, lambda s: Session.objects.get(pk=s.pk).title == "Judul baru"),
    "invalidate_qr": (invalidate_qr, lambda s: Session.objects.get(pk=s.pk).pass_generation == 2),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_session_actions_role_matrix(client, session_in_own_area, role, action):
    make_request, happened = ACTIONS[action]
    session = session_in_own_area.session
    url, data = make_request(session)
    login(client, session_in_own_area, role)
    response = client.post(url, data)
    if ALLOWED[role]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert happened(session)
    else:
        assert response.status_code == 404  # outside their scope: as if it did not exist
        assert not happened(session)


@pytest.mark.parametrize(
    "role, allowed", [("own_officer", True), ("other_officer", False), ("supervisor", True)]
)
def test_creating_a_session_only_in_an_area_of_ones_own(client, session_in_own_area, role, allowed):
    login(client, session_in_own_area, role)
    start_at = timezone.localtime() + timedelta(days=1)
    data = {
        **edit(session_in_own_area.session)[1],
        "title": "Sesi baru",
        "starts_at": start_at.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (start_at + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
    }
    response = client.post("/admin/events/sessions/new/", data)
    created = Session.objects.filter(title="Sesi baru").first()
    assert (created is not None) is allowed, response.content.decode()[:3000] if allowed else ""
    if created:
        assert created.created_by == session_in_own_area.user(role)


@pytest.mark.parametrize("role, allowed", [("own_officer", False), ("supervisor", True)])
def test_only_supervisors_edit_areas(client, session_in_own_area, role, allowed):
    login(client, session_in_own_area, role)
    area = session_in_own_area.area
    response = client.get(f"/admin/events/areas/edit/{area.pk}/")
    if allowed:
        assert response.status_code == 200
        assert f'value="{area.name}"' in response.content.decode()
    else:
        # Wagtail's refusal: back to the dashboard with a message.
        assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_officer_sees_only_own_areas(client, session_in_own_area, assert_page):
    login(client, session_in_own_area, "own_officer")
    body = assert_page(client.get("/admin/events/areas/"), session_in_own_area.area.name)
    other_names = Area.objects.exclude(pk=session_in_own_area.area.pk).values_list("name", flat=True)
    assert all(name not in body for name in other_names)


# The tools ---------------------------------------------------------------------------------------


def test_run_page_shows_totals_and_refusals_in_few_queries(
    client, session_in_own_area, django_assert_max_num_queries
):
    session = session_in_own_area.session
    for n in range(30):
        AttendanceFactory(session=session, gender="fm"[n % 2], rw=str(17 + n % 3))
    login(client, session_in_own_area, "own_officer")
    client.get(f"/admin/events/sessions/{session.pk}/run/")  # warm caches (menus, permissions)
    with django_assert_max_num_queries(25):
        response = client.get(f"/admin/events/sessions/{session.pk}/run/")
    body = response.content.decode()
    assert '<span class="run-summary__number" aria-live="polite">30</span> peserta' in body
    # The same number of queries with 30 or 60 attendees: no query per row.
    for n in range(30):
        AttendanceFactory(session=session)
    with django_assert_max_num_queries(25):
        client.get(f"/admin/events/sessions/{session.pk}/run/")


def test_projector_state_is_one_cheap_json(client, session_in_own_area, django_assert_max_num_queries):
    session = session_in_own_area.session
    AttendanceFactory.create_batch(3, session=session)
    login(client, session_in_own_area, "own_officer")
    client.get(f"/admin/events/sessions/{session.pk}/projector/state/")
    with django_assert_max_num_queries(8):
        response = client.get(f"/admin/events/sessions/{session.pk}/projector/state/")
    state = response.json()
    assert state["count"] == 3 and "<svg" in state["svg"]


def test_projector_works_without_javascript(client, session_in_own_area):
    login(client, session_in_own_area, "own_officer")
    body = client.get(f"/admin/events/sessions/{session_in_own_area.session.pk}/projector/").content.decode()
    assert 'http-equiv="refresh"' in body
    assert 'id="attendance-count"' in body


def decode_png(content):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1
    return results[0].text


def test_qr_png_carries_the_public_url_never_the_request_host(client, session_in_own_area, settings):
    settings.PIMPASA_PUBLIC_URL = "https://pimpasa.example.id"
    login(client, session_in_own_area, "own_officer")
    session = session_in_own_area.session
    response = client.get(f"/admin/events/sessions/{session.pk}/qr.png", HTTP_HOST="evil.example.com")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    url = decode_png(response.content)
    assert url.startswith(f"https://pimpasa.example.id/sesi/{session.pk}/hadir/?t=")
    assert "evil" not in url
    # The share image for WhatsApp carries the same address.
    share = client.get(f"/admin/events/sessions/{session.pk}/share.png", HTTP_HOST="evil.example.com")
    assert decode_png(share.content) == url


def test_poster_shows_the_session_and_three_steps(client, session_in_own_area):
    login(client, session_in_own_area, "own_officer")
    body = client.get(f"/admin/events/sessions/{session_in_own_area.session.pk}/poster/").content.decode()
    assert session_in_own_area.session.title in body
    assert body.count("<li>") == 3
    assert "<svg" in body


def test_walk_in_with_bad_phone_keeps_what_was_typed(client, session_in_own_area):
    login(client, session_in_own_area, "own_officer")
    session = session_in_own_area.session
    response = client.post(
        f"/admin/events/sessions/{session.pk}/walk-in/",
        {"walkin-name": "Nenek Ijah", "walkin-phone": "12", "walkin-gender": "f", "walkin-age_group": "gt60"},
    )
    assert response.status_code == 400
    assert 'value="Nenek Ijah"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_ticket_scan_form_checks_the_guest_in_without_javascript(client, session_in_own_area):
    from events.services import tokens

    login(client, session_in_own_area, "own_officer")
    guest = GuestFactory(session=session_in_own_area.session)
    ticket = client.get(f"/admin/events/sessions/{guest.session_id}/guests/{guest.pk}/ticket/?format=png")
    token = decode_png(ticket.content)
    assert token == tokens.ticket_token(guest)
    response = client.post(f"/admin/events/sessions/{guest.session_id}/scan/", {"ticket": token})
    assert response.status_code == 200
    assert Attendance.objects.get().guest == guest
    forged = client.post(f"/admin/events/sessions/{guest.session_id}/scan/", {"ticket": "xyz"})
    assert forged.status_code == 403


def test_corrections_and_removals_appear_in_the_audit_trail(client, session_in_own_area):
    login(client, session_in_own_area, "own_officer")
    session = session_in_own_area.session
    url, data = correct(session)
    client.post(url, data)
    url, data = remove(session)
    client.post(url, data)
    actions = set(ModelLogEntry.objects.filter(object_id=str(session.pk)).values_list("action", flat=True))
    assert {"events.attendance_corrected", "events.attendance_removed"} <= actions


def test_dashboard_lists_the_officers_upcoming_sessions_only(
    client, session_in_own_area, django_assert_max_num_queries, assert_page
):
    SessionFactory(title="Sesi wilayah lain")
    AttendanceFactory.create_batch(2, session=session_in_own_area.session)
    login(client, session_in_own_area, "own_officer")
    client.get("/admin/")
    with django_assert_max_num_queries(30):
        response = client.get("/admin/")
    body = assert_page(response, session_in_own_area.session.title)
    assert "Sesi wilayah lain" not in body
    assert "2 peserta" in body  # the session's attendees, beside its run link


@pytest.mark.parametrize("page", SESSION_PAGES)
def test_session_tools_send_anonymous_visitors_to_the_login(client, session_in_own_area, page):
    response = client.get(page.format(pk=session_in_own_area.session.pk))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_share_image_wraps_a_long_title_instead_of_cutting_it():
    from PIL import Image, ImageDraw, ImageFont

    from events.qr import wrap_text

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = ImageFont.load_default(size=48)
    title = (
        "Ngopi Pimpasa bersama warga RW 17 dan RW 18 Kelurahan Kalibaru: mengenali calo dan visa kunjungan"
    )
    lines = wrap_text(draw, title, font, 960, 3)
    assert len(lines) > 1
    assert " ".join(lines) == title  # every word is there, in order
    assert all(draw.textlength(line, font=font) <= 960 for line in lines)
    too_long = wrap_text(draw, title * 3, font, 960, 3)
    assert len(too_long) == 3 and too_long[-1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 960 for line in too_long)


@pytest.mark.django_db
def test_the_whole_share_card_shows_a_long_title_on_three_lines_and_a_short_one_on_one():
    """The card as WhatsApp gets it: title ink (its own colour) in the first three line bands for a long
    title, only in the first for a short one; the line under a short title is the date, not the title."""
    from PIL import Image

    from events.qr import share_png
    from tests.factories import SessionFactory

    def title_lines(title):
        card = Image.open(io.BytesIO(share_png(SessionFactory(title=title), "https://pimpasa.example/c/x")))
        assert card.size == (1080, 1440)
        title_ink = (0x07, 0x2A, 0x4D)
        bands = []
        for line in range(4):
            top = 230 + 60 * line
            box = card.crop((60, top, 1020, top + 56))
            bands.append(sum(1 for pixel in box.get_flattened_data() if pixel == title_ink) > 50)
        return bands

    long_title = (
        "Ngopi Pimpasa bersama warga RW 17 dan RW 18 Kelurahan Kalibaru: mengenali calo dan visa kunjungan"
    )
    assert title_lines(long_title) == [True, True, True, False]
    assert title_lines("Ngopi RW 03") == [True, False, False, False]
