"""Every back-office page a supervisor opens daily, and the public pages, ask the database the same
number of questions with 3 tips (sessions, attendances, referrals, audit entries, exports) as with 30:
nothing is fetched row by row, so the page stays as fast with a national office's data (timed by
bench/backoffice, figures in docs/benchmarks.md)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from events.models import Session
from reporting.exports.models import ExportJob
from reporting.models import Tip
from reporting.referrals.models import Referral
from reporting.tips.models import TipHistory
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    ExportJobFactory,
    HeldAttendanceFactory,
    HeldSessionFactory,
    TipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def add_data(count, supervisor):
    """`count` of each: open tips (old enough to be overdue, a third assigned, some referred, some
    with a note to the reporter), closed tips, held sessions with attendances, audit entries, exports."""
    area = AreaFactory()
    officer = UserFactory(role="Petugas PIMPASA")
    area.officers.add(officer)
    agency = AgencyFactory()
    long_ago = timezone.now() - datetime.timedelta(days=40)
    for n in range(count):
        tip = TipFactory(area=area, assigned_to=officer if n % 3 == 0 else None, status="received")
        Tip.objects.filter(pk=tip.pk).update(created_at=long_ago + datetime.timedelta(hours=n))
        TipFactory(area=area, status="closed")
        if n % 2 == 0:
            Referral.objects.create(
                tip=tip,
                agency=agency,
                summary="Ringkasan",
                token_hash=f"{tip.pk.hex:0>64}",
                expires_at=timezone.now() + datetime.timedelta(days=30),
            )
            Referral.objects.filter(tip=tip).update(sent_at=long_ago)
        if n % 4 == 1:
            TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.PUBLIC_NOTE)
        session = HeldSessionFactory(area=area, title=f"Ngopi Pimpasa {n}")
        HeldAttendanceFactory.create_batch(2, session=session)
        log(instance=tip, action="wagtail.edit", user=officer)
        ExportJobFactory(requested_by=supervisor, status=ExportJob.Status.DONE)


def queries_of(client, url):
    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()  # Django's per-process copy: a first request would read it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def pages():
    # The same session and tip at both counts: the first made.
    session = Session.objects.order_by("pk").first()
    tip = Tip.objects.filter(status="received").order_by("created_at").first()
    return [
        reverse("wagtailadmin_home"),
        reverse("laporan:index"),
        reverse("laporan:index") + "?deadline=overdue",
        reverse("laporan:index") + "?state=all",
        reverse("laporan:edit", args=(tip.pk,)),
        reverse("events_session:index"),
        reverse("events_session:run", args=(session.pk,)),
        "/admin/reports/site-history/",
        reverse("reporting_exports:index"),
        "/",
        reverse("events:list"),
        reverse("tips:report"),
        reverse("tips:status"),
    ]


def test_each_page_asks_the_same_number_of_queries_with_3_and_with_30_of_everything(site_setup):
    supervisor = UserFactory(role="Supervisor")
    client = Client()
    client.force_login(supervisor)
    add_data(3, supervisor)
    for url in pages():  # a first visit sets things up once (the site's contact settings row)
        queries_of(client, url)
    few = [(url, queries_of(client, url)) for url in pages()]
    add_data(27, supervisor)
    many = [(url, queries_of(client, url)) for url in pages()]
    assert many == few
