"""The deadlines panel's figures are counted by the database (reporting.referrals.services.overdue): they
must be what the clocks' Python rule (clocks.tip_clocks) gives, tip by tip, on awkward days: weekends,
Nyepi and Idul Fitri's week of holidays and collective leave, Christmas, starts just after and just
before the office's midnight, referrals answered, acknowledged, revoked or left waiting."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from reporting.models import Tip
from reporting.referrals.models import Referral, ServiceLevel
from reporting.referrals.services import clocks, overdue
from reporting.tips.models import TipHistory
from tests.factories import AgencyFactory, AreaFactory, TipFactory

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
LISTED = 10

# Days to look from: before, inside and after Nyepi + Idul Fitri 2026 (18-24 March, a Wednesday to a
# Tuesday), a Saturday, a Friday, a Monday after a long weekend, around Christmas 2026 (24-25 Dec).
DAYS = [
    datetime.date(2026, 3, 13),  # Friday
    datetime.date(2026, 3, 17),  # Tuesday, the last working day before the holidays
    datetime.date(2026, 3, 19),  # Nyepi
    datetime.date(2026, 3, 21),  # Saturday, Idul Fitri
    datetime.date(2026, 3, 25),  # Wednesday, the first working day after
    datetime.date(2026, 3, 28),  # Saturday
    datetime.date(2026, 12, 23),  # Wednesday before the Christmas leave
    datetime.date(2026, 12, 28),  # Monday after
]


def received_on(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=JAKARTA)


@pytest.fixture
def tricky_tips(site_setup):
    """Tips received on every day of two stretches, just after and just before midnight WIB, in every
    category, in open and closed statuses, some with a note to the reporter, some referred."""
    ServiceLevel.objects.create(
        category="pmi", triage_days=1, acknowledge_days=1, outcome_days=2, feedback_days=2
    )
    ServiceLevel.objects.create(
        category="other", triage_days=2, acknowledge_days=2, outcome_days=4, feedback_days=5
    )
    area = AreaFactory()
    agency, other_agency = AgencyFactory(), AgencyFactory()
    statuses = ["received", "verifying", "forwarded", "closed", "received", "followed_up"]
    categories = list(Tip.Category.values)
    days = [datetime.date(2026, 2, 25) + datetime.timedelta(days=n) for n in range(35)]
    days += [datetime.date(2026, 12, 1) + datetime.timedelta(days=n) for n in range(28)]
    index = 0
    for day in days:
        for hour, minute in ((0, 5), (23, 55)):  # the office's calendar day, not UTC's
            moment = received_on(day, hour, minute)
            tip = TipFactory(
                area=area, category=categories[index % 4], status=statuses[index % len(statuses)]
            )
            Tip.objects.filter(pk=tip.pk).update(created_at=moment)
            if index % 4 == 0:
                TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.PUBLIC_NOTE)
            if index % 3 == 0:
                refer(tip, agency, moment + datetime.timedelta(days=index % 3), variant=index // 3 % 5)
            if index % 7 == 0:  # a second agency, still waiting
                refer(tip, other_agency, moment + datetime.timedelta(hours=20), variant=0)
            index += 1
    return index


def refer(tip, agency, sent, variant):
    """A referral sent at `sent`: waiting (0), acknowledged (1), in progress (2), answered (3), revoked (4)."""
    later = sent + datetime.timedelta(days=1)
    Referral.objects.create(
        tip=tip,
        agency=agency,
        summary="Dugaan perekrutan tanpa prosedur.",
        token_hash=f"{tip.pk.hex}{agency.pk:032x}",
        expires_at=sent + datetime.timedelta(days=30),
        acknowledged_at=later if variant in (1, 2, 3) else None,
        outcome={2: Referral.Outcome.IN_PROGRESS, 3: Referral.Outcome.ACTED_ON}.get(variant, ""),
        outcome_at=later if variant in (2, 3) else None,
        revoked_at=later if variant == 4 else None,
    )
    Referral.objects.filter(tip=tip, agency=agency).update(sent_at=sent)


def python_rule(day):
    """Every running clock of every open tip, by the clocks' own Python rule."""
    levels = clocks.service_levels()
    tips = clocks.with_clock_data(Tip.objects.all())
    return [(tip, clock) for tip in tips for clock in clocks.tip_clocks(tip, levels, day)]


def key(tip, clock):
    return (tip.pk, clock.kind, clock.referral.pk if clock.referral else None, clock.due_on)


