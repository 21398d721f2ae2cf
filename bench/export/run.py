"""Benchmark: the real attendance export path against a bare openpyxl write-only loop.

    .venv/bin/python bench/export/run.py              # 100,000 attendance rows
    .venv/bin/python bench/export/run.py --million    # and 1,000,000 rows
    .venv/bin/python bench/export/run.py --rows 20000 # any size

Each size gets its own SQLite database in a temporary folder, filled once. Both contenders then run, each in a fresh subprocess so that
peak RSS (ru_maxrss) belongs to that contender alone, and each reads the same rows from the same
database:

- real: `run_export()` of an ExportJob asking for every attendance in the date range, exactly as a
  django-q worker runs it (exporter, labels, formula neutralising, WIB dates, progress updates,
  atomic rename).
- bare: the same 16 columns from `values_list(...).iterator(chunk_size=2000)` appended straight to a
  write-only openpyxl sheet (datetimes only made naive, which openpyxl requires), then saved.

Times are wall-clock seconds of the export itself (Django's start-up is excluded from both); each
contender runs --repeat times (alternating) and its fastest run counts, peak RSS its largest.
Ratios real/bare are what docs/benchmarks.md records; the targets are <= 1.3x time and < 150 MB RSS.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SESSIONS_PER_1000_ROWS = 10


def django_setup(database_url, private_root):
    os.environ["DATABASE_URL"] = database_url
    os.environ["PRIVATE_STORAGE_ROOT"] = str(private_root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pimpasa.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fill(rows):
    """Areas, sessions in October 2026 and `rows` attendances; idempotent per database."""
    import datetime
    import zoneinfo

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from events.models import Area, Attendance, Session
    from pimpasa.roles import SUPERVISOR, ensure_roles

    call_command("migrate", verbosity=0)
    ensure_roles()
    user, _ = get_user_model().objects.get_or_create(username="bench-supervisor")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=SUPERVISOR))
    wib = zoneinfo.ZoneInfo("Asia/Jakarta")
    areas = Area.objects.bulk_create(
        Area(
            name=f"Kelurahan {n}", kecamatan=f"Kecamatan {n // 5}", city="Kota Bandung", province="Jawa Barat"
        )
        for n in range(40)
    )
    session_count = max(1, rows * SESSIONS_PER_1000_ROWS // 1000)
    start = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=wib)
    sessions = Session.objects.bulk_create(
        Session(
            title=f"Ngopi Pimpasa RW {n % 20:02d} #{n}",
            area=areas[n % len(areas)],
            venue="Balai RW",
            starts_at=start + datetime.timedelta(minutes=(n * 41) % (30 * 24 * 60)),
            ends_at=start + datetime.timedelta(minutes=(n * 41) % (30 * 24 * 60) + 120),
            status=Session.Status.FINISHED,
        )
        for n in range(session_count)
    )
    genders = [code for code, _ in Attendance.Gender.choices]
    ages = [code for code, _ in Attendance.AgeGroup.choices]
    batch = []
    for n in range(rows):
        session = sessions[n % session_count]
        moment = session.starts_at + datetime.timedelta(seconds=n % 3600)
        batch.append(
            Attendance(
                session=session,
                name=f"Warga {n}",
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
        if len(batch) == 5000:
            Attendance.objects.bulk_create(batch)
            batch = []
    Attendance.objects.bulk_create(batch)


FILTERS = {"date_from": "2026-09-30", "date_to": "2026-11-01"}


def measure_real():
    from django.contrib.auth import get_user_model

    from reporting.exports.jobs import export_path, run_export
    from reporting.exports.models import ExportJob

    user = get_user_model().objects.get(username="bench-supervisor")
    job = ExportJob.objects.create(exporter="attendance", filters=FILTERS, requested_by=user)
    started = time.perf_counter()
    rows = run_export(job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "done", job.error
    return {"seconds": elapsed, "rows": rows, "bytes": export_path(job).stat().st_size}


def measure_bare(output):
    from openpyxl import Workbook

    from events.models import Attendance
    from reporting.exports.attendance import ATTENDANCE_FIELDS

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(list(ATTENDANCE_FIELDS))
    rows = 0
    queryset = Attendance.objects.order_by("session__starts_at", "session_id", "checked_in_at", "pk")
    for row in queryset.values_list(*ATTENDANCE_FIELDS).iterator(chunk_size=2000):
        sheet.append([value.replace(tzinfo=None) if hasattr(value, "tzinfo") else value for value in row])
        rows += 1
    workbook.save(output)
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "rows": rows, "bytes": Path(output).stat().st_size}


def child(args):
    django_setup(args.database_url, args.private_root)
    if args.measure == "fill":
        fill(args.rows)
        result = {}
    elif args.measure == "real":
        result = measure_real()
    else:
        result = measure_bare(Path(args.private_root) / "bare.xlsx")
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(measure, rows, database_url, private_root):
    command = [
        sys.executable,
        __file__,
        "--child",
        measure,
        "--rows",
        str(rows),
        "--database-url",
        database_url,
        "--private-root",
        str(private_root),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench_size(rows, workdir, repeat):
    database_url = f"sqlite:///{workdir / f'bench-{rows}.sqlite3'}"
    private_root = workdir / f"private-{rows}"
    private_root.mkdir(exist_ok=True)
    fill_started = time.perf_counter()
    run_child("fill", rows, database_url, private_root)
    print(f"  filled {rows:,} rows in {time.perf_counter() - fill_started:.1f} s", flush=True)
    runs = {"bare": [], "real": []}
    for _round in range(repeat):  # alternated, so that a burst of load elsewhere hits both alike
        for contender in ("bare", "real"):
            result = run_child(contender, rows, database_url, private_root)
            assert result["rows"] == rows, result
            runs[contender].append(result)
    return {
        "rows": rows,
        "database": database_url.split(":")[0],
        "repeat": repeat,
        # The fastest run of each: the one least disturbed by other processes on the machine.
        "real": best(runs["real"]),
        "bare": best(runs["bare"]),
        "all": runs,
    }


def best(results):
    return {
        "seconds": min(result["seconds"] for result in results),
        "max_rss_mb": max(result["max_rss_mb"] for result in results),
        "rows": results[0]["rows"],
    }


def report(results):
    lines = [
        "| rows | runs | bare openpyxl loop | real export | time ratio | bare peak RSS | real peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        real, bare = result["real"], result["bare"]
        lines.append(
            f"| {result['rows']:,} | {result['repeat']} | {bare['seconds']:.1f} s | {real['seconds']:.1f} s "
            f"| {real['seconds'] / bare['seconds']:.2f}x | {bare['max_rss_mb']:.0f} MB | {real['max_rss_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each contender; the fastest counts")
    parser.add_argument("--child", dest="measure", choices=["fill", "real", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--private-root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        args.rows = args.rows[0]
        child(args)
        return
    sizes = args.rows or [100_000]
    if args.million:
        sizes.append(1_000_000)
    results = []
    with tempfile.TemporaryDirectory(prefix="pimpasa-bench-export-") as folder:
        for rows in sizes:
            print(f"== {rows:,} attendance rows", flush=True)
            result = bench_size(rows, Path(folder), args.repeat)
            results.append(result)
            print(report([result]), flush=True)
            for contender, runs in result["all"].items():
                print(f"  {contender}: " + ", ".join(f"{run['seconds']:.1f} s" for run in runs), flush=True)
    print()
    print(report(results))


if __name__ == "__main__":
    main()
