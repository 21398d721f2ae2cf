"""Every tip of an office by the moment it came in, with what an officer's scope reads (area, session,
assignee) and its category: the audit log checks each entry about a tip against the tips its reader
may see, and the Where page counts a year of an office's tips per area and month; both read the tips'
wide encrypted rows (110 ms and 180 ms at 200,000 tips) and now read this index alone
(docs/benchmarks.md). PostgreSQL only, as 0020: SQLite has no covering index."""

from django.db import migrations

INDEX = "tips_in_office_scope"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON reporting_tip (office_id, created_at) "
        "INCLUDE (id, area_id, session_id, assigned_to_id, category)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0022_tip_first_public_note")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
