"""Demo areas, sessions and attendance for the embedded default (`manage.py load_demo`).

Idempotent: areas and sessions are found by name and title, past attendance is added once. The live
demo session moves to "now" on every load so its check-in window is open whenever `make run` starts.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from cms.models import Topic
from cms.privacy import current_notice
from demo.accounts import refuse_in_production
from events.models import Area, Attendance, ConsentMethod, Session
from events.services import tokens

AREAS = [
    # name, kecamatan, city, province, desa binaan
    ("Cengkareng Timur", "Cengkareng", "Kota Jakarta Barat", "DKI Jakarta", True),
    ("Benda", "Benda", "Kota Tangerang", "Banten", True),
    ("Jurumudi", "Benda", "Kota Tangerang", "Banten", False),
    ("Pajang", "Benda", "Kota Tangerang", "Banten", False),
]

LIVE_TITLE = "Ngopi Pimpasa RW 17: Kenali Modus Perekrutan PMI Non-Prosedural"

PAST_SESSIONS = [
    # title, area, venue, RWs, days ago, people
    ("Ngopi Pimpasa RW 19: Bahaya TPPO", "Cengkareng Timur", "Balai Warga RW 19", "19", 21, 18),
    ("Sosialisasi Migrasi Aman di Kelurahan Benda", "Benda", "Aula Kantor Kelurahan Benda", "", 14, 24),
    ("Ngopi Pimpasa Jurumudi: Visa Kerja yang Sah", "Jurumudi", "Pos RW 05 Jurumudi", "05", 7, 12),
]

FIRST_NAMES = [
    "Siti",
    "Ahmad",
    "Dewi",
    "Budi",
    "Nur",
    "Agus",
    "Rina",
    "Joko",
    "Wati",
    "Hendra",
    "Yuni",
    "Eko",
]
LAST_NAMES = ["Aminah", "Saputra", "Lestari", "Santoso", "Hidayah", "Wijaya", "Rahma", "Susanto"]


def _person(n):
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n // 3) % len(LAST_NAMES)]}"


@transaction.atomic
def load(stdout):
    refuse_in_production()
    officer = get_user_model().objects.filter(username="petugas").first()
    areas = {}
    for name, kecamatan, city, province, binaan in AREAS:
        area, _created = Area.objects.get_or_create(
            name=name,
            kecamatan=kecamatan,
            city=city,
            defaults={"province": province, "is_desa_binaan": binaan},
        )
        areas[name] = area
    if officer:
        # The demo officer covers Cengkareng Timur and Benda; the others show scoping at work.
        officer.pimpasa_areas.add(areas["Cengkareng Timur"], areas["Benda"])

    now = timezone.now()
    for index, (title, area_name, venue, rws, days_ago, people) in enumerate(PAST_SESSIONS):
        starts = (now - timedelta(days=days_ago)).replace(hour=12, minute=0, second=0, microsecond=0)
        session, created = Session.objects.get_or_create(
            title=title,
            defaults={
                "area": areas[area_name],
                "venue": venue,
                "target_rws": rws,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "status": Session.Status.FINISHED,
                "kind": Session.Kind.SOSIALISASI if "Sosialisasi" in title else Session.Kind.NGOPI,
                "organising_unit": "Seksi Intelijen Keimigrasian",
                "minutes": "Warga menanyakan ciri-ciri lowongan kerja luar negeri yang tidak resmi.",
            },
        )
        if created:
            _add_attendance(session, people, seed=index * 100)

    live = _live_session(areas["Cengkareng Timur"], officer, now)
    stdout.write(
        f"Events: {Area.objects.count()} areas, {Session.objects.count()} sessions. "
        f"Open check-in now: {live.title}\n"
        f"  Poster (log in as petugas): {tokens.public_url(reverse('events_session:poster', args=[live.pk]))}\n"
        f"  Check-in link: {tokens.poster_checkin_url(live)}\n"
    )
    return live


def _live_session(area, officer, now):
    """The session whose window is open whenever the demo is loaded: moved to now every time."""
    starts = now.replace(second=0, microsecond=0) - timedelta(minutes=15)
    session, _created = Session.objects.update_or_create(
        title=LIVE_TITLE,
        defaults={
            "area": area,
            "venue": "Balai Warga RW 17, Jl. Kamal Raya",
            "target_rws": "17, 19",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "status": Session.Status.ONGOING,
            "organising_unit": "Seksi Intelijen Keimigrasian",
        },
    )
    if officer:
        session.officers.add(officer)
    # The public site's demo (loaded first) has topics: the thank-you page then shows what the session is about.
    if not session.topics.exists():
        session.topics.set(Topic.objects.filter(locale=Locale.get_default())[:2])
    return session


def _add_attendance(session, people, seed):
    genders = [Attendance.Gender.FEMALE, Attendance.Gender.MALE]
    ages = list(Attendance.AgeGroup.values)
    notice_revision = current_notice(settings.LANGUAGE_CODE).revision_id
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            name=_person(seed + n),
            phone=f"+628129{seed + n:07d}",
            gender=genders[n % 2],
            age_group=ages[(n * 5) % len(ages)],
            rw=session.target_rws.split(",")[0].strip() or str(1 + n % 6).zfill(2),
            source=Attendance.Source.SELF_SCAN,
            consent_at=session.starts_at + timedelta(minutes=n),
            consent_method=ConsentMethod.FORM,
            consent_notice_revision=notice_revision,
            checked_in_at=session.starts_at + timedelta(minutes=n),
        )
        for n in range(people)
    )
