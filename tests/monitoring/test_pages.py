"""The monitoring pages: who sees which offices (a role matrix), figures only (no tip's text, no
reporter), the quarter chooser and bad input, and queries bounded by the number of offices."""

import pytest

from offices.models import Office
from pimpasa.roles import OFFICER
from reporting.monitoring.models import SessionTarget
from tests.factories import AreaFactory, HeldSessionFactory, OfficeFactory, TipFactory, UserFactory
from tests.monitoring.conftest import Q3, REFERRAL_SUMMARY, SECRET_NAME, SECRET_TEXT, at

pytestmark = pytest.mark.django_db
INDEX = "/admin/monitoring/"
ALL = ["Kanim Soekarno-Hatta", "Kanim Tangerang", "Kanim Denpasar"]


def office_url(office, quarter="2026-Q3"):
    return f"/admin/monitoring/office/{office.pk}/?quarter={quarter}"


def assert_figures_only(text):
    for secret in (SECRET_TEXT, "RAHASIA-7731", *SECRET_NAME, REFERRAL_SUMMARY, "Kami periksa."):
        assert secret not in text


@pytest.mark.parametrize(
    "user_fixture, seen",
    [
        ("national", None),
        ("regional", ["Kanim Soekarno-Hatta", "Kanim Tangerang"]),
        ("soetta_supervisor", ["Kanim Soekarno-Hatta"]),
    ],
)
def test_role_matrix_each_role_sees_its_offices_rows(
    request, client, offices, user_fixture, seen, assert_page
):
    user = request.getfixturevalue(user_fixture)
    seen = seen or list(Office.objects.values_list("name", flat=True))  # every office, the default too
    client.force_login(user)
    text = assert_page(client.get(INDEX + "?quarter=2026-Q3"), "Triwulan 3 2026", *seen)
    for name in set(ALL) - set(seen):
        assert name not in text
    assert_figures_only(text)
    for office in Office.objects.all():
        response = client.get(office_url(office))
        if office.name in seen:
            assert_figures_only(assert_page(response, office.name))
        else:
            assert response.status_code == 404


def test_the_menu_shows_monitoring_to_those_who_may_and_targets_to_the_national_role(
    client, offices, national, regional, soetta_supervisor, assert_page
):
    client.force_login(national)
    text = assert_page(client.get("/admin/"), "Pemantauan", "/admin/monitoring/", "/admin/session-targets/")
    client.force_login(regional)
    text = assert_page(client.get("/admin/"), "/admin/monitoring/")
    assert "/admin/session-targets/" not in text
    officer = UserFactory(role=OFFICER, office=offices["soetta"])
    client.force_login(officer)
    text = assert_page(client.get("/admin/"))
    assert "/admin/monitoring/" not in text
    assert client.get(INDEX).status_code in (302, 403)
    assert client.get(office_url(offices["soetta"])).status_code in (302, 403)


def test_the_national_role_sets_a_target_in_the_admin(client, offices, national, assert_page):
    client.force_login(national)
    response = client.post(
        "/admin/session-targets/new/",
        {"office": offices["denpasar"].pk, "year": 2026, "year_total": "", "q3": 8},
    )
    assert response.status_code == 302
    assert SessionTarget.objects.get(office=offices["denpasar"], year=2026).for_quarter(3) == 8
    assert_page(client.get(INDEX + "?quarter=2026-Q3"), "</strong> / 8 ", "(0%)")
    # Neither a year nor a quarter: said, nothing saved.
    response = client.post("/admin/session-targets/new/", {"office": offices["denpasar"].pk, "year": 2027})
    assert response.status_code == 200
    assert not SessionTarget.objects.filter(year=2027).exists()


def test_small_counts_of_tips_show_as_less_than_five(client, offices, national, assert_page):
    client.force_login(national)
    text = assert_page(client.get(INDEX + "?quarter=2026-Q3"), "&lt; 5")
    assert "<svg" in text  # the charts, drawn on the server


def test_a_quarter_not_offered_is_said_and_the_current_one_shown(client, offices, national, assert_page):
    client.force_login(national)
    for bad in ["1999-Q1", "2026-Q9", "<script>", "2026-Q3'--"]:
        text = assert_page(client.get(INDEX, {"quarter": bad}), "Pilih salah satu triwulan")
        assert "<script>" not in text
    assert client.get(office_url(offices["soetta"], "nonsense")).status_code == 200
    assert client.get("/admin/monitoring/office/999999/").status_code == 404


def test_the_drill_down_lists_the_offices_villages_and_rws(client, offices, national, assert_page):
    client.force_login(national)
    assert_page(
        client.get(office_url(offices["soetta"])),
        "Desa Kohod",
        "DBI sejak 1 Mar 2025",
        "Wilayah lain (bukan DBI)",
        "Target: 10 sesi (50% terlaksana).",
    )


def more_offices(count):
    region = offices_region()
    for index in range(count):
        office = OfficeFactory(name=f"Kanim Tambahan {index}", region=region)
        area = AreaFactory(name=f"Desa Tambahan {index}", office=office, is_desa_binaan=True)
        HeldSessionFactory(area=area, starts_at=at(8, 3))
        TipFactory(area=area, received_at=at(8, 3))
        SessionTarget.objects.create(office=office, year=2026, q3=3)


def offices_region():
    from tests.factories import RegionFactory

    return RegionFactory(name="Kanwil Tambahan")


@pytest.mark.parametrize("path", ["index", "office"])
def test_queries_are_the_same_for_3_and_30_offices(
    client, offices, national, path, django_assert_num_queries, assert_page
):
    client.force_login(national)
    url = INDEX + "?quarter=2026-Q3" if path == "index" else office_url(offices["soetta"])
    client.get(url)  # sessions, permissions and translations warmed

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert_page(client.get(url))
        return len(queries)

    few = count()
    more_offices(27)
    assert Office.objects.count() == 31  # the default office, the fixture's 3 and 27 more
    assert count() == few
    assert few <= 25, few


def test_figures_count_queries_are_fixed(offices, django_assert_num_queries):
    from reporting.monitoring import figures, report, summary

    def ids():
        return list(Office.objects.values_list("pk", flat=True))

    # Worked out (the worker's refresh, a stale visit, the workbook): 8 queries whatever the offices.
    figures.collect(figures.per_area(ids()), Q3)  # service levels and the holiday calendar warmed
    with django_assert_num_queries(8):
        figures.collect(figures.per_area(ids()), Q3)
    # Read from the stored figures: the offices, their figures and their targets.
    summary.store(Q3)
    with django_assert_num_queries(3):
        report.office_table(Office.objects.all(), Q3)
    more_offices(27)
    with django_assert_num_queries(8):
        figures.collect(figures.per_area(ids()), Q3)
    with django_assert_num_queries(3):
        report.office_table(Office.objects.all(), Q3)
