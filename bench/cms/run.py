"""Material pages with and without the shared page cache, against a bare view in the same process.

Builds a throw-away embedded-default installation (SQLite file, database cache, demo content) in a
temporary directory, then times anonymous GETs through Django's full middleware stack:

- baseline: /healthz (one SELECT 1, same middleware);
- uncached: each page type rendered from the database (page cache off);
- cached:   the same URLs answered from the shared cache (page cache on, warmed by one request).

    .venv/bin/python bench/cms/run.py --requests 200
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
URLS = ["/", "/materi/", "/materi/tanda-tanda-perdagangan-orang/", "/en/material/questions-and-answers/"]


def prepare(var_dir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "pimpasa.settings.dev"
    os.environ["PIMPASA_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from demo import site_content

    site_content.load(io.StringIO())


def timed(client, url, count):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    durations = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    reset_queries()  # the query log keeps 9000 entries: count one more request on its own
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(durations), len(queries), response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        prepare(var_dir)
        from django.conf import settings
        from django.test import Client

        from cms import page_cache

        client = Client()
        base_ms, base_queries, _ = timed(client, "/healthz", args.requests)
        print(f"baseline /healthz: {base_ms:.2f} ms median, {base_queries:.0f} queries")
        print("| page | uncached ms | queries | cached ms | queries | speed-up | cached vs /healthz |")
        print("|---|---|---|---|---|---|---|")
        for url in URLS:
            settings.PIMPASA_PAGE_CACHE_SECONDS = 0
            cold_ms, cold_queries, _ = timed(client, url, args.requests)
            settings.PIMPASA_PAGE_CACHE_SECONDS = 3600
            client.get(url)
            hot_ms, hot_queries, response = timed(client, url, args.requests)
            state = response.get(page_cache.CACHE_HEADER, "not cached")
            print(
                f"| `{url}` | {cold_ms:.2f} | {cold_queries:.0f} | {hot_ms:.2f} ({state}) | {hot_queries:.0f} | "
                f"{cold_ms / hot_ms:.1f}× | {hot_ms / base_ms:.2f}× |"
            )


if __name__ == "__main__":
    main()
