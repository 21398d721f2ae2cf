"""The audit log ("Reports → Site history") asks the database the same number of questions with 3 or
30 entries of each kind (tips, sessions, areas, export jobs and pages mixed), for a supervisor and for
an officer: Wagtail looks the objects up once per kind on the page, and whether each may be edited is
asked once per kind too (it was asked entry by entry: an officer's page asked a query per row)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from tests.factories import (
    AreaFactory,
    ExportJobFactory,
    SessionFactory,
    StandardPageFactory,
    TipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/admin/reports/site-history/"


def add_entries(count, area, officer, home):
    for n in range(count):
        log(TipFactory(area=area), "wagtail.edit", user=officer)
        log(SessionFactory(area=area, title=f"Ngopi {n}"), "wagtail.edit", user=officer)
        log(AreaFactory(), "wagtail.edit", user=officer)
        log(ExportJobFactory(requested_by=officer), "wagtail.create", user=officer)
        StandardPageFactory(parent=home, title=f"Halaman {count}-{n}")


def queries_of(client):
    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["Supervisor", "Petugas PIMPASA"])
def test_the_audit_log_asks_as_many_queries_for_3_entries_of_each_kind_as_for_30(role, site_setup):
    user = UserFactory(role=role)
    area = AreaFactory(officers=[user])
    client = Client()
    client.force_login(user)
    # The site's setup logged its home page (another kind of page): not on the page at 30 of each.
    PageLogEntry.objects.all().delete()
    add_entries(3, area, user, site_setup["home"])
    queries_of(client)
    few = queries_of(client)
    add_entries(27, area, user, site_setup["home"])
    assert queries_of(client) == few
