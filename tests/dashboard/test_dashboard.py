"""Each role's dashboard: figures scoped by area (a role matrix), one query per panel and cached,
months counted in WIB, charts as SVG with a table beside them."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from events.models import Session
from reporting.dashboard import figures
from reporting.referrals.models import Referral
from reporting.referrals.services import clocks
from reporting.tips.models import Tip, TipHistory
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    AttendanceFactory,
    SessionFactory,
    TipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def two_areas(officer, supervisor):
    """The officer's area and another, with different numbers in each this month."""
    mine = AreaFactory(name="Cengkareng Timur", officers=[officer])
    other = AreaFactory(name="Jurumudi")
    now = timezone.now()
    for area, sessions, attendees_each, tips in ((mine, 2, 3, 1), (other, 5, 2, 4)):
        for _index in range(sessions):
            session = SessionFactory(
                area=area, starts_at=now - datetime.timedelta(hours=3), status=Session.Status.FINISHED
            )
            AttendanceFactory.create_batch(attendees_each, session=session)
        TipFactory.create_batch(tips, area=area)
    return {"mine": mine, "other": other}


def test_role_matrix_an_officer_sees_only_their_areas_numbers(officer, supervisor, two_areas):
    expected = {
        officer: (2, 6, 1, ["Cengkareng Timur"]),
        supervisor: (7, 16, 5, ["Cengkareng Timur", "Jurumudi"]),
    }
    for user, (sessions, attendees, tips, areas) in expected.items():
        this_month = figures.trend(user)[-1]
        assert (this_month["sessions"], this_month["attendees"]) == (sessions, attendees)
        assert figures.attendees_this_month(user)["total"] == attendees
        assert figures.tips_this_month(user)["total"] == tips
        assert figures.open_tips(user)["total"] == tips
        assert [area["name"] for area in figures.per_area(user)] == areas


def test_role_matrix_through_the_admin_home(client, officer, supervisor, editor, two_areas, assert_page):
    client.force_login(officer)
    page = assert_page(client.get("/admin/"), "Bulan ini: 2 sesi terlaksana, 6 peserta.", "Cengkareng Timur")
    assert "Jurumudi" not in page
    client.force_login(supervisor)
    page = assert_page(client.get("/admin/"), "Bulan ini: 7 sesi terlaksana, 16 peserta.")
    assert "Jurumudi" in page
    client.force_login(editor)
    page = assert_page(client.get("/admin/"), "Baru diterbitkan")
    assert "Bulan ini:" not in page and "Jurumudi" not in page


@pytest.mark.parametrize(
    "panel", ["trend", "attendees_this_month", "per_area", "tips_this_month", "open_tips", "exports_waiting"]
)
def test_each_panel_of_a_live_scope_is_one_query_then_cached(
    panel, officer, two_areas, django_assert_num_queries
):
    """An officer's figures are asked live (supervisors read the figures worked out for everyone,
    tests/dashboard/test_summary.py)."""
    compute = getattr(figures, panel)
    officer.has_perm("events.view_session")  # load the permission cache outside the count
    figures.service_levels()  # read once a minute for everyone (test below), not per panel
    with django_assert_num_queries(1):
        first = compute(officer)
    with django_assert_num_queries(0):
        assert compute(officer) == first


def test_a_month_is_a_wib_month(supervisor, site_setup):
    area = AreaFactory()
    # 31 October 20:00 UTC is 1 November 03:00 WIB: a November session.
    starts = datetime.datetime(2026, 10, 31, 20, 0, tzinfo=datetime.UTC)
    SessionFactory(area=area, starts_at=starts, status=Session.Status.FINISHED)
    months = figures.trend(supervisor, today=datetime.date(2026, 11, 15))
    assert [(row["month"], row["sessions"]) for row in months[-2:]] == [
        (datetime.date(2026, 10, 1), 0),
        (datetime.date(2026, 11, 1), 1),
    ]
    assert len(months) == 12 and months[0]["month"] == datetime.date(2025, 12, 1)


