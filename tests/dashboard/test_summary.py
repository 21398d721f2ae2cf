"""The dashboard's figures worked out once for everyone, per area (reporting.dashboard.summary): the same
figures as the live queries on an awkward data set, for everyone and for a scope that is a set of areas;
a page that reads them in the same number of queries for 3 tips and for 30; a refresh that can run
again; and a page that stays truthful with no worker (no figures yet, old figures, yesterday's)."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from events.models import Attendance, Session
from reporting.dashboard import figures, summary
from reporting.dashboard.models import AreaFigures
from reporting.referrals.admin_views import deadline_summary
from reporting.referrals.models import Referral
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
PANELS = ["trend", "attendees_this_month", "per_area", "tips_this_month", "open_tips"]


def aged(days, **fields):
    tip = TipFactory(**fields)
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return tip


def refer(tip, agency, days_ago, **fields):
    referral = Referral.objects.create(
        tip=tip,
        agency=agency,
        summary="Dugaan perekrutan tanpa prosedur.",
        token_hash=f"{tip.pk.hex}{agency.pk:032x}",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        **fields,
    )
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days_ago))


@pytest.fixture
def awkward_office(site_setup):
    """Three areas and tips with none; sessions this month (past, later today, cancelled, a draft),
    last month, a year ago and just inside the trend; tips of every age, status and category, with
    notes, referrals waiting, acknowledged, answered and revoked."""
    areas = [AreaFactory(name=name) for name in ("Kalideres", "Cengkareng Timur", "Jurumudi")]
    now = timezone.now()
    statuses = list(Session.Status.values)
    for index in range(24):
        area = areas[index % 3]
        starts = now - datetime.timedelta(days=(index * 17) % 400, hours=index % 5)
        session = SessionFactory(area=area, starts_at=starts, status=statuses[index % len(statuses)])
        for n in range(index % 4):
            AttendanceFactory(
                session=session,
                gender=Attendance.Gender.values[n % len(Attendance.Gender.values)],
                age_group=Attendance.AgeGroup.values[n % len(Attendance.AgeGroup.values)],
            )
    later_today = SessionFactory(
        area=areas[0], starts_at=now + datetime.timedelta(hours=1), status=Session.Status.SCHEDULED
    )
    AttendanceFactory(session=later_today)
    agency = AgencyFactory()
    for index in range(40):
        area = areas[index % 3] if index % 5 else None
        tip = aged(
            (index * 3) % 50,
            area=area,
            category=Tip.Category.values[index % len(Tip.Category.values)],
            status=Tip.Status.values[index % len(Tip.Status.values)],
        )
        if index % 4 == 0:
            TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.PUBLIC_NOTE, note="Sedang kami periksa.")
        if index % 3 == 0:
            variant = index % 4
            refer(
                tip,
                agency,
                days_ago=index % 20,
                acknowledged_at=now if variant in (1, 2) else None,
                outcome="acted_on" if variant == 2 else "",
                revoked_at=now if variant == 3 else None,
            )
    return areas


def live(user, panel, monkeypatch):
    """A panel's figures asked live, as for an officer (the summary bypassed)."""
    with monkeypatch.context() as patched:
        patched.setattr(figures, "summarised", lambda *args, **kwargs: None)
        return getattr(figures, panel)(user)


def test_the_figures_worked_out_for_everyone_are_the_live_figures(supervisor, awkward_office, monkeypatch):
    summary.refresh()
    for panel in PANELS:
        assert getattr(figures, panel)(supervisor) == live(supervisor, panel, monkeypatch), panel
    found = summary.current().over()["deadlines"]
    expected = deadline_summary(supervisor)
    assert (found["overdue_count"], found["due_soon_count"]) == (
        expected["overdue_count"],
        expected["due_soon_count"],
    )
    assert expected["overdue_count"] > 0 and expected["due_soon_count"] > 0  # the rule is exercised
    assert len(found["overdue"]) == summary.LISTED
    assert_same_most_overdue(found["overdue"], expected["overdue"])


def assert_same_most_overdue(found, expected):
    """The same last days in the same order; the same clocks but for ties at the list's end."""
    assert [row["due_on"] for row in found] == [row.clock.due_on.isoformat() for row in expected]
    last = found[-1]["due_on"] if found else None
    assert {(row["tip_pk"], row["kind"]) for row in found if row["due_on"] != last} == {
        (row.tip_pk, row.clock.kind) for row in expected if row.clock.due_on.isoformat() != last
    }


