"""The audit log's pages at a national office's volume: each page of 50 is each log model's newest
entries merged (not every visible entry sorted), its count comes from the same pass that fills the
filter menus when only those filters narrow it, and on PostgreSQL a supervisor's entries come from
their office's links without reading a tip, an officer's through the tips they see found by index
(docs/benchmarks.md)."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from pimpasa import audit_scope
from tests.factories import (
    AreaFactory,
    OfficeFactory,
    SessionFactory,
    StandardPageFactory,
    TipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/admin/reports/site-history/"


@pytest.fixture
def journal(site_setup):
    """60 entries about tips and sessions and 30 about pages, their moments interleaved (a minute
    apart), by an officer and a supervisor; and 10 about another office's tips (never shown)."""
    supervisor = UserFactory(role="Supervisor")
    officer = UserFactory(role="Petugas PIMPASA")  # both in the default office
    area = AreaFactory(officers=[officer])
    PageLogEntry.objects.all().delete()
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(90):
        if n % 3 == 2:
            page = StandardPageFactory(parent=site_setup["home"], title=f"Halaman {n}")
            entry = PageLogEntry.objects.filter(page=page).latest("pk")
            PageLogEntry.objects.filter(page=page).exclude(pk=entry.pk).delete()  # one per page
        else:
            about = TipFactory(area=area) if n % 2 else SessionFactory(area=area, title=f"Ngopi {n}")
            entry = log(about, "wagtail.edit", user=officer if n % 4 else supervisor)
        type(entry).objects.filter(pk=entry.pk).update(timestamp=start + datetime.timedelta(minutes=n))
    for _ in range(10):
        elsewhere = OfficeFactory()
        log(
            TipFactory(area=AreaFactory(office=elsewhere)),
            "wagtail.edit",
            user=UserFactory(role="Supervisor", office=elsewhere),
        )
    return supervisor, officer


def shown(response):
    """The (kind, pk) of the entries listed, in order."""
    return [(type(entry).__name__, entry.pk) for entry in response.context["object_list"]]


def expected(user):
    rows = [
        ("ModelLogEntry", pk, at)
        for pk, at in audit_scope.log_entries_for(user, ModelLogEntry.objects.all()).values_list(
            "pk", "timestamp"
        )
    ]
    pages = PageLogEntry.objects.viewable_by_user(user)
    rows += [("PageLogEntry", pk, at) for pk, at in pages.values_list("pk", "timestamp")]
    rows.sort(key=lambda row: (row[2], row[1]), reverse=True)
    return [(kind, pk) for kind, pk, _at in rows]


def test_each_page_is_the_newest_entries_of_both_kinds_merged_in_order(client, journal):
    supervisor, _officer = journal
    client.force_login(supervisor)
    everything = expected(supervisor)
    assert len(everything) == 90
    first = client.get(URL)
    assert shown(first) == everything[:50]
    assert first.context["paginator"].count == 90
    second = client.get(URL + "?p=2")
    assert shown(second) == everything[50:]
    # Another office's entries are on no page.
    assert not set(shown(first) + shown(second)) - set(everything)


def test_the_count_follows_the_person_and_action_filters_and_the_other_filters_too(client, journal):
    supervisor, officer = journal
    client.force_login(supervisor)
    by_officer = client.get(URL, {"user": officer.pk})
    mine = ModelLogEntry.objects.filter(user=officer).count()
    assert by_officer.context["paginator"].count == mine
    assert all(entry.user_id == officer.pk for entry in by_officer.context["object_list"])
    edits = client.get(URL, {"action": "wagtail.edit"})
    assert (
        edits.context["paginator"].count
        == len([row for row in expected(supervisor) if row[0] == "ModelLogEntry"])
        + PageLogEntry.objects.filter(action="wagtail.edit").count()
    )
    # A date narrows it in the database: the count is the database's.
    day = timezone.localdate() + datetime.timedelta(days=5)
    later = client.get(URL, {"timestamp_from": day.isoformat()})
    assert later.context["paginator"].count == 0
    assert re.search(r"Tidak ada|There are no|No ", later.content.decode())


def test_an_officer_pages_through_only_what_they_may_see(journal):
    _supervisor, officer = journal
    client = Client()
    client.force_login(officer)
    response = client.get(URL)
    assert shown(response) == expected(officer)[:50]
    assert response.context["paginator"].count == len(expected(officer))


def plan_of(entries):
    with transaction.atomic(), connection.cursor() as cursor:
        # With so few rows the planner would rather read the tables; asked not to, it must find the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = entries.values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_on_postgresql_a_supervisors_entries_come_from_their_offices_links_without_a_tip(journal):
    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's")
    supervisor, officer = journal
    plan = plan_of(audit_scope.log_entries_for(supervisor, ModelLogEntry.objects.all()))
    assert "reporting_tiplogentrylink" in plan and "reporting_tip " not in plan, plan
    # The page reads the tips' entries on their own, so it is a join of the links and the entries.
    tips_part, _rest = audit_scope.visible_parts(supervisor, ModelLogEntry.objects.all())
    plan = plan_of(tips_part)
    assert "reporting_tiplogentrylink" in plan and "reporting_tip " not in plan, plan
    assert "SubPlan" not in plan, plan
    # An officer's come through the tips they may see, found by index, never by reading every tip.
    plan = plan_of(audit_scope.log_entries_for(officer, ModelLogEntry.objects.all()))
    assert "Seq Scan on reporting_tip " not in plan, plan
    # On its own, an officer's part gathers the tips of each condition of their rule as a union (one
    # index range each at a national office's volume, reporting 0025; which index the planner takes
    # for a handful of rows varies), not each of the office's tips tested against all four at once.
    tips_part, _rest = audit_scope.visible_parts(officer, ModelLogEntry.objects.all())
    assert str(tips_part.query).count(" UNION ") == 3
    plan = plan_of(tips_part)
    assert "Append" in plan and "Seq Scan on reporting_tip " not in plan, plan


@pytest.mark.parametrize(
    "query", ["?user=abc", "?p=999", "?p=-1", "?p=abc", "?timestamp_from=garbage", "?action=nope&p=2"]
)
def test_bad_filters_or_pages_answer_a_page_not_an_error(client, journal, query):
    supervisor, _officer = journal
    client.force_login(supervisor)
    response = client.get(URL + query)
    assert response.status_code == 200
    assert response.context["paginator"].count >= 0
