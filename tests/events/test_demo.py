import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Area, Attendance, Session
from events.services import checkin, sessions


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing_and_leaves_a_session_open_now(site_setup, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    counts = (Area.objects.count(), Session.objects.count(), Attendance.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (Area.objects.count(), Session.objects.count(), Attendance.objects.count()) == counts
    assert Area.objects.filter(name="Cengkareng Timur", city="Kota Jakarta Barat").count() == 1
    assert Area.objects.filter(city="Kota Tangerang", kecamatan="Benda").count() == 3
    live = Session.objects.get(title__startswith="Ngopi Pimpasa RW 17")
    assert checkin.window_state(live, timezone.now()) == "open"
    assert f"/admin/events/sessions/{live.pk}/poster/" in out.getvalue()
    officer = live.officers.get(username="petugas")
    assert sessions.can_manage_session(officer, live)
    assert Attendance.objects.filter(session__status="finished").count() > 0
