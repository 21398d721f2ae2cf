"""Three offices in two regions with a quarter (Q3 2026) of sessions, attendances, tips and
referrals: the national role sees them all, the Kantor Wilayah of Jawa two, a supervisor one."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from events.models import Session
from pimpasa.roles import NATIONAL, REGIONAL, SUPERVISOR
from reporting.monitoring.models import SessionTarget
from reporting.monitoring.quarters import Quarter
from reporting.referrals.models import Referral
from reporting.tips.models import Tip, TipHistory
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    HeldAttendanceFactory,
    HeldSessionFactory,
    OfficeFactory,
    RegionFactory,
    TipFactory,
    UserFactory,
)

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
Q3 = Quarter(2026, 3)
SECRET_TEXT = "Perekrut RAHASIA-7731 di gang mawar menawarkan kerja ke Malaysia"
SECRET_NAME = ("Ibu Sumarni Pelapor", "0812-7777-0001")
REFERRAL_SUMMARY = "RINGKASAN-RUJUKAN-5521"


def at(month, day, hour=10):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=WIB)


def tip(area, month, day, category=Tip.Category.TPPO, **fields):
    return TipFactory(
        area=area,
        category=category,
        description=SECRET_TEXT,
        identity=SECRET_NAME,
        received_at=at(month, day),
        **fields,
    )


def referral(tip_, sent_at, **fields):
    made = Referral.objects.create(
        tip=tip_,
        agency=AgencyFactory(),
        summary=REFERRAL_SUMMARY,
        token_hash=f"{tip_.pk.hex}".ljust(64, "1"),
        expires_at=timezone.now() + datetime.timedelta(days=30),
        **fields,
    )
    Referral.objects.filter(pk=made.pk).update(sent_at=sent_at)
    return made


@pytest.fixture
def offices(site_setup):
    jawa = RegionFactory(name="Kanwil Banten")
    bali = RegionFactory(name="Kanwil Bali")
    soetta = OfficeFactory(name="Kanim Soekarno-Hatta", region=jawa)
    tangerang = OfficeFactory(name="Kanim Tangerang", region=jawa)
    denpasar = OfficeFactory(name="Kanim Denpasar", region=bali)
    kohod = AreaFactory(
        name="Desa Kohod", office=soetta, is_desa_binaan=True, dbi_since=datetime.date(2025, 3, 1)
    )
    benda = AreaFactory(name="Kelurahan Benda", office=soetta)
    lemo = AreaFactory(name="Desa Lemo", office=tangerang, is_desa_binaan=True)
    pecatu = AreaFactory(name="Desa Pecatu", office=denpasar, is_desa_binaan=True)

    # Soekarno-Hatta: 5 sessions held in Q3 (4 in Kohod, 1 in Benda), 3 attendances each in Kohod.
    for month, day in [(7, 3), (7, 17), (8, 7), (9, 11)]:
        session = HeldSessionFactory(area=kohod, starts_at=at(month, day))
        HeldAttendanceFactory.create_batch(3, session=session)
    HeldSessionFactory(area=benda, starts_at=at(9, 20))
    # Not counted: cancelled, draft, the quarter before and after.
    HeldSessionFactory(area=kohod, starts_at=at(8, 1), status=Session.Status.CANCELLED)
    HeldSessionFactory(area=kohod, starts_at=at(8, 2), status=Session.Status.DRAFT)
    HeldSessionFactory(area=kohod, starts_at=at(6, 30))
    HeldSessionFactory(area=kohod, starts_at=at(10, 1))
    # Tangerang: 2 sessions, 2 attendances each (a woman and a man).
    for day in (5, 19):
        session = HeldSessionFactory(area=lemo, starts_at=at(8, day))
        HeldAttendanceFactory.create_batch(2, session=session)

    # Tips: Soekarno-Hatta 7 TPPO in Kohod and 2 PMI in Benda; Tangerang 3 TPPO; Denpasar 6 foreigner.
    soetta_tips = [tip(kohod, 7, 6 + day) for day in range(7)]
    soetta_tips += [tip(benda, 8, 4, Tip.Category.PMI_NON_PROCEDURAL) for _ in range(2)]
    for _ in range(3):
        tip(lemo, 8, 12)
    for _ in range(6):
        tip(pecatu, 9, 1, Tip.Category.FOREIGNER)
    tip(kohod, 10, 2)  # the next quarter

    # Deadlines on Soekarno-Hatta's first tip: triaged the next working day (met), told the reporter
    # a month later (missed). A referral acknowledged at once and acted on (both met).
    first = soetta_tips[0]
    TipHistory.objects.create(
        tip=first, kind=TipHistory.Kind.STATUS, from_status="received", to_status="verifying"
    )
    TipHistory.objects.filter(tip=first).update(created_at=at(7, 7))
    TipHistory.objects.create(tip=first, kind=TipHistory.Kind.PUBLIC_NOTE, note="Kami periksa.")
    TipHistory.objects.filter(tip=first, kind=TipHistory.Kind.PUBLIC_NOTE).update(created_at=at(8, 20))
    Tip.objects.filter(pk=first.pk).update(status=Tip.Status.VERIFYING)
    referral(
        first,
        at(7, 8),
        acknowledged_at=at(7, 8, 15),
        outcome=Referral.Outcome.ACTED_ON,
        outcome_at=at(7, 10),
    )
    referral(soetta_tips[1], at(7, 9))  # never answered: both deadlines missed

    SessionTarget.objects.create(office=soetta, year=2026, q3=10)
    SessionTarget.objects.create(office=tangerang, year=2026, year_total=10)
    return {
        "jawa": jawa,
        "bali": bali,
        "soetta": soetta,
        "tangerang": tangerang,
        "denpasar": denpasar,
        "kohod": kohod,
        "benda": benda,
    }


@pytest.fixture
def national(site_setup):
    return UserFactory(username="pemantau", role=NATIONAL)


@pytest.fixture
def regional(offices):
    return UserFactory(username="kanwil", role=REGIONAL, office__region=offices["jawa"])


@pytest.fixture
def soetta_supervisor(offices):
    return UserFactory(username="spv-soetta", role=SUPERVISOR, office=offices["soetta"])
