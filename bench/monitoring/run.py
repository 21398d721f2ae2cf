"""Benchmark: the national monitoring page, one office's drill-down and the quarterly workbook with
many offices (issue 25).

    .venv/bin/python bench/monitoring/run.py --offices 100
    .venv/bin/python bench/monitoring/run.py --offices 3       # the baseline the ratio divides by

Each run recreates a PostgreSQL database (`bench_monitoring_<offices>` on 127.0.0.1:5432, or
--database-url), migrates it and fills it with bulk inserts: --offices offices in regions of ten,
each with 10 areas (3 of them Desa Binaan Imigrasi) and, in the quarter measured (the last full one),
24 sessions held with 20 attendances each, 30 tips (a third triaged, a third with a note to the
reporter, a sixth referred to an agency, half of those answered) and a session target. Then it times the
task worker's run that works the quarter's figures out for every office (reporting.monitoring.summary),
signs the national role in with Django's test Client (second factor passed, as the test suite does), asks
each page --requests times with every cache emptied before each, and writes the workbook as the export
job does (its queries counted apart). It prints p50/p95 in ms, the queries of one request and the load.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432"
NATIONAL_USER = "bench-pemantau"
AREAS_PER_OFFICE = 10
DBI_PER_OFFICE = 3
SESSIONS_PER_OFFICE = 24
ATTENDANCES_PER_SESSION = 20
TIPS_PER_OFFICE = 30


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pimpasa.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(url):
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def fill(office_count, quarter):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db.models import Exists, OuterRef, Subquery
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from events.models import Area, Attendance, Session
    from offices.models import Office, Region
    from pimpasa.roles import NATIONAL
    from reporting.monitoring.models import SessionTarget
    from reporting.referrals.models import Agency, Referral
    from reporting.tips.models import Tip, TipHistory
    from reporting.tips.services import codes

    rng = random.Random(25)
    started = time.perf_counter()

    def log(what):
        print(f"  {time.perf_counter() - started:6.1f} s  {what}", flush=True)

    call_command("migrate", verbosity=0)
    call_command("setup", verbosity=0)
    log("migrated, set up")
    user = get_user_model().objects.create_user(NATIONAL_USER, "pemantau@example.test", "bench-only")
    user.groups.add(Group.objects.get(name=NATIONAL))
    TOTPDevice.objects.create(user=user, confirmed=True, name="Authenticator")

    regions = Region.objects.bulk_create(
        Region(name=f"Kanwil Bench {n}") for n in range((office_count + 9) // 10)
    )
    offices = Office.objects.bulk_create(
        Office(name=f"Kanim Bench {n:03d}", region=regions[n // 10]) for n in range(office_count)
    )
    areas = Area.objects.bulk_create(
        Area(
            name=f"Desa {office.pk}-{n}",
            kecamatan=f"Kecamatan {office.pk}",
            city="Kota Bench",
            province="Bench",
            office=office,
            is_desa_binaan=n < DBI_PER_OFFICE,
            dbi_since=datetime.date(2025, 1, 1) if n < DBI_PER_OFFICE else None,
        )
        for office in offices
        for n in range(AREAS_PER_OFFICE)
    )
    SessionTarget.objects.bulk_create(
        SessionTarget(office=office, year=quarter.year, year_total=rng.randrange(60, 120))
        for office in offices
    )
    start, end = quarter.bounds()
    span = int((end - start).total_seconds())

    def moment():
        return start + datetime.timedelta(seconds=rng.randrange(span - 3 * 86400))

    sessions = []
    for index, area in enumerate(areas):
        for _n in range(SESSIONS_PER_OFFICE // AREAS_PER_OFFICE + (index % AREAS_PER_OFFICE < 4)):
            at = moment()
            sessions.append(
                Session(
                    title="Ngopi Pimpasa",
                    area=area,
                    venue="Balai RW",
                    starts_at=at,
                    ends_at=at + datetime.timedelta(hours=2),
                    status=Session.Status.FINISHED,
                )
            )
    sessions = Session.objects.bulk_create(sessions, batch_size=5000)
    log(f"{len(offices)} offices, {len(areas)} areas, {len(sessions):,} sessions")
    genders = [code for code, _label in Attendance.Gender.choices]
    ages = [code for code, _label in Attendance.AgeGroup.choices]
    batch, count = [], 0
    for session in sessions:
        for n in range(ATTENDANCES_PER_SESSION):
            count += 1
            batch.append(
                Attendance(
                    session=session,
                    name=f"Warga {count}",
                    name_key=f"warga {count}",
                    gender=genders[count % 2],
                    age_group=ages[count % len(ages)],
                    rw=f"{n % 8:02d}",
                    source=Attendance.Source.SELF_SCAN,
                    checked_in_at=session.starts_at,
                    consent_at=session.starts_at,
                )
            )
        if len(batch) >= 10_000:
            Attendance.objects.bulk_create(batch)
            batch = []
    Attendance.objects.bulk_create(batch)
    log(f"{count:,} attendances")

    Tip._meta.get_field("created_at").auto_now_add = False
    Referral._meta.get_field("sent_at").auto_now_add = False
    TipHistory._meta.get_field("created_at").auto_now_add = False
    categories = list(Tip.Category.values)
    tips = []
    for office_index, office in enumerate(offices):
        for n in range(TIPS_PER_OFFICE):
            area = areas[office_index * AREAS_PER_OFFICE + n % AREAS_PER_OFFICE]
            tips.append(
                Tip(
                    category=categories[rng.randrange(len(categories))],
                    description="Ada perekrut yang menawarkan kerja di luar negeri tanpa dokumen resmi.",
                    area=area,
                    office=office,
                    status=Tip.Status.VERIFYING if n % 3 == 0 else Tip.Status.RECEIVED,
                    tracking_code_hash=codes.hash_code(codes.new_code()),
                    created_at=moment(),
                )
            )
    tips = Tip.objects.bulk_create(tips, batch_size=5000)
    history, referrals = [], []
    agency = Agency.objects.create(name="BP3MI Bench", kind=Agency.Kind.BP3MI)
    for n, tip in enumerate(tips):
        later = tip.created_at + datetime.timedelta(days=rng.randrange(0, 8))
        if n % 3 == 0:
            history.append(
                TipHistory(
                    tip=tip,
                    kind=TipHistory.Kind.STATUS,
                    from_status="received",
                    to_status="verifying",
                    created_at=later,
                )
            )
        if n % 3 == 1:
            history.append(
                TipHistory(tip=tip, kind=TipHistory.Kind.PUBLIC_NOTE, note="Kami periksa.", created_at=later)
            )
        if n % 6 == 0:
            answered = n % 12 == 0
            referrals.append(
                Referral(
                    tip=tip,
                    agency=agency,
                    summary="Ringkasan.",
                    token_hash=f"{tip.pk.hex}".ljust(64, "0"),
                    expires_at=later + datetime.timedelta(days=30),
                    sent_at=later,
                    acknowledged_at=later + datetime.timedelta(days=1) if answered else None,
                    outcome=Referral.Outcome.ACTED_ON if answered else "",
                    outcome_at=later + datetime.timedelta(days=9) if answered else None,
                )
            )
    TipHistory.objects.bulk_create(history, batch_size=5000)
    # bulk_create skips TipHistory.save, which keeps each tip's first note for the reporter.
    noted = TipHistory.objects.filter(tip=OuterRef("pk"), kind=TipHistory.Kind.PUBLIC_NOTE)
    Tip.objects.filter(Exists(noted)).update(
        first_public_note_at=Subquery(noted.order_by("created_at").values("created_at")[:1])
    )
    Referral.objects.bulk_create(referrals, batch_size=5000)
    log(f"{len(tips):,} tips, {len(history):,} history entries, {len(referrals):,} referrals")
    return offices[0].pk


def counting(queries):
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def timed(call, requests):
    from django.core.cache import caches
    from django.db import connection

    for cache in caches.all():
        cache.clear()
    call()  # Python's imports and templates warmed, not the data
    queries = []
    with connection.execute_wrapper(counting(queries)):
        call()
    times = []
    for _ in range(requests):
        for cache in caches.all():
            cache.clear()
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {
        "queries": len(queries),
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }


def measure(first_office, quarter, requests):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reporting.exports.base import Exporter
    from reporting.exports.writer import write_workbook
    from reporting.monitoring.exporter import QuarterlyReportExporter

    user = get_user_model().objects.get(username=NATIONAL_USER)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()

    def page(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return call

    folder = Path(tempfile.mkdtemp(prefix="bench-monitoring-"))
    settings.PRIVATE_STORAGE_ROOT = folder

    def workbook():
        from django.utils import timezone, translation

        with translation.override("id"), timezone.override(settings.TIME_ZONE):
            exporter = QuarterlyReportExporter(
                user, {"quarter": quarter.key}, time_zone=timezone.get_current_timezone()
            )
            assert isinstance(exporter, Exporter)
            write_workbook(
                exporter.sheets(),
                folder / "triwulan.xlsx",
                title=exporter.title(),
                creator="bench",
                time_zone=timezone.get_current_timezone(),
            )

    from reporting.monitoring import summary

    results = {}
    for name, call in [
        # The task worker's run (every five minutes): the quarter's figures of every office worked out
        # and stored; the pages below read what the last run stored.
        ("worker's figures", lambda: summary.store(quarter)),
        ("national page", page(f"/admin/monitoring/?quarter={quarter.key}")),
        ("office drill-down", page(f"/admin/monitoring/office/{first_office}/?quarter={quarter.key}")),
        ("quarterly workbook", workbook),
    ]:
        results[name] = timed(call, requests)
        row = results[name]
        print(
            f"  {name:20} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  {row['queries']:3d} queries"
        )
    size = len(page(f"/admin/monitoring/?quarter={quarter.key}")().content)
    print(f"  national page HTML: {size / 1024:.0f} KiB")
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"{SERVER}/bench_monitoring_{args.offices}"
    recreate_database(url)
    setup_django(url)
    from reporting.monitoring.quarters import Quarter

    quarter = Quarter.current().previous()
    print(f"filling {args.offices} offices, quarter {quarter.key} ({url})")
    first = fill(args.offices, quarter)
    print("load before timing:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    measure(first, quarter, args.requests)
    print("load after timing:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))


if __name__ == "__main__":
    main()