def test_a_scope_of_some_areas_is_the_sum_of_those_areas(awkward_office, monkeypatch):
    """An office or region is a set of areas: its figures are those of an officer covering exactly
    those areas (who is listed on no session and assigned no tip)."""
    covered = awkward_office[:2]
    officer = UserFactory(role="Petugas PIMPASA")
    for area in covered:
        area.officers.add(officer)
    snapshot = summary.refresh()
    summed = snapshot.over({area.pk for area in covered})
    assert [name for _pk, name, _figures in snapshot.per_area({area.pk for area in covered})] == [
        "Cengkareng Timur",
        "Kalideres",
    ]
    assert summed["open"]["total"] == live(officer, "open_tips", monkeypatch)["total"] > 0
    assert summed["open"]["overdue"] == live(officer, "open_tips", monkeypatch)["overdue"]
    assert summed["attendees"].get("total", 0) == live(officer, "attendees_this_month", monkeypatch)["total"]
    by_month = {row["month"].isoformat(): row for row in live(officer, "trend", monkeypatch)}
    for month, (sessions, attendees) in summed["trend"].items():
        assert (by_month[month]["sessions"], by_month[month]["attendees"]) == (sessions, attendees)
    expected = deadline_summary(officer)
    assert summed["deadlines"]["overdue_count"] == expected["overdue_count"]
    assert_same_most_overdue(summed["deadlines"]["overdue"], expected["overdue"])


def office(size):
    """`size` open tips (overdue, some referred) and as many sessions with attendees, in three areas."""
    areas = [AreaFactory() for _index in range(3)]
    agency = AgencyFactory()
    for index in range(size):
        tip = aged(index % 30, area=areas[index % 3], category=Tip.Category.values[index % 4])
        if index % 2:
            refer(tip, agency, days_ago=index % 15)
        session = SessionFactory(
            area=areas[index % 3],
            starts_at=timezone.now() - datetime.timedelta(days=index % 40),
            status=Session.Status.FINISHED,
        )
        AttendanceFactory.create_batch(2, session=session)


@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboard_asks_as_many_queries_for_3_tips_as_for_30(
    size, client, supervisor, django_assert_num_queries
):
    office(size)
    client.force_login(supervisor)
    client.get("/admin/")
    summary.refresh()
    with django_assert_num_queries(QUERIES_PER_DASHBOARD):
        page = client.get("/admin/").content.decode()
    assert "Angka per pukul" in page


# The supervisor's admin home (session, user, permissions, the user's office, Wagtail's own panels, the
# upcoming sessions, unread replies, exports, publishing) plus ONE query for every summarised panel's
# figures.
QUERIES_PER_DASHBOARD = 23


@pytest.mark.parametrize("size", [3, 30])
def test_a_refresh_asks_as_many_queries_for_3_tips_as_for_30(size, site_setup, django_assert_num_queries):
    office(size)
    with django_assert_num_queries(QUERIES_PER_REFRESH):
        summary.refresh()


# The areas, the sessions per month, this month's attendees, sessions and tips, the open tips and
# their cases, the service levels, the deadlines' counts (2) and lists (4), the names of the areas,
# then the writes (a savepoint, the delete, the insert, the release).
QUERIES_PER_REFRESH = 19


def test_a_refresh_can_run_again_and_leaves_one_row_per_area(supervisor, awkward_office):
    first = summary.refresh()
    again = summary.refresh()
    assert AreaFigures.objects.count() == len(awkward_office) + 1  # and one for the tips without an area
    assert sorted(first.areas, key=repr) == sorted(again.areas, key=repr)
    assert summary.stored(again.day).over() == first.over()


def test_two_refreshes_that_both_kept_their_rows_are_read_as_the_newest_only(supervisor, awkward_office):
    """Two refreshes at once on PostgreSQL can each delete only the rows it sees and both commit."""
    newest = summary.refresh()
    older = timezone.now() - datetime.timedelta(seconds=30)
    AreaFigures.objects.bulk_create(
        AreaFigures(area_id=row.area_id, day=row.day, computed_at=older, figures=row.figures)
        for row in AreaFigures.objects.all()
    )
    assert summary.stored(newest.day).over() == newest.over()
    assert summary.stored(newest.day).computed_at == newest.computed_at


