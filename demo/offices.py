"""Demo offices for the embedded default (`manage.py load_demo`): three Kantor Imigrasi in two regions
(Kantor Wilayah), each with its villages, a session held with its attendees, and tips; the demo
accounts placed in them, so that every role can be tried at `make run`:

- petugas, supervisor: Soekarno-Hatta (the first office; the other demo modules' areas are its);
- petugas_tangerang: Tangerang; petugas_jakbar: Jakarta Barat;
- kanwil_banten: the Banten regional office (Soekarno-Hatta and Tangerang);
- nasional: the Directorate's monitoring team (every office's figures).

Idempotent: offices, areas, sessions and tips are found by name, title and tracking code.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.privacy import current_notice
from demo.accounts import refuse_in_production
from events.models import Area, Attendance, ConsentMethod, Session
from offices.models import Membership, Office, Region
from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import codes

BANTEN = "Kantor Wilayah Banten"
JAKARTA = "Kantor Wilayah DKI Jakarta"
SOEKARNO_HATTA = "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta"

OFFICES = [
    # name, region, address, hotline, WhatsApp, receives identities with handed-over tips
    (
        SOEKARNO_HATTA,
        BANTEN,
        "Jl. Marsekal Suryadarma No. 1, Selapajang Jaya, Neglasari, Kota Tangerang",
        "021-5507-1234",
        "+6281100001111",
        True,
    ),
    (
        "Kantor Imigrasi Kelas I TPI Tangerang",
        BANTEN,
        "Jl. TMP Taruna No. 10, Sukaasih, Tangerang, Kota Tangerang",
        "021-5579-2222",
        "+6281100002222",
        False,
    ),
    (
        "Kantor Imigrasi Kelas I Non TPI Jakarta Barat",
        JAKARTA,
        "Jl. Pos Kota No. 4, Pinangsia, Taman Sari, Jakarta Barat",
        "021-690-3333",
        "+6281100003333",
        True,
    ),
]

# username -> office (officers, supervisors) or region (regional staff); national: no place.
PLACES = {
    "petugas": ("office", SOEKARNO_HATTA),
    "supervisor": ("office", SOEKARNO_HATTA),
    "petugas_tangerang": ("office", "Kantor Imigrasi Kelas I TPI Tangerang"),
    "petugas_jakbar": ("office", "Kantor Imigrasi Kelas I Non TPI Jakarta Barat"),
    "kanwil_banten": ("region", BANTEN),
}

# The other offices' villages: office, officer, name, kecamatan, city, province, DBI since (days ago)
AREAS = [
    (
        "Kantor Imigrasi Kelas I TPI Tangerang",
        "petugas_tangerang",
        "Panunggangan Barat",
        "Cibodas",
        "Kota Tangerang",
        "Banten",
        400,
    ),
    (
        "Kantor Imigrasi Kelas I TPI Tangerang",
        "petugas_tangerang",
        "Kelapa Dua",
        "Kelapa Dua",
        "Kabupaten Tangerang",
        "Banten",
        None,
    ),
    (
        "Kantor Imigrasi Kelas I Non TPI Jakarta Barat",
        "petugas_jakbar",
        "Kapuk",
        "Cengkareng",
        "Kota Jakarta Barat",
        "DKI Jakarta",
        200,
    ),
    (
        "Kantor Imigrasi Kelas I Non TPI Jakarta Barat",
        "petugas_jakbar",
        "Kedoya Utara",
        "Kebon Jeruk",
        "Kota Jakarta Barat",
        "DKI Jakarta",
        None,
    ),
]

# title, area, venue, days ago, people
SESSIONS = [
    (
        "Ngopi Pimpasa Panunggangan Barat: Kerja ke Luar Negeri yang Aman",
        "Panunggangan Barat",
        "Balai RW 03",
        10,
        15,
    ),
    (
        "Ngopi Pimpasa Kapuk: Waspada Tawaran Kerja Lewat Media Sosial",
        "Kapuk",
        "Masjid Al-Ikhlas RW 08",
        5,
        20,
    ),
]

# tracking code, area, category, what happened, days ago
TIPS = [
    (
        "DEM0-0000-0001-0001",
        "Panunggangan Barat",
        Tip.Category.PMI_NON_PROCEDURAL,
        "Ada agen yang mengumpulkan paspor warga untuk diberangkatkan kerja ke Timur Tengah tanpa kontrak.",
        3,
    ),
    (
        "DEM0-0000-0001-0002",
        "Kelapa Dua",
        Tip.Category.FOREIGNER,
        "Beberapa orang asing tinggal di rumah kontrakan dan bekerja di pabrik tanpa izin tinggal yang jelas.",
        8,
    ),
    (
        "DEM0-0000-0002-0001",
        "Kapuk",
        Tip.Category.TPPO,
        "Remaja putri ditawari kerja di luar negeri oleh orang yang mengaku dari yayasan, berangkat dalam seminggu.",
        2,
    ),
    (
        "DEM0-0000-0002-0002",
        "Kedoya Utara",
        Tip.Category.OTHER,
        "Seorang warga ingin tahu cara memeriksa apakah perusahaan penyalur tenaga kerja terdaftar resmi.",
        12,
    ),
]


@transaction.atomic
def load(stdout):
    refuse_in_production()
    offices = _offices()
    _memberships(offices)
    _villages_sessions_and_tips(offices)
    stdout.write(
        f"Offices: {Office.objects.count()} in {Region.objects.count()} regions; "
        f"try petugas, petugas_tangerang, petugas_jakbar, kanwil_banten and nasional.\n"
    )


def _offices():
    regions = {name: Region.objects.get_or_create(name=name)[0] for name in (BANTEN, JAKARTA)}
    # The first office (made by the migration, where every area goes by default) becomes Soekarno-Hatta.
    first = Office.default()
    if not Office.objects.filter(name=SOEKARNO_HATTA).exists():
        first.name = SOEKARNO_HATTA
        first.save(update_fields=["name"])
    offices = {}
    for name, region, address, hotline, whatsapp, receives in OFFICES:
        office, _created = Office.objects.update_or_create(
            name=name,
            defaults={
                "region": regions[region],
                "address": address,
                "hotline": hotline,
                "whatsapp": whatsapp,
                "receives_reporter_identity": receives,
            },
        )
        offices[name] = office
    # The region the migration made is left empty once its office moved: remove it.
    Region.objects.exclude(name__in=[BANTEN, JAKARTA]).filter(offices__isnull=True).delete()
    return offices


def _memberships(offices):
    users = get_user_model().objects.filter(username__in=PLACES)
    for user in users:
        kind, name = PLACES[user.username]
        if kind == "office":
            defaults = {"office": offices[name], "region": None}
        else:
            defaults = {"office": None, "region": Region.objects.get(name=name)}
        Membership.objects.update_or_create(user=user, defaults=defaults)


def _villages_sessions_and_tips(offices):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=PLACES)}
    today = timezone.localdate()
    areas = {}
    for office, officer, name, kecamatan, city, province, dbi_days in AREAS:
        area, _created = Area.objects.get_or_create(
            name=name,
            kecamatan=kecamatan,
            city=city,
            defaults={
                "province": province,
                "office": offices[office],
                "is_desa_binaan": dbi_days is not None,
                "dbi_since": today - timedelta(days=dbi_days) if dbi_days else None,
            },
        )
        if officer in users:
            area.officers.add(users[officer])
        areas[name] = area
    now = timezone.now()
    notice = current_notice(settings.LANGUAGE_CODE)
    for title, area_name, venue, days_ago, people in SESSIONS:
        starts = (now - timedelta(days=days_ago)).replace(hour=13, minute=0, second=0, microsecond=0)
        session, created = Session.objects.get_or_create(
            title=title,
            defaults={
                "area": areas[area_name],
                "venue": venue,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "status": Session.Status.FINISHED,
                "organising_unit": "Seksi Intelijen Keimigrasian",
            },
        )
        if created:
            Attendance.objects.bulk_create(
                Attendance(
                    session=session,
                    name=f"Warga {area_name} {n + 1}",
                    phone=f"+62813{days_ago:02d}{n:06d}",
                    gender=[Attendance.Gender.FEMALE, Attendance.Gender.MALE][n % 2],
                    age_group=Attendance.AgeGroup.values[n % len(Attendance.AgeGroup.values)],
                    rw=str(1 + n % 5).zfill(2),
                    source=Attendance.Source.SELF_SCAN,
                    consent_at=starts + timedelta(minutes=n),
                    consent_method=ConsentMethod.FORM,
                    consent_notice_revision=notice.revision_id if notice else None,
                    checked_in_at=starts + timedelta(minutes=n),
                )
                for n in range(people)
            )
    for code, area_name, category, description, days_ago in TIPS:
        code_hash = codes.hash_code(code)
        if Tip.objects.filter(tracking_code_hash=code_hash).exists():
            continue
        tip = Tip.objects.create(
            area=areas[area_name], category=category, description=description, tracking_code_hash=code_hash
        )
        TipHistory.objects.create(
            tip=tip, kind=TipHistory.Kind.RECEIVED, to_status=Tip.Status.RECEIVED, is_public=True
        )
        Tip.objects.filter(pk=tip.pk).update(created_at=now - timedelta(days=days_ago))
