"""Scenario fixtures for related tips: a neighbourhood where one recruiter reaches several residents,
each of whom files a tip in their own words, and tips that must stay apart."""

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from reporting.tips.models import Tip
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import AreaFactory, UserFactory

HOTLINE = "(021) 5797 2016"


def flyer(size=(900, 1200), quality=90, other=False):
    """A "job abroad" flyer photographed: the same picture at another size or quality hashes alike."""
    picture = Image.new("RGB", (900, 1200), "white")
    draw = ImageDraw.Draw(picture)
    if other:
        draw.ellipse((50, 50, 500, 900), fill="green")
        draw.rectangle((500, 700, 880, 1180), fill="black")
    else:
        draw.rectangle((40, 40, 860, 300), fill="#c0392b")
        draw.ellipse((200, 400, 700, 900), fill="#2e86c1")
        draw.rectangle((100, 1000, 800, 1150), fill="#f1c40f")
    output = io.BytesIO()
    picture.resize(size).save(output, "JPEG", quality=quality)
    return output.getvalue()


def file_tip(capture, description, *, area=None, rw="", people="", address="", photos=()):
    """A resident files a tip through the form's service; the worker runs once it has committed."""
    prepared = [
        evidence_service.prepare(SimpleUploadedFile(f"foto{index}.jpg", content))
        for index, content in enumerate(photos)
    ]
    with capture(execute=True):
        tip, _code = submit_tip(
            Submission(
                category=Tip.Category.TPPO,
                description=description,
                area=area,
                rw=rw,
                people_involved=people,
                address=address,
            ),
            prepared,
        )
    return tip


@dataclass
class Neighbourhood:
    kalibaru: object
    cilincing: object
    officer: object  # covers Kalibaru only
    supervisor: object
    first: Tip  # Pak Heru, PT Maju Jaya Abadi, 0812-3456-7890, the flyer
    second: Tip  # "heru", "pt. maju jaya abadi", +62 812 3456 7890, quotes the hotline
    third: Tip  # 6281234567890, in Cilincing (outside the officer's areas)
    fourth: Tip  # only "PT MAJU-JAYA ABADI" in who is involved
    fifth: Tip  # the flyer again, smaller and re-compressed, nothing else in common
    hotline_only: Tip  # an unrelated tip quoting the office's hotline
    nothing: Tip  # common words only


@pytest.fixture
def neighbourhood(site_setup, settings, django_capture_on_commit_callbacks):
    settings.PIMPASA_RELATED_STOP_PHONES = [HOTLINE]
    officer = UserFactory(username="petugas-kalibaru", role="Petugas PIMPASA")
    supervisor = UserFactory(username="supervisor-related", role="Supervisor")
    kalibaru = AreaFactory(name="Kalibaru", officers=[officer])
    cilincing = AreaFactory(name="Cilincing")
    capture = django_capture_on_commit_callbacks
    return Neighbourhood(
        kalibaru=kalibaru,
        cilincing=cilincing,
        officer=officer,
        supervisor=supervisor,
        first=file_tip(
            capture,
            "Pak Heru dari PT Maju Jaya Abadi menawarkan kerja di pabrik Malaysia, gaji 8 juta sebulan. "
            "Minta uang 5 juta untuk paspor. WA 0812-3456-7890.",
            area=kalibaru,
            rw="05",
            photos=[flyer()],
        ),
        second=file_tip(
            capture,
            f"ada calo namanya heru katanya dari pt. maju jaya abadi. nomornya +62 812 3456 7890. "
            f"sudah sy telp hotline imigrasi {HOTLINE} tapi tidak diangkat",
            area=kalibaru,
            rw="7",
        ),
        third=file_tip(
            capture,
            "Tetangga saya mau diberangkatkan ke Taiwan, sponsornya minta paspor dan KTP. Telp 6281234567890.",
            area=cilincing,
            rw="02",
        ),
        fourth=file_tip(
            capture,
            "Brosur lowongan kerja luar negeri dibagikan di masjid setelah Jumatan.",
            area=kalibaru,
            rw="09",
            people="PT MAJU-JAYA ABADI",
        ),
        fifth=file_tip(
            capture,
            "Ini brosurnya, ditempel di tiang listrik dekat pasar.",
            area=kalibaru,
            rw="11",
            photos=[flyer(size=(450, 600), quality=45)],
        ),
        hotline_only=file_tip(
            capture,
            f"Ada orang asing tinggal di kontrakan tanpa lapor RT. Saya sudah telepon {HOTLINE}.",
            area=kalibaru,
            rw="12",
        ),
        nothing=file_tip(
            capture, "Pak RT bilang ada yang menawarkan kerja ke luar negeri, tolong dicek.", area=kalibaru
        ),
    )
