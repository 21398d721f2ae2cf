import datetime

import factory
from django.utils import timezone

from events.models import Attendance, Session
from tests.events import factories as events_factories

WIB = datetime.timezone(datetime.timedelta(hours=7))


class AreaFactory(events_factories.AreaFactory):
    """The exports' areas stand apart from events' own test areas (Kota Bandung)."""

    name = factory.Sequence(lambda n: f"Kelurahan {n}")
    kecamatan = "Sukajadi"
    city = "Kota Bandung"
    province = "Jawa Barat"


class SessionFactory(events_factories.SessionFactory):
    """A session held yesterday and finished: what an export reads."""

    title = factory.Sequence(lambda n: f"Ngopi Pimpasa RW {n:02d}")
    area = factory.SubFactory(AreaFactory)
    venue = "Balai RW"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    status = Session.Status.FINISHED


class AttendanceFactory(events_factories.AttendanceFactory):
    """Attendees spread over genders, age groups and RWs, checked in just after the start."""

    session = factory.SubFactory(SessionFactory)
    gender = factory.Iterator([Attendance.Gender.FEMALE, Attendance.Gender.MALE])
    age_group = factory.Iterator([code for code, _ in Attendance.AgeGroup.choices])
    rw = factory.Iterator(["01", "02", "03"])
    address = "Jl. Melati 5"
    consent_at = factory.LazyAttribute(lambda attendance: attendance.checked_in_at)
    checked_in_at = factory.LazyAttribute(
        lambda attendance: attendance.session.starts_at + datetime.timedelta(minutes=5)
    )


def make_tip(*, created_at, identity=None, **fields):
    """A tip received at `created_at` (auto_now_add is overridden afterwards), optionally with a
    reporter identity encrypted the way the tip form stores it."""
    from reporting.tips.models import Tip
    from reporting.tips.services.identity import encrypt_identity
    from tests.tips.factories import TipFactory

    if identity:
        fields.update(
            is_anonymous=False, reporter_identity=encrypt_identity(*identity), identity_consent_at=created_at
        )
    tip = TipFactory(**fields)
    Tip.objects.filter(pk=tip.pk).update(created_at=created_at)
    tip.refresh_from_db()
    return tip
