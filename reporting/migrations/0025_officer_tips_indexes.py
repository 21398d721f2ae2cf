"""An officer's tips of an office, one index per condition of their rule (area, session, assignee),
each holding the tip's id: the audit log finds the officer's tips as a union of three index ranges,
read from the indexes alone, instead of testing each of the office's tips against the whole rule
(reporting.tips.scoping.log_entry_ids_for, docs/benchmarks.md). PostgreSQL only, as 0023: SQLite
has no covering index."""

from django.db import migrations

INDEXES = {
    "officer_tips_by_area": "office_id, area_id",
    "officer_tips_by_session": "office_id, session_id",
    "officer_tips_by_assignee": "office_id, assigned_to_id",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON reporting_tip ({columns}) INCLUDE (id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0024_tip_log_entry_links")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