def test_with_no_figures_yet_the_first_visit_works_them_out(client, supervisor, awkward_office, assert_page):
    """A fresh install, or a worker that never ran: never a false zero."""
    assert not AreaFigures.objects.exists()
    expected = Tip.objects.exclude(status__in=["closed", "not_actionable"]).count()
    client.force_login(supervisor)
    page = assert_page(client.get("/admin/"), "Angka per pukul")
    assert f"{expected} laporan terbuka" in page
    assert AreaFigures.objects.filter(day=timezone.localdate()).exists()


def test_figures_the_worker_left_late_say_so_and_old_ones_are_worked_out_again(
    client, supervisor, awkward_office, assert_page
):
    now = timezone.now()
    # Five minutes old: shown, saying the worker has not refreshed them (its figures, not a new count).
    summary.refresh(now - datetime.timedelta(minutes=5))
    TipFactory(area=awkward_office[0])
    open_before = figures.open_tips(supervisor)["total"]
    client.force_login(supervisor)
    when = timezone.localtime(now - datetime.timedelta(minutes=5), WIB).strftime("%H:%M")
    page = assert_page(client.get("/admin/"), f"Angka per pukul {when}: pekerja tugas belum memperbaruinya")
    assert f"{open_before} laporan terbuka" in page
    # Older than STALE_AFTER: the visit works them out again.
    AreaFigures.objects.update(computed_at=now - summary.STALE_AFTER - datetime.timedelta(minutes=1))
    from django.core.cache import caches

    caches["local"].clear()
    page = assert_page(client.get("/admin/"), f"{open_before + 1} laporan terbuka")
    assert "belum memperbaruinya" not in page


def test_yesterdays_figures_are_never_shown(supervisor, awkward_office):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    summary.refresh(yesterday)
    TipFactory(area=awkward_office[0])
    from django.core.cache import caches

    caches["local"].clear()
    assert (
        figures.open_tips(supervisor)["total"]
        == Tip.objects.exclude(status__in=["closed", "not_actionable"]).count()
    )


def test_the_worker_refreshes_every_minute(site_setup):
    from django_q.models import Schedule

    from reporting import bootstrap

    class Out:
        def write(self, text):
            pass

    bootstrap.ensure(Out())
    bootstrap.ensure(Out())
    schedule = Schedule.objects.get(name=summary.SCHEDULE)
    assert (schedule.func, schedule.cron) == ("reporting.dashboard.summary.refresh", "* * * * *")


def test_a_case_spanning_two_areas_counts_once_for_everyone(supervisor, monkeypatch):
    from reporting.tips.related.services import cases

    first, second = AreaFactory(), AreaFactory()
    grouped = [TipFactory(area=first), TipFactory(area=second), TipFactory(area=second)]
    cases.group(supervisor, [tip.pk for tip in grouped])
    cases.group(supervisor, [TipFactory(area=first).pk, TipFactory(area=first).pk])
    TipFactory(area=second)  # in no case
    summary.refresh()
    found = figures.open_tips(supervisor)
    assert (found["cases"], found["in_cases"], found["total"]) == (2, 5, 6)
    assert found == live(supervisor, "open_tips", monkeypatch)


def test_only_those_who_see_the_whole_deployment_read_the_summary(supervisor):
    from offices.models import Office
    from pimpasa.roles import NATIONAL, ensure_roles
    from reporting.tips import scoping as tip_scoping
    from tests.factories import OfficeFactory

    ensure_roles()
    national = UserFactory(role=NATIONAL)
    summary.refresh()
    # One office: its supervisor sees everything, and so does the national team.
    assert figures.summarised(supervisor, tip_scoping.EVERY_TIP) is not None
    assert figures.summarised(national, tip_scoping.EVERY_TIP) is not None
    # A second office: the supervisor's scope is one office among two, asked live.
    OfficeFactory(region=Office.default().region)
    assert figures.summarised(supervisor, tip_scoping.EVERY_TIP) is None
    assert figures.summarised(national, tip_scoping.EVERY_TIP) is not None
