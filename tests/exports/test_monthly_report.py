"""The monthly report: summary figures against the database, the chart, the data sheets."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from events.models import Area, Attendance, Session
from reporting.exports.jobs import request_export
from reporting.exports.monthly import MonthlyReportExporter, month_choices, previous_month
from reporting.tips.models import Tip
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import AreaFactory, HeldAttendanceFactory, HeldSessionFactory, TipFactory

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
OCTOBER = {"month": "2026-10"}
AGE_GROUPS = [code for code, _label in Attendance.AgeGroup.choices]


@pytest.fixture
def october():
    sukamaju = AreaFactory(name="Sukamaju")
    cibeunying = AreaFactory(name="Cibeunying")
    AreaFactory(name="Sepi")  # no sessions: still listed, with zeros
    day = datetime.datetime(2026, 10, 6, 9, 0, tzinfo=WIB)
    held = [
        HeldSessionFactory(area=sukamaju, starts_at=day),
        HeldSessionFactory(
            area=sukamaju, starts_at=day + datetime.timedelta(days=7), kind=Session.Kind.SOSIALISASI
        ),
        HeldSessionFactory(
            area=cibeunying, starts_at=day + datetime.timedelta(days=2), kind=Session.Kind.TIMPORA
        ),
    ]
    not_counted = [
        HeldSessionFactory(area=sukamaju, starts_at=day, status=Session.Status.CANCELLED),
        HeldSessionFactory(area=cibeunying, starts_at=day, status=Session.Status.DRAFT),
        HeldSessionFactory(area=sukamaju, starts_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=WIB)),
    ]
    for count, session in zip([7, 4, 5], held, strict=True):
        HeldAttendanceFactory.create_batch(count, session=session)
    HeldAttendanceFactory(session=held[2], rw="", gender=Attendance.Gender.FEMALE)
    for session in not_counted:
        HeldAttendanceFactory.create_batch(2, session=session)
    tips = [
        TipFactory(received_at=day, area=sukamaju, session=held[0]),
        TipFactory(
            received_at=day,
            area=sukamaju,
            category=Tip.Category.PMI_NON_PROCEDURAL,
            status=Tip.Status.VERIFYING,
        ),
        TipFactory(
            received_at=day,
            area=cibeunying,
            session=held[2],
            category=Tip.Category.FOREIGNER,
            status=Tip.Status.CLOSED,
        ),
        TipFactory(received_at=day, area=None, identity=("Pak Budi", "+628111111111")),  # online, no area
        TipFactory(received_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=WIB), area=sukamaju),  # November
    ]
    return {"held": held, "not_counted": not_counted, "tips": tips}


def database_figures(attendances):
    """The same figures computed independently, one query per figure, from the database."""
    return (
        attendances.count(),
        attendances.filter(gender=Attendance.Gender.FEMALE).count(),
        attendances.filter(gender=Attendance.Gender.MALE).count(),
        *(attendances.filter(age_group=code).count() for code in AGE_GROUPS),
    )


def tip_figures(tips):
    return (
        tips.count(),
        *(tips.filter(category=code).count() for code, _label in Tip.Category.choices),
        *(tips.filter(status=code).count() for code, _label in Tip.Status.choices),
    )


def tips_of_october():
    return Tip.objects.filter(
        created_at__gte=datetime.datetime(2026, 10, 1, tzinfo=WIB),
        created_at__lt=datetime.datetime(2026, 11, 1, tzinfo=WIB),
    )


def held_in_october():
    return Session.objects.filter(
        starts_at__gte=datetime.datetime(2026, 10, 1, tzinfo=WIB),
        starts_at__lt=datetime.datetime(2026, 11, 1, tzinfo=WIB),
    ).exclude(status__in=[Session.Status.DRAFT, Session.Status.CANCELLED])


@pytest.mark.django_db
def test_summary_per_area_matches_the_database(supervisor, october, settings):
    settings.PIMPASA_SMALL_COUNT_THRESHOLD = 1  # every count shown (their hiding: tests/where/)
    workbook = workbook_of(request_export(supervisor, "monthly", OCTOBER))
    assert workbook.sheetnames == [
        "Ringkasan",
        "Per sesi",
        "Per RW",
        "Kasus",
        "Kehadiran",
        "Laporan",
        "Rujukan",
    ]
    values = sheet_values(workbook["Ringkasan"])
    assert values[0][:7] == (
        "Wilayah",
        "Kecamatan",
        "Kota / kabupaten",
        "Sesi terlaksana",
        "Kehadiran",
        "Perempuan",
        "Laki-laki",
    )
    assert values[0][13:15] == ("Laporan", "Tindak pidana perdagangan orang (TPPO)")
    width = 3 + len(AGE_GROUPS)
    areas = list(Area.objects.all())
    assert [row[0] for row in values[1:-1]] == [area.name for area in areas] + ["(tanpa wilayah)"]
    for row, area in zip(values[1:], areas, strict=False):
        sessions = held_in_october().filter(area=area)
        attendances = Attendance.objects.filter(session__in=sessions)
        assert row[3] == sessions.count()
        assert row[4 : 4 + width] == database_figures(attendances)
        assert row[4 + width :] == tip_figures(tips_of_october().filter(area=area))
    no_area = values[-2]
    assert (
        no_area[4 + width :]
        == tip_figures(tips_of_october().filter(area=None))
        != (0,) * len(no_area[4 + width :])
    )
    total = values[-1]
    assert total[0] == "Jumlah"
    assert total[3] == 3
    assert total[4 : 4 + width] == database_figures(Attendance.objects.filter(session__in=held_in_october()))
    assert total[4] == 7 + 4 + 5 + 1
    assert total[4 + width :] == tip_figures(tips_of_october())
    assert total[4 + width] == 4


@pytest.mark.django_db
def test_summary_has_a_native_bar_chart_of_women_and_men_per_area(supervisor, october):
    sheet = workbook_of(request_export(supervisor, "monthly", OCTOBER))["Ringkasan"]
    charts = sheet._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.tagname == "barChart"
    assert [series.tx.strRef.f for series in chart.series] == ["'Ringkasan'!F1", "'Ringkasan'!G1"]
    assert chart.series[0].val.numRef.f == "'Ringkasan'!$F$2:$F$5"
    assert chart.series[0].cat.numRef.f == "'Ringkasan'!$A$2:$A$5"
    # Excel hides axes marked deleted: the areas and the scale must be drawn.
    assert chart.x_axis.delete is False and chart.y_axis.delete is False


@pytest.mark.django_db
def test_summary_counts_use_a_thousands_separator_format(supervisor, october):
    sheet = workbook_of(request_export(supervisor, "monthly", OCTOBER))["Ringkasan"]
    assert sheet["D2"].number_format == "#,##0"  # sessions held
    assert sheet["E2"].number_format == "#,##0"  # attendance
    assert sheet["A2"].number_format == "General"  # the area's name


@pytest.mark.django_db
def test_the_download_is_named_in_the_workbooks_language_with_its_month(supervisor, october):
    from reporting.exports.jobs import download_name

    assert (
        download_name(request_export(supervisor, "monthly", OCTOBER))
        == "pimpasa-laporan-bulanan-2026-10.xlsx"
    )
    english = request_export(supervisor, "monthly", OCTOBER, language="en")
    assert download_name(english) == "pimpasa-monthly-report-2026-10.xlsx"


@pytest.mark.django_db
def test_per_session_and_per_rw_match_the_database(supervisor, october, settings):
    settings.PIMPASA_SMALL_COUNT_THRESHOLD = 1  # every count shown (their hiding: tests/where/)
    workbook = workbook_of(request_export(supervisor, "monthly", OCTOBER))
    per_session = sheet_values(workbook["Per sesi"])[1:]
    held = sorted(october["held"], key=lambda session: session.starts_at)
    assert [row[1] for row in per_session] == [session.title for session in held]
    for row, session in zip(per_session, held, strict=True):
        assert row[0] == session.starts_at.astimezone(WIB).replace(tzinfo=None)
        assert row[5 : 5 + 3 + len(AGE_GROUPS)] == database_figures(session.attendances.all())
        assert row[5 + 3 + len(AGE_GROUPS) :] == tip_figures(tips_of_october().filter(session=session))
    assert sum(row[5 + 3 + len(AGE_GROUPS)] for row in per_session) == 2

    per_rw = sheet_values(workbook["Per RW"])[1:]
    expected = (
        Attendance.objects.filter(session__in=held_in_october())
        .values("session__area__name", "rw")
        .annotate(n=Count("pk"), female=Count("pk", filter=Q(gender="f")))
        .order_by("session__area__name", "rw")
    )
    assert [(row[0], row[1], row[2], row[3]) for row in per_rw] == [
        (item["session__area__name"], item["rw"] or "(tanpa RW)", item["n"], item["female"])
        for item in expected
    ]


@pytest.mark.django_db
def test_the_attendance_sheet_holds_the_months_attendance(supervisor, october):
    workbook = workbook_of(request_export(supervisor, "monthly", OCTOBER))
    rows = sheet_values(workbook["Kehadiran"])[1:]
    expected = Attendance.objects.filter(session__in=held_in_october()).order_by(
        "session__starts_at", "session_id", "checked_in_at", "pk"
    )
    assert [(row[6], row[7] or "") for row in rows] == [(a.name, a.phone) for a in expected]


@pytest.mark.django_db
def test_the_tips_sheet_holds_the_months_tips_without_who_reported_them(supervisor, october):
    workbook = workbook_of(request_export(supervisor, "monthly", OCTOBER))
    values = sheet_values(workbook["Laporan"])
    assert "Nama pelapor" not in values[0]
    expected = tips_of_october().order_by("created_at", "pk")
    assert [row[1] for row in values[1:]] == [tip.short_id for tip in expected]
    assert not any("Pak Budi" in str(cell) for row in values for cell in row)


@pytest.mark.django_db
def test_summary_sheets_are_computed_with_a_constant_number_of_queries(supervisor, october):
    def queries_for_summaries():
        exporter = MonthlyReportExporter(supervisor, OCTOBER, time_zone=WIB)
        with CaptureQueriesContext(connection) as captured:
            for sheet in exporter.sheets()[:3]:
                list(sheet.rows())
        return len(captured)

    supervisor.has_perm("reporting.export_all_areas")  # the permission cache, filled once per user
    before = queries_for_summaries()
    for session in october["held"]:
        HeldAttendanceFactory.create_batch(5, session=session)
    for area in Area.objects.all():
        session = HeldSessionFactory(area=area, starts_at=datetime.datetime(2026, 10, 20, 9, tzinfo=WIB))
        TipFactory(received_at=session.starts_at, area=area, session=session)
    assert queries_for_summaries() == before <= 12


@pytest.mark.django_db
def test_month_choices_offer_the_previous_month_first_after_the_current(supervisor):
    choices = month_choices(today=datetime.date(2026, 11, 23))
    assert choices[0] == ("2026-11", "November 2026")
    assert choices[1] == ("2026-10", "Oktober 2026")
    assert previous_month(today=datetime.date(2026, 1, 15)) == "2025-12"
    form = MonthlyReportExporter.filter_form(supervisor)
    assert form.fields["month"].initial() == previous_month()


@pytest.mark.django_db
def test_the_cases_sheet_counts_each_case_once_and_hides_a_small_count_of_tips(supervisor, october):
    from reporting.tips.related.services import cases

    in_october = list(tips_of_october())
    # One case of three October tips in two areas, and one joining an October tip with November's.
    cases.group(supervisor, [tip.pk for tip in in_october[:3]])
    cases.group(supervisor, [in_october[3].pk, october["tips"][-1].pk])
    workbook = workbook_of(request_export(supervisor, "monthly", OCTOBER))
    values = sheet_values(workbook["Kasus"])
    assert values[0] == ("Kasus", "Laporan dalam kasus")
    assert values[1] == (2, "< 5")  # 4 of October's tips are in a case: a small count, hidden
