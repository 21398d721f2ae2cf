"""The monitoring figures worked out by the task worker (reporting.monitoring.summary): the same as
the live ones, read in one query by the pages, worked out again when they are of another day or
stale, and saying when they were worked out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from offices.models import Office
from reporting.monitoring import figures, summary
from reporting.monitoring.figures import Figures
from reporting.monitoring.models import QuarterFigures
from reporting.monitoring.quarters import Quarter
from tests.factories import TipFactory
from tests.monitoring.conftest import Q3, at

pytestmark = pytest.mark.django_db
INDEX = "/admin/monitoring/"


def office_ids():
    return list(Office.objects.values_list("pk", flat=True))


def test_stored_figures_are_the_live_figures_per_office_and_per_area(offices):
    summary.store(Q3)
    stored = summary.stored(Q3)
    ids = office_ids()
    live_offices = figures.collect(figures.per_office(ids), Q3)
    live_areas = figures.collect(figures.per_area(ids), Q3)
    assert live_offices[(offices["soetta"].pk,)].tip_total == 9  # the fixture's quarter is there
    stored_offices = stored.per_office(ids)
    for key in set(live_offices) | set(stored_offices):
        assert stored_offices.get(key, Figures()) == live_offices.get(key, Figures()), key
    stored_areas = stored.per_area(ids)
    for key in set(live_areas) | set(stored_areas):
        assert stored_areas.get(key, Figures()) == live_areas.get(key, Figures()), key
    # Only the offices asked for.
    assert list(stored.per_office([offices["denpasar"].pk])) == [(offices["denpasar"].pk,)]


def test_the_page_reads_the_stored_figures_without_reading_tips_or_attendances(
    client, offices, national, assert_page
):
    summary.store(Q3)
    client.force_login(national)
    client.get(INDEX + "?quarter=2026-Q3")  # sessions, permissions and translations warmed
    with CaptureQueriesContext(connection) as queries:
        text = assert_page(client.get(INDEX + "?quarter=2026-Q3"), "Kanim Soekarno-Hatta")
    read = " ".join(query["sql"] for query in queries)
    for table in ("events_attendance", "reporting_tiphistory", "reporting_referral"):
        assert table not in read, table
    moment = timezone.localtime(QuarterFigures.objects.first().computed_at).strftime("%H:%M")
    assert f"Angka per pukul {moment}, diperbarui setiap 5 menit." in text


def test_fresh_figures_are_read_as_stored_and_stale_or_yesterdays_are_worked_out_again(offices):
    soetta = offices["soetta"].pk
    summary.store(Q3)
    TipFactory(area=offices["kohod"], received_at=at(8, 25))
    # Younger than STALE_AFTER: read as they are (the page says when they were worked out).
    assert summary.for_quarter(Q3).per_office([soetta])[(soetta,)].tip_total == 9
    # Older: the visit works them out again.
    QuarterFigures.objects.update(
        computed_at=timezone.now() - summary.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    assert summary.for_quarter(Q3).per_office([soetta])[(soetta,)].tip_total == 10
    # Of another day (a new day moves every running deadline): worked out again too.
    QuarterFigures.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    before = QuarterFigures.objects.first().computed_at
    summary.for_quarter(Q3)
    assert QuarterFigures.objects.first().computed_at > before


def test_a_quarter_with_nothing_is_stored_once_and_then_read_in_one_query(offices, django_assert_num_queries):
    empty = Quarter(2025, 1)
    summary.for_quarter(empty)
    # One row per office even with nothing: a quarter worked out is told from one never worked out.
    assert QuarterFigures.objects.filter(quarter=empty.key).count() == Office.objects.count()
    with django_assert_num_queries(1):
        snapshot = summary.for_quarter(empty)
    assert all(found == Figures() for found in snapshot.per_office(office_ids()).values())


def test_only_the_newest_set_is_read_when_two_refreshes_committed_theirs(offices):
    soetta = offices["soetta"].pk
    summary.store(Q3)
    # An older refresh that committed after the newer one deleted what it could see.
    QuarterFigures.objects.create(
        quarter=Q3.key,
        office_id=soetta,
        area=None,
        day=timezone.localdate(),
        computed_at=timezone.now() - datetime.timedelta(minutes=2),
        figures=Figures(sessions=999).to_data(),
    )
    assert (
        summary.stored(Q3).per_office([soetta])[(soetta,)]
        == figures.collect(figures.per_office([soetta]), Q3)[(soetta,)]
    )


def test_the_worker_keeps_this_quarter_and_the_one_before_and_is_scheduled(offices):
    from django_q.models import Schedule

    from reporting import bootstrap

    summary.refresh()
    current = Quarter.current()
    assert set(QuarterFigures.objects.values_list("quarter", flat=True)) == {
        current.key,
        current.previous().key,
    }

    class Out:
        def write(self, text):
            pass

    bootstrap.ensure(Out())
    bootstrap.ensure(Out())
    schedule = Schedule.objects.get(name=summary.SCHEDULE)
    assert (schedule.func, schedule.cron) == ("reporting.monitoring.summary.refresh", "*/5 * * * *")


def test_the_page_says_when_the_worker_is_late_and_when_a_quarter_is_worked_out_by_visits(
    client, offices, national, assert_page
):
    client.force_login(national)
    summary.store(Q3, now=timezone.now() - summary.LATE_AFTER - datetime.timedelta(minutes=1))
    assert_page(
        client.get(INDEX + "?quarter=2026-Q3"),
        "pekerja tugas belum memperbaruinya sejak itu",
        "lebih tua dari 30 menit",
    )
    # A quarter the worker does not keep: worked out by the visit, and said so.
    text = assert_page(
        client.get(INDEX + "?quarter=2026-Q1"), "dihitung ulang bila sebuah kunjungan mendapatinya"
    )
    assert "diperbarui setiap" not in text


def test_stored_figures_survive_a_code_added_or_removed_since():
    data = Figures(sessions=3, gender={"f": 2, "m": 1}).to_data()
    data["gender"]["retired-code"] = 5
    del data["age_group"][next(iter(data["age_group"]))]
    data["sessions_by_month"] = {"2026-07-01": 3}
    found = Figures.from_data(data)
    assert found.sessions == 3
    assert set(found.gender) == set(Figures().gender)
    assert set(found.age_group) == set(Figures().age_group)
    assert found.sessions_by_month == {datetime.date(2026, 7, 1): 3}
    assert figures.combine([found, found]).sessions_by_month == {datetime.date(2026, 7, 1): 6}
