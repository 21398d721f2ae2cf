from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Area, Session
from events.services import public


@pytest.mark.django_db
def test_upcoming_public_sessions_lists_only_public_live_sessions_soonest_first():
    area = Area.objects.create(
        name="Cengkareng Timur", kecamatan="Cengkareng", city="Jakarta Barat", province="DKI Jakarta"
    )
    now = timezone.now()

    def make(title, start_in_hours, **extra):
        starts = now + timedelta(hours=start_in_hours)
        return Session.objects.create(
            title=title,
            area=area,
            venue="Balai RW 17",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            **extra,
        )

    later = make("Later", 48, status=Session.Status.SCHEDULED)
    sooner = make("Sooner", 2, status=Session.Status.SCHEDULED)
    ongoing = make("Ongoing", -1, status=Session.Status.ONGOING)
    make("Draft", 5, status=Session.Status.DRAFT)
    make("Cancelled", 5, status=Session.Status.CANCELLED)
    make("Internal", 5, status=Session.Status.SCHEDULED, is_public=False)
    make("Over", -30, status=Session.Status.SCHEDULED)

    assert list(public.upcoming_public_sessions(now=now)) == [ongoing, sooner, later]
    assert list(public.upcoming_public_sessions(limit=2, now=now)) == [ongoing, sooner]
