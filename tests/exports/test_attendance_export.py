"""The attendance export, read back with openpyxl and matched cell by cell with the database."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from events.models import Attendance, Session
from reporting.exports import ExportError
from reporting.exports.attendance import AttendanceExporter
from reporting.exports.jobs import request_export
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import AreaFactory, HeldAttendanceFactory, HeldSessionFactory

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
HEADERS_ID = (
    "Tanggal sesi (WIB)",
    "Sesi",
    "Jenis sesi",
    "Wilayah",
    "Kecamatan",
    "Kota / kabupaten",
    "Nama",
    "Telepon",
    "Jenis kelamin",
    "Kelompok usia",
    "RW",
    "Alamat",
    "Instansi",
    "Cara masuk",
    "Waktu hadir (WIB)",
    "Waktu persetujuan (WIB)",
)
HEADERS_EN = (
    "Session date (WIB)",
    "Session",
    "Kind of session",
    "Area",
    "Kecamatan",
    "City / regency",
    "Name",
    "Phone",
    "Gender",
    "Age group",
    "RW",
    "Address",
    "Institution",
    "How they came in",
    "Checked in at (WIB)",
    "Consent given at (WIB)",
)


def wib(value):
    return value.astimezone(WIB).replace(tzinfo=None) if value else None


def expected_row(attendance, language="id"):
    """What a person reading the sheet should see for `attendance`, straight from the database."""
    session = attendance.session
    with translation.override(language):
        return (
            wib(session.starts_at),
            session.title,
            str(session.get_kind_display()),
            session.area.name,
            session.area.kecamatan,
            session.area.city,
            attendance.name,
            attendance.phone or None,
            str(attendance.get_gender_display()),
            str(attendance.get_age_group_display()),
            attendance.rw or None,
            attendance.address or None,
            attendance.institution or None,
            str(attendance.get_source_display()),
            wib(attendance.checked_in_at),
            wib(attendance.consent_at),
        )


def close_enough(actual, expected):
    """Excel keeps times to the millisecond; compare datetimes to the second, the rest exactly."""
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        if isinstance(want, datetime.datetime):
            assert isinstance(got, datetime.datetime), (got, want)
            assert abs(got - want) < datetime.timedelta(seconds=1), (got, want)
        else:
            assert got == want, (got, want)


@pytest.fixture
def month_of_sessions(officer):
    """Two of the officer's areas and one elsewhere, sessions of each kind, attendance at each."""
    mine = AreaFactory(name="Sukamaju", officers=[officer])
    also_mine = AreaFactory(name="Cibeunying", officers=[officer])
    elsewhere = AreaFactory(name="Lain")
    start = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=WIB)
    sessions = {
        "ngopi": HeldSessionFactory(area=mine, kind=Session.Kind.NGOPI, starts_at=start),
        "timpora": HeldSessionFactory(
            area=also_mine, kind=Session.Kind.TIMPORA, starts_at=start + datetime.timedelta(days=3)
        ),
        "elsewhere": HeldSessionFactory(area=elsewhere, starts_at=start + datetime.timedelta(days=1)),
        # 31 October 23:30 WIB: the last half hour of October in Jakarta.
        "late": HeldSessionFactory(area=mine, starts_at=datetime.datetime(2026, 10, 31, 23, 30, tzinfo=WIB)),
        # 1 November 00:30 WIB is 31 October in UTC: it belongs to November here.
        "november": HeldSessionFactory(
            area=mine, starts_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=WIB)
        ),
    }
    for session in sessions.values():
        HeldAttendanceFactory.create_batch(3, session=session)
    HeldAttendanceFactory(
        session=sessions["timpora"],
        phone="",
        rw="",
        institution="Dinas Tenaga Kerja",
        source=Attendance.Source.OFFICER,
        consent_at=None,
    )
    return sessions


def attendances_of(*sessions):
    return list(
        Attendance.objects.filter(session__in=sessions)
        .select_related("session__area")
        .order_by("session__starts_at", "session_id", "checked_in_at", "pk")
    )


@pytest.mark.django_db
def test_one_session_matches_the_database_cell_by_cell(supervisor, month_of_sessions):
    session = month_of_sessions["timpora"]
    job = request_export(supervisor, "attendance", {"session": session.pk})
    sheet = workbook_of(job).worksheets[0]
    values = sheet_values(sheet)
    assert values[0] == HEADERS_ID
    expected = attendances_of(session)
    assert len(values) - 1 == len(expected) == 4
    for row, attendance in zip(values[1:], expected, strict=True):
        close_enough(row, expected_row(attendance))
    # Real dates, not text.
    assert sheet["A2"].is_date and sheet["O2"].is_date
    assert job.rows_total == job.rows_done == 4


