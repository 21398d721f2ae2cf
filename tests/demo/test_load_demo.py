"""`manage.py load_demo` as `make run` runs it: every kind of demo data arrives, in the numbers the demo
modules describe, and a second run adds nothing (the per-app demo tests look at each kind's details)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.models import MaterialPage, Topic
from demo import material, offices, referrals, sessions, site_content, tips
from demo.accounts import DEMO_ACCOUNTS
from events.models import Area, AreaBoundary, Attendance, Session
from reporting.models import Agency, AgencyContact, Evidence, Referral, Tip

pytestmark = pytest.mark.django_db


def demo_counts():
    return {
        "accounts": get_user_model().objects.count(),
        "topics": Topic.objects.count(),
        "materials": MaterialPage.objects.count(),
        "pictures": get_image_model().objects.count(),
        "leaflets": get_document_model().objects.count(),
        "areas": Area.objects.count(),
        "area outlines": AreaBoundary.objects.count(),
        "sessions": Session.objects.count(),
        "attendance": Attendance.objects.count(),
        "tips": Tip.objects.count(),
        "evidence": Evidence.objects.count(),
        "agencies": Agency.objects.count(),
        "agency contacts": AgencyContact.objects.count(),
        "referrals": Referral.objects.count(),
    }


def test_load_demo_brings_every_kind_of_demo_data_once(site_setup, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    first = demo_counts()
    call_command("load_demo", stdout=io.StringIO())
    assert demo_counts() == first
    past_people = sum(people for *_, people in sessions.PAST_SESSIONS)
    assert first == {
        "accounts": len(DEMO_ACCOUNTS),
        "topics": 2 * len(material.TOPICS),  # Indonesian and English
        "materials": 2 * len(material.MATERIALS),
        "pictures": len(site_content.PICTURES),
        "leaflets": 1,
        "areas": len(sessions.AREAS) + len(offices.AREAS),
        # and the one open for check-in now
        "sessions": len(sessions.PAST_SESSIONS) + 1 + len(offices.SESSIONS),
        "attendance": past_people + sum(people for *_, people in offices.SESSIONS),
        "area outlines": len(sessions.AREAS),  # demo/area_boundaries.geojson: the "Where" page's map
        "tips": len(tips.DEMO_TIPS) + len(offices.TIPS),
        "evidence": len(tips.WITH_PICTURE),
        "agencies": len(referrals.DEMO_AGENCIES),
        "agency contacts": sum(
            len(emails) for _name, _kind, _areas, emails, _whatsapp in referrals.DEMO_AGENCIES
        ),
        "referrals": 1,
    }
    # The figures a newcomer meets at `make run`, as the demo has always had them.
    assert (first["materials"], first["areas"], first["attendance"], first["tips"]) == (12, 8, 89, 11)


def test_load_demo_gives_every_role_an_office_or_region_to_try(site_setup, tmp_path, settings):
    """Three offices in two regions; each demo officer in their own office and seeing only its tips;
    the regional user follows two offices, the national user all three."""
    from events import scoping as event_scoping
    from offices import scoping as office_scoping
    from offices.models import Office, Region
    from reporting.tips import scoping as tip_scoping

    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    assert (Office.objects.count(), Region.objects.count()) == (3, 2)
    users = {user.username: user for user in get_user_model().objects.all()}
    officers = ["petugas", "petugas_tangerang", "petugas_jakbar"]
    assert len({office_scoping.office_id_of(users[name]) for name in officers}) == 3
    for name in officers:
        user = users[name]
        seen = tip_scoping.tips_for(user)
        assert seen.exists()
        assert set(seen.values_list("office_id", flat=True)) == {office_scoping.office_id_of(user)}
    assert office_scoping.offices_for(users["kanwil_banten"]).count() == 2
    assert office_scoping.offices_for(users["nasional"]).count() == 3
    assert event_scoping.areas_for(users["nasional"]).count() == Area.objects.count()
    assert not tip_scoping.tips_for(users["nasional"]).exists()
