"""The tips list's default page (unassigned first, then oldest, of one office's open tips) is read in
order from an index on PostgreSQL, so a page of 50 is not a sort of every open tip (docs/benchmarks.md)."""

import pytest
from django.db import connection, transaction
from django.db.models import F

from reporting.tips.models import Tip
from tests.factories import TipFactory

pytestmark = pytest.mark.django_db


def test_the_default_order_of_an_offices_open_tips_is_read_from_an_index():
    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's (SQLite cannot index NULLS FIRST)")
    tip = TipFactory()
    queue = (
        Tip.objects.exclude(status__in=["closed", "not_actionable"])
        .filter(office_id=tip.office_id)
        .order_by(F("assigned_to").asc(nulls_first=True), "created_at")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # With so few rows the planner would rather sort; asked not to, it must find the index.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queue.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql + " LIMIT 50", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "open_tips_queue_order" in plan
    assert "Sort" not in plan.split("open_tips_queue_order")[0]
