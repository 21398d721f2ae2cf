"""Field mode: the sync endpoint (exactly once by client id, scoping, refusals, partial syncs, CSRF),
the page with and without JavaScript, what the phone may keep, the manifest and the service worker."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Attendance, Guest, Session
from events.services import field as field_service
from events.services import tokens
from tests.factories import AttendanceFactory, GuestFactory, UserFactory

pytestmark = pytest.mark.django_db


def sync_url(session):
    return f"/admin/field/{session.pk}/sync/"


def walk_in(name="Mbah Sarinah", **fields):
    entry = {
        "client_id": str(uuid.uuid4()),
        "kind": "walk_in",
        "name": name,
        "phone": "",
        "gender": "f",
        "age_group": "gt60",
        "rw": "17",
        "address": "",
        "institution": "",
        "consent": True,
        "made_at": timezone.now().isoformat(),
    }
    entry.update(fields)
    return entry


def ticket_entry(guest):
    return {"client_id": str(uuid.uuid4()), "kind": "ticket", "ticket": tokens.ticket_token(guest)}


# As the page's script sends it: Wagtail then answers a refusal with 403 instead of a redirect.
XHR = {"X-Requested-With": "XMLHttpRequest"}


def post_sync(client, session, entries):
    body = json.dumps({"entries": entries})
    return client.post(sync_url(session), body, content_type="application/json", headers=XHR)


def statuses(response):
    return [(answer["client_id"], answer["status"]) for answer in response.json()["results"]]


# Exactly once --------------------------------------------------------------------------------------


def test_sync_records_walk_ins_and_a_ticket_through_the_check_in_service(client, session_in_own_area):
    session = session_in_own_area.session
    guest = GuestFactory(session=session)
    entries = [walk_in("Mbah Sarinah"), walk_in("Pak Darto", gender="m"), ticket_entry(guest)]
    client.force_login(session_in_own_area.own_officer)

    response = post_sync(client, session, entries)

    assert response.status_code == 200
    assert statuses(response) == [(entry["client_id"], "recorded") for entry in entries]
    assert response.json()["count"] == 3
    rows = Attendance.objects.filter(session=session).order_by("pk")
    assert [row.client_id for row in rows] == [uuid.UUID(entry["client_id"]) for entry in entries]
    assert [row.source for row in rows] == ["officer", "officer", "ticket"]
    assert {row.added_by for row in rows} == {session_in_own_area.own_officer}
    assert rows[2].guest == guest and rows[2].name == guest.name
    assert response.json()["results"][2]["name"] == guest.name


def test_replaying_the_same_sync_adds_no_row(client, session_in_own_area):
    session = session_in_own_area.session
    guest = GuestFactory(session=session)
    entries = [walk_in(), walk_in("Bu Warsih"), ticket_entry(guest)]
    client.force_login(session_in_own_area.own_officer)
    post_sync(client, session, entries)

    replay = post_sync(client, session, entries)

    assert replay.status_code == 200
    assert statuses(replay) == [(entry["client_id"], "recorded") for entry in entries]
    assert Attendance.objects.filter(session=session).count() == 3


def test_an_entry_doubled_within_one_batch_is_recorded_once(client, session_in_own_area):
    entry = walk_in()
    client.force_login(session_in_own_area.own_officer)

    response = post_sync(client, session_in_own_area.session, [entry, dict(entry)])

    assert statuses(response) == [(entry["client_id"], "recorded")] * 2
    assert Attendance.objects.filter(session=session_in_own_area.session).count() == 1


def test_a_sync_cut_short_is_safe_to_send_again_with_more_entries(client, session_in_own_area):
    # The first sync reached the server but its answer was lost: the phone sends the same two again
    # together with a third made meanwhile.
    session = session_in_own_area.session
    first, second, third = walk_in("A"), walk_in("B"), walk_in("C")
    client.force_login(session_in_own_area.own_officer)
    post_sync(client, session, [first, second])

    response = post_sync(client, session, [first, second, third])

    assert statuses(response) == [(e["client_id"], "recorded") for e in (first, second, third)]
    assert sorted(Attendance.objects.filter(session=session).values_list("name", flat=True)) == [
        "A",
        "B",
        "C",
    ]


def test_one_refused_entry_does_not_stop_the_others(client, session_in_own_area):
    session = session_in_own_area.session
    AttendanceFactory(session=session, phone="+6281234567890", name="B")
    good, clash, broken = walk_in("A"), walk_in("b.", phone="0812-3456-7890"), walk_in("", gender="x")
    client.force_login(session_in_own_area.own_officer)

    response = post_sync(client, session, [good, clash, broken])

    assert statuses(response) == [
        (good["client_id"], "recorded"),
        (clash["client_id"], "already"),
        (broken["client_id"], "invalid"),
    ]
    assert set(response.json()["results"][2]["errors"]) == {"name", "gender"}
    assert Attendance.objects.filter(session=session).count() == 2


def test_a_database_failure_on_one_entry_answers_retry_and_records_the_others(
    client, session_in_own_area, monkeypatch
):
    # SQLite's busy timeout running out, or a dropped connection: that entry is answered "retry"
    # (the phone keeps it waiting), the rest of the batch is recorded, and the sync is no 500.
    from django.db import OperationalError

    from events.services import checkin

    session = session_in_own_area.session
    first, unlucky, last = walk_in("A"), walk_in("B"), walk_in("C")
    real_add_walk_in = checkin.add_walk_in

    def busy_for_b(session, user, details, **kwargs):
        if details.name == "B":
            raise OperationalError("database is locked")
        return real_add_walk_in(session, user, details, **kwargs)

    monkeypatch.setattr(field_service, "add_walk_in", busy_for_b)
    client.force_login(session_in_own_area.own_officer)

    response = post_sync(client, session, [first, unlucky, last])

    assert response.status_code == 200
    assert statuses(response) == [
        (first["client_id"], "recorded"),
        (unlucky["client_id"], "retry"),
        (last["client_id"], "recorded"),
    ]
    assert response.json()["results"][1]["message"] == "Belum tercatat: akan dikirim lagi."
    assert sorted(Attendance.objects.filter(session=session).values_list("name", flat=True)) == ["A", "C"]

    monkeypatch.setattr(field_service, "add_walk_in", real_add_walk_in)
    again = post_sync(client, session, [unlucky])
    assert statuses(again) == [(unlucky["client_id"], "recorded")]
    assert Attendance.objects.filter(session=session).count() == 3


def test_an_entry_refused_for_its_fields_is_recorded_once_corrected_under_the_same_id(
    client, session_in_own_area
):
    entry = walk_in(phone="12")
    client.force_login(session_in_own_area.own_officer)
    refused = post_sync(client, session_in_own_area.session, [entry])
    assert refused.json()["results"][0]["status"] == "invalid"
    assert "phone" in refused.json()["results"][0]["errors"]

    entry["phone"] = "0812 1111 2222"
    corrected = post_sync(client, session_in_own_area.session, [entry])

    assert corrected.json()["results"][0]["status"] == "recorded"
    assert Attendance.objects.get(session=session_in_own_area.session).phone == "+6281211112222"


def test_the_database_keeps_a_client_id_once_per_session(session_in_own_area):
    from django.db import IntegrityError, transaction

    client_id = uuid.uuid4()
    AttendanceFactory(session=session_in_own_area.session, client_id=client_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(session=session_in_own_area.session, client_id=client_id)


def test_a_lost_race_on_the_same_client_id_answers_with_the_first_row(session_in_own_area):
    # Two syncs of one entry at once: the second INSERT hits the constraint and gets the first row.
    client_id = uuid.uuid4()
    session = session_in_own_area.session
    first = AttendanceFactory(session=session, client_id=client_id, name="Mbah Sarinah")
    from events.services import checkin

    sarinah = checkin.AttendeeDetails(name="Mbah Sarinah", gender="f", age_group="gt60")
    result = checkin.add_walk_in(
        session, session_in_own_area.own_officer, sarinah, consent=True, client_id=client_id
    )

    assert result.created is False and result.attendance == first
    assert Attendance.objects.filter(session=session).count() == 1


# Scoping and CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("own_officer", 200), ("supervisor", 200), ("other_officer", 404)]
)
def test_only_officers_of_the_session_sync(client, session_in_own_area, role, status):
    client.force_login(session_in_own_area.user(role))

    response = post_sync(client, session_in_own_area.session, [walk_in()])

    assert response.status_code == status
    assert Attendance.objects.filter(session=session_in_own_area.session).count() == (
        1 if status == 200 else 0
    )


def test_an_editor_and_an_anonymous_visitor_cannot_sync(client, session_in_own_area):
    assert post_sync(client, session_in_own_area.session, [walk_in()]).status_code == 403
    client.force_login(UserFactory(role="Editor"))
    # Signed in, the session is outside their scope: as if it did not exist.
    assert post_sync(client, session_in_own_area.session, [walk_in()]).status_code == 404
    assert not Attendance.objects.exists()


def test_sync_needs_the_csrf_token_the_data_endpoint_hands_out(session_in_own_area):
    client = Client(enforce_csrf_checks=True)
    client.force_login(session_in_own_area.own_officer)
    body = json.dumps({"entries": [walk_in()]})

    refused = client.post(sync_url(session_in_own_area.session), body, content_type="application/json")
    assert refused.status_code == 403
    assert not Attendance.objects.exists()

    token = client.get(f"/admin/field/{session_in_own_area.session.pk}/data/").json()["csrf_token"]
    accepted = client.post(
        sync_url(session_in_own_area.session),
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"entries": "x"}', b'{"entries": [1]}'],
)
def test_a_malformed_sync_is_refused_with_400(client, session_in_own_area, body):
    client.force_login(session_in_own_area.own_officer)
    response = client.post(sync_url(session_in_own_area.session), body, content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_sync_larger_than_a_batch_is_refused_whole(client, session_in_own_area):
    client.force_login(session_in_own_area.own_officer)
    entries = [walk_in(f"Warga {n}") for n in range(field_service.MAX_ENTRIES_PER_SYNC + 1)]
    response = post_sync(client, session_in_own_area.session, entries)
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_sync_answers_only_post(client, session_in_own_area):
    client.force_login(session_in_own_area.own_officer)
    assert client.get(sync_url(session_in_own_area.session)).status_code == 405


# Refusals ------------------------------------------------------------------------------------------


def test_a_cancelled_session_refuses_entries_with_the_reason(client, session_in_own_area):
    session = session_in_own_area.session
    session.status = Session.Status.CANCELLED
    session.save()
    client.force_login(session_in_own_area.own_officer)

    answer = post_sync(client, session, [walk_in()]).json()["results"][0]

    assert answer["status"] == "refused" and answer["reason"] == "cancelled"
    assert answer["message"] == "Sesi dibatalkan: tidak ada yang dapat ditambahkan."
    assert not Attendance.objects.exists()


def test_a_full_session_refuses_field_walk_ins(client, session_in_own_area):
    session = session_in_own_area.session
    session.capacity = 1
    session.save()
    AttendanceFactory(session=session)
    client.force_login(session_in_own_area.own_officer)

    answer = post_sync(client, session, [walk_in()]).json()["results"][0]

    assert answer["status"] == "refused" and answer["reason"] == "capacity_full"
    assert Attendance.objects.filter(session=session).count() == 1


def test_entries_sent_more_than_a_day_after_check_in_closed_are_refused(client, session_in_own_area):
    session = session_in_own_area.session
    session.starts_at = timezone.now() - timedelta(days=2)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.save()
    assert field_service.keep_until(session) < timezone.now()
    client.force_login(session_in_own_area.own_officer)

    answer = post_sync(client, session, [walk_in()]).json()["results"][0]

    assert answer["status"] == "refused" and answer["reason"] == "window_closed"
    assert not Attendance.objects.exists()


def test_entries_sent_within_the_day_after_check_in_closed_are_recorded(client, session_in_own_area):
    session = session_in_own_area.session
    session.starts_at = timezone.now() - timedelta(hours=20)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.save()
    client.force_login(session_in_own_area.own_officer)

    answer = post_sync(client, session, [walk_in()]).json()["results"][0]

    assert answer["status"] == "recorded"


def test_a_recorded_entry_replayed_after_the_session_was_cancelled_is_still_recorded(
    client, session_in_own_area
):
    session = session_in_own_area.session
    entry = walk_in()
    client.force_login(session_in_own_area.own_officer)
    post_sync(client, session, [entry])
    session.status = Session.Status.CANCELLED
    session.save()

    answer = post_sync(client, session, [entry]).json()["results"][0]

    assert answer["status"] == "recorded"
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_ticket_scanned_before_answers_already_checked_in(client, session_in_own_area):
    session = session_in_own_area.session
    guest = GuestFactory(session=session)
    client.force_login(session_in_own_area.own_officer)
    first = post_sync(client, session, [ticket_entry(guest)])  # e.g. another officer's phone
    assert first.json()["results"][0]["status"] == "recorded"

    second = post_sync(client, session, [ticket_entry(guest)]).json()["results"][0]

    assert second["status"] == "already" and second["name"] == guest.name
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_walk_in_without_the_officers_consent_statement_is_refused_for_its_fields(
    client, session_in_own_area
):
    client.force_login(session_in_own_area.own_officer)

    answer = post_sync(client, session_in_own_area.session, [walk_in(consent=False)]).json()["results"][0]

    assert answer["status"] == "invalid"
    assert answer["errors"]["consent"] == ["Catat orang ini hanya setelah ia setuju."]
    assert not Attendance.objects.exists()


def test_an_offline_entry_is_recorded_at_the_time_it_was_written_with_consent_to_the_officer(
    client, session_in_own_area
):
    written = timezone.now() - timedelta(minutes=40)
    client.force_login(session_in_own_area.own_officer)

    post_sync(client, session_in_own_area.session, [walk_in(made_at=written.isoformat())])

    row = Attendance.objects.get(session=session_in_own_area.session)
    assert row.checked_in_at == written and row.consent_at == written
    assert row.consent_method == "officer" and row.consent_given_to == session_in_own_area.own_officer


def test_a_phone_clock_ahead_of_the_server_never_dates_an_entry_in_the_future(client, session_in_own_area):
    client.force_login(session_in_own_area.own_officer)
    post_sync(
        client,
        session_in_own_area.session,
        [walk_in(made_at=(timezone.now() + timedelta(hours=3)).isoformat())],
    )
    assert Attendance.objects.get(session=session_in_own_area.session).checked_in_at <= timezone.now()


def test_a_ticket_of_another_session_is_refused(client, session_in_own_area):
    guest = GuestFactory()  # another session's guest
    client.force_login(session_in_own_area.own_officer)

    answer = post_sync(client, session_in_own_area.session, [ticket_entry(guest)]).json()["results"][0]

    assert answer["status"] == "refused" and answer["reason"] == "bad_ticket"
    assert not Attendance.objects.filter(session=session_in_own_area.session).exists()


# What the phone keeps --------------------------------------------------------------------------------


def test_offline_data_carries_ticket_hashes_and_no_names(
    client, session_in_own_area, django_assert_max_num_queries
):
    session = session_in_own_area.session
    checked_in, waiting = GuestFactory(session=session), GuestFactory(session=session)
    client.force_login(session_in_own_area.own_officer)
    post_sync(client, session, [ticket_entry(checked_in)])

    with django_assert_max_num_queries(13):  # 12, and the audit entry for the list of who is recorded
        payload = client.get(f"/admin/field/{session.pk}/data/").json()

    offline = payload["offline"]
    assert offline["title"] == session.title
    assert offline["keep_until"] == (session.checkin_closes_at + timedelta(days=1)).isoformat()
    assert sorted(offline["tickets"]) == sorted(
        field_service.ticket_hash(session, guest.code) for guest in (checked_in, waiting)
    )
    assert offline["checked_in_tickets"] == [field_service.ticket_hash(session, checked_in.code)]
    stored = json.dumps(offline)
    for guest in (checked_in, waiting):
        assert guest.name not in stored and guest.code not in stored
    # Who is recorded comes along for the page to show, apart from what it keeps.
    assert [person["name"] for person in payload["recorded"]] == [checked_in.name]


def test_the_data_endpoint_takes_the_same_queries_however_many_guests(
    client, session_in_own_area, django_assert_max_num_queries
):
    session = session_in_own_area.session
    client.force_login(session_in_own_area.own_officer)
    GuestFactory(session=session)
    AttendanceFactory(session=session)
    with django_assert_max_num_queries(20) as few:
        client.get(f"/admin/field/{session.pk}/data/")
    GuestFactory.create_batch(5, session=session)
    AttendanceFactory.create_batch(5, session=session)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/admin/field/{session.pk}/data/")


def test_the_page_takes_the_same_queries_however_many_are_recorded(
    client, session_in_own_area, django_assert_max_num_queries
):
    session = session_in_own_area.session
    client.force_login(session_in_own_area.own_officer)
    AttendanceFactory(session=session)
    with django_assert_max_num_queries(30) as few:
        client.get(f"/admin/field/{session.pk}/")
    AttendanceFactory.create_batch(10, session=session)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/admin/field/{session.pk}/")


def test_the_kept_page_names_nobody(client, session_in_own_area):
    session = session_in_own_area.session
    person = AttendanceFactory(session=session, name="Siti Aminah")
    client.force_login(session_in_own_area.own_officer)

    live = client.get(f"/admin/field/{session.pk}/")
    kept = client.get(f"/admin/field/{session.pk}/shell/")

    assert live.status_code == kept.status_code == 200
    assert person.name in live.content.decode()
    assert person.name not in kept.content.decode()
    assert session.title in kept.content.decode()
    assert "no-store" in kept["Cache-Control"] and "no-store" in live["Cache-Control"]


def test_the_page_says_what_the_phone_keeps_and_until_when(client, session_in_own_area):
    session = session_in_own_area.session
    client.force_login(session_in_own_area.own_officer)
    html = client.get(f"/admin/field/{session.pk}/").content.decode()
    until = session.local(field_service.keep_until(session))
    assert "Hanya entri yang menunggu dikirim" in html
    assert "Keluar akan menghapus semuanya" in html
    assert f"{until:%H:%M}" in html


def test_logging_out_tells_the_browser_to_delete_the_sites_storage(client, session_in_own_area):
    client.force_login(session_in_own_area.own_officer)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    home = client.get("/")
    assert home.status_code == 200 and "Pimpasa" in home.content.decode()
    assert "Clear-Site-Data" not in home.headers


# The page without JavaScript ---------------------------------------------------------------------------


def test_without_javascript_the_page_records_a_walk_in_once(client, session_in_own_area):
    session = session_in_own_area.session
    client.force_login(session_in_own_area.own_officer)
    page = client.get(f"/admin/field/{session.pk}/")
    client_id = page.context["walk_in_form"]["client_id"].initial
    data = {
        "kind": "walk_in",
        "walkin-client_id": str(client_id),
        "walkin-name": "Mbah Sarinah",
        "walkin-gender": "f",
        "walkin-age_group": "gt60",
        "walkin-rw": "17",
        "walkin-consent": "on",
    }

    first = client.post(f"/admin/field/{session.pk}/", data, follow=True)
    again = client.post(f"/admin/field/{session.pk}/", data, follow=True)  # a double tap

    assert first.redirect_chain == [(f"/admin/field/{session.pk}/", 302)]
    assert "Mbah Sarinah tercatat." in first.content.decode()
    assert "Mbah Sarinah tercatat." in again.content.decode()
    assert Attendance.objects.filter(session=session).count() == 1
    assert Attendance.objects.get().client_id == client_id


def test_without_javascript_a_bad_walk_in_keeps_what_was_typed(client, session_in_own_area):
    session = session_in_own_area.session
    client.force_login(session_in_own_area.own_officer)
    data = {
        "kind": "walk_in",
        "walkin-client_id": str(uuid.uuid4()),
        "walkin-name": "Mbah Sarinah",
        "walkin-phone": "12",
    }

    response = client.post(f"/admin/field/{session.pk}/", data)

    assert response.status_code == 400
    assert 'value="Mbah Sarinah"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_without_javascript_a_ticket_is_checked_in(client, session_in_own_area):
    session = session_in_own_area.session
    guest = GuestFactory(session=session)
    client.force_login(session_in_own_area.own_officer)
    data = {
        "kind": "ticket",
        "ticket-client_id": str(uuid.uuid4()),
        "ticket-ticket": tokens.ticket_token(guest),
    }

    response = client.post(f"/admin/field/{session.pk}/", data, follow=True)

    assert f"{guest.name} tercatat." in response.content.decode()
    assert Attendance.objects.get(session=session).guest == guest


def test_without_javascript_a_refusal_is_shown_with_the_typing_kept(client, session_in_own_area):
    session = session_in_own_area.session
    session.status = Session.Status.CANCELLED
    session.save()
    client.force_login(session_in_own_area.own_officer)
    data = {
        "kind": "walk_in",
        "walkin-client_id": str(uuid.uuid4()),
        "walkin-name": "Mbah Sarinah",
        "walkin-gender": "f",
        "walkin-age_group": "gt60",
        "walkin-consent": "on",
    }

    response = client.post(f"/admin/field/{session.pk}/", data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Sesi dibatalkan: tidak ada yang dapat ditambahkan." in html
    assert 'value="Mbah Sarinah"' in html


@pytest.mark.parametrize(
    ("role", "allowed"), [("own_officer", True), ("supervisor", True), ("other_officer", False)]
)
def test_field_pages_are_for_the_sessions_officers(client, session_in_own_area, role, allowed):
    session = session_in_own_area.session
    client.force_login(session_in_own_area.user(role))
    for suffix in ("", "shell/", "data/", "manifest.webmanifest"):
        response = client.get(f"/admin/field/{session.pk}/{suffix}")
        if allowed:
            assert response.status_code == 200, suffix
        else:
            # Like the Run page: a session outside their scope is not found, for the script too.
            assert response.status_code == 404, suffix
            assert client.get(f"/admin/field/{session.pk}/{suffix}", headers=XHR).status_code == 404


def test_the_run_page_links_to_field_mode(client, session_in_own_area):
    client.force_login(session_in_own_area.own_officer)
    html = client.get(f"/admin/events/sessions/{session_in_own_area.session.pk}/run/").content.decode()
    assert f'href="/admin/field/{session_in_own_area.session.pk}/"' in html
    assert "Mode lapangan (bisa tanpa sinyal)" in html


# Installable and offline ---------------------------------------------------------------------------------


def test_the_manifest_installs_the_sessions_field_page(client, session_in_own_area):
    session = session_in_own_area.session
    client.force_login(session_in_own_area.own_officer)

    response = client.get(f"/admin/field/{session.pk}/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == f"/admin/field/{session.pk}/"
    assert manifest["scope"] == "/admin/field/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] == f"Mode lapangan Pimpasa: {session.title}"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512", "any"}
    page = client.get(f"/admin/field/{session.pk}/").content.decode()
    assert (
        f'<link rel="manifest" href="/admin/field/{session.pk}/manifest.webmanifest" crossorigin="use-credentials">'
        in page
    )


def test_the_service_worker_keeps_the_assets_the_page_uses(client, session_in_own_area):
    client.force_login(session_in_own_area.own_officer)

    response = client.get("/admin/field/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    first_line, _, rest = response.content.decode().partition("\n")
    config = json.loads(first_line.removeprefix("self.PIMPASA_FIELD = ").removesuffix(";"))
    assert "/static/js/field.js" in config["assets"] and "/static/js/field-store.js" in config["assets"]
    assert len(config["version"]) == 16
    assert 'addEventListener("fetch"' in rest
    page = client.get(f"/admin/field/{session_in_own_area.session.pk}/").content.decode()
    for asset in config["assets"]:
        if asset.endswith((".css", ".js")):
            assert asset in page


def test_the_field_page_has_no_inline_script_or_style(client, session_in_own_area, assert_page):
    client.force_login(session_in_own_area.own_officer)
    session = session_in_own_area.session
    html = assert_page(client.get(f"/admin/field/{session.pk}/"), session.title)
    assert "style=" not in html and "onclick" not in html.lower()
    scripts = html.split("<script")[1:]
    assert len(scripts) == 2
    assert all(script.startswith(' src="/static/js/') for script in scripts)


def test_guests_do_not_leak_between_sessions_in_offline_data(session_in_own_area):
    session = session_in_own_area.session
    GuestFactory(session=session)
    other = GuestFactory()
    data = field_service.offline_data(session)
    assert field_service.ticket_hash(session, other.code) not in data["tickets"]
    assert Guest.objects.count() == 2


@pytest.mark.parametrize("suffix", ["", "shell/"])
def test_the_field_page_is_valid_html(client, session_in_own_area, suffix):
    from tests.pimpasa.test_valid_html import problems

    AttendanceFactory(session=session_in_own_area.session)
    client.force_login(session_in_own_area.own_officer)
    assert (
        problems(client.get(f"/admin/field/{session_in_own_area.session.pk}/{suffix}").content.decode()) == []
    )
