"""Demo tips for the embedded default: every status, some raised at the demo sessions, with history,
so that the triage screens show real work on first run. Idempotent: each demo tip has a fixed
tracking code (printed, to try the status page) and is created once.

The people, places and companies are invented.
"""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from demo.accounts import refuse_in_production
from events.models import Area, Session
from offices import scoping as office_scoping
from reporting.models import Message, Tip, TipHistory
from reporting.tips.conversation import services as conversation
from reporting.tips.related.services import fingerprints as related_fingerprints
from reporting.tips.services import codes, identity
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services import tips as tip_service

Status = Tip.Status
Category = Tip.Category
Target = TipHistory.ForwardTarget

# code, category, at a session?, what happened, who, steps [(action, argument, public note)]; "ask" and
# "reply" write the conversation with the reporter (one waits for the reporter, one has an unread answer).
DEMO_TIPS = [
    (
        "DEM0-0000-0000-0001",
        Category.TPPO,
        True,
        "Tetangga saya di RT 03 ditawari kerja sebagai pelayan restoran di Malaysia oleh seorang calo. "
        "Katanya tidak perlu visa kerja, cukup visa kunjungan, berangkat lewat Batam minggu depan. "
        "Biaya Rp15 juta nanti dipotong dari gaji.",
        "Calo laki-laki, dipanggil “Bang Jek”, naik motor matic hitam, sering mangkal di warung kopi dekat pos RW.",
        [],
    ),
    (
        "DEM0-0000-0000-0002",
        Category.PMI_NON_PROCEDURAL,
        True,
        "Ada rumah kontrakan di gang belakang pasar yang dipakai menampung sekitar sepuluh perempuan muda "
        "dari luar daerah. Mereka bilang akan dikirim kerja ke Timur Tengah sebagai pekerja rumah tangga.",
        "Pemilik kontrakan tidak tahu; yang menyewa seorang perempuan yang mengaku dari “PT Sinar Harapan Jaya”.",
        [
            ("status", Status.VERIFYING, "Laporan Anda sedang kami periksa bersama pengurus RW."),
            ("ask", "Kapan biasanya para perempuan itu dijemput dari kontrakan, pagi atau malam?", ""),
            ("reply", "Biasanya malam, sekitar jam 10, pakai mobil travel warna putih.", ""),
        ],
    ),
    (
        "DEM0-0000-0000-0003",
        Category.FOREIGNER,
        False,
        "Beberapa warga negara asing bekerja di proyek pembangunan gudang di jalan raya, setiap hari dari pagi "
        "sampai sore. Mandor bilang mereka turis yang sedang berkunjung.",
        "Sekitar lima orang, memakai seragam proyek biru.",
        [
            ("status", Status.VERIFYING, ""),
            (
                "status",
                Status.FOLLOWED_UP,
                "Petugas sudah melakukan pengecekan ke lokasi. Terima kasih atas laporan Anda.",
            ),
        ],
    ),
    (
        "DEM0-0000-0000-0004",
        Category.PMI_NON_PROCEDURAL,
        True,
        "Sebuah lembaga pelatihan kerja di ruko dekat terminal menahan paspor dan ijazah peserta yang ingin "
        "mengundurkan diri, lalu meminta uang tebusan Rp5 juta.",
        "LPK “Cahaya Mandiri Sejahtera” (nama di spanduk).",
        [
            ("status", Status.VERIFYING, ""),
            ("forward", Target.BP3MI, ""),
            ("ask", "Apakah Anda bisa mengirim foto spanduk LPK tersebut atau kuitansi pembayarannya?", ""),
        ],
    ),
    (
        "DEM0-0000-0000-0005",
        Category.OTHER,
        False,
        "Di grup WhatsApp RW 07 beredar lowongan kerja ke Jepang tanpa nama perusahaan, "
        "calon pekerja diminta mentransfer biaya pendaftaran ke rekening pribadi.",
        "",
        [
            ("status", Status.VERIFYING, ""),
            (
                "status",
                Status.CLOSED,
                "Lowongan tersebut palsu dan sudah kami sampaikan kepada warga saat sosialisasi.",
            ),
        ],
    ),
    (
        "DEM0-0000-0000-0006",
        Category.FOREIGNER,
        True,
        "Ada orang asing yang menginap di rumah warga di RT 05 sudah dua minggu.",
        "Satu orang, datang bersama keluarga pemilik rumah.",
        [
            (
                "status",
                Status.NOT_ACTIONABLE,
                "Orang asing tersebut tamu keluarga dengan izin tinggal yang sah dan sudah dilaporkan. Terima kasih.",
            )
        ],
    ),
    (
        "DEM0-0000-0000-0007",
        Category.TPPO,
        True,
        "Saya mendengar lagi soal calo yang menawarkan kerja ke Malaysia lewat Batam, sama seperti yang "
        "dibicarakan di acara Ngopi Pimpasa.",
        "Calo yang sama, dipanggil “Bang Jek”.",
        [("duplicate", "DEM0-0000-0000-0001", "")],
    ),
]
# One demo reporter agreed to be contacted: an invented name and an unused number.
IDENTIFIED = {"DEM0-0000-0000-0002": ("Siti Contoh", "+62 812-0000-0000")}
# Tips with a (drawn, not photographed) picture as evidence, to show the preview in the admin.
WITH_PICTURE = {"DEM0-0000-0000-0003", "DEM0-0000-0000-0004"}


