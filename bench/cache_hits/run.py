"""CPU per cached page hit: entries stored gzipped once (now) against entries stored plain and gzipped
again on every hit (before), in the same process, on the same pages.

Builds a throw-away embedded-default installation (SQLite, demo content) in a temporary directory and
answers anonymous GETs with `Accept-Encoding: gzip` (every phone browser) through Django's full
middleware stack, calling the WSGI application with an environ as gunicorn does, for each shared cache the site runs on: the database cache (`make run`) and Redis
(production; a redis-server of the bench's own on a free port, when installed). For each page:

- before: cms.page_cache as it was (the entry holds the plain HTML; pimpasa.compression gzips each hit),
  reproduced below as PlainEntriesPageCache and swapped into MIDDLEWARE in its place;
- now:    cms.page_cache.PageCacheMiddleware (the entry holds the gzip stream; a hit sends it as is).

CPU is the process's user+system time (time.process_time) over --hits hits, per hit; the best of
--rounds rounds, before and now alternating, so that other processes on the machine count as little as
possible and alike for both. The bytes sent
and the entry's size are printed beside it.

    .venv/bin/python bench/cache_hits/run.py --hits 500 --rounds 5
"""

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
URLS = ["/materi/", "/materi/tanda-tanda-perdagangan-orang/", "/en/material/questions-and-answers/"]
GZIP = "gzip, deflate, br"  # what phone browsers send
NOW = "cms.page_cache.PageCacheMiddleware"
BEFORE = "bench.cache_hits.run.PlainEntriesPageCache"


def plain_entries_page_cache():
    """cms.page_cache.PageCacheMiddleware as it was before entries were stored gzipped."""
    from django.core.cache import cache
    from django.http import HttpResponse

    from cms import page_cache

    class PlainEntriesPageCache(page_cache.PageCacheMiddleware):
        def __call__(self, request):
            response = self.get_response(request)
            key = getattr(request, page_cache._KEY_ATTR, None)
            seconds = getattr(response, page_cache._MARK, None)
            if key is not None and seconds:
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                headers = {name: response[name] for name in page_cache._KEPT_HEADERS if name in response}
                cache.set(key + ":plain", (response.content, headers), seconds)
                response[page_cache.CACHE_HEADER] = "miss"
            return response

        def process_view(self, request, view_func, view_args, view_kwargs):
            from wagtail.views import serve as wagtail_serve

            if view_func is not wagtail_serve or not page_cache.request_may_use_cache(request):
                return None
            key = page_cache._key(request)
            cached = cache.get(key + ":plain")
            if cached is not None:
                content, headers = cached
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                response[page_cache.CACHE_HEADER] = "hit"
                return response
            setattr(request, page_cache._KEY_ATTR, key)
            return None

    return PlainEntriesPageCache


def __getattr__(name):  # MIDDLEWARE names the class by path; it is made once Django is set up
    if name == "PlainEntriesPageCache":
        return plain_entries_page_cache()
    raise AttributeError(name)


def prepare(var_dir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "pimpasa.settings.dev"
    os.environ["PIMPASA_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from demo import site_content

    site_content.load(io.StringIO())


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(folder):
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def wsgi_get(handler, url):
    """One GET as gunicorn makes it: the WSGI application called with an environ; (headers, body)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT_ENCODING": GZIP,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    answer = {}

    def start_response(status, headers):
        answer.update(headers, status=status)

    body = b"".join(handler(environ, start_response))
    return answer, body


def cpu_per_hit(middleware, url, hits, rounds):
    """(µs of CPU per hit, best round; bytes sent)."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    from cms import page_cache

    stack = (
        [BEFORE if name == NOW else name for name in settings.MIDDLEWARE] if middleware == BEFORE else None
    )
    with override_settings(**({"MIDDLEWARE": stack} if stack else {})):
        handler = WSGIHandler()  # loads the MIDDLEWARE in force
        headers, _body = wsgi_get(handler, url)
        assert headers["status"] == "200 OK", (url, headers["status"])
        best = None
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(hits):
                headers, body = wsgi_get(handler, url)
            spent = (time.process_time() - started) / hits * 1e6
            best = spent if best is None else min(best, spent)
        assert headers[page_cache.CACHE_HEADER] == "hit", url
        assert headers["Content-Encoding"] == "gzip", url
    return best, len(body)


def entry_bytes(url):
    """The sizes of the stored entries (now: gzip stream; before: plain HTML) for `url`, and the HTML."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from cms import page_cache

    request = RequestFactory().get(url, HTTP_HOST="127.0.0.1:8000")
    key = page_cache._key(request)
    now, before = cache.get(key), cache.get(key + ":plain")
    return len(now[0]), len(before[0]), before[0]


def gzip_alone(html, rounds):
    """µs of CPU to gzip the page once as pimpasa.compression does (best of `rounds` × 100)."""
    from django.utils.text import compress_string

    best = None
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(100):
            compress_string(html, max_random_bytes=100)
        spent = (time.process_time() - started) / 100 * 1e6
        best = spent if best is None else min(best, spent)
    return best


def run_on(label, caches, args):
    from django.core.cache import caches as all_caches
    from django.test import override_settings

    with override_settings(CACHES=caches):
        for alias in all_caches:
            all_caches[alias].clear()
        print(f"\n{label}")
        print(
            "| page | before: µs CPU per hit | now | now vs before | gzip of the page alone, µs "
            "| bytes sent | entry before → now |"
        )
        print("|---|---|---|---|---|---|---|")
        for url in URLS:
            # Rounds alternate between the two, so that what else the machine does weighs on both alike.
            rounds = [
                (cpu_per_hit(BEFORE, url, args.hits, 1), cpu_per_hit(NOW, url, args.hits, 1))
                for _ in range(args.rounds)
            ]
            before, sent_before = min(pair[0] for pair in rounds)
            now, sent_now = min(pair[1] for pair in rounds)
            stored_now, stored_before, html = entry_bytes(url)
            print(
                f"| `{url}` | {before:.0f} | {now:.0f} | {now / before:.2f}× | {gzip_alone(html, args.rounds):.0f} "
                f"| {sent_before} → {sent_now} | {stored_before} → {stored_now} |"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        prepare(var_dir)
        from django.conf import settings

        print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}; {os.cpu_count()} CPUs")
        run_on("Database cache (the embedded default, `make run`)", settings.CACHES, args)
        if shutil.which("redis-server"):
            process, url = start_redis(var_dir)
            try:
                redis = {
                    **settings.CACHES,
                    "default": {
                        "BACKEND": "django_redis.cache.RedisCache",
                        "LOCATION": url,
                        "KEY_PREFIX": "pimpasa-bench",
                        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
                    },
                }
                run_on("Redis (production)", redis, args)
            finally:
                process.terminate()
                process.wait(timeout=10)
        else:
            print("\nRedis: skipped, redis-server is not installed")
        print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
