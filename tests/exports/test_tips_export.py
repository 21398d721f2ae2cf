"""The tips export: matched cell by cell with the database; reporter identity only for those allowed."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from reporting.exports import ExportError
from reporting.exports.jobs import request_export
from reporting.exports.tips import TipsExporter
from reporting.tips.conversation import services as conversation
from reporting.tips.models import Tip
from reporting.tips.services import evidence as evidence_service
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import AreaFactory, HeldSessionFactory, TipFactory, UserFactory, image_bytes

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
HEADERS = (
    "Diterima pada (WIB)",
    "Laporan",
    "Kategori",
    "Status",
    "Wilayah",
    "Kecamatan",
    "RW",
    "Alamat atau tempat",
    "Waktu",
    "Kejadian",
    "Pihak yang terlibat",
    "Sesi",
    "Petugas yang ditugaskan",
    "Ditutup pada (WIB)",
    "Anonim",
    "Pesan dengan pelapor",
    "Berkas tambahan",
    "Kasus",
)
IDENTITY_HEADERS = ("Nama pelapor", "Kontak pelapor")


@pytest.fixture
def tips(officer):
    sukamaju = AreaFactory(name="Sukamaju")
    session = HeldSessionFactory(area=sukamaju, starts_at=datetime.datetime(2026, 10, 3, 19, tzinfo=WIB))
    october = datetime.datetime(2026, 10, 4, 8, 30, tzinfo=WIB)
    return {
        "anonymous": TipFactory(
            received_at=october,
            area=sukamaju,
            session=session,
            rw="04",
            address="Gang Mawar",
            occurred_when="minggu lalu",
            people_involved='=HYPERLINK("http://evil.invalid")',
            assigned_to=officer,
            status=Tip.Status.VERIFYING,
        ),
        "named": TipFactory(
            received_at=october + datetime.timedelta(days=3),
            identity=("Ibu Siti", "+6281234567890"),
            category=Tip.Category.PMI_NON_PROCEDURAL,
            area=None,
            status=Tip.Status.CLOSED,
            closed_at=october + datetime.timedelta(days=5),
        ),
        # 1 November 00:10 WIB: still 31 October in UTC, already November in Jakarta.
        "november": TipFactory(received_at=datetime.datetime(2026, 11, 1, 0, 10, tzinfo=WIB), area=sukamaju),
    }


def wib(moment):
    return moment.astimezone(WIB).replace(tzinfo=None) if moment else None


def expected_row(tip, identity=None):
    """What the sheet should say about `tip`, read from the database (empty cells read back as None)."""
    with translation.override("id"):
        row = (
            wib(tip.created_at),
            tip.short_id,
            str(tip.get_category_display()),
            str(tip.get_status_display()),
            tip.area.name if tip.area else None,
            tip.area.kecamatan if tip.area else None,
            tip.rw or None,
            tip.address or None,
            tip.occurred_when or None,
            tip.description,
            tip.people_involved or None,
            tip.session.title if tip.session else None,
            tip.assigned_to.get_full_name() if tip.assigned_to else None,
            wib(tip.closed_at),
            "Ya" if tip.is_anonymous else "Tidak",
            tip.messages.count(),
            tip.evidence.filter(messages__isnull=False).count(),
            tip.case.number if tip.case else None,
        )
    return row if identity is None else row + identity


def compare(actual, tip, identity=None):
    expected = expected_row(tip, identity)
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        if isinstance(want, datetime.datetime):
            assert abs(got - want) < datetime.timedelta(seconds=1)
        else:
            assert got == want, (got, want)


@pytest.mark.django_db
def test_a_supervisor_gets_every_tip_of_the_range_with_who_reported_it(supervisor, tips):
    job = request_export(supervisor, "tips", OCTOBER)
    values = sheet_values(workbook_of(job).worksheets[0])
    assert values[0] == HEADERS + IDENTITY_HEADERS
    assert len(values) == 3  # the 1 November (WIB) tip is not October's
    compare(values[1], tips["anonymous"], identity=(None, None))
    compare(values[2], tips["named"], identity=("Ibu Siti", "+6281234567890"))
    # The hostile "who is involved" came out as text; the phone too.
    sheet = workbook_of(job).worksheets[0]
    assert sheet["K2"].data_type == "s" and sheet["K2"].value.startswith("=HYPERLINK")
    assert sheet["T3"].value == "+6281234567890" and sheet["T3"].data_type == "s"


@pytest.mark.django_db
def test_without_the_identity_permission_there_are_no_identity_columns(site_setup, tips):
    analyst = UserFactory(role="Petugas PIMPASA")
    group = Group.objects.create(name="Analis")
    group.permissions.add(
        Permission.objects.get(codename="export_tips"), Permission.objects.get(codename="view_all_tips")
    )
    analyst.groups.add(group)
    job = request_export(analyst, "tips", OCTOBER)
    values = sheet_values(workbook_of(job).worksheets[0])
    assert values[0] == HEADERS
    assert all("Ibu Siti" not in (cell or "") for row in values for cell in row if isinstance(cell, str))
    compare(values[2], tips["named"])


@pytest.mark.django_db
def test_filters_by_status_category_and_area(supervisor, tips):
    by_status = request_export(supervisor, "tips", {**OCTOBER, "statuses": [Tip.Status.CLOSED]})
    assert [row[1] for row in sheet_values(workbook_of(by_status).worksheets[0])[1:]] == [
        tips["named"].short_id
    ]
    by_category = request_export(supervisor, "tips", {**OCTOBER, "categories": [Tip.Category.TPPO]})
    assert [row[1] for row in sheet_values(workbook_of(by_category).worksheets[0])[1:]] == [
        tips["anonymous"].short_id
    ]
    by_area = request_export(
        supervisor,
        "tips",
        {"date_from": "2026-10-01", "date_to": "2026-11-30", "areas": [tips["november"].area_id]},
    )
    assert [row[1] for row in sheet_values(workbook_of(by_area).worksheets[0])[1:]] == [
        tips["anonymous"].short_id,
        tips["november"].short_id,
    ]


@pytest.mark.django_db
def test_officers_cannot_export_tips(officer, tips):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        request_export(officer, "tips", OCTOBER)


@pytest.mark.django_db
def test_a_range_is_required_and_in_order(supervisor):
    assert not TipsExporter.filter_form(supervisor, data={}).is_valid()
    form = TipsExporter.filter_form(supervisor, data={"date_from": "2026-10-31", "date_to": "2026-10-01"})
    assert not form.is_valid()
    with pytest.raises(ExportError):
        request_export(supervisor, "tips", {"date_from": "2026-10-01"})


@pytest.mark.django_db
def test_messages_and_files_added_later_are_counted_never_shown(supervisor, tips, officer):
    tip = tips["anonymous"]
    conversation.ask(tip, officer, "Kapan tepatnya?")
    late = evidence_service.prepare(SimpleUploadedFile("foto.jpg", image_bytes("JPEG")))
    conversation.reply(tip, "Kemarin malam di warung.", [late])
    conversation.reply(
        tip, "Satu foto lagi.", [evidence_service.prepare(SimpleUploadedFile("b.jpg", image_bytes("JPEG")))]
    )
    values = sheet_values(workbook_of(request_export(supervisor, "tips", OCTOBER)).worksheets[0])
    assert values[1][15:17] == (3, 2) and values[2][15:17] == (0, 0)
    assert not any("warung" in cell for row in values for cell in row if isinstance(cell, str))


@pytest.mark.django_db
def test_tip_rows_take_one_query_however_many_tips(supervisor, tips, django_assert_max_num_queries):
    exporter = TipsExporter(supervisor, OCTOBER, time_zone=WIB)
    assert exporter.with_identity
    with django_assert_max_num_queries(1):
        few = list(exporter.rows())
    for day in range(10):
        TipFactory(
            received_at=datetime.datetime(2026, 10, 10 + day, tzinfo=WIB),
            identity=(f"Warga {day}", "+628100000000"),
            assigned_to=UserFactory(),
            session=HeldSessionFactory(),
        )
    with django_assert_max_num_queries(1):
        many = list(exporter.rows())
    assert len(many) == len(few) + 10


@pytest.mark.django_db
def test_the_audit_log_says_whether_a_file_names_reporters(supervisor, tips):
    from wagtail.models import ModelLogEntry

    job = request_export(supervisor, "tips", OCTOBER)
    entries = ModelLogEntry.objects.for_instance(job)
    requested = entries.get(action="reporting.export_requested")
    assert (requested.user_id, requested.data["filters"]) == (supervisor.pk, OCTOBER)
    assert entries.get(action="reporting.export_finished").data == {"rows": 2, "reporter_identities": True}


@pytest.mark.django_db
def test_the_download_is_named_in_the_workbooks_language_with_its_date_range(supervisor, tips):
    from reporting.exports.jobs import download_name

    assert (
        download_name(request_export(supervisor, "tips", OCTOBER))
        == "pimpasa-laporan-2026-10-01_2026-10-31.xlsx"
    )
    english = request_export(supervisor, "tips", OCTOBER, language="en")
    assert download_name(english) == "pimpasa-tips-2026-10-01_2026-10-31.xlsx"
