"""The embedded default holding a real day: a queued 60,000-row export under `make run` while residents
check in.

    .venv/bin/python bench/embedded/run.py                 # 60,000 rows, 150 check-ins
    .venv/bin/python bench/embedded/run.py --rows 20000 --checkins 60

What `make run` runs, in a temporary folder: dev settings (SQLite in WAL mode, django-q's ORM broker,
the database cache), the Procfile's two processes under honcho (gunicorn gthread + qcluster). The
attendance export is asked for through the real service (more rows than the sync limit, so it is
queued), and while the worker writes it, check-ins are posted over HTTP one after another, as
phones at a session would. Before the export, the same number of check-ins gives the baseline in
the same run.

Printed: whether the job reached 100%, how long it took, every progress value seen, the check-ins
recorded (of those sent) and their median/95th-percentile latency during the export as a ratio of
the baseline. docs/benchmarks.md records the figures.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.export.run import FILTERS, fill  # noqa: E402 (after the path is set)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(var_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="pimpasa.settings.dev",
        DEBUG="0",
        PIMPASA_VAR_DIR=str(var_dir),
        PATH=f"{BIN}:{os.environ['PATH']}",
        HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        PIMPASA_CHECKIN_PER_ADDRESS="100000",  # every simulated phone comes from 127.0.0.1
    )
    return env


def prepare(rows):
    """In this process (env already set): schema, roles, schedules, rows, one open session."""
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from events.models import Session

    fill(rows)
    call_command("createcachetable", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("setup", verbosity=0, stdout=quiet)
    now = timezone.now()
    session = Session.objects.create(
        title="Ngopi Pimpasa malam ini",
        area_id=Session.objects.values_list("area_id", flat=True).first(),
        venue="Balai RW 05",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=3),
        status=Session.Status.ONGOING,
    )
    return session


class Resident:
    """One phone: opens the poster's link, fills the form, sends it."""

    def __init__(self, base, url):
        self.base, self.url = base, url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def check_in(self, number):
        page = self.opener.open(self.base + self.url, timeout=60).read().decode()
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|pass)" value="([^"]+)"', page))
        form = {
            **fields,
            "name": f"Warga malam {number}",
            "phone": f"0813{number:08d}",
            "gender": "f",
            "age_group": "26-35",
            "rw": "05",
            "consent": "on",
        }
        started = time.perf_counter()
        request = urllib.request.Request(
            self.base + self.url.split("?")[0],
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": self.base + self.url},
        )
        try:
            response = self.opener.open(request, timeout=60)
            ok = response.status == 200 and "Terima kasih" in response.read().decode()
        except urllib.error.HTTPError:
            ok = False
        return ok, time.perf_counter() - started


def check_ins(base, url, first, count):
    results = [Resident(base, url).check_in(first + n) for n in range(count)]
    latencies = [seconds for ok, seconds in results if ok]
    return sum(ok for ok, _ in results), latencies


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--checkins", type=int, default=150, help="check-ins before and during the export")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="pimpasa-embedded-bench-"))
    env = environment(var_dir)
    os.environ.update(env)
    print(f"Filling {args.rows:,} attendance rows in {var_dir} ...", flush=True)
    session = prepare(args.rows)

    from django.contrib.auth import get_user_model

    from events.services import tokens
    from reporting.exports.jobs import request_export
    from reporting.exports.models import ExportJob

    url = f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    honcho = subprocess.Popen(
        [str(BIN / "honcho"), "start", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/healthz/worker", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("make run's processes did not come up")

        baseline_ok, baseline = check_ins(base, url, 0, args.checkins)

        user = get_user_model().objects.get(username="bench-supervisor")
        job = request_export(user, "attendance", FILTERS, language="id")
        assert job.status == ExportJob.Status.QUEUED, job.status
        started = time.perf_counter()
        seen, during, during_ok, sent = [], [], 0, 0
        while True:
            job.refresh_from_db()
            if not seen or seen[-1] != (job.status, job.rows_done):
                seen.append((job.status, job.rows_done))
            if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
                break
            if job.status == ExportJob.Status.RUNNING and sent < args.checkins:
                ok, latencies = check_ins(base, url, 100_000 + sent, 5)
                during_ok += ok
                during += latencies
                sent += 5
            else:
                time.sleep(0.2)
            if time.perf_counter() - started > 1800:
                raise SystemExit("the export did not finish within 30 minutes")
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(honcho.pid, signal.SIGINT)
        honcho.wait(timeout=60)

    recorded = session.attendances.count()
    print()
    print(
        f"export: {job.status}, {job.rows_done:,} of {job.rows_total:,} rows, {elapsed:.1f} s, error: {job.error!r}"
    )
    print("progress seen:", ", ".join(f"{status} {rows:,}" for status, rows in seen))
    print(f"check-ins before the export: {baseline_ok} of {args.checkins} recorded")
    print(f"check-ins during the export: {during_ok} of {sent} recorded (database holds {recorded})")
    for label, fraction in (("median", 0.5), ("95th percentile", 0.95)):
        before, while_exporting = percentile(baseline, fraction), percentile(during, fraction)
        print(
            f"check-in POST {label}: {before * 1000:.0f} ms before, {while_exporting * 1000:.0f} ms during "
            f"the export: {while_exporting / before:.2f}x"
        )
    print(
        f"mean during: {statistics.mean(during) * 1000:.0f} ms" if during else "no check-in during the export"
    )
    return 0 if job.status == ExportJob.Status.DONE and during_ok == sent else 1


if __name__ == "__main__":
    sys.exit(main())
