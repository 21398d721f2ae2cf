"""Benchmark: the back office and the public pages with a national office's data, uncached.

    .venv/bin/python bench/backoffice/run.py fill --scale big     # 200,000 tips (20,000 open), 1,000,000 attendances
    .venv/bin/python bench/backoffice/run.py fill --scale small   # the same shape a thousand times smaller
    .venv/bin/python bench/backoffice/run.py time --scale small --out small.json
    .venv/bin/python bench/backoffice/run.py time --scale big --out big.json
    .venv/bin/python bench/backoffice/run.py compare small.json big.json

    # Growth in offices (issue 25): N offices in R regions, each of the scale's size
    .venv/bin/python bench/backoffice/run.py fill --scale small --offices 100 --regions 10
    .venv/bin/python bench/backoffice/run.py fill --scale small --offices 3 --regions 2
    .venv/bin/python bench/backoffice/run.py time --scale small --offices 100 \
        --as supervisor --as officer --as national --as regional --out 100.json
    .venv/bin/python bench/backoffice/run.py compare 3.json 100.json

Each scale is a PostgreSQL database of its own (`bench_backoffice_small`, `bench_backoffice_big` on
127.0.0.1:5432, or --database-url), filled once by `fill` (it drops and recreates the database):

- big: 40 areas, 20,000 sessions, 1,000,000 attendances (bulk inserts of 10,000), 200,000 tips of
  which 20,000 open, spread over two years, a third of them assigned, a tenth referred to an agency
  (some acknowledged, some answered), public notes on a third, 100,000 audit log entries and 2,000
  export jobs. The tips' text goes through the model's encrypted fields (Fernet, as the tip form
  stores it); bulk_create, not the tip service, so filling takes minutes, not hours.
- small: the same shape at 200 tips (20 open), 1,000 attendances: the baseline the ratios divide by.
- --offices N (database `bench_backoffice_<scale>_<N>_offices`): N offices (office n in region
  n % R of --regions R), each with the scale's figures (so N times the tips, sessions, attendances,
  audit entries and exports), 10 areas (half of them Desa Binaan Imigrasi), a supervisor and 2
  officers each on half its areas; sessions and tips go round-robin over the areas, a tip's office
  is its area's, its assignee and its audit entries an officer of that office, an export's office its
  requester's. Plus a national monitoring user (no office) and a Kantor Wilayah user of region 0.

`time` signs a supervisor in with Django's test Client (second factor passed, as the test suite
does), or with --as (repeatable) the supervisor or an officer of the first office, the national
monitoring user or the regional one (the roles other than supervisor are asked the dashboard, tips
list, sessions list, audit log, monitoring page and Where page only; a page the role may not see is
noted with its status, not timed). It works the dashboard's per-area figures and the monitoring
pages' quarter figures out first, as the task worker does (every minute, every five minutes), then
asks each page --requests times, emptying every cache before each request, and prints per page
the p50 and p95 in milliseconds, the p50 of the CPU time the process spent (the Python side, which
other work on the machine moves far less than the clock) and the number of queries of one request (counted apart from the
timed requests). `compare` prints each page's p95 at both scales, the ratio big/small and
the query counts: the budget is p95 <= 500 ms and ratio <= 2.

`time` first freezes what the process loaded, as each web process does before its first request
(pimpasa/wsgi.py, pimpasa.startup); `--no-freeze` times a process that does not, for a comparison in
one run.

Run `time` from the checkout to measure (the same databases serve a before/after comparison: fill
once, time with the old code, migrate and time with the new).
"""

import argparse
import json
import os
import random
import re
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
# With --offices: the areas and officers of each office (the figures of SCALES are per office).
OFFICE_AREAS = 10
OFFICE_OFFICERS = 2
NATIONAL_USER = "bench-national"
REGIONAL_USER = "bench-regional"
# Who `time --as` signs in: the supervisor and an officer of the first office, the national
# monitoring team, the Kantor Wilayah of the first region.
ROLES = {
    "supervisor": SUPERVISOR,
    "officer": "bench-officer-0",
    "national": NATIONAL_USER,
    "regional": REGIONAL_USER,
}
# The pages measured for every role (--as other than supervisor); the supervisor's are all of pages().
ROLE_PAGES = ["dashboard", "tips list", "sessions list", "audit log", "monitoring", "where"]


