"""Benchmark: a tip's related-tips panel at 200 and at 200,000 tips (reporting.tips.related).

    .venv/bin/python bench/related/run.py fill --database-url postgres://postgres@127.0.0.1:5432/bench_related_big
    .venv/bin/python bench/related/run.py time --database-url .../bench_related_big --out big.json
    .venv/bin/python bench/related/run.py compare small.json big.json

The databases are copies of the back-office benchmark's (`CREATE DATABASE bench_related_big TEMPLATE
bench_dash_big`, the same for small), migrated: the tips are not filled again. `fill` writes the
fingerprint rows straight into the table (COPY, no worker: the worker's own cost per tip is timed
apart, below), about four per tip, shaped like an office's real tips:

- a phone number per tip drawn from as many numbers as tips (a third of the numbers in one tip, the
  others in two to six), and one number in every twentieth tip (a leaflet's, above the
  document-frequency cap);
- an organisation in half the tips from a pool of 2,000; a name in most, from a pool of 5,000 drawn
  unevenly (a few first names in thousands of tips, capped);
- the tip's RW in its area (40 areas × 20 RWs: a few hundred tips each, capped at this scale);
- a photo (four bands) in a tenth of the tips;
- two clusters to time: one tip with 3 tips sharing its number, one with 30.

`time` asks `related_tips(tip, user)` for each cluster's tip, as a supervisor and as an officer of
one area, --requests times each, and prints the p50 and p95 in milliseconds and the queries of one
call; then the worker's `fingerprint_tip` on one real tip (its text decrypted). `compare` prints the
ratio big/small.
"""

import argparse
import hashlib
import io
import itertools
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
SEED = 26


