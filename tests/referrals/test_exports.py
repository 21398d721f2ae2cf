"""The tips export and the monthly report carry the referrals: agency, sent, acknowledged, outcome and
the working days taken, one row per referral."""

import datetime
import zoneinfo

import pytest
import time_machine

from reporting.exports.jobs import request_export
from reporting.referrals.services import referrals as services
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import AgencyFactory, AreaFactory, TipFactory

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
HEADERS = (
    "Laporan",
    "Kategori",
    "Wilayah",
    "Instansi",
    "Jenis instansi",
    "Dikirim pada (WIB)",
    "Diterima pada (WIB)",
    "Diterima oleh",
    "Hasil",
    "Hasil dilaporkan pada (WIB)",
    "Hari kerja sampai diterima",
    "Hari kerja yang dipakai",
    "Tautan dicabut pada (WIB)",
)


def at(*moment):
    return time_machine.travel(datetime.datetime(*moment, tzinfo=WIB), tick=False)


@pytest.fixture
def referred(supervisor):
    """A tip of October referred on Fri 9 Oct, acknowledged Mon 12 Oct, acted on Fri 23 Oct; and a
    second referral of it to the police, still open."""
    tip = TipFactory(
        received_at=datetime.datetime(2026, 10, 8, 9, tzinfo=WIB), area=AreaFactory(name="Sukamaju")
    )
    bp3mi = AgencyFactory(name="BP3MI Jawa Barat")
    police = AgencyFactory(name="Polrestabes Bandung", kind="polri")
    with at(2026, 10, 9, 10):
        referral, _link = services.refer(tip, supervisor, bp3mi, services.Sharing(summary="Ringkasan"))
    with at(2026, 10, 12, 8):
        services.acknowledge(referral, "Rahmat")
    with at(2026, 10, 23, 15):
        services.report_outcome(referral, "acted_on", "LPK ditutup.")
    with at(2026, 10, 26, 10):
        services.refer(tip, supervisor, police, services.Sharing(summary="Ringkasan"))
    return tip


def test_the_tips_export_has_a_referrals_sheet(supervisor, referred):
    with at(2026, 11, 2, 9):  # Monday 2 November: the police's referral has run five working days
        workbook = workbook_of(request_export(supervisor, "tips", OCTOBER))
    assert workbook.sheetnames == ["Laporan", "Rujukan"]
    values = sheet_values(workbook["Rujukan"])
    assert values[0] == HEADERS
    assert len(values) == 3
    first, second = values[1], values[2]
    assert first[:5] == (
        referred.short_id,
        "Tindak pidana perdagangan orang (TPPO)",
        "Sukamaju",
        "BP3MI Jawa Barat",
        "BP3MI",
    )
    assert first[5] == datetime.datetime(2026, 10, 9, 10)
    assert first[6] == datetime.datetime(2026, 10, 12, 8)
    assert (first[7], first[8]) == ("Rahmat", "Sudah ditindak")
    assert first[9] == datetime.datetime(2026, 10, 23, 15)
    # Fri 9 Oct -> Mon 12 Oct: one working day; -> Fri 23 Oct: ten working days.
    assert (first[10], first[11], first[12]) == (1, 10, None)
    assert second[3:5] == ("Polrestabes Bandung", "Kepolisian (Polri)")
    assert (second[6], second[8], second[10], second[11]) == (None, None, None, 5)


def test_the_monthly_report_has_the_referrals_of_the_months_tips(supervisor, referred):
    with at(2026, 11, 2, 9):
        workbook = workbook_of(request_export(supervisor, "monthly", {"month": "2026-10"}))
    values = sheet_values(workbook["Rujukan"])
    assert values[0] == HEADERS
    assert [row[3] for row in values[1:]] == ["BP3MI Jawa Barat", "Polrestabes Bandung"]


def test_referral_rows_take_one_query_however_many(supervisor, referred, django_assert_max_num_queries):
    from reporting.exports.referral_sheet import referral_rows
    from reporting.models import Referral

    with django_assert_max_num_queries(1):
        rows = list(referral_rows(Referral.objects.all()))
    assert len(rows) == 2
