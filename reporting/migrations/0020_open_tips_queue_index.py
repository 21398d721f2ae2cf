"""The tips list's default order (unassigned first, then oldest) read straight from an index of the open
tips of each office, so a page of 50 is found without sorting every open tip with its joins and counts
(650 ms at 20,000 open tips, docs/benchmarks.md). PostgreSQL only: SQLite cannot index NULLS FIRST, and the
embedded default never holds a national office's tips."""

from django.db import migrations

INDEX = "open_tips_queue_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON reporting_tip "
        "(office_id, assigned_to_id ASC NULLS FIRST, created_at ASC) "
        "WHERE NOT (status IN ('closed', 'not_actionable'))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0019_tip_shares")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