def django_setup(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pimpasa.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def clusters_path(args):
    """Where `fill` notes the two timed tips for `time`: var/bench-related-<database>.json."""
    return Path(args.clusters or ROOT / "var" / f"bench-related-{args.database_url.rsplit('/', 1)[1]}.json")


def fake_token(kind, value):
    return hashlib.sha256(f"bench:{kind}:{value}".encode()).hexdigest()[:32]


def fill(args):
    django_setup(args.database_url)
    from django.db import connection

    from pimpasa import blind_index
    from pimpasa.encryption import encrypt_text
    from reporting.tips.models import Tip
    from reporting.tips.related.models import FingerprintCount, FingerprintRun, TipFingerprint

    random.seed(SEED)
    key_id = blind_index.key_id()
    tips = list(Tip.objects.order_by("created_at").values_list("pk", "area_id", "rw"))
    count = len(tips)
    TipFingerprint.objects.all().delete()
    FingerprintRun.objects.all().delete()
    FingerprintCount.objects.all().delete()
    names = [f"name{index}" for index in range(5_000)]
    cumulative = list(itertools.accumulate(1 / (index + 1) for index in range(len(names))))
    photo_hash = encrypt_text("0123456789abcdef")
    rows = io.StringIO()
    runs = io.StringIO()
    started = time.perf_counter()
    written = 0

    def row(tip_id, kind, value, weight, evidence="\\N", photo=""):
        nonlocal written
        rows.write(f"{tip_id}\t{evidence}\t{kind}\t{fake_token(kind, value)}\t{key_id}\t{weight}\t{photo}\n")
        written += 1

    cluster_3, cluster_30 = tips[count // 2][0], tips[count // 3][0]
    for index, (tip_id, area_id, rw) in enumerate(tips):
        row(tip_id, "phone", f"p{random.randrange(count)}", 3)
        if index % 20 == 0:
            row(tip_id, "phone", "leaflet", 3)
        if random.random() < 0.5:
            row(tip_id, "organisation", f"org{random.randrange(2_000)}", 2)
        if random.random() < 0.8:
            row(tip_id, "name", random.choices(names, cum_weights=cumulative)[0], 1)
        row(tip_id, "address", f"{area_id}:rw:{rw or random.randrange(20)}", 1)
        if random.random() < 0.1:
            for band in range(4):
                row(tip_id, "photo", f"{band}:{random.getrandbits(16):04x}", 3, photo=photo_hash)
        runs.write(f"{tip_id}\t2026-12-01 00:00:00+00\t6\t\n")
    for size, target in ((3, cluster_3), (30, cluster_30)):
        row(target, "phone", f"cluster{size}", 3)
        for other in random.sample(tips, size):
            row(other[0], "phone", f"cluster{size}", 3)
    with connection.cursor() as cursor:
        copy = cursor.cursor.copy
        table = TipFingerprint._meta.db_table
        with copy(
            f"COPY {table} (tip_id, evidence_id, kind, token, key_id, weight, photo_hash) FROM STDIN"
        ) as out:
            out.write(rows.getvalue())
        with copy(f"COPY {FingerprintRun._meta.db_table} (tip_id, done_at, found, notes) FROM STDIN") as out:
            out.write(runs.getvalue())
        # What the worker keeps as it goes: how many tips carry each token.
        cursor.execute(
            f"INSERT INTO {FingerprintCount._meta.db_table} (token, tips) "
            f"SELECT token, COUNT(DISTINCT tip_id) FROM {table} GROUP BY token"
        )
    connection.close()
    with psycopg.connect(args.database_url, autocommit=True) as direct:
        # As autovacuum leaves a table in production: statistics and a visibility map.
        direct.execute(f"VACUUM ANALYZE {table}")
        direct.execute(f"VACUUM ANALYZE {FingerprintCount._meta.db_table}")
    clusters_path(args).parent.mkdir(parents=True, exist_ok=True)
    clusters_path(args).write_text(json.dumps({"3": str(cluster_3), "30": str(cluster_30)}))
    print(f"{written} fingerprint rows for {count} tips in {time.perf_counter() - started:.1f} s")


def timed(function, requests):
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}


def run_time(args):
    django_setup(args.database_url)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.models import Area
    from pimpasa.roles import ensure_roles
    from reporting.tips.models import Tip
    from reporting.tips.related.models import TipFingerprint
    from reporting.tips.related.services import fingerprints
    from reporting.tips.related.services.related import related_tips

    ensure_roles()
    users = get_user_model().objects
    supervisor, _ = users.get_or_create(username="bench-related-supervisor")
    supervisor.groups.add(Group.objects.get(name="Supervisor"))
    officer, _ = users.get_or_create(username="bench-related-officer")
    officer.groups.add(Group.objects.get(name="Petugas PIMPASA"))
    clusters = json.loads(clusters_path(args).read_text())
    Area.objects.filter(pk=Tip.objects.get(pk=clusters["3"]).area_id).first().officers.add(officer)
    result = {"tips": Tip.objects.count(), "fingerprints": TipFingerprint.objects.count(), "panels": {}}
    for size, tip_id in clusters.items():
        tip = Tip.objects.get(pk=tip_id)
        for name, user in (("supervisor", supervisor), ("officer", officer)):
            user = users.get(pk=user.pk)
            related_tips(tip, user)  # permissions cached on the user, as within one request
            with CaptureQueriesContext(connection) as queries:
                found = related_tips(tip, user)
            figures = timed(lambda tip=tip, user=user: related_tips(tip, user), args.requests)
            figures.update(queries=len(queries), listed=len(found.links) + found.more, outside=found.outside)
            result["panels"][f"{size} related, {name}"] = figures
            print(
                f"{size:>2} related, {name:<10} p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
                f"{figures['queries']} queries  {figures['listed']} seen, {figures['outside']} outside"
            )
    sample = Tip.objects.order_by("created_at").first()
    worker = timed(lambda: fingerprints.fingerprint_tip(sample.pk, stop=set()), max(args.requests // 5, 5))
    result["worker"] = worker
    print(f"worker, one tip       p50 {worker['p50']:6.1f} ms  p95 {worker['p95']:6.1f} ms")
    with connection.cursor() as cursor:
        tokens = list(TipFingerprint.objects.filter(tip_id=clusters["30"]).values_list("token", flat=True))
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT tip_id, kind, token, weight, evidence_id, photo_hash "
            "FROM reporting_tipfingerprint WHERE token IN (SELECT token FROM "
            "reporting_fingerprintcount WHERE token = ANY(%s) AND tips <= 50) AND tip_id <> %s",
            [tokens, clusters["30"]],
        )
        plan = "\n".join(line for (line,) in cursor.fetchall())
    result["plan"] = plan
    print(plan)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))


def compare(args):
    small, big = (json.loads(Path(name).read_text()) for name in (args.small, args.big))
    print(
        f"tips {small['tips']} -> {big['tips']}, fingerprints {small['fingerprints']} -> {big['fingerprints']}"
    )
    for name, figures in big["panels"].items():
        base = small["panels"][name]
        print(
            f"{name:<24} p95 {base['p95']:6.1f} -> {figures['p95']:6.1f} ms  "
            f"x{figures['p95'] / base['p95']:.2f}  queries {base['queries']} -> {figures['queries']}"
        )


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("fill", "time"):
        command = commands.add_parser(name)
        command.add_argument("--database-url", required=True)
        command.add_argument("--clusters")
        command.add_argument("--requests", type=int, default=100)
        command.add_argument("--out")
    command = commands.add_parser("compare")
    command.add_argument("small")
    command.add_argument("big")
    args = parser.parse_args()
    {"fill": fill, "time": run_time, "compare": compare}[args.command](args)


if __name__ == "__main__":
    main()
