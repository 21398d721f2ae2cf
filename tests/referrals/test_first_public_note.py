"""The first note for the reporter, kept on the tip (Tip.first_public_note_at): set by the first public
note however it is written, never moved by a later one nor by an internal note, filled from the history
by its migration, and what every count of overdue tips reads instead of the history table."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting.referrals.services import clocks
from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import tips as tip_service
from tests.factories import AreaFactory, TipFactory

# Going back in the migrations, and every app back to its latest ones afterwards.
from tests.offices.test_migrations import latest_schema_after, migrate  # noqa: F401


@pytest.mark.django_db
def test_the_first_public_note_is_kept_and_no_later_or_internal_note_moves_it(officer):
    tip = TipFactory(area=AreaFactory(officers=[officer]))
    tip_service.add_note(tip, officer, "Catatan internal.", public=False)
    assert Tip.objects.get(pk=tip.pk).first_public_note_at is None
    tip_service.add_note(tip, officer, "Sedang kami periksa.", public=True)
    first = TipHistory.objects.get(tip=tip, kind=TipHistory.Kind.PUBLIC_NOTE).created_at
    assert Tip.objects.get(pk=tip.pk).first_public_note_at == first
    tip_service.add_note(tip, officer, "Sudah kami datangi.", public=True)
    assert Tip.objects.get(pk=tip.pk).first_public_note_at == first
    # The triage form's note for the reporter goes the same way.
    other = TipFactory(area=tip.area)
    tip_service.change_status(other, officer, Tip.Status.VERIFYING, public_note="Kami periksa.")
    assert Tip.objects.get(pk=other.pk).first_public_note_at is not None


@pytest.mark.django_db
def test_the_overdue_count_reads_no_history(site_setup):
    old = timezone.now() - datetime.timedelta(days=60)
    noted, silent = TipFactory(status=Tip.Status.VERIFYING), TipFactory(status=Tip.Status.VERIFYING)
    Tip.objects.filter(pk__in=[noted.pk, silent.pk]).update(created_at=old)
    TipHistory.objects.create(tip=noted, kind=TipHistory.Kind.PUBLIC_NOTE, note="Kami periksa.")
    with CaptureQueriesContext(connection) as queries:
        overdue = set(
            Tip.objects.filter(clocks.overdue_filter(clocks.service_levels())).values_list("pk", flat=True)
        )
    assert overdue == {silent.pk}
    assert not any("reporting_tiphistory" in query["sql"] for query in queries)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_the_migration_fills_it_from_the_history(site_setup):
    noted, silent = TipFactory(), TipFactory()
    for days_ago in (3, 9):
        entry = TipHistory.objects.create(tip=noted, kind=TipHistory.Kind.PUBLIC_NOTE, note="Kami periksa.")
        TipHistory.objects.filter(pk=entry.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    TipHistory.objects.create(tip=silent, kind=TipHistory.Kind.INTERNAL_NOTE, note="Internal.")
    earliest = TipHistory.objects.filter(tip=noted).order_by("created_at").first().created_at

    migrate([("reporting", "0021_quarter_figures")])
    migrate([("reporting", "0022_tip_first_public_note")])

    assert Tip.objects.get(pk=noted.pk).first_public_note_at == earliest
    assert Tip.objects.get(pk=silent.pk).first_public_note_at is None