def test_the_trend_counts_each_sessions_attendees_then_sums_them_per_month(supervisor, site_setup):
    """Attendees are counted per session and summed per month: a session nobody attended still
    counts as held (adding no attendee), and each month has only its own sessions' attendees."""
    area = AreaFactory()
    october = datetime.datetime(2026, 10, 10, 9, 0, tzinfo=WIB)
    november = datetime.datetime(2026, 11, 5, 9, 0, tzinfo=WIB)
    for starts, attendees in ((october, 4), (november, 3), (november, 2), (november, 0)):
        session = SessionFactory(area=area, starts_at=starts, status=Session.Status.FINISHED)
        AttendanceFactory.create_batch(attendees, session=session)
    months = figures.trend(supervisor, today=datetime.date(2026, 11, 15))
    assert [(row["month"], row["sessions"], row["attendees"]) for row in months[-3:]] == [
        (datetime.date(2026, 9, 1), 0, 0),
        (datetime.date(2026, 10, 1), 1, 4),
        (datetime.date(2026, 11, 1), 3, 5),
    ]


def test_drafts_cancelled_and_future_sessions_are_not_held(supervisor, site_setup):
    area = AreaFactory()
    past = timezone.now() - datetime.timedelta(hours=2)
    SessionFactory(area=area, starts_at=past, status=Session.Status.CANCELLED)
    SessionFactory(area=area, starts_at=past, status=Session.Status.DRAFT)
    SessionFactory(area=area, starts_at=timezone.now() + datetime.timedelta(hours=2))
    SessionFactory(area=area, starts_at=past, status=Session.Status.FINISHED)
    assert figures.trend(supervisor)[-1]["sessions"] == 1


def test_open_tips_by_how_long_they_waited_and_unassigned(supervisor, officer, site_setup):
    now = timezone.now()
    ages = [1, 5, 20, 40, 40]
    for days in ages:
        tip = TipFactory()
        Tip.objects.filter(pk=tip.pk).update(created_at=now - datetime.timedelta(days=days))
    Tip.objects.filter(pk=TipFactory().pk).update(status=Tip.Status.CLOSED)  # closed: not open
    assigned = TipFactory(assigned_to=officer)
    Tip.objects.filter(pk=assigned.pk).update(created_at=now - datetime.timedelta(days=1))
    open_tips = figures.open_tips(supervisor)
    assert open_tips["total"] == 6
    assert open_tips["unassigned"] == 5
    assert [count for _low, _high, count in open_tips["ages"]] == [2, 1, 1, 2]


def test_charts_are_svg_drawn_here_each_with_a_table(client, supervisor, two_areas, assert_page):
    client.force_login(supervisor)
    page = assert_page(client.get("/admin/"))
    assert page.count('<svg class="chart"') == 7
    assert 'role="img" aria-label="Peserta bulan ini menurut jenis kelamin"' in page
    dashboard = page[page.index('class="w-dashboard') :]
    # A table for each panel's charts: four folded under their charts, the areas' one open.
    assert dashboard.count("<details") == 4
    assert dashboard.count('<table class="listing">') == 5
    assert "style=" not in dashboard.split("<svg", 1)[1]  # colours from the stylesheet (strict CSP)
    for outside in ("cdn", "https://", "http://"):
        assert outside not in "".join(part.split(">", 1)[0] for part in dashboard.split("<script")[1:])


def test_numbers_use_indonesian_separators(client, supervisor, site_setup):
    area = AreaFactory()
    session = SessionFactory(area=area, starts_at=timezone.now() - datetime.timedelta(hours=1))
    AttendanceFactory.create_batch(3, session=session)
    from reporting.dashboard import charts

    assert charts.number(12345) == "12.345"
    svg = charts.bar_chart("Uji", [charts.Bar("Perempuan", 1234)])
    assert ">1.234</text>" in svg


def _aged(days, **fields):
    tip = TipFactory(**fields)
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return tip


