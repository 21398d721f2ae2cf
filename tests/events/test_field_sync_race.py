"""Field mode under concurrency: the page's own send and the service worker's Background Sync are two
JavaScript contexts and may post the same entries at the same moment. Each entry is still recorded once,
every answer is "recorded" for a row that exists, and no request fails."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from events.models import Attendance
from tests.events.test_field_mode import XHR, walk_in
from tests.factories import AreaFactory, GuestFactory, SessionFactory, UserFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("senders", [2, 4])
def test_concurrent_syncs_of_the_same_entries_record_each_once(site_setup, senders):
    from events.services import tokens

    officer = UserFactory(role="Petugas PIMPASA")
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    entries = [walk_in(name) for name in ("Mbah Sarinah", "Pak Darto", "Bu Warsih")]
    guest = GuestFactory(session=session)
    entries.append({"client_id": str(uuid.uuid4()), "kind": "ticket", "ticket": tokens.ticket_token(guest)})
    body = json.dumps({"entries": entries})
    start = threading.Barrier(senders)
    replies, errors = [], []

    def send():
        try:
            client = Client()
            client.force_login(officer)
            start.wait(timeout=60)
            response = client.post(
                f"/admin/field/{session.pk}/sync/", body, content_type="application/json", headers=XHR
            )
            replies.append((response.status_code, response.json()))
        except Exception as error:  # reported below, where pytest shows it
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [status for status, _ in replies] == [200] * senders
    rows = Attendance.objects.filter(session=session)
    assert rows.count() == 4
    assert {str(row.client_id) for row in rows} == {entry["client_id"] for entry in entries}
    for _, reply in replies:
        assert [answer["status"] for answer in reply["results"]] == ["recorded"] * 4