@pytest.mark.django_db
def test_a_date_range_is_whole_days_in_wib(supervisor, month_of_sessions):
    job = request_export(supervisor, "attendance", {"date_from": "2026-10-01", "date_to": "2026-10-31"})
    values = sheet_values(workbook_of(job).worksheets[0])
    sessions = month_of_sessions
    expected = attendances_of(sessions["ngopi"], sessions["elsewhere"], sessions["timpora"], sessions["late"])
    assert len(values) - 1 == len(expected)
    for row, attendance in zip(values[1:], expected, strict=True):
        close_enough(row, expected_row(attendance))
    assert {row[1] for row in values[1:]} == {
        sessions[k].title for k in ("ngopi", "elsewhere", "timpora", "late")
    }


@pytest.mark.django_db
def test_areas_and_kinds_narrow_the_range(supervisor, month_of_sessions):
    sessions = month_of_sessions
    filters = {
        "date_from": "2026-10-01",
        "date_to": "2026-11-30",
        "areas": [sessions["ngopi"].area_id],
        "kinds": [Session.Kind.NGOPI],
    }
    values = sheet_values(workbook_of(request_export(supervisor, "attendance", filters)).worksheets[0])
    expected = attendances_of(sessions["ngopi"], sessions["late"], sessions["november"])
    assert [row[6] for row in values[1:]] == [attendance.name for attendance in expected]


@pytest.mark.django_db
def test_an_officer_exports_only_their_areas(officer, month_of_sessions):
    job = request_export(officer, "attendance", {"date_from": "2026-10-01", "date_to": "2026-10-31"})
    titles = {row[1] for row in sheet_values(workbook_of(job).worksheets[0])[1:]}
    sessions = month_of_sessions
    assert titles == {sessions["ngopi"].title, sessions["timpora"].title, sessions["late"].title}

    # Another area's session or area cannot even be chosen.
    with pytest.raises(ExportError):
        request_export(officer, "attendance", {"session": sessions["elsewhere"].pk})
    with pytest.raises(ExportError):
        request_export(
            officer,
            "attendance",
            {"date_from": "2026-10-01", "date_to": "2026-10-31", "areas": [sessions["elsewhere"].area_id]},
        )


@pytest.mark.django_db
def test_an_officer_removed_from_an_area_before_the_job_runs_gets_a_clear_failure(officer, month_of_sessions):
    from reporting.exports.jobs import run_export
    from reporting.exports.models import ExportJob

    session = month_of_sessions["ngopi"]
    job = ExportJob.objects.create(
        exporter="attendance", filters={"session": session.pk}, requested_by=officer
    )
    session.area.officers.remove(officer)
    run_export(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("Filter ekspor ini sudah tidak berlaku")
    assert not job.file_name


@pytest.mark.django_db
def test_headers_follow_the_requesters_language(supervisor, month_of_sessions):
    session = month_of_sessions["ngopi"]
    english = request_export(supervisor, "attendance", {"session": session.pk}, language="en")
    values = sheet_values(workbook_of(english).worksheets[0])
    assert values[0] == HEADERS_EN
    close_enough(values[1], expected_row(attendances_of(session)[0], language="en"))
    assert workbook_of(english).worksheets[0].title == "Attendance"
    indonesian = request_export(supervisor, "attendance", {"session": session.pk})
    assert workbook_of(indonesian).worksheets[0].title == "Kehadiran"


@pytest.mark.django_db
def test_filters_need_a_session_or_a_whole_range(supervisor):
    form = AttendanceExporter.filter_form(supervisor, data={"date_from": "2026-10-01"})
    assert not form.is_valid()
    assert "Pilih satu sesi" in str(form.non_field_errors())
    form = AttendanceExporter.filter_form(
        supervisor, data={"date_from": "2026-10-31", "date_to": "2026-10-01"}
    )
    assert not form.is_valid()


@pytest.mark.django_db
def test_rows_are_generated_with_a_constant_number_of_queries(
    supervisor, month_of_sessions, django_assert_max_num_queries
):
    filters = {"date_from": "2026-10-01", "date_to": "2026-11-30"}

    exporter = AttendanceExporter(supervisor, filters, time_zone=WIB)
    with django_assert_max_num_queries(1):
        few = list(exporter.rows())
    for session in month_of_sessions.values():
        HeldAttendanceFactory.create_batch(10, session=session)
    with django_assert_max_num_queries(1):
        many = list(exporter.rows())
    assert len(many) == len(few) + 50