def _referral(tip, days_ago, **fields):
    referral = Referral.objects.create(
        tip=tip,
        agency=AgencyFactory(),
        summary="Ringkasan.",
        token_hash=f"{tip.pk.hex}{days_ago}".ljust(64, "0"),
        expires_at=timezone.now() + datetime.timedelta(days=30),
        **fields,
    )
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days_ago))
    return referral


def test_overdue_open_tips_are_counted_by_the_same_rule_as_their_clocks(supervisor, site_setup):
    """The dashboard counts in the database what each tip's clocks (tip page, list) say in Python."""
    area = AreaFactory()
    for days in range(0, 22):  # received tips of every age around the 3-working-day triage deadline
        _aged(days, area=area, category=Tip.Category.values[days % len(Tip.Category.values)])
    noted = _aged(30, area=area, status=Tip.Status.VERIFYING)  # triaged and the reporter told
    TipHistory.objects.create(tip=noted, kind=TipHistory.Kind.PUBLIC_NOTE, note="Sedang kami periksa.")
    for days_ago, fields in [
        (10, {}),
        (1, {}),
        (10, {"revoked_at": timezone.now()}),
        (40, {"outcome": "closed"}),
    ]:
        tip = _aged(30, area=area, status=Tip.Status.FORWARDED)
        TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.PUBLIC_NOTE, note="Diteruskan.")
        _referral(tip, days_ago, **fields)
    _aged(30, area=area, status=Tip.Status.VERIFYING)  # nobody told the reporter in 14 working days
    _aged(40, area=area, status=Tip.Status.CLOSED)  # closed: no clock runs
    levels = clocks.service_levels()
    tips = clocks.with_clock_data(Tip.objects.all())
    by_clocks = {
        tip.pk
        for tip in tips
        if any(clock.state == clocks.State.OVERDUE for clock in clocks.tip_clocks(tip, levels))
    }
    assert 10 < len(by_clocks) < Tip.objects.count()  # some overdue, some not: the rule is exercised
    assert figures.open_tips(supervisor)["overdue"] == len(by_clocks)
    assert set(Tip.objects.filter(clocks.overdue_filter(levels)).values_list("pk", flat=True)) == by_clocks


def test_role_matrix_overdue_tips_of_the_officers_areas_only(
    client, officer, supervisor, editor, site_setup, assert_page
):
    mine = AreaFactory(name="Cengkareng Timur", officers=[officer])
    other = AreaFactory(name="Jurumudi")
    late_mine = _aged(20, area=mine)
    late_elsewhere = [_aged(20, area=other), _aged(20, area=other)]
    _aged(0, area=other)  # not yet overdue
    assert figures.open_tips(officer)["overdue"] == 1
    assert figures.open_tips(supervisor)["overdue"] == 3
    for user, shown, listed in (
        (officer, "1 melewati tenggat", [late_mine]),
        (supervisor, "3 melewati tenggat", [late_mine, *late_elsewhere]),
    ):
        client.force_login(user)
        assert shown in client.get("/admin/").content.decode()
        listing = client.get("/admin/laporan/?deadline=overdue").content.decode()
        assert [tip for tip in (late_mine, *late_elsewhere) if tip.short_id in listing] == listed
    client.force_login(editor)
    assert "melewati tenggat" not in assert_page(client.get("/admin/"), "Baru diterbitkan")


def test_the_overdue_list_is_what_the_dashboard_counts(client, officer, site_setup, assert_page):
    mine = AreaFactory(officers=[officer])
    late = _aged(20, area=mine)
    fresh = _aged(0, area=mine)
    client.force_login(officer)
    page = assert_page(client.get("/admin/laporan/?deadline=overdue"), late.short_id)
    assert fresh.short_id not in page


def test_the_service_levels_are_read_once_for_every_user(officer, django_assert_num_queries):
    other_officer = UserFactory(role="Petugas PIMPASA")
    officer.has_perm("events.view_session")
    with django_assert_num_queries(2):  # the service levels, then the panel's one query
        figures.open_tips(officer)
    other_officer.has_perm("events.view_session")
    with django_assert_num_queries(1):
        figures.open_tips(other_officer)
