"""Benchmark: the back office and the public pages with a national office's data, uncached.

    .venv/bin/python bench/backoffice/run.py fill --scale big     # 200,000 tips (20,000 open), 1,000,000 attendances
    .venv/bin/python bench/backoffice/run.py fill --scale small   # the same shape a thousand times smaller
    .venv/bin/python bench/backoffice/run.py time --scale small --out small.json
    .venv/bin/python bench/backoffice/run.py time --scale big --out big.json
    .venv/bin/python bench/backoffice/run.py compare small.json big.json

Each scale is a PostgreSQL database of its own (`bench_backoffice_small`, `bench_backoffice_big` on
127.0.0.1:5432, or --database-url), filled once by `fill` (it drops and recreates the database):

- big: 40 areas, 20,000 sessions, 1,000,000 attendances (bulk inserts of 10,000), 200,000 tips of
  which 20,000 open, spread over two years, a third of them assigned, a tenth referred to an agency
  (some acknowledged, some answered), public notes on a third, 100,000 audit log entries and 2,000
  export jobs. The tips' text goes through the model's encrypted fields (Fernet, as the tip form
  stores it); bulk_create, not the tip service, so filling takes minutes, not hours.
- small: the same shape at 200 tips (20 open), 1,000 attendances: the baseline the ratios divide by.

`time` signs a supervisor in with Django's test Client (second factor passed, as the test suite
does), then asks each page --requests times, emptying every cache before each request, and prints
per page the p50 and p95 in milliseconds and the number of queries of one request (counted apart
from the timed requests). `compare` prints each page's p95 at both scales, the ratio big/small and
the query counts: the budget is p95 <= 500 ms and ratio <= 2.

Run `time` from the checkout to measure (the same databases serve a before/after comparison: fill
once, time with the old code, migrate and time with the new).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432"

SCALES = {
    # tips, open tips, attendances, sessions, audit entries, export jobs
    "big": {
        "tips": 200_000,
        "open": 20_000,
        "attendances": 1_000_000,
        "sessions": 20_000,
        "log": 100_000,
        "jobs": 2_000,
    },
    "small": {"tips": 200, "open": 20, "attendances": 1_000, "sessions": 20, "log": 100, "jobs": 2},
}
AREAS = 40
BATCH = 10_000
SUPERVISOR = "bench-supervisor"


def database_url(args):
    return args.database_url or f"{SERVER}/bench_backoffice_{args.scale}"


def django_setup(url):
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


# --- filling ---------------------------------------------------------------------------------------


def fill(scale):
    """The shape described above, at `scale`; the database is new (recreate_database)."""
    import datetime
    import uuid

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from wagtail.models import ModelLogEntry

    from events.models import Area, Attendance, Session
    from events.services.people import person_key as name_key
    from pimpasa.roles import OFFICER
    from pimpasa.roles import SUPERVISOR as SUPERVISOR_ROLE
    from reporting.exports.models import ExportJob
    from reporting.referrals.models import Agency, Referral
    from reporting.tips.models import Tip, TipHistory
    from reporting.tips.services import fingerprints

    sizes = SCALES[scale]
    rng = random.Random(24)
    started = time.perf_counter()

    def log(what):
        print(f"  {time.perf_counter() - started:6.1f} s  {what}", flush=True)

    call_command("migrate", verbosity=0)
    call_command("setup", verbosity=0)
    log("migrated, set up")
    User = get_user_model()
    supervisor = User.objects.create_user(SUPERVISOR, f"{SUPERVISOR}@example.test", "bench-only-password")
    supervisor.groups.add(Group.objects.get(name=SUPERVISOR_ROLE))
    TOTPDevice.objects.create(user=supervisor, confirmed=True, name="Authenticator")
    officers = []
    for n in range(20):
        officer = User.objects.create_user(f"bench-officer-{n}", f"officer{n}@example.test", "bench-only")
        officer.groups.add(Group.objects.get(name=OFFICER))
        officers.append(officer)

    now = timezone.now()
    areas = Area.objects.bulk_create(
        Area(
            name=f"Kelurahan {n}", kecamatan=f"Kecamatan {n // 5}", city="Kota Bandung", province="Jawa Barat"
        )
        for n in range(AREAS)
    )
    # Sessions over the last two years (a few still to come), most finished.
    sessions = []
    for n in range(sizes["sessions"]):
        starts = now - datetime.timedelta(minutes=rng.randrange(-30 * 24 * 60, 730 * 24 * 60))
        status = Session.Status.FINISHED if starts < now else Session.Status.SCHEDULED
        sessions.append(
            Session(
                title=f"Ngopi Pimpasa RW {n % 20:02d} #{n}",
                area=areas[n % AREAS],
                venue="Balai RW",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                status=status,
                is_public=True,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
    log(f"{len(sessions):,} sessions")

    genders = [code for code, _label in Attendance.Gender.choices]
    ages = [code for code, _label in Attendance.AgeGroup.choices]
    per_session = sizes["attendances"] // len(sessions)
    batch = []
    for n in range(sizes["attendances"]):
        session = sessions[n // per_session % len(sessions)]
        name = f"Warga {n}"
        moment = session.starts_at + datetime.timedelta(seconds=n % 3600)
        batch.append(
            Attendance(
                session=session,
                name=name,
                name_key=name_key(name),
                phone=f"+62812{n:08d}",
                gender=genders[n % 2],
                age_group=ages[n % len(ages)],
                rw=f"{n % 20:02d}",
                address=f"Jl. Melati {n % 300}",
                source=Attendance.Source.SELF_SCAN,
                consent_at=moment,
                checked_in_at=moment,
            )
        )
        if len(batch) == BATCH:
            Attendance.objects.bulk_create(batch)
            batch = []
            if n % 100_000 == BATCH - 1:
                log(f"{n + 1:,} attendances")
    Attendance.objects.bulk_create(batch)
    log(f"{sizes['attendances']:,} attendances")

    agencies = Agency.objects.bulk_create(
        Agency(name=f"BP3MI Bench {n}", kind=Agency.Kind.BP3MI) for n in range(7)
    )
    # created_at, sent_at are auto_now_add: the bench sets them itself (the tips are of the past).
    for model, field in ((Tip, "created_at"), (Referral, "sent_at"), (ExportJob, "created_at")):
        model._meta.get_field(field).auto_now_add = False
    categories = list(Tip.Category.values)
    open_statuses = [Tip.Status.RECEIVED, Tip.Status.VERIFYING, Tip.Status.FOLLOWED_UP, Tip.Status.FORWARDED]
    closed_statuses = [Tip.Status.CLOSED, Tip.Status.NOT_ACTIONABLE]
    descriptions = [
        "Ada perekrut yang menawarkan kerja di luar negeri tanpa dokumen resmi, gaji besar di Malaysia.",
        "Tetangga berangkat dengan visa kunjungan untuk bekerja sebagai asisten rumah tangga.",
        "Orang asing bekerja di proyek bangunan tanpa izin tinggal yang sesuai.",
        "Calo datang ke desa menjanjikan pekerjaan di kapal ikan, minta uang pendaftaran.",
    ]
    tip_ids = []
    tips = []
    referrals = []
    notes = []
    open_left = sizes["open"]
    for n in range(sizes["tips"]):
        is_open = open_left > 0 and rng.random() < open_left / (sizes["tips"] - n)
        open_left -= is_open
        # Open tips are mostly recent (a long tail of forgotten ones); closed ones span two years.
        age_days = rng.expovariate(1 / 40) if is_open else rng.uniform(0, 730)
        created = now - datetime.timedelta(days=min(age_days, 730), minutes=rng.randrange(1440))
        status = rng.choice(open_statuses) if is_open else rng.choice(closed_statuses)
        tip = Tip(
            id=uuid.uuid4(),
            category=categories[n % len(categories)],
            description=descriptions[n % len(descriptions)] + f" Kejadian ke-{n}.",
            address=f"RT {n % 9:02d} RW {n % 20:02d}",
            occurred_when="sejak bulan lalu",
            area=areas[n % AREAS],
            session=sessions[n % len(sessions)] if n % 4 == 0 else None,
            rw=f"{n % 20:02d}",
            status=status,
            assigned_to=officers[n % len(officers)] if n % 3 == 0 else None,
            tracking_code_hash=f"{n:064x}",
            text_fingerprint=fingerprints.fingerprint(descriptions[n % len(descriptions)]),
            created_at=created,
            closed_at=None if is_open else created + datetime.timedelta(days=10),
        )
        tips.append(tip)
        tip_ids.append(tip.id)
        if status == Tip.Status.FORWARDED or n % 10 == 0:
            sent = created + datetime.timedelta(days=rng.uniform(0, 5))
            answered = rng.random()
            referrals.append(
                Referral(
                    tip=tip,
                    agency=agencies[n % len(agencies)],
                    summary="Ringkasan untuk instansi: dugaan perekrutan tanpa prosedur.",
                    token_hash=f"{n:064x}",
                    expires_at=sent + datetime.timedelta(days=30),
                    sent_at=sent,
                    acknowledged_at=sent + datetime.timedelta(days=2) if answered < 0.6 else None,
                    outcome=Referral.Outcome.ACTED_ON if answered < 0.3 else "",
                    outcome_at=sent + datetime.timedelta(days=9) if answered < 0.3 else None,
                )
            )
        if n % 3 == 1:
            notes.append(TipHistory(tip=tip, kind=TipHistory.Kind.PUBLIC_NOTE))
        if len(tips) == BATCH:
            Tip.objects.bulk_create(tips)
            tips = []
            if n % 50_000 == BATCH - 1:
                log(f"{n + 1:,} tips")
    Tip.objects.bulk_create(tips)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    TipHistory.objects.bulk_create(notes, batch_size=BATCH)
    log(
        f"{sizes['tips']:,} tips ({sizes['open']:,} open), {len(referrals):,} referrals, {len(notes):,} notes"
    )

    tip_type = ContentType.objects.get_for_model(Tip)
    ModelLogEntry.objects.bulk_create(
        (
            ModelLogEntry(
                content_type=tip_type,
                object_id=str(tip_ids[n % len(tip_ids)]),
                label=f"Laporan {n}",
                action="wagtail.edit",
                timestamp=now - datetime.timedelta(minutes=n),
                user=officers[n % len(officers)],
            )
            for n in range(sizes["log"])
        ),
        batch_size=BATCH,
    )
    ExportJob.objects.bulk_create(
        (
            ExportJob(
                exporter="attendance",
                requested_by=supervisor,
                status=ExportJob.Status.DONE,
                created_at=now - datetime.timedelta(hours=n),
            )
            for n in range(sizes["jobs"])
        ),
        batch_size=BATCH,
    )
    log(f"{sizes['log']:,} audit entries, {sizes['jobs']:,} export jobs")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE") if not connection.in_atomic_block else None
    log("vacuum analyze")


# --- timing ------------------------------------------------------------------------------------------


def pages():
    """(name, url) of every page measured, for a supervisor signed in (public pages too)."""
    from django.urls import reverse

    from events.models import Session
    from reporting.exports.models import ExportJob
    from reporting.tips.models import Tip

    session = Session.objects.filter(status=Session.Status.FINISHED).order_by("-starts_at").first()
    tip = Tip.objects.exclude(status__in=["closed", "not_actionable"]).order_by("-created_at").first()
    job = ExportJob.objects.order_by("-created_at").first()
    return [
        ("dashboard", reverse("wagtailadmin_home")),
        ("tips list", reverse("laporan:index")),
        ("tips list, overdue", reverse("laporan:index") + "?deadline=overdue"),
        ("tips list, page 5", reverse("laporan:index") + "?p=5"),
        ("tip page", reverse("laporan:edit", args=(tip.pk,))),
        ("sessions list", reverse("events_session:index")),
        ("run page", reverse("events_session:run", args=(session.pk,))),
        ("audit log", "/admin/reports/site-history/"),
        ("exports list", reverse("reporting_exports:index")),
        ("export job", reverse("reporting_exports:detail", args=(job.pk,))),
        ("public: home", "/"),
        ("public: sessions", reverse("events:list")),
        ("public: tip form", reverse("tips:report")),
        ("public: tip status", reverse("tips:status")),
        ("public: search", reverse("search") + "?q=kerja+malaysia"),
        ("public: sitemap", "/sitemap.xml"),
    ]


def counting(queries):
    """A database execute wrapper that notes each statement in `queries`."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def measure(requests, only=None):
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=SUPERVISOR)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()

    def get(url):
        for cache in caches.all():
            cache.clear()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    results = {}
    for name, url in pages():
        if only and name not in only:
            continue
        get(url)  # warm Python's own imports and template loading, not the data
        queries = []
        with connection.execute_wrapper(counting(queries)):
            get(url)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[name] = {
            "url": url,
            "queries": len(queries),
            "p50_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        }
        print(
            f"  {name:22} p50 {results[name]['p50_ms']:8.1f} ms  p95 {results[name]['p95_ms']:8.1f} ms  "
            f"{len(queries):3d} queries",
            flush=True,
        )
    return results


def measure_refresh(requests):
    """The task worker's minute: the dashboard's figures worked out for every area (none before the
    summary existed)."""
    try:
        from reporting.dashboard import summary
    except ImportError:
        return {}
    from django.db import connection

    queries = []
    with connection.execute_wrapper(counting(queries)):
        summary.refresh()
    times = []
    for _ in range(min(requests, 5)):
        started = time.perf_counter()
        summary.refresh()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    row = {
        "url": "(task)",
        "queries": len(queries),
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }
    print(
        f"  {'dashboard figures refresh':22} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  "
        f"{len(queries):3d} queries",
        flush=True,
    )
    return {"dashboard figures refresh": row}


def load():
    return Path("/proc/loadavg").read_text().split()[:3]


def compare(small_file, big_file):
    small = json.loads(Path(small_file).read_text())
    big = json.loads(Path(big_file).read_text())
    print(f"load {small['load']} (small) / {big['load']} (big)")
    print(
        f"| page | p95 at {small['tips']} tips | p95 at {big['tips']:,} tips | ratio | queries (small/big) |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, row in big["pages"].items():
        if name not in small["pages"]:
            continue
        base = small["pages"][name]
        print(
            f"| {name} | {base['p95_ms']:.0f} ms | {row['p95_ms']:.0f} ms | "
            f"{row['p95_ms'] / base['p95_ms']:.2f}× | {base['queries']} / {row['queries']} |"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["fill", "time", "compare"])
    parser.add_argument("files", nargs="*", help="compare: the small then the big result file")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--out", help="time: write the results (JSON) here too")
    parser.add_argument(
        "--page", action="append", help="time: only this page (by its name, e.g. dashboard); repeatable"
    )
    args = parser.parse_args()
    if args.command == "compare":
        compare(*args.files)
        return
    url = database_url(args)
    if args.command == "fill":
        recreate_database(url)
        django_setup(url)
        fill(args.scale)
        return
    django_setup(url)
    print(f"{args.scale}: {SCALES[args.scale]['tips']:,} tips, load {' '.join(load())}", flush=True)
    results = {"scale": args.scale, "tips": SCALES[args.scale]["tips"], "load": " ".join(load())}
    results["pages"] = measure(args.requests, args.page)
    if not args.page or "dashboard figures refresh" in args.page:
        results["pages"].update(measure_refresh(args.requests))
    results["load_after"] = " ".join(load())
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
