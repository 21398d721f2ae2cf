"""The "Where" page: a heat table and small multiples per area and RW over months or weeks, scoped,
in a fixed number of queries, every cell a link to the list it counts, small counts of tips hidden."""

import datetime
import re

import pytest
from django.utils import timezone

from events.models import Session
from tests.factories import AreaFactory, AttendanceFactory, SessionFactory, TipFactory

pytestmark = pytest.mark.django_db
URL = "/admin/sebaran/"


def numbers_in_cells(page):
    """The texts of the heat table's cells and totals."""
    start = page.index('<table class="heat">')
    table = page[start : page.index("</table>", start)]
    return [text.strip() for text in re.findall(r"<(?:td|a)[^>]*>([^<]*)</(?:td|a)>", table) if text.strip()]


@pytest.fixture
def kelurahan(officer):
    """Two areas of the officer's and one of another officer's, with tips this month and last."""
    mine = AreaFactory(name="Kamal Muara", officers=[officer])
    also_mine = AreaFactory(name="Kapuk", officers=[officer])
    other = AreaFactory(name="Jurumudi")
    now = timezone.now()
    TipFactory.create_batch(7, area=mine, rw="03")
    TipFactory.create_batch(2, area=mine, rw="RW 5")
    TipFactory.create_batch(9, area=also_mine, rw="1")
    TipFactory.create_batch(6, area=other)
    session = SessionFactory(
        area=mine,
        starts_at=now - datetime.timedelta(hours=3),
        status=Session.Status.FINISHED,
        target_rws="3, 5",
    )
    AttendanceFactory.create_batch(3, session=session, rw="03")
    return {"mine": mine, "also_mine": also_mine, "other": other}


def test_an_officer_sees_their_areas_only_and_small_counts_hidden(client, officer, kelurahan, assert_page):
    client.force_login(officer)
    page = assert_page(client.get(URL), "Kamal Muara", "Kapuk", "Per wilayah dan periode")
    assert "Jurumudi" not in page
    cells = numbers_in_cells(page)
    # Kamal Muara 9 tips, Kapuk 9 this month: both shown; no count from 1 to 4 anywhere.
    assert "9" in cells and "18" in cells
    assert not [cell for cell in cells if cell in {"1", "2", "3", "4"}]


def test_a_small_count_is_shown_as_less_than_five_and_the_total_gives_nothing_back(
    client, supervisor, site_setup, assert_page
):
    area = AreaFactory(name="Cilincing")
    TipFactory.create_batch(3, area=area)
    TipFactory.create_batch(3, area=area, received_at=timezone.now() - datetime.timedelta(days=40))
    TipFactory.create_batch(12, area=AreaFactory(name="Semper"))
    client.force_login(supervisor)
    page = assert_page(client.get(URL), "&lt; 5")
    cells = numbers_in_cells(page)
    assert not [cell for cell in cells if cell in {"1", "2", "3", "4"}]
    # Cilincing's 6 is shown, but this month's column (3 + 12 = 15) would give back the 3: hidden.
    assert "15" not in cells and "*" in cells


def test_each_cell_links_to_the_tips_list_filtered_by_area_rw_and_period(
    client, officer, kelurahan, assert_page
):
    client.force_login(officer)
    area = kelurahan["mine"]
    page = assert_page(client.get(f"{URL}?area={area.pk}"), "RW 03", "RW 05")
    first_of_month = timezone.localdate().replace(day=1).isoformat()
    links = re.findall(r'href="(/admin/laporan/\?[^"]+)"', page)
    rw03 = [link for link in links if "rw=03" in link and f"created_at_from={first_of_month}" in link]
    assert rw03
    listing = assert_page(client.get(rw03[0].replace("&amp;", "&")))
    assert listing.count("Ada perekrut") == 7


