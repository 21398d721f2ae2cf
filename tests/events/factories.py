from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Area, Attendance, ConsentMethod, Guest, Session


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Desa Uji {n}")
    kecamatan = "Cengkareng"
    city = "Kota Jakarta Barat"
    province = "DKI Jakarta"

    @factory.post_generation
    def officers(area, create, extracted, **kwargs):
        if create and extracted:
            area.officers.add(*extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    """By default a scheduled, public Ngopi Pimpasa that started ten minutes ago: check-in is open."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Ngopi Pimpasa {n}")
    area = factory.SubFactory(AreaFactory)
    venue = "Balai Warga RW 17"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=10))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=2))
    status = Session.Status.SCHEDULED

    @factory.post_generation
    def officers(session, create, extracted, **kwargs):
        if create and extracted:
            session.officers.add(*extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    name = factory.Faker("name", locale="id_ID")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    gender = Attendance.Gender.FEMALE
    age_group = Attendance.AgeGroup.AGE_26_35
    rw = "17"
    source = Attendance.Source.SELF_SCAN
    checked_in_at = factory.LazyFunction(timezone.now)
    consent_at = factory.LazyFunction(timezone.now)
    consent_method = ConsentMethod.FORM


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guest

    session = factory.SubFactory(SessionFactory, kind=Session.Kind.TIMPORA, is_public=False)
    name = factory.Faker("name", locale="id_ID")
    institution = "Dinas Tenaga Kerja"
    gender = Attendance.Gender.MALE
    age_group = Attendance.AgeGroup.AGE_36_45
    consent_at = factory.LazyFunction(timezone.now)
    consent_method = ConsentMethod.OFFICER
