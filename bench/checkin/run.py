"""Check-in under load: gunicorn + PostgreSQL (+ Redis for rate-limit counters) on 127.0.0.1.

Many simulated attendees post the check-in form at once; the same load then hits a bare Django view
doing one insert, on the same stack, in the same run. Prints requests/s and p50/p99 for both, their
ratio, and verifies that no row was lost or duplicated.

    .venv/bin/python bench/checkin/run.py [--attendees 2000] [--concurrency 32] [--workers 2]

Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_checkin; the
database is recreated) and Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/15).
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_checkin")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.checkin.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "PYTHONPATH": str(ROOT),
    "PIMPASA_PUBLIC_URL": f"http://{HOST}:{PORT}",
}
PYTHON = sys.executable


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def recreate_database():
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_shell(code):
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py shell failed:\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


SETUP = """
from datetime import timedelta
from django.utils import timezone
from events.models import Area, Session
area, _ = Area.objects.get_or_create(name="Bench", kecamatan="Bench", city="Bench", province="Bench")
now = timezone.now()
def make(title):
    return Session.objects.create(title=title, area=area, venue="Bench", status="ongoing",
                                  starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3)).pk
print(make("checkin"), make("bare"))
"""


class Client:
    """One keep-alive connection per thread, reopened if the server closes it."""

    local = threading.local()

    @classmethod
    def request(cls, method, path, body=None, headers=None):
        for attempt in range(3):
            connection = getattr(cls.local, "connection", None)
            if connection is None:
                connection = cls.local.connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    cls.local.connection = None
                return response.status, response.headers, data
            except (http.client.HTTPException, ConnectionError):
                connection.close()
                cls.local.connection = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")


def open_form(session_id, token):
    """What a phone does before the timed part: open the form (gets the CSRF cookie and the pass)."""
    status, headers, body = Client.request("GET", f"/sesi/{session_id}/hadir/?t={urllib.parse.quote(token)}")
    assert status == 200, (status, body[:300])
    html = body.decode()
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form_pass = re.search(r'name="pass" value="([^"]+)"', html).group(1)
    return cookie, csrf, form_pass


def checkin_request(session_id, n, prepared):
    cookie, csrf, form_pass = prepared
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "pass": form_pass,
            "name": f"Peserta {n}",
            "phone": f"0812{n:08d}",
            "gender": "f",
            "age_group": "26-35",
            "rw": "17",
            "consent": "on",
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    return "POST", f"/sesi/{session_id}/hadir/", body, headers


def bare_request(session_id, n):
    body = urllib.parse.urlencode({"session": session_id, "name": f"Peserta {n}", "phone": f"+62813{n:08d}"})
    return "POST", "/bench/bare-insert/", body, {"Content-Type": "application/x-www-form-urlencoded"}


def timed(requests, concurrency):
    """Send `requests` through `concurrency` clients; return (elapsed seconds, [(status, latency)])."""

    def one(request):
        started = time.perf_counter()
        status, _headers, _body = Client.request(*request)
        return status, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, requests))
    return time.perf_counter() - started, results


def summary(elapsed, results):
    latencies = sorted(latency for _status, latency in results)
    statuses = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "rps": len(results) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "statuses": statuses,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attendees", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    # Defaults: the web process of docs/deployment.md (sync workers, 2 x cores).
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="per worker, with gthread only")
    parser.add_argument(
        "--rounds", type=int, default=4, help="alternate check-in and bare in this many rounds"
    )
    args = parser.parse_args()

    recreate_database()
    manage("migrate", "--noinput")
    checkin_session, bare_session = map(int, django_shell(SETUP).split())
    token = django_shell(
        f"from events.models import Session; from events.services import tokens; "
        f"print(tokens.poster_token(Session.objects.get(pk={checkin_session})))"
    )
    server = subprocess.Popen(
        [
            PYTHON, "-m", "gunicorn", "pimpasa.wsgi:application",
            "--bind", f"{HOST}:{PORT}", "--workers", str(args.workers),
            "--worker-class", args.worker_class, "--threads", str(args.threads), "--log-level", "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                if Client.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        n = args.attendees
        print(f"Preparing {n} opened forms (untimed)...", flush=True)
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            prepared = list(pool.map(lambda _: open_form(checkin_session, token), range(n)))
        # Warm both paths (connections, imports) before timing.
        timed([bare_request(bare_session, 10**7 + i) for i in range(50)], args.concurrency)
        # Alternate the two in rounds, so a passing load on the machine weighs on both alike.
        totals = {"checkin": [0.0, []], "bare": [0.0, []]}
        chunk = -(-n // args.rounds)
        for start in range(0, n, chunk):
            numbers = range(start, min(n, start + chunk))
            for kind, requests in (
                ("checkin", [checkin_request(checkin_session, i, prepared[i]) for i in numbers]),
                ("bare", [bare_request(bare_session, i) for i in numbers]),
            ):
                elapsed, results = timed(requests, args.concurrency)
                totals[kind][0] += elapsed
                totals[kind][1] += results
        checkin, bare = summary(*totals["checkin"]), summary(*totals["bare"])
    finally:
        server.terminate()
        server.wait(timeout=30)

    rows = django_shell(
        "from events.models import Attendance as A; "
        f"q = A.objects.filter(session_id={checkin_session}); "
        "print(q.count(), q.values('phone').distinct().count())"
    ).split()
    rows, distinct = int(rows[0]), int(rows[1])
    print(
        f"\nCheck-in: {n} attendees, {args.concurrency} concurrent clients, "
        f"gunicorn {args.worker_class} x{args.workers}"
        f"{f' x{args.threads} threads' if args.worker_class == 'gthread' else ''}, {args.rounds} alternating rounds"
    )
    print(f"{'':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    for label, result in (("bare insert view", bare), ("check-in (POST)", checkin)):
        print(
            f"{label:<22}{result['rps']:>9.0f}{result['p50']:>9.1f}{result['p99']:>9.1f}  {result['statuses']}"
        )
    print(f"ratio check-in / bare: {checkin['rps'] / bare['rps']:.2f}x (target >= 0.8x)")
    print(
        f"rows: {rows} for {n} attendees, {distinct} distinct phones -> {'OK' if rows == distinct == n else 'MISMATCH'}"
    )
    if rows != n or distinct != n or set(checkin["statuses"]) != {200}:
        sys.exit(1)


if __name__ == "__main__":
    main()