def test_sessions_and_attendees_per_area_and_rw_link_to_the_sessions_list(
    client, officer, kelurahan, assert_page
):
    client.force_login(officer)
    area = kelurahan["mine"]
    page = assert_page(client.get(f"{URL}?measure=sessions&area={area.pk}"), "RW 03", "RW 05")
    links = re.findall(r'href="(/admin/events/sessions/\?[^"]+)"', page)
    assert links
    listing = assert_page(client.get(links[0].replace("&amp;", "&")))
    assert "Ngopi Pimpasa" in listing
    page = assert_page(client.get(f"{URL}?measure=attendees&period=week"), "Kamal Muara")
    assert ">3<" in page  # attendees are people at sessions, not tips: shown as they are


def test_an_officer_cannot_open_another_officers_area(client, officer, kelurahan):
    client.force_login(officer)
    assert client.get(f"{URL}?area={kelurahan['other'].pk}").status_code == 404


def test_editors_do_not_see_the_page(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code in (302, 403)


def test_weeks_are_twelve_columns(client, supervisor, kelurahan, assert_page):
    client.force_login(supervisor)
    page = assert_page(client.get(f"{URL}?period=week"))
    start = page.index('<table class="heat">')
    header = page[start : page.index("</thead>", start)]
    assert header.count('<th scope="col">') == 1 + 12 + 1


@pytest.mark.parametrize("measure", ["tips", "sessions", "attendees", "tips&area=rws"])
def test_the_page_costs_the_same_queries_for_3_and_30_areas(
    client, supervisor, site_setup, measure, django_assert_num_queries
):
    client.force_login(supervisor)
    crowded = AreaFactory(name="Kapuk")
    if measure.endswith("rws"):
        measure = f"tips&area={crowded.pk}"

    def fill(count):
        for index in range(count):
            area = AreaFactory()
            TipFactory.create_batch(2, area=area)
            TipFactory(area=crowded, rw=str(index))  # and one more RW in Kapuk
            session = SessionFactory(
                area=area,
                status=Session.Status.FINISHED,
                starts_at=timezone.now() - datetime.timedelta(hours=2),
            )
            AttendanceFactory(session=session)

    def queries():
        client.get(f"{URL}?measure={measure}")  # warm the session, permissions and menus
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{URL}?measure={measure}").status_code == 200
        return len(captured)

    fill(3)
    few = queries()
    fill(27)
    many = queries()
    assert few == many
    assert many <= 15  # 3 or 4 of its own, the rest the admin's (session, user, permissions, menu)


def test_an_areas_rws_do_not_give_back_what_the_areas_table_hid(client, supervisor, site_setup, assert_page):
    areas = {name: AreaFactory(name=name) for name in ("Benda", "Cengkareng Timur", "Jurumudi", "Pajang")}
    for name, count in (("Benda", 7), ("Cengkareng Timur", 11), ("Jurumudi", 6), ("Pajang", 2)):
        TipFactory.create_batch(count, area=areas[name], rw="05")
    client.force_login(supervisor)
    page = assert_page(client.get(URL))
    row = page[page.index(">Jurumudi<") :]
    assert ">*<" in row[: row.index("</tr>")]  # hidden: with the month's total it gives Pajang's 2
    rws = assert_page(client.get(f"{URL}?area={areas['Jurumudi'].pk}"), "RW 05")
    assert "6" not in numbers_in_cells(rws)


def test_on_postgresql_a_years_tips_per_area_are_counted_from_an_index():
    from django.db import connection, transaction
    from django.db.models import Count

    from reporting.tips.models import Tip

    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's (reporting 0023)")
    tip = TipFactory(area=AreaFactory())
    since = timezone.now() - datetime.timedelta(days=365)
    counts = (
        Tip.objects.filter(office_id=tip.office_id, created_at__gte=since)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # With so few rows the planner would rather read the table; asked not to, it must find it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = counts.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # From the index alone, or through it when the table was not vacuumed yet (the suite's tips).
    assert "tips_in_office_scope" in plan and "Seq Scan on reporting_tip" not in plan, plan
