"""The quarter's figures per office and per Desa Binaan Imigrasi, against the fixture's known numbers,
and the targets per quarter or per year."""

import pytest

from offices.models import Office
from reporting.monitoring import report
from reporting.monitoring.models import SessionTarget
from reporting.monitoring.quarters import Quarter, choices
from tests.monitoring.conftest import Q3

pytestmark = pytest.mark.django_db


def rows_by_name(table):
    return {row.name: row for row in table.rows}


def test_sessions_residents_and_targets_per_office(offices):
    table = report.office_table(Office.objects.all(), Q3)
    rows = rows_by_name(table)
    soetta, tangerang, denpasar = (
        rows["Kanim Soekarno-Hatta"],
        rows["Kanim Tangerang"],
        rows["Kanim Denpasar"],
    )
    # Held and started in the quarter only: not the cancelled, the draft, June's or October's.
    assert (soetta.figures.sessions, soetta.target, soetta.percent_of_target) == (5, 10, 50)
    # 10 a year, split 3, 3, 2, 2: the third quarter's share is 2.
    assert (tangerang.figures.sessions, tangerang.target, tangerang.percent_of_target) == (2, 2, 100)
    assert (denpasar.figures.sessions, denpasar.target, denpasar.percent_of_target) == (0, None, None)
    assert soetta.figures.residents == 12 and tangerang.figures.residents == 4
    assert tangerang.figures.gender == {"f": 2, "m": 2}
    assert soetta.figures.sessions_by_month == {
        Q3.months[0]: 2,
        Q3.months[1]: 1,
        Q3.months[2]: 2,
    }
    assert table.total.figures.sessions == 7 and table.total.target == 12


def test_tips_by_category_hide_small_counts_and_what_would_give_them_back(offices):
    rows = rows_by_name(report.office_table(Office.objects.all(), Q3))
    soetta = rows["Kanim Soekarno-Hatta"]
    assert soetta.figures.tips == {"tppo": 7, "pmi": 2, "foreigner": 0, "other": 0}
    texts = [cell.text for cell in soetta.tips]
    # 2 PMI tips: "< 5"; with the total shown, the 7 TPPO would give them back: hidden too.
    assert texts == ["*", "< 5", "0", "0"] and soetta.tip_total.text == "9"
    assert rows["Kanim Tangerang"].tips[0].text == "< 5"
    # Tangerang's 3 is hidden in the totals column too, with Denpasar's total of 6 as its complement;
    # Denpasar's one category would add up to that total: hidden as well.
    assert rows["Kanim Denpasar"].tip_total.text == "*" and rows["Kanim Denpasar"].tips[2].text == "*"


def test_referrals_and_deadlines(offices):
    rows = rows_by_name(report.office_table(Office.objects.all(), Q3))
    soetta = rows["Kanim Soekarno-Hatta"]
    assert soetta.figures.referrals["acted_on"] == 1 and soetta.figures.referrals["open"] == 1
    # 9 tips x 2 deadlines + 2 referrals x 2, all long due by now (December): the first tip's triage
    # and the answered referral's two are met; every other is missed.
    assert soetta.figures.deadlines_due == 22
    assert soetta.figures.deadlines_met == 3
    assert soetta.deadlines_percent == round(100 * 3 / 22)


def test_drill_down_to_the_offices_villages_adds_up_to_the_office(offices):
    table = report.dbi_tables(Office.objects.filter(pk=offices["soetta"].pk), Q3)[offices["soetta"].pk]
    rows = rows_by_name(table)
    assert list(rows) == ["Desa Kohod", "Wilayah lain (bukan DBI)"]
    assert rows["Desa Kohod"].figures.sessions == 4 and rows["Desa Kohod"].figures.residents == 12
    assert rows["Wilayah lain (bukan DBI)"].figures.sessions == 1
    assert rows["Wilayah lain (bukan DBI)"].figures.tips["pmi"] == 2
    assert table.total.figures.sessions == 5 and table.total.target == 10


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"q1": 4, "q2": 5, "q3": 6, "q4": 7}, [4, 5, 6, 7]),
        ({"year_total": 10}, [3, 3, 2, 2]),
        ({"year_total": 12, "q1": 6}, [6, 2, 2, 2]),
        ({"q2": 3}, [None, 3, None, None]),
    ],
)
def test_a_target_per_quarter_or_a_year_split_over_the_quarters(fields, expected):
    target = SessionTarget(year=2026, **fields)
    assert [target.for_quarter(n) for n in (1, 2, 3, 4)] == expected


def test_quarters_are_parsed_strictly_and_offered_newest_first():
    assert Quarter.parse("2026-Q3") == Q3
    for bad in ["2026-Q5", "2026Q3", "", None, "'; drop table", "99999-Q1"]:
        assert Quarter.parse(bad) is None
    import datetime

    offered = choices(datetime.date(2026, 12, 7))
    assert offered[0][0] == "2026-Q4" and offered[1][0] == "2026-Q3" and len(offered) == 8
    assert Q3.previous() == Quarter(2026, 2) and Quarter(2026, 4).next() == Quarter(2027, 1)
