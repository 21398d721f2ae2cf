"""When the reporter was first given a note, kept on the tip: every count of overdue tips asked the
history table for the set of tips given a note (66,667 rows at a national office's volume, built again
by each parallel worker: 110 ms of an officer's dashboard). Filled from the history; the open tips'
covering index (0020, PostgreSQL only) holds it too, so the counts still read the index alone."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery

INDEX = "open_tips_queue_order"
OPEN_TIPS = "WHERE NOT (status IN ('closed', 'not_actionable'))"
KEY = "(office_id, assigned_to_id ASC NULLS FIRST, created_at ASC)"


def fill(apps, schema_editor):
    Tip = apps.get_model("reporting", "Tip")
    TipHistory = apps.get_model("reporting", "TipHistory")
    notes = TipHistory.objects.filter(tip=OuterRef("pk"), kind="public_note")
    first = notes.order_by("created_at").values("created_at")[:1]
    Tip.objects.filter(Exists(notes)).update(first_public_note_at=Subquery(first))


def _index(schema_editor, included):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON reporting_tip {KEY} INCLUDE ({included}) {OPEN_TIPS}")


def index_with_note(apps, schema_editor):
    _index(schema_editor, "id, area_id, session_id, status, category, case_id, first_public_note_at")


def index_without_note(apps, schema_editor):
    _index(schema_editor, "id, area_id, session_id, status, category, case_id")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0021_quarter_figures")]

    operations = [
        migrations.AddField(
            model_name="tip",
            name="first_public_note_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="first note for the reporter at"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index_with_note, index_without_note, elidable=False),
    ]