def load(stdout):
    refuse_in_production()
    User = get_user_model()
    supervisor = User.objects.filter(username="supervisor").first()
    officer = User.objects.filter(username="petugas").first()
    if supervisor is None or officer is None:
        stdout.write("Demo tips skipped: the demo accounts are missing.")
        return
    # The demo supervisor's office's (demo/offices.py gives the other offices their own tips).
    office_id = office_scoping.office_id_of(supervisor)
    sessions = list(
        Session.objects.filter(area__office_id=office_id)
        .exclude(status__in=[Session.Status.DRAFT, Session.Status.CANCELLED])
        .select_related("area")
        .order_by("starts_at")[:3]
    )
    areas = list(Area.objects.filter(office_id=office_id)[:3])
    created = 0
    for index, (code, category, at_session, description, people, steps) in enumerate(DEMO_TIPS):
        if Tip.objects.filter(tracking_code_hash=codes.hash_code(code)).exists():
            continue
        session = sessions[index % len(sessions)] if at_session and sessions else None
        area = session.area if session else (areas[index % len(areas)] if areas else None)
        tip = _create(code, category, session, area, description, people, steps, supervisor, officer)
        _backdate(tip, days_ago=3 * (len(DEMO_TIPS) - index))
        # What the worker would find once the tip is in (related tips), found here at once.
        related_fingerprints.fingerprint_tip(tip.pk)
        created += 1
    stdout.write(f"Demo tips: {created} created, {len(DEMO_TIPS) - created} already there.")
    stdout.write(
        "Demo tracking codes for the status page (/lapor/status/): " + ", ".join(c[0] for c in DEMO_TIPS)
    )


@transaction.atomic
def _create(code, category, session, area, description, people, steps, supervisor, officer):
    name_and_contact = IDENTIFIED.get(code)
    tip = Tip.objects.create(
        session=session,
        area=area,
        category=category,
        description=description,
        people_involved=people,
        rw="07" if session is None else "",
        is_anonymous=name_and_contact is None,
        reporter_identity=identity.encrypt_identity(*name_and_contact) if name_and_contact else "",
        tracking_code_hash=codes.hash_code(code),
    )
    TipHistory.objects.create(
        tip=tip, kind=TipHistory.Kind.RECEIVED, to_status=Status.RECEIVED, is_public=True
    )
    if code in WITH_PICTURE:
        evidence_service.store(
            tip, evidence_service.prepare(SimpleUploadedFile("foto-lokasi.jpg", _picture()))
        )
    if steps:
        tip_service.assign(tip, supervisor, officer)
    for action, argument, public_note in steps:
        tip.refresh_from_db()
        if action == "status":
            tip_service.change_status(tip, officer, argument, public_note=public_note)
        elif action == "forward":
            tip_service.forward(tip, officer, argument, note="Diteruskan dengan berkas pemeriksaan awal.")
        elif action == "duplicate":
            original = Tip.objects.get(tracking_code_hash=codes.hash_code(argument))
            tip_service.mark_duplicate(
                tip, supervisor, original, note="Laporan yang sama dengan tip sebelumnya."
            )
        elif action == "ask":
            conversation.ask(tip, officer, argument)
        elif action == "reply":
            conversation.reply(tip, argument)
    if len(steps) > 1:
        tip_service.add_note(tip, officer, "Sudah dikoordinasikan dengan ketua RW setempat.")
    return tip


def _backdate(tip, days_ago):
    """Spread the demo over the past weeks: received days ago, each later step a few hours after."""
    received = timezone.now() - timedelta(days=days_ago)
    Tip.objects.filter(pk=tip.pk).update(created_at=received)
    for step, entry in enumerate(tip.history.order_by("created_at", "id")):
        TipHistory.objects.filter(pk=entry.pk).update(created_at=received + timedelta(hours=5 * step))
    # Each message of the conversation was written when its history entry was.
    for message in tip.messages.select_related("history"):
        Message.objects.filter(pk=message.pk).update(created_at=message.history.created_at)
    if tip.closed_at:
        Tip.objects.filter(pk=tip.pk).update(closed_at=received + timedelta(hours=5 * tip.history.count()))


def _picture():
    """A simple drawing of a building site (no real place or person), as a JPEG."""
    image = Image.new("RGB", (640, 420), (186, 214, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 420), fill=(150, 128, 96))
    draw.rectangle((80, 140, 380, 300), fill=(200, 200, 200), outline=(90, 90, 90), width=4)
    draw.rectangle((430, 60, 450, 300), fill=(230, 180, 40))
    draw.rectangle((430, 60, 600, 80), fill=(230, 180, 40))
    draw.text((20, 20), "Contoh bukti (gambar demo)", fill=(20, 40, 80))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()