def test_the_database_counts_and_lists_what_the_python_rule_gives(tricky_tips):
    for day in DAYS:
        check_summary(day)


def check_summary(day):
    items = python_rule(day)
    expected_overdue = [item for item in items if item[1].state == clocks.State.OVERDUE]
    expected_due_soon = [item for item in items if item[1].state == clocks.State.DUE_SOON]
    assert expected_overdue and expected_due_soon, f"{day} must have clocks in both states to compare"

    found = overdue.summary(overdue.open_tips_of(Tip.objects.all()), clocks.service_levels(), day, LISTED)

    assert found["overdue_count"] == len(expected_overdue), day
    assert found["due_soon_count"] == len(expected_due_soon), day
    # The most overdue first: the same last days as sorting every overdue clock, each a real one.
    earliest = sorted(clock.due_on for _tip, clock in expected_overdue)[:LISTED]
    assert [clock.due_on for _tip, clock in found["overdue"]] == earliest, day
    assert {key(*item) for item in found["overdue"]} <= {key(*item) for item in expected_overdue}
    assert all(clock.state == clocks.State.OVERDUE for _tip, clock in found["overdue"])


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_overdue_filter_finds_the_tips_with_an_overdue_clock(tricky_tips, day):
    """The dashboard's count and the list's "Terlambat" filter (clocks.overdue_filter)."""
    items = python_rule(day)
    expected = {tip.pk for tip, clock in items if clock.state == clocks.State.OVERDUE}
    found = set(
        Tip.objects.filter(clocks.overdue_filter(clocks.service_levels(), day)).values_list("pk", flat=True)
    )
    assert found == expected


def test_a_clock_started_on_a_holiday_counts_from_the_next_working_day(site_setup):
    """Received on Nyepi (Thursday 19 March 2026) with 3 working days: 25, 26, 27 March (the 20th to
    24th are Idul Fitri and its leave, the 21st-22nd a weekend too): due Friday 27, overdue on Saturday."""
    tip = TipFactory(area=AreaFactory(), category="tppo")
    Tip.objects.filter(pk=tip.pk).update(created_at=received_on(datetime.date(2026, 3, 19), 10))
    open_tips = overdue.open_tips_of(Tip.objects.all())
    levels = clocks.service_levels()

    on_thursday = overdue.summary(open_tips, levels, datetime.date(2026, 3, 26), LISTED)
    assert (on_thursday["overdue_count"], on_thursday["due_soon_count"]) == (0, 1)  # triage due soon
    on_saturday = overdue.summary(open_tips, levels, datetime.date(2026, 3, 28), LISTED)
    assert on_saturday["overdue_count"] == 1
    ((_tip, clock),) = on_saturday["overdue"]
    assert (clock.kind, clock.due_on) == (clocks.Kind.TRIAGE, datetime.date(2026, 3, 27))


def test_the_partial_indexes_of_open_tips_exclude_exactly_the_final_statuses():
    from reporting.tips.models import OPEN_TIP_EXCLUDED
    from reporting.tips.services.tips import FINAL_STATUSES

    assert set(OPEN_TIP_EXCLUDED) == set(FINAL_STATUSES)


def test_per_area_counts_and_lists_add_up_to_the_whole(tricky_tips):
    """The dashboard's figures are worked out per area and summed over a scope's areas
    (reporting.dashboard.summary): on every awkward day, the areas' counts add up to the whole and
    the most overdue of their lists are the whole's."""
    areas = [AreaFactory(), AreaFactory()]
    for index, pk in enumerate(Tip.objects.order_by("created_at").values_list("pk", flat=True)):
        Tip.objects.filter(pk=pk).update(area=areas[index % 2] if index % 3 else None)
    open_tips = overdue.open_tips_of(Tip.objects.all())
    levels = clocks.service_levels()
    for day in DAYS:
        whole = overdue.summary(open_tips, levels, day, LISTED)
        parts = overdue.summary_by_area(open_tips, levels, day, LISTED)
        assert set(parts) <= {None, *(area.pk for area in areas)}
        for name in ("overdue_count", "due_soon_count"):
            assert sum(part[name] for part in parts.values()) == whole[name], (day, name)
        merged = sorted(
            (item for part in parts.values() for item in part["overdue"]),
            key=lambda item: (item[1].due_on, item[1].started_on),
        )[:LISTED]
        assert [clock.due_on for _tip, clock in merged] == [clock.due_on for _tip, clock in whole["overdue"]]
