"""The data migrations of issue 25 on the database the suite runs on (SQLite or PostgreSQL): a
one-office installation's areas, tips, export jobs and officers/supervisors all land in one office."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.models import Area
from offices.models import Membership, Office
from reporting.exports.models import ExportJob
from reporting.tips.models import Tip
from tests.factories import AreaFactory, ExportJobFactory, SessionFactory, TipFactory, UserFactory


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def latest_schema_after():
    """The test goes back in the migrations; every app returns to its latest ones afterwards, whatever
    happened, or the tests after it would meet tables without their newer columns."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_one_office_installation_moves_into_one_office(site_setup, latest_schema_after):
    officer = UserFactory(role="Petugas PIMPASA")
    supervisor = UserFactory(role="Supervisor")
    editor = UserFactory(role="Editor")
    area = AreaFactory(officers=[officer])
    session = SessionFactory(area=AreaFactory())
    tips = [TipFactory(area=area), TipFactory(area=None, session=session), TipFactory(area=None)]
    job = ExportJobFactory(requested_by=officer)
    scheduled = ExportJob.objects.create(exporter="monthly", is_scheduled=True)

    migrate(
        [
            ("reporting", "0014_open_tips_covering_index"),
            ("events", "0006_passes_by_generation_people_by_name"),
        ]
    )
    migrate([("offices", None)])
    migrate(
        [
            ("offices", "0002_default_office"),
            ("events", "0007_area_office"),
            ("reporting", "0015_offices"),
        ]
    )

    office = Office.objects.get()
    assert set(Area.objects.values_list("office_id", flat=True)) == {office.pk}
    assert set(Tip.objects.filter(pk__in=[t.pk for t in tips]).values_list("office_id", flat=True)) == {
        office.pk
    }
    assert ExportJob.objects.get(pk=job.pk).office_id == office.pk
    assert ExportJob.objects.get(pk=scheduled.pk).office_id is None  # the national level's
    assert set(Membership.objects.values_list("user_id", "office_id")) == {
        (officer.pk, office.pk),
        (supervisor.pk, office.pk),
    }
    assert not Membership.objects.filter(user=editor).exists()
    assert session.area_id in set(Area.objects.filter(office=office).values_list("pk", flat=True))


@pytest.mark.django_db
def test_setup_gives_a_fresh_install_one_office(site_setup):
    import io

    from django.core.management import call_command

    Membership.objects.all().delete()
    Office.objects.all().delete()
    call_command("setup", stdout=io.StringIO())
    call_command("setup", stdout=io.StringIO())
    assert Office.objects.count() == 1
