"""`manage.py load_demo` as `make run` runs it: every kind of demo data arrives, in the numbers the demo
modules describe, and a second run adds nothing (the per-app demo tests look at each kind's details)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.models import MaterialPage, Topic
from demo import material, referrals, sessions, site_content, tips
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
        "areas": len(sessions.AREAS),
        "area outlines": len(sessions.AREAS),  # demo/area_boundaries.geojson: the "Where" page's map
        "sessions": len(sessions.PAST_SESSIONS) + 1,  # and the one open for check-in now
        "attendance": past_people,
        "tips": len(tips.DEMO_TIPS),
        "evidence": len(tips.WITH_PICTURE),
        "agencies": len(referrals.DEMO_AGENCIES),
        "agency contacts": sum(
            len(emails) for _name, _kind, _areas, emails, _whatsapp in referrals.DEMO_AGENCIES
        ),
        "referrals": 1,
    }
    # The figures a newcomer meets at `make run`, as the demo has always had them.
    assert (first["materials"], first["areas"], first["attendance"], first["tips"]) == (12, 4, 54, 7)