def database_url(args):
    if args.database_url:
        return args.database_url
    if args.offices > 1:
        return f"{SERVER}/bench_backoffice_{args.scale}_{args.offices}_offices"
    return f"{SERVER}/bench_backoffice_{args.scale}"


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


def fill(scale, offices=1, regions=1):
    """The shape described above, at `scale`; the database is new (recreate_database).

    With `offices` > 1 every figure is `offices` times the scale's, spread evenly: OFFICE_AREAS areas
    per office (area n to office n % offices, office n to region n % regions), OFFICE_OFFICERS
    officers (each on part of the office's areas) and one supervisor per office, sessions and tips
    round-robin over the areas, a tip's office its area's."""
    import datetime
    import uuid

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db.models import Exists, OuterRef, Subquery
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from wagtail.models import ModelLogEntry

    from events.models import Area, Attendance, Session
    from events.services.people import person_key as name_key
    from offices.models import Membership, Office, Region
    from pimpasa.roles import NATIONAL, OFFICER, REGIONAL
    from pimpasa.roles import SUPERVISOR as SUPERVISOR_ROLE
    from reporting.exports.models import ExportJob
    from reporting.referrals.models import Agency, Referral
    from reporting.tips import audit_links
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
    several = offices > 1
    # Whatever office the migrations made has nothing yet: the bench's own replace it.
    Office.objects.all().delete()
    Region.objects.all().delete()
    sizes = {key: value * offices for key, value in sizes.items()}
    region_rows = Region.objects.bulk_create(Region(name=f"Kantor Wilayah Bench {n}") for n in range(regions))
    office_rows = Office.objects.bulk_create(
        Office(
            name=f"Kantor Imigrasi Bench {n}",
            region=region_rows[n % regions],
            hotline=f"021-5507-{n:04d}",
            whatsapp=f"+628110000{n:04d}",
        )
        for n in range(offices)
    )
    # One password hash for every account (hashing 300 of them would take minutes).
    password = make_password("bench-only-password")
    per_office = OFFICE_OFFICERS if several else 20
    accounts = []  # (user, role, office, region)
    for o, office in enumerate(office_rows):
        name = SUPERVISOR if o == 0 else f"{SUPERVISOR}-{o}"
        accounts.append(
            (
                User(username=name, email=f"{name}@example.test", password=password),
                SUPERVISOR_ROLE,
                office,
                None,
            )
        )
        for k in range(per_office):
            name = f"bench-officer-{o * per_office + k}"
            accounts.append(
                (User(username=name, email=f"{name}@example.test", password=password), OFFICER, office, None)
            )
    accounts.append(
        (User(username=NATIONAL_USER, email="national@example.test", password=password), NATIONAL, None, None)
    )
    accounts.append(
        (
            User(username=REGIONAL_USER, email="regional@example.test", password=password),
            REGIONAL,
            None,
            region_rows[0],
        )
    )
    users = User.objects.bulk_create(user for user, _role, _office, _region in accounts)
    groups = {group.name: group for group in Group.objects.all()}
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=groups[role].pk)
        for user, (_user, role, _office, _region) in zip(users, accounts, strict=True)
    )
    Membership.objects.bulk_create(
        Membership(user=user, office=office, region=region)
        for user, (_user, _role, office, region) in zip(users, accounts, strict=True)
        if office is not None or region is not None
    )
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, confirmed=True, name="Authenticator") for user in users
    )
    supervisors = [
        user for user, (_u, role, _o, _r) in zip(users, accounts, strict=True) if role == SUPERVISOR_ROLE
    ]
    officers_of = [
        [
            user
            for user, (_u, role, office, _r) in zip(users, accounts, strict=True)
            if role == OFFICER and office == o
        ]
        for o in office_rows
    ]
    log(f"{offices} offices in {regions} regions, {len(users)} accounts")

    now = timezone.now()
    area_count = OFFICE_AREAS * offices if several else AREAS
    areas = Area.objects.bulk_create(
        Area(
            name=f"Kelurahan {n}",
            kecamatan=f"Kecamatan {n // 5}",
            city="Kota Bandung",
            province="Jawa Barat",
            office=office_rows[n % offices],
            is_desa_binaan=n % 2 == 0,
            dbi_since=datetime.date(2025, 1, 1) if n % 2 == 0 else None,
        )
        for n in range(area_count)
    )
    # Each officer on the areas of their office whose rank in it is theirs modulo the officers.
    Area.officers.through.objects.bulk_create(
        Area.officers.through(area_id=area.pk, user_id=officers_of[n % offices][n // offices % per_office].pk)
        for n, area in enumerate(areas)
    )

    # Sessions over the last two years (a few still to come), most finished.
    sessions = []
    for n in range(sizes["sessions"]):
        starts = now - datetime.timedelta(minutes=rng.randrange(-30 * 24 * 60, 730 * 24 * 60))
        status = Session.Status.FINISHED if starts < now else Session.Status.SCHEDULED
        sessions.append(
            Session(
                title=f"Ngopi Pimpasa RW {n % 20:02d} #{n}",
                area=areas[n % area_count],
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
            area=areas[n % area_count],
            office=office_rows[n % area_count % offices],
            session=sessions[n % len(sessions)]
            if n % 4 == 0 and (not several or len(sessions) % area_count == 0)
            else None,
            rw=f"{n % 20:02d}",
            status=status,
            assigned_to=officers_of[n % area_count % offices][n % per_office] if n % 3 == 0 else None,
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
    # bulk_create skips TipHistory.save, which keeps each tip's first note for the reporter.
    noted = TipHistory.objects.filter(tip=OuterRef("pk"), kind=TipHistory.Kind.PUBLIC_NOTE)
    Tip.objects.filter(Exists(noted)).update(
        first_public_note_at=Subquery(noted.order_by("created_at").values("created_at")[:1])
    )
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
                user=officers_of[n % len(tip_ids) % area_count % offices][n % per_office],
            )
            for n in range(sizes["log"])
        ),
        batch_size=BATCH,
    )
    # bulk_create skips the post_save that links each tip's entry to the tip and its office.
    audit_links.link_entries(ModelLogEntry.objects.all())
    ExportJob.objects.bulk_create(
        (
            ExportJob(
                exporter="attendance",
                requested_by=supervisors[n % offices],
                office=office_rows[n % offices],
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


def pages(user):
    """(name, url) of every page measured, for a supervisor signed in (public pages too); the
    session, tip and job shown are of `user`'s office when they have one."""
    from django.urls import reverse

    from events.models import Session
    from offices.scoping import office_id_of
    from reporting.exports.models import ExportJob
    from reporting.tips.models import Tip

    office_id = office_id_of(user)
    mine = {} if office_id is None else {"office_id": office_id}
    session = (
        Session.objects.filter(status=Session.Status.FINISHED)
        .filter(**({} if office_id is None else {"area__office_id": office_id}))
        .order_by("-starts_at")
        .first()
    )
    tip = (
        Tip.objects.exclude(status__in=["closed", "not_actionable"])
        .filter(**mine)
        .order_by("-created_at")
        .first()
    )
    job = ExportJob.objects.filter(**mine).order_by("-created_at").first()
    checkin, agency, code, material = public_fixtures()
    return [
        ("dashboard", reverse("wagtailadmin_home")),
        ("tips list", reverse("laporan:index")),
        ("tips list, overdue", reverse("laporan:index") + "?deadline=overdue"),
        ("tips list, page 5", reverse("laporan:index") + "?p=5"),
        ("tip page", reverse("laporan:edit", args=(tip.pk,))),
        ("sessions list", reverse("events_session:index")),
        ("run page", reverse("events_session:run", args=(session.pk,))),
        ("audit log", "/admin/reports/site-history/"),
        ("monitoring", "/admin/monitoring/"),
        ("where", "/admin/sebaran/"),
        ("exports list", reverse("reporting_exports:index")),
        ("export job", reverse("reporting_exports:detail", args=(job.pk,))),
        ("public: home", "/"),
        ("public: sessions", reverse("events:list")),
        ("public: tip form", reverse("tips:report")),
        ("public: tip status", reverse("tips:status")),
        # Following a tip by its code: the look-up is a POST answered once, so each timed request
        # sends the nonce of a form fetched just before it (untimed).
        ("public: tip status, code looked up", reverse("tips:status"), {"code": code}),
        ("public: check-in form", checkin),
        ("public: session calendar", reverse("events:ics", args=(checkin_session_id(checkin),))),
        ("public: material", material),
        ("public: search", reverse("search") + "?q=kerja+malaysia"),
        ("public: sitemap", "/sitemap.xml"),
        ("agency page", agency),
    ]


def checkin_session_id(path):
    return int(path.split("/sesi/", 1)[1].split("/", 1)[0])


def public_fixtures():
    """What the public pages need that `fill` does not make: a session open for check-in now (its
    poster's address), an agency's link to a referral of the first office, a tracking code that finds
    one of its open tips, and the demo's materials. Made again on each run (links and codes are
    stored only as hashes)."""
    import datetime
    import io
    from urllib.parse import urlsplit

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from demo import site_content
    from events.models import Session
    from events.services import tokens
    from reporting.referrals.models import AgencyContact, Referral
    from reporting.referrals.services import referrals
    from reporting.tips.models import Tip
    from reporting.tips.services import codes

    supervisor = get_user_model().objects.get(username=SUPERVISOR)
    tip = (
        Tip.objects.exclude(status__in=["closed", "not_actionable"])
        .filter(office__memberships__user=supervisor)
        .order_by("-created_at")
        .first()
    )
    now = timezone.now()
    area = tip.area
    session, _ = Session.objects.update_or_create(
        title="Ngopi Pimpasa bench: open now",
        defaults={
            "area": area,
            "venue": "Balai RW",
            "starts_at": now - datetime.timedelta(minutes=30),
            "ends_at": now + datetime.timedelta(hours=2),
            "status": Session.Status.SCHEDULED,
            "is_public": True,
        },
    )
    checkin = tokens.checkin_path(session, tokens.poster_token(session))
    referral = Referral.objects.filter(tip__office_id=tip.office_id, outcome="").order_by("-sent_at").first()
    # A new link goes to the agency's contacts by e-mail (the test settings keep it in memory).
    AgencyContact.objects.get_or_create(agency=referral.agency, email="bp3mi@example.test")
    _referral, link = referrals.renew_link(referral, supervisor)
    agency = urlsplit(link).path
    code = codes.new_code()
    tip.tracking_code_hash = codes.hash_code(code)
    tip.save(update_fields=["tracking_code_hash"])
    site_content.load(io.StringIO())
    from cms.models import MaterialPage

    material = MaterialPage.objects.live().filter(locale__language_code="id").first().url
    return checkin, agency, code, material


def counting(queries):
    """A database execute wrapper that notes each statement in `queries`."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def measure(requests, only=None, role="supervisor"):
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=ROLES[role])
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()

    def get(url, form=None, timings=None, cpu=None):
        """One request with every cache emptied; with `form`, a POST carrying the nonce of the form
        page fetched just before (only the POST is timed). `cpu` collects the CPU time this process
        spent on it: the Python side alone, which other work on a shared machine moves far less than
        the clock (the database's side is in the clock's figure only)."""
        for cache in caches.all():
            cache.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        if form is not None:
            page = client.get(url).content.decode()
            nonce = re.search(r'name="nonce" value="([^"]*)"', page).group(1)
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post(url, {**form, "nonce": nonce})
        else:
            response = client.get(url)
        if timings is not None:
            timings.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - cpu_started) * 1000)
        return response

    def allowed(url, form=None):
        return get(url, form).status_code

    results = {}
    prefix = "" if role == "supervisor" else f"{role}: "
    for name, url, *form in pages(user):
        form = form[0] if form else None
        if only and name not in only:
            continue
        if role != "supervisor" and name not in ROLE_PAGES:
            continue
        # The first request warms Python's own imports and template loading, not the data; a page
        # the role may not see (a redirect to the home page with a message, a 403, a 404) is noted.
        status = allowed(url, form)
        if status != 200:
            results[prefix + name] = {"url": url, "status": status}
            print(f"  {prefix + name:32} not shown to this role ({status})", flush=True)
            continue
        queries = []
        with connection.execute_wrapper(counting(queries)):
            get(url, form)
        times, cpu = [], []
        for _ in range(requests):
            response = get(url, form, times, cpu)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        row = results[prefix + name] = {
            "url": url,
            "queries": len(queries),
            "p50_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "cpu_p50_ms": statistics.median(cpu),
        }
        print(
            f"  {prefix + name:32} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  "
            f"cpu p50 {row['cpu_p50_ms']:7.1f} ms  {len(queries):3d} queries",
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

    def label(result):
        offices = result.get("offices", 1)
        return f"{result['tips']:,} tips" + (f", {offices} offices" if offices > 1 else "")

    print(
        f"| page | p95 at {label(small)} | p95 at {label(big)} | ratio | CPU p50 ratio | queries (small/big) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in big["pages"].items():
        base = small["pages"].get(name)
        if base is None or "p95_ms" not in base or "p95_ms" not in row:
            continue
        # Results written before the CPU time was recorded have none.
        measured = "cpu_p50_ms" in base and "cpu_p50_ms" in row
        cpu = f"{row['cpu_p50_ms'] / base['cpu_p50_ms']:.2f}×" if measured else "—"
        print(
            f"| {name} | {base['p95_ms']:.0f} ms | {row['p95_ms']:.0f} ms | "
            f"{row['p95_ms'] / base['p95_ms']:.2f}× | {cpu} | {base['queries']} / {row['queries']} |"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["fill", "time", "compare"])
    parser.add_argument("files", nargs="*", help="compare: the small then the big result file")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--database-url")
    parser.add_argument(
        "--offices",
        type=int,
        default=1,
        help="fill: spread the data over this many offices (each the scale's size)",
    )
    parser.add_argument("--regions", type=int, default=1, help="fill: the offices' regions (round-robin)")
    parser.add_argument(
        "--as",
        dest="roles",
        action="append",
        choices=sorted(ROLES),
        help="time: sign in as this role (default supervisor); repeatable",
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--out", help="time: write the results (JSON) here too")
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="time: as a process that keeps its loaded objects in the collector's sight (before pimpasa.startup)",
    )
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
        fill(args.scale, args.offices, args.regions)
        return
    django_setup(url)
    if not args.no_freeze:
        # As each web process does before its first request (pimpasa/wsgi.py).
        from pimpasa import startup

        startup.settle_loaded_objects()
    from offices.models import Office
    from reporting.tips.models import Tip

    offices = Office.objects.count()
    tips = Tip.objects.count()
    print(f"{args.scale}: {tips:,} tips, {offices} offices, load {' '.join(load())}", flush=True)
    results = {
        "scale": args.scale,
        "tips": tips,
        "offices": offices,
        "load": " ".join(load()),
        "frozen": not args.no_freeze,
    }
    # The dashboard of those who see every area reads the figures the worker works out each minute;
    # the monitoring pages, those it works out every five minutes (this quarter and the one before).
    from reporting.dashboard import summary
    from reporting.monitoring import summary as monitoring_summary

    summary.refresh()
    monitoring_summary.refresh()
    results["pages"] = {}
    for role in args.roles or ["supervisor"]:
        print(f" as {role} ({ROLES[role]})", flush=True)
        results["pages"].update(measure(args.requests, args.page, role))
    if not args.page or "dashboard figures refresh" in args.page:
        results["pages"].update(measure_refresh(args.requests))
    results["load_after"] = " ".join(load())
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
